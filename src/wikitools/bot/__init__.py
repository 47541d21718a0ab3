"""wikitools.bot."""
