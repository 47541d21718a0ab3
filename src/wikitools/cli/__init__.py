"""wikitools.cli."""
