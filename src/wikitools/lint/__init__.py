"""wikitools.lint."""
