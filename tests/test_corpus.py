"""Every page of the real Wikipedia sample: lint and fix never crash, lose text or oscillate."""

from __future__ import annotations

import pytest

from tests.corpus import iter_corpus_pages
from wikitools import Config, fix_text, lint_text
from wikitools.fixes.model import apply_edits

pytestmark = pytest.mark.corpus


def test_corpus_pages_lint_and_fix_safely() -> None:
    pages = list(iter_corpus_pages())
    assert len(pages) == 206
    unsafe = Config(unsafe_fixes=True)
    for title, text in pages:
        lint_text(text, title=title)
        result = fix_text(text, unsafe, title=title)
        assert apply_edits(text, result.edits) == result.text, title
        if result.changed:
            assert not fix_text(result.text, unsafe, title=title).changed, title


def test_no_bracket_or_pasted_render_findings_on_real_articles() -> None:
    """The sample is Wikipedia as published, where every page renders cleanly: any
    bracket or pasted-render finding on it would be a false alarm."""
    false_alarms = [
        (title, d.code, d.message)
        for title, text in iter_corpus_pages()
        for d in lint_text(text, Config(select=("B", "A")), title=title)
    ]
    assert false_alarms == []
