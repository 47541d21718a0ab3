"""wikitools.fixes."""
