"""A sandbox wiki that renders a dump's pages as their own wiki would.

Pages render with the templates, modules and interface messages of the wiki they come from.
:func:`support_pages` picks those pages (namespaces Template, Module and MediaWiki) out of a
dump, current revision only, titled with the canonical English namespace names a stock
MediaWiki knows; :func:`import_support` writes them to an XML dump and imports it.
:class:`SupportSet` imports only what given pages need (the templates and modules they
transclude, transitively, and the interface messages), which is much faster on a large wiki
than importing every template.
:data:`RENDER_SETTINGS` loads the bundled tag extensions readers' pages use
(``<syntaxhighlight>``, ``<poem>``) when MediaWiki has them; Math is left out on purpose, as it
would ask a remote service to render formulas.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from wikitools.dumps.model import Page, SiteInfo
from wikitools.dumps.reader import DumpReader
from wikitools.dumps.writer import open_writer
from wikitools.titles import DEFAULT_NAMESPACES, MEDIAWIKI, MODULE, TEMPLATE, Namespaces

#: Namespaces whose pages shape how other pages render.
SUPPORT_NAMESPACES = frozenset({MEDIAWIKI, TEMPLATE, MODULE})

#: PHP for :class:`wikitools.sandbox.SandboxWiki` ``extra_settings``: the tag extensions that
#: pages of the corpora use and MediaWiki bundles, each loaded only when installed.
RENDER_SETTINGS = """
foreach (['SyntaxHighlight_GeSHi', 'Poem'] as $wikitoolsExtension) {
    if (is_file("$IP/extensions/$wikitoolsExtension/extension.json")) {
        wfLoadExtension($wikitoolsExtension);
    }
}
"""


class _Importer(Protocol):
    def import_dump(self, path: Path | str) -> str: ...


def canonical_title(page: Page, names: dict[int, str]) -> str:
    """The title with its namespace prefix in canonical English (``Modul:`` → ``Module:``)."""
    local = names.get(page.ns, "")
    canonical = DEFAULT_NAMESPACES.get(page.ns, local)
    if local and page.title.startswith(local + ":"):
        return f"{canonical}:{page.title[len(local) + 1 :]}"
    return page.title


def support_pages(pages: Iterable[Page], siteinfo: SiteInfo) -> Iterator[Page]:
    """The Template, Module and MediaWiki pages of ``pages``: current revision, canonical title."""
    names = siteinfo.namespace_names()
    for page in pages:
        latest = page.latest
        if page.ns not in SUPPORT_NAMESPACES or latest is None or latest.text is None:
            continue
        yield dataclasses.replace(page, title=canonical_title(page, names), revisions=(latest,))


def write_support_dump(dump: Path, target: Path) -> int:
    """Write the support pages of ``dump`` to the XML file ``target``; return how many."""
    with DumpReader(dump) as reader, open_writer(target, SiteInfo()) as writer:
        count = 0
        for page in support_pages(reader, reader.siteinfo):
            writer.write_page(page)
            count += 1
    return count


def import_support(wiki: _Importer, dump: Path) -> int:
    """Import the support pages of ``dump`` into ``wiki``; return how many were imported."""
    with tempfile.TemporaryDirectory(prefix="wikitools-support-") as scratch:
        target = Path(scratch) / "support.xml"
        count = write_support_dump(dump, target)
        if count:
            wiki.import_dump(target)
    return count


_TEMPLATE_CALL = re.compile(
    r"\{\{\s*(?:safesubst:|subst:|msgnw:)?\s*([^{}|\n<>\[\]#]+?)\s*(?:\||\}\})", re.IGNORECASE
)
_INVOKE = re.compile(r"\{\{\s*#invoke\s*:\s*([^|}\n]+?)\s*[|}]", re.IGNORECASE)
_LUA_MODULE = re.compile(r"(?:require|mw\.loadData|mw\.loadJsonData)\s*\(?\s*[\"']([^\"']+)[\"']")
_LUA_TEMPLATE = re.compile(r"\btitle\s*=\s*[\"']([^\"']+)[\"']")
_REDIRECT = re.compile(r"^\s*#[^\[\n]*\[\[\s*([^|\]\n]+)")


def referenced_titles(text: str, namespaces: Namespaces) -> set[str]:
    """Titles of the templates and modules a page's text (wikitext or Lua) may transclude.

    A syntactic over-approximation: template names built from parameters are missed, and a
    few names found are not templates at all; both are harmless for choosing what to import.
    """
    found = {namespaces.normalize(m.group(1), TEMPLATE) for m in _TEMPLATE_CALL.finditer(text)}
    found.update(namespaces.normalize(m.group(1), TEMPLATE) for m in _LUA_TEMPLATE.finditer(text))
    for pattern in (_INVOKE, _LUA_MODULE):
        found.update(namespaces.normalize(m.group(1), MODULE) for m in pattern.finditer(text))
    redirect = _REDIRECT.match(text)
    if redirect:
        found.add(namespaces.normalize(redirect.group(1)))
    return found


class SupportSet:
    """The support pages of one dump, imported into a wiki on demand.

    :meth:`ensure` imports what the given page texts need and was not imported before; the
    interface messages (MediaWiki pages that are not CSS or JavaScript) come with the first
    call.
    """

    def __init__(self, dump: Path) -> None:
        with DumpReader(dump) as reader:
            self.namespaces = reader.siteinfo.to_namespaces()
            pages = list(support_pages(reader, reader.siteinfo))
        self._pages = {self.namespaces.normalize(page.title): page for page in pages}
        self._imported: set[str] = set()
        self._messages = [
            key for key, page in self._pages.items() if page.ns == MEDIAWIKI and page.is_wikitext
        ]

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def imported(self) -> int:
        """How many pages were imported so far."""
        return len(self._imported)

    def needed(self, texts: Iterable[str]) -> list[str]:
        """Titles of the support pages ``texts`` need, transitively, not yet imported."""
        wanted: list[str] = [key for key in self._messages if key not in self._imported]
        seen = set(wanted) | self._imported
        queue = [title for text in texts for title in referenced_titles(text, self.namespaces)]
        while queue:
            title = queue.pop()
            if title in seen or title not in self._pages:
                continue
            seen.add(title)
            wanted.append(title)
            text = self._pages[title].text or ""
            queue.extend(referenced_titles(text, self.namespaces))
        return wanted

    def ensure(self, wiki: _Importer, texts: Iterable[str]) -> int:
        """Import into ``wiki`` the support pages ``texts`` need; return how many were new."""
        wanted = self.needed(texts)
        if not wanted:
            return 0
        with tempfile.TemporaryDirectory(prefix="wikitools-support-") as scratch:
            target = Path(scratch) / "support.xml"
            with open_writer(target, SiteInfo()) as writer:
                for title in wanted:
                    writer.write_page(self._pages[title])
            wiki.import_dump(target)
        self._imported.update(wanted)
        return len(wanted)
