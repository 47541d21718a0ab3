"""A sandbox wiki that renders a dump's pages as their own wiki would.

Pages render with the templates, modules and interface messages of the wiki they come from.
:func:`support_pages` picks those pages (namespaces Template, Module and MediaWiki) out of a
dump, current revision only, titled with the canonical English namespace names a stock
MediaWiki knows; :func:`import_support` writes them to an XML dump and imports it.
:data:`RENDER_SETTINGS` loads the bundled tag extensions readers' pages use
(``<syntaxhighlight>``, ``<poem>``) when MediaWiki has them; Math is left out on purpose, as it
would ask a remote service to render formulas.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from wikitools.dumps.model import MEDIAWIKI_NS, Page, SiteInfo
from wikitools.dumps.reader import DumpReader
from wikitools.dumps.writer import open_writer
from wikitools.site.titles import DEFAULT_NAMESPACES, MODULE, TEMPLATE

#: Namespaces whose pages shape how other pages render.
SUPPORT_NAMESPACES = frozenset({MEDIAWIKI_NS, TEMPLATE, MODULE})

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
