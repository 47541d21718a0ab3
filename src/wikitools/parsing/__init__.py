"""wikitools.parsing."""
