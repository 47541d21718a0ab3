"""Data files shipped with wikitools (magic words, language names)."""
