"""Streaming read and write of MediaWiki XML export dumps (schemas 0.3 to 0.11).

>>> from wikitools.dumps import iter_pages, read_siteinfo, open_writer
>>> info = read_siteinfo("dump.xml.bz2")  # doctest: +SKIP
>>> with open_writer("out.xml.bz2", info) as writer:  # doctest: +SKIP
...     for page in iter_pages("dump.xml.bz2"):
...         writer.write_page(page)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports

if TYPE_CHECKING:
    from wikitools.dumps.model import (
        Contributor,
        NamespaceInfo,
        Page,
        Revision,
        SiteInfo,
        Slot,
        sha1_base36,
    )
    from wikitools.dumps.reader import SUPPORTED_VERSIONS, DumpReader, iter_pages, read_siteinfo
    from wikitools.dumps.writer import DumpWriter, open_writer

_EXPORTS = {
    "Contributor": "wikitools.dumps.model",
    "DumpReader": "wikitools.dumps.reader",
    "DumpWriter": "wikitools.dumps.writer",
    "NamespaceInfo": "wikitools.dumps.model",
    "Page": "wikitools.dumps.model",
    "Revision": "wikitools.dumps.model",
    "SUPPORTED_VERSIONS": "wikitools.dumps.reader",
    "SiteInfo": "wikitools.dumps.model",
    "Slot": "wikitools.dumps.model",
    "iter_pages": "wikitools.dumps.reader",
    "open_writer": "wikitools.dumps.writer",
    "read_siteinfo": "wikitools.dumps.reader",
    "sha1_base36": "wikitools.dumps.model",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = [
    "SUPPORTED_VERSIONS",
    "Contributor",
    "DumpReader",
    "DumpWriter",
    "NamespaceInfo",
    "Page",
    "Revision",
    "SiteInfo",
    "Slot",
    "iter_pages",
    "open_writer",
    "read_siteinfo",
    "sha1_base36",
]
