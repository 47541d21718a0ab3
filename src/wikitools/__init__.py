"""wikitools: find and fix broken wikitext, convert infoboxes, move pages in and out of wikis.

The public API::

    from wikitools import lint_text, fix_text, Config, load_config

    for diagnostic in lint_text(text):
        print(diagnostic.code, diagnostic.message)
    result = fix_text(text)          # result.text, result.edits, result.applied, ...

    wiki = Wiki.connect("https://wiki.example.org/w/api.php")   # live wikis: see README
"""

from __future__ import annotations

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
from wikitools.version import __version__

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
