"""pytest fixtures for tests against real local MediaWiki wikis.

Load it from ``tests/conftest.py`` with ``pytest_plugins = ["wikitools.sandbox.pytest_plugin"]``.

- ``sandbox_wiki`` (session): one shared wiki; tests must not depend on it being empty.
- ``sandbox_bot`` (session): a bot password on ``sandbox_wiki``: ``.username``, ``.password``.
- ``make_wiki`` (function): a factory, ``make_wiki(sitename=...)``, for fresh wikis that are
  stopped and deleted after the test.
- ``wiki_pair`` (function): two fresh wikis, ``.source`` and ``.target``.
- ``portable_wiki`` (session): a wiki with Fandom's PortableInfobox and TemplateStyles (and
  css-sanitizer) loaded from the folder ``mediawiki_extensions_dir`` gives:
  ``$WIKITOOLS_MEDIAWIKI_EXTENSIONS`` by default (a project may override that fixture).
  Without the folder the tests skip with a message saying so, or fail under ``CI=true``.

Tests using them are marked ``mediawiki`` automatically. When MediaWiki is missing and cannot be
installed (not root, no apt) they are skipped with the command to run, except under ``CI=true``,
where they fail: CI must really run them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from wikitools.errors import MediaWikiMissingError
from wikitools.sandbox.install import MediaWikiInstall, ensure_mediawiki
from wikitools.sandbox.wiki import SandboxWiki

_FIXTURES = frozenset(
    {
        "sandbox_wiki",
        "sandbox_bot",
        "make_wiki",
        "wiki_pair",
        "mediawiki_install",
        "portable_wiki",
    }
)

#: Where ``mediawiki_extensions_dir`` looks by default.
EXTENSIONS_DIR_ENV = "WIKITOOLS_MEDIAWIKI_EXTENSIONS"
#: The folders ``portable_wiki`` loads from that directory (libraries first).
PORTABLE_EXTENSIONS: tuple[str, ...] = ("css-sanitizer", "TemplateStyles", "PortableInfobox")


class BotLogin(NamedTuple):
    """A bot password: ``username`` is ``Admin@APPID``."""

    username: str
    password: str


class WikiPair(NamedTuple):
    """A source wiki and a target wiki, running side by side."""

    source: SandboxWiki
    target: SandboxWiki


MakeWiki = Callable[..., SandboxWiki]


def in_ci() -> bool:
    """Whether we run in CI (``CI`` set to true), where missing prerequisites are failures."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a wiki fixture with ``pytest.mark.mediawiki``."""
    for item in items:
        if _FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.mediawiki)


@pytest.fixture(scope="session")
def mediawiki_install() -> MediaWikiInstall:
    """The local MediaWiki (installed first when root); skip, or fail in CI, when impossible."""
    try:
        return ensure_mediawiki()
    except MediaWikiMissingError as exc:
        if in_ci():
            pytest.fail(f"CI=true but MediaWiki is unavailable: {exc}", pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def sandbox_wiki(mediawiki_install: MediaWikiInstall) -> Iterator[SandboxWiki]:
    """One wiki shared by the whole test session (create pages with unique titles)."""
    wiki = SandboxWiki(mediawiki=mediawiki_install)
    wiki.start()
    try:
        yield wiki
    finally:
        wiki.stop()


@pytest.fixture(scope="session")
def sandbox_bot(sandbox_wiki: SandboxWiki) -> BotLogin:
    """A bot password for the admin of ``sandbox_wiki`` (``wikitools.sandbox.DEFAULT_GRANTS``)."""
    return BotLogin(*sandbox_wiki.create_bot_password("sessionbot"))


@pytest.fixture
def make_wiki(mediawiki_install: MediaWikiInstall) -> Iterator[MakeWiki]:
    """A factory for fresh running wikis; all are stopped and deleted after the test."""
    made: list[SandboxWiki] = []

    def factory(**kwargs: Any) -> SandboxWiki:
        kwargs.setdefault("mediawiki", mediawiki_install)
        wiki = SandboxWiki(**kwargs)
        made.append(wiki)
        return wiki.start()

    try:
        yield factory
    finally:
        for wiki in reversed(made):
            wiki.stop()


@pytest.fixture
def wiki_pair(make_wiki: MakeWiki) -> WikiPair:
    """Two fresh wikis: ``source`` ("Source Wiki") and ``target`` ("Target Wiki")."""
    return WikiPair(make_wiki(sitename="Source Wiki"), make_wiki(sitename="Target Wiki"))


@pytest.fixture(scope="session")
def mediawiki_extensions_dir() -> Path | None:
    """The folder holding extra extensions (``$WIKITOOLS_MEDIAWIKI_EXTENSIONS``), or None."""
    value = os.environ.get(EXTENSIONS_DIR_ENV, "").strip()
    return Path(value) if value else None


@pytest.fixture(scope="session")
def portable_wiki(
    mediawiki_install: MediaWikiInstall, mediawiki_extensions_dir: Path | None
) -> Iterator[SandboxWiki]:
    """One wiki with PortableInfobox and TemplateStyles loaded, shared by the session."""
    folder = mediawiki_extensions_dir
    missing = [
        name for name in PORTABLE_EXTENSIONS if folder is None or not (folder / name).is_dir()
    ]
    if missing:
        where = folder if folder is not None else f"${EXTENSIONS_DIR_ENV} (not set)"
        message = (
            f"extensions {', '.join(missing)} not found in {where}: portable_wiki needs "
            "PortableInfobox, TemplateStyles and css-sanitizer"
        )
        if in_ci():
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)
    assert folder is not None
    wiki = SandboxWiki(
        mediawiki=mediawiki_install,
        sitename="Portable Wiki",
        extensions=[folder / name for name in PORTABLE_EXTENSIONS],
    )
    wiki.start()
    try:
        yield wiki
    finally:
        wiki.stop()
