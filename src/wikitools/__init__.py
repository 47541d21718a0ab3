"""wikitools: find and fix broken wikitext, convert infoboxes, move pages in and out of wikis.

The public API::

    from wikitools import lint_text, fix_text, Config, load_config

    for diagnostic in lint_text(text):
        print(diagnostic.code, diagnostic.message)
    result = fix_text(text)          # result.text, result.edits, result.applied, ...

    wiki = Wiki.connect("https://wiki.example.org/w/api.php")   # live wikis: see README

Every name here is imported on first use (``import wikitools`` alone loads nothing else),
so a command pays only for the parts it touches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports
from wikitools.version import __version__

if TYPE_CHECKING:
    from wikitools.api import Linter, fix_text, lint_text
    from wikitools.config import Config, load_config
    from wikitools.document import Document
    from wikitools.dumps import DumpReader, DumpWriter, iter_pages, open_writer, read_siteinfo
    from wikitools.errors import WikitoolsError
    from wikitools.fixes.model import Applicability, Edit, Fix
    from wikitools.lint.diagnostic import Diagnostic, Severity
    from wikitools.lint.fixloop import FixResult
    from wikitools.mediawiki import Wiki
    from wikitools.site.context import PageInfo, SiteContext
    from wikitools.site.loader import load_site


_EXPORTS = {
    "Applicability": "wikitools.fixes.model",
    "Config": "wikitools.config",
    "Diagnostic": "wikitools.lint.diagnostic",
    "Document": "wikitools.document",
    "DumpReader": "wikitools.dumps.reader",
    "DumpWriter": "wikitools.dumps.writer",
    "Edit": "wikitools.fixes.model",
    "Fix": "wikitools.fixes.model",
    "FixResult": "wikitools.lint.fixloop",
    "Linter": "wikitools.api",
    "PageInfo": "wikitools.site.context",
    "Severity": "wikitools.lint.diagnostic",
    "SiteContext": "wikitools.site.context",
    "Wiki": "wikitools.mediawiki.wiki",
    "WikitoolsError": "wikitools.errors",
    "fix_text": "wikitools.api",
    "iter_pages": "wikitools.dumps.reader",
    "lint_text": "wikitools.api",
    "load_config": "wikitools.config",
    "load_site": "wikitools.site.loader",
    "open_writer": "wikitools.dumps.writer",
    "read_siteinfo": "wikitools.dumps.reader",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = [
    "Applicability",
    "Config",
    "Diagnostic",
    "Document",
    "DumpReader",
    "DumpWriter",
    "Edit",
    "Fix",
    "FixResult",
    "Linter",
    "PageInfo",
    "Severity",
    "SiteContext",
    "Wiki",
    "WikitoolsError",
    "__version__",
    "fix_text",
    "iter_pages",
    "lint_text",
    "load_config",
    "load_site",
    "open_writer",
    "read_siteinfo",
]
