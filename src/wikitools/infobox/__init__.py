"""wikitools.infobox."""
