"""Access to ../shared/corpus for tests: skipped with a reason locally, required in CI."""

from __future__ import annotations

import bz2
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

_NAME = Path("shared") / "corpus" / "enwiki-sample.xml.bz2"
_ROOT = Path(__file__).resolve().parents[1]
#: $WIKITOOLS_CORPUS, else ../shared/corpus next to the checkout or next to a parent
#: directory of it (a git worktree such as wt/NAME sees the same shared directory).
CORPUS = Path(
    os.environ.get("WIKITOOLS_CORPUS")
    or next(
        (parent / _NAME for parent in _ROOT.parents if (parent / _NAME).is_file()),
        _ROOT.parent / _NAME,
    )
)


def corpus_path() -> Path:
    """The corpus file; skips the test when absent, unless running in CI."""
    if CORPUS.is_file():
        return CORPUS
    if os.environ.get("CI") == "true":
        pytest.fail(f"corpus missing in CI: {CORPUS}")
    pytest.skip(f"corpus not available at {CORPUS} (see shared/corpus/README.md)")


#: The seven dumps of the corpus folder.
CORPUS_FILES = (
    "ahrensburg-docs.xml.bz2",
    "dantewiki-minimal-initial-contents.xml.bz2",
    "enwiki-sample.xml.bz2",
    "freecad-templates-ns10.xml.bz2",
    "pmq-wiki-20220119.xml.bz2",
    "pokeclicker-miraheze-assembled-20221218.xml.bz2",
    "sponsorblock_wiki_current_revisions.xml.bz2",
)


def corpus_file(name: str) -> Path:
    """A dump of the corpus folder; skipped locally when absent, a failure in CI."""
    path = corpus_path().parent / name
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpus file missing in CI: {path}")
        pytest.skip(f"corpus file not available: {path}")
    return path


def iter_corpus_pages() -> Iterator[tuple[str, str]]:
    """(title, wikitext) of every page in the corpus sample."""
    with bz2.open(corpus_path()) as handle:
        title = ""
        for _event, element in etree.iterparse(handle, events=("end",), resolve_entities=False):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "title":
                title = element.text or ""
            elif tag == "text":
                yield title, element.text or ""
            elif tag == "page":
                element.clear()
