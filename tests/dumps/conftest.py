"""Fixtures for dump tests: the shared corpus and small dumps on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.corpus import corpus_path

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def corpus_dump() -> Path:
    """The enwiki sample from ../shared/corpus; skipped when absent (failing in CI)."""
    return corpus_path()


@pytest.fixture(scope="session")
def utf16_dump() -> Path:
    """A two-page bgwiki export in UTF-16 LE with a BOM and CRLF line ends."""
    return DATA / "bgwiki-utf16.xml"
