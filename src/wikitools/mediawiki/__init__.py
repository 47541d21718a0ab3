"""wikitools.mediawiki."""
