"""wikitools.site."""
