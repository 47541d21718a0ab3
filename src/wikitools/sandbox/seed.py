"""Seed a sandbox wiki with the pages a site holds, so that their templates and modules render.

``--site`` describes the target wiki offline (a directory of page files or an XML export;
see :func:`wikitools.site.loader.load_site`). A sandbox that renders pages for that wiki
needs the same templates and modules: :func:`seed_from_site` imports every page whose text
the site holds (an XML export keeps the texts of all namespaces but articles) with
``importDump.php``, in one run.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from wikitools.sandbox.wiki import SandboxWiki
from wikitools.site.context import SiteContext
from wikitools.site.memory import MemorySite

_EXPORT_HEAD = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
)
#: Characters XML 1.0 cannot hold (they cannot be saved on a wiki either).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export_xml(pages: Iterable[tuple[str, str]]) -> str:
    """A minimal export-0.11 document of ``(title, text)`` pages (one revision each)."""
    parts = [_EXPORT_HEAD]
    for title, text in pages:
        clean = _NOT_XML.sub("", text)
        parts.append(
            f"  <page>\n    <title>{escape(title)}</title>\n    <revision>\n"
            f'      <text xml:space="preserve">{escape(clean)}</text>\n'
            "    </revision>\n  </page>\n"
        )
    parts.append("</mediawiki>\n")
    return "".join(parts)


def site_pages(site: MemorySite) -> list[tuple[str, str]]:
    """The ``(title, text)`` of every page of ``site`` whose text is known."""
    return [(page.title, page.text) for page in site.pages.values() if page.text is not None]


def seed_pages(wiki: SandboxWiki, pages: Iterable[tuple[str, str]]) -> int:
    """Import ``(title, text)`` pages into ``wiki`` in one ``importDump.php`` run; the count."""
    listed = list(pages)
    if not listed:
        return 0
    with tempfile.TemporaryDirectory(prefix="seed-", dir=wiki.directory) as scratch:
        path = Path(scratch) / "seed.xml"
        path.write_text(export_xml(listed), encoding="utf-8")
        wiki.import_dump(path)
    return len(listed)


def seed_from_site(wiki: SandboxWiki, site: SiteContext | None) -> int:
    """Import the pages ``site`` holds texts of (nothing for an inventory); the count."""
    if not isinstance(site, MemorySite):
        return 0
    return seed_pages(wiki, site_pages(site))
