"""wikitools.dumps."""
