"""wikitools.site: what exists on the target wiki, asked through one interface.

:class:`SiteContext` answers batched, cached questions (does a page exist, where does it
redirect, what is its text). Offline sources: :class:`InventorySite` (a title list),
:class:`DirectorySite` (one file per page), :class:`XmlExportSite` (an XML export);
:func:`load_site` picks one for a ``--site`` argument.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports

if TYPE_CHECKING:
    from wikitools.site.context import PageInfo, SiteContext
    from wikitools.site.inventory import InventorySite
    from wikitools.site.loader import load_site
    from wikitools.site.memory import MemorySite
    from wikitools.site.pagedir import DirectorySite
    from wikitools.site.xmlexport import XmlExportSite

_EXPORTS = {
    "DirectorySite": "wikitools.site.pagedir",
    "InventorySite": "wikitools.site.inventory",
    "MemorySite": "wikitools.site.memory",
    "PageInfo": "wikitools.site.context",
    "SiteContext": "wikitools.site.context",
    "XmlExportSite": "wikitools.site.xmlexport",
    "load_site": "wikitools.site.loader",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = [
    "DirectorySite",
    "InventorySite",
    "MemorySite",
    "PageInfo",
    "SiteContext",
    "XmlExportSite",
    "load_site",
]
