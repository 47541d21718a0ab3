"""Injected breaks in real pages from every corpus: one closer removed, repaired by the
unsafe fixes, judged by what the real MediaWiki renders (see tests/rules/injection.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.corpus import corpus_path
from tests.rules.injection import Trial, corpus_files, judge_on, run_trials, summary
from wikitools import Config, fix_text, lint_text
from wikitools.sandbox import SandboxWiki

pytestmark = [pytest.mark.corpus, pytest.mark.mediawiki]

#: A fixed, seeded sample: pages per corpus and closer kind.
PAGES = 16
SEED = 9


@pytest.fixture(scope="module")
def verdicts(sandbox_wiki: SandboxWiki) -> list[tuple[Trial, str]]:
    corpus_path()  # skips (or fails in CI) without the corpus
    assert len(corpus_files()) >= 7
    trials = run_trials(PAGES, SEED)
    results = judge_on(sandbox_wiki, trials)
    print(summary(results))
    return results


@pytest.mark.parametrize("closer", ["}}", "]]"])
def test_injected_breaks_are_repaired_or_left_alone(
    verdicts: list[tuple[Trial, str]], closer: str
) -> None:
    counts = Counter(v for t, v in verdicts if t.kind == closer)
    total = sum(counts.values())
    assert total >= 3 * PAGES, counts  # some corpora have few content pages with calls
    wrong = [(t.corpus, t.title) for t, v in verdicts if v == "wrong" and t.kind == closer]
    # A closer in the wrong place changes what readers see: at most one in fifty.
    assert len(wrong) * 50 <= total, wrong
    # Most breaks have a structure that shows where the closer goes.
    minimum = 0.6 if closer == "}}" else 0.35
    assert counts["repaired"] >= minimum * total, counts


def test_every_break_is_reported(verdicts: list[tuple[Trial, str]]) -> None:
    """Each injected break is found: B102/B104 (or B108) report the page as broken."""
    missed = [
        (t.corpus, t.title)
        for t, _ in verdicts
        if not {d.code for d in lint_text(t.broken, title=t.title)}
        & {"B102", "B104", "B108", "B101", "B103"}
    ]
    assert len(missed) * 20 <= len(verdicts), missed


UNCLOSED = "Gori is a city.<!-- check the population\n\n== History ==\nFounded in {{x|1123"


def test_unclosed_comment_hides_the_rest_as_reported(sandbox_wiki: SandboxWiki) -> None:
    html = sandbox_wiki.render(UNCLOSED)
    assert "Gori is a city." in html
    assert "History" not in html and "Founded" not in html
    found = [d for d in lint_text(UNCLOSED) if d.code == "B109"]
    assert [(d.start, d.end) for d in found] == [(15, 19)]
    assert "the end of the page" in found[0].message


def test_unclosed_comment_does_not_make_fixes_loop() -> None:
    """Closers are not placed inside the comment, where the next pass would not see them."""
    for text in (UNCLOSED, "{{Infobox\n| a = b\n<!-- note", "[[Foo <!-- x", "* {{a|b <!--"):
        result = fix_text(text, Config(unsafe_fixes=True))
        assert not [p for p in result.problems if p.code == "W002"], text
        assert not fix_text(result.text, Config(unsafe_fixes=True)).changed


def test_translation_units_are_fragments() -> None:
    """Translate cuts pages into units at <!--T:n--> markers: a comment opened in one unit
    is closed in a later one, so a unit (namespace 1198) is no page that hides text."""
    unit = "<!--  XP per minute:\nx = 2"
    assert [d.code for d in lint_text(unit)] == ["B109"]
    assert [d.code for d in lint_text(unit, namespace=1198)] == []
    assert [d.code for d in lint_text(unit, title="Translations:Sprayduck/7/fr")] == []


def test_unclosed_comment_in_a_ref_hides_only_the_rest_of_the_ref(
    sandbox_wiki: SandboxWiki,
) -> None:
    text = "A.<ref>cited <!-- hiddenword</ref> after the ref\n\nNext paragraph."
    html = sandbox_wiki.render(text)
    assert "after the ref" in html and "Next paragraph." in html and "hiddenword" not in html
    found = [d for d in lint_text(text) if d.code == "B109"]
    assert len(found) == 1 and "the closing </ref>" in found[0].message


def test_unclosed_parameter_shows_as_text_so_its_closer_is_only_suggested(
    sandbox_wiki: SandboxWiki,
) -> None:
    text = "Born {{{birth_date|18 December 1878 in Gori."
    assert "{{{birth_date|18 December 1878 in Gori." in sandbox_wiki.render(text)
    found = [d for d in lint_text(text) if d.code == "B102"]
    assert len(found) == 1 and found[0].fix is not None
    assert found[0].fix.applicability.value == "display-only"
    assert not fix_text(text, Config(unsafe_fixes=True)).changed
