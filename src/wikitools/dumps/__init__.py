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
    from wikitools.dumps.partitioned import fix_partition, join_parts, lint_partition
    from wikitools.dumps.partitions import Partition, open_partition, plan_partitions
    from wikitools.dumps.reader import SUPPORTED_VERSIONS, DumpReader, iter_pages, read_siteinfo
    from wikitools.dumps.writer import DumpWriter, open_writer

_EXPORTS = {
    "Contributor": "wikitools.dumps.model",
    "DumpReader": "wikitools.dumps.reader",
    "DumpWriter": "wikitools.dumps.writer",
    "NamespaceInfo": "wikitools.dumps.model",
    "Page": "wikitools.dumps.model",
    "Partition": "wikitools.dumps.partitions",
    "Revision": "wikitools.dumps.model",
    "SUPPORTED_VERSIONS": "wikitools.dumps.reader",
    "SiteInfo": "wikitools.dumps.model",
    "Slot": "wikitools.dumps.model",
    "fix_partition": "wikitools.dumps.partitioned",
    "iter_pages": "wikitools.dumps.reader",
    "join_parts": "wikitools.dumps.partitioned",
    "lint_partition": "wikitools.dumps.partitioned",
    "open_partition": "wikitools.dumps.partitions",
    "open_writer": "wikitools.dumps.writer",
    "plan_partitions": "wikitools.dumps.partitions",
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
    "Partition",
    "Revision",
    "SiteInfo",
    "Slot",
    "fix_partition",
    "iter_pages",
    "join_parts",
    "lint_partition",
    "open_partition",
    "open_writer",
    "plan_partitions",
    "read_siteinfo",
    "sha1_base36",
]
