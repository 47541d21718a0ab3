"""wikitools: find and fix broken wikitext, convert infoboxes, move pages in and out of wikis."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
