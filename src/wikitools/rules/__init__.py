"""wikitools.rules."""
