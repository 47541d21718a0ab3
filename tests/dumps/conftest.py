"""Fixtures for dump tests: where the shared corpus is, and small dumps on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


def _corpus_candidates() -> list[Path]:
    env = os.environ.get("WIKITOOLS_CORPUS")
    found = [Path(env) / "enwiki-sample.xml.bz2"] if env else []
    here = Path(__file__).resolve()
    found += [parent / "shared" / "corpus" / "enwiki-sample.xml.bz2" for parent in here.parents]
    return found


@pytest.fixture(scope="session")
def corpus_dump() -> Path:
    """The enwiki sample from ../shared/corpus; skipped when absent (failing in CI)."""
    for candidate in _corpus_candidates():
        if candidate.is_file():
            return candidate
    message = "../shared/corpus/enwiki-sample.xml.bz2 is absent (see corpus README to fetch it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def utf16_dump() -> Path:
    """A two-page bgwiki export in UTF-16 LE with a BOM and CRLF line ends."""
    return DATA / "bgwiki-utf16.xml"
