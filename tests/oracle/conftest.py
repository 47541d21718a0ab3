"""Shared setup of the oracle tests: the seven corpora and a sandbox wiki per corpus.

Each corpus is read once per session. Its wiki is started only when a test first renders one
of its pages, and gets the corpus's templates, modules and messages those pages need
(:class:`wikitools.dumps.support.SupportSet`), so a render shows what the corpus's own wiki
would show.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.corpus import corpus_file
from wikitools.dumps import DumpReader, Page
from wikitools.dumps.process import lintable
from wikitools.dumps.support import RENDER_SETTINGS, SupportSet
from wikitools.sandbox import MediaWikiInstall, SandboxWiki
from wikitools.site import XmlExportSite
from wikitools.titles import Namespaces
from wikitools.verify import RenderOracle
from wikitools.verify.attribution import RuleFixer

#: Every dump of ../shared/corpus (see its README); all must be present in CI.


@dataclass
class Corpus:
    """One dump: its wikitext pages, namespaces, and the dump read as the site."""

    name: str
    path: Path
    pages: list[Page]
    namespaces: Namespaces
    site: XmlExportSite
    fixer: RuleFixer = field(init=False)

    def __post_init__(self) -> None:
        self.fixer = RuleFixer(site=self.site, namespaces=self.namespaces)

    @property
    def short(self) -> str:
        """The file name without the dump suffixes."""
        return self.name.split(".xml")[0]


@dataclass
class CorpusWiki:
    """A sandbox wiki for one corpus, with an oracle rendering through it."""

    wiki: SandboxWiki
    support: SupportSet
    oracle: RenderOracle

    def prepare(self, texts: Iterable[str]) -> RenderOracle:
        """Import what ``texts`` need and return the oracle."""
        self.support.ensure(self.wiki, texts)
        return self.oracle


class CorpusLab:
    """Corpora and their wikis, made on first use and kept for the session."""

    def __init__(self, mediawiki: MediaWikiInstall) -> None:
        self._mediawiki = mediawiki
        self._corpora: dict[str, Corpus] = {}
        self._wikis: dict[str, CorpusWiki] = {}

    def corpus(self, name: str) -> Corpus:
        """The corpus ``name`` (a file name of :data:`CORPUS_FILES`)."""
        if name not in self._corpora:
            path = corpus_file(name)
            with DumpReader(path) as reader:
                namespaces = reader.siteinfo.to_namespaces()
                pages = [page for page in reader if lintable(page)]
            site = XmlExportSite.from_file(path)
            self._corpora[name] = Corpus(name, path, pages, namespaces, site)
        return self._corpora[name]

    def wiki(self, name: str) -> CorpusWiki:
        """The running wiki of corpus ``name``."""
        if name not in self._wikis:
            wiki = SandboxWiki(mediawiki=self._mediawiki, extra_settings=RENDER_SETTINGS)
            wiki.start()
            support = SupportSet(self.corpus(name).path)
            self._wikis[name] = CorpusWiki(wiki, support, RenderOracle(wiki.render))
        return self._wikis[name]

    def close(self) -> None:
        """Stop every wiki."""
        for corpus_wiki in self._wikis.values():
            corpus_wiki.wiki.stop()
        self._wikis.clear()


@pytest.fixture(scope="session")
def corpus_lab(mediawiki_install: MediaWikiInstall) -> Iterator[CorpusLab]:
    """The session's corpora and corpus wikis."""
    lab = CorpusLab(mediawiki_install)
    try:
        yield lab
    finally:
        lab.close()
