"""Shared test configuration: real local MediaWiki fixtures (see wikitools.sandbox)."""

import os
from pathlib import Path

import pytest

pytest_plugins = ["pytester", "wikitools.sandbox.pytest_plugin"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the after.wiki files of golden tests from the current output.",
    )


_EXTENSIONS = Path("shared") / "mediawiki-extensions"


@pytest.fixture(scope="session")
def mediawiki_extensions_dir() -> Path | None:
    """$WIKITOOLS_MEDIAWIKI_EXTENSIONS, else ../shared/mediawiki-extensions beside the checkout
    (or beside a parent of it, for git worktrees), as tests/corpus.py finds the corpus."""
    explicit = os.environ.get("WIKITOOLS_MEDIAWIKI_EXTENSIONS", "").strip()
    if explicit:
        return Path(explicit)
    root = Path(__file__).resolve().parents[1]
    return next((p / _EXTENSIONS for p in root.parents if (p / _EXTENSIONS).is_dir()), None)
