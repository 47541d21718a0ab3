"""Give a sandbox wiki the pages of a site that a rendering needs, so its templates render.

``--site`` describes the target wiki offline (a directory of page files or an XML export;
see :func:`wikitools.site.loader.load_site`). A sandbox that renders pages for that wiki
needs the same templates and modules. Importing a whole site up front is slow (thousands of
pages), so :class:`SiteRenderer` imports on demand: it renders, looks at the templates and
modules the rendering found missing, imports those the site holds (with ``importDump.php``,
which also takes modules that do not compile, as a wiki may hold them) and renders again,
until nothing the site holds is missing.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from wikitools.mediawiki.parse import ParseResult
from wikitools.sandbox.wiki import SandboxWiki
from wikitools.site.context import SiteContext

_EXPORT_HEAD = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
)
#: Characters XML 1.0 cannot hold (they cannot be saved on a wiki either).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: Rounds of "render, import what is missing" before the rendering is taken as it is.
MAX_ROUNDS = 12


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


class SiteRenderer:
    """A :class:`~wikitools.verify.verifier.Renderer`: ``wiki`` renders, with the pages of
    ``site`` imported as renderings need them (see the module docs). Thread-safe."""

    def __init__(self, wiki: SandboxWiki, site: SiteContext, *, max_rounds: int = MAX_ROUNDS):
        self.wiki = wiki
        self.site = site
        self.max_rounds = max_rounds
        #: Titles imported so far, in order.
        self.imported: list[str] = []
        self._tried: set[str] = set()
        self._held_titles: set[str] = set()
        self._lock = threading.Lock()

    def parse_text(self, text: str, title: str) -> ParseResult:
        """Render ``text`` as ``title`` once every template or module it needs is imported.

        Another thread may import a page this rendering missed while it ran; it renders
        again whenever a missing page is one the site holds, until that no longer changes.
        """
        result = self.wiki.parse_text(text, title)
        previous: set[str] = set()
        for _ in range(self.max_rounds):
            held = self._held([*result.missing_templates, *result.missing_modules])
            if not held or held <= previous:
                break  # nothing the site holds is missing, or importing it did not help
            previous |= held
            result = self.wiki.parse_text(text, title)
        return result

    def _held(self, missing: list[str]) -> set[str]:
        """The missing titles the site holds, each imported (once) before this returns."""
        normalized = {self.site.normalize(title) for title in missing}
        with self._lock:
            todo = [t for t in sorted(normalized) if t not in self._tried]
            self._tried.update(todo)
            pages = self._pages(todo) if todo else []
            if pages:
                seed_pages(self.wiki, pages)
                self.imported.extend(t for t, _ in pages)
                self._held_titles.update(t for t, _ in pages)
            return normalized & self._held_titles

    def _pages(self, titles: list[str]) -> list[tuple[str, str]]:
        """``(title, text)`` of the titles the site holds (a redirect without text: made)."""
        texts = self.site.texts(titles)
        info = self.site.page_info(titles)
        pages = []
        for title in titles:
            text = texts.get(title)
            target = info[title].redirect_target if title in info else None
            if text is None and target is not None:
                text = f"#REDIRECT [[{target}]]"
            if text is not None:
                pages.append((title, text))
        return pages
