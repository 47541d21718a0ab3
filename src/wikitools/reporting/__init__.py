"""wikitools.reporting."""
