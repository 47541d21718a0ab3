"""Every infobox of the real Wikipedia sample converts exactly, stably and onto the right schema.

(The corpus lives in ../shared; from another checkout point ``WIKITOOLS_CORPUS`` at it.)
"""

from __future__ import annotations

import pytest

from tests.corpus import iter_corpus_pages
from wikitools.fixes.model import apply_edits
from wikitools.infobox import convert_infobox, default_registry
from wikitools.infobox.convert import _find, _Options, _scan
from wikitools.parsing.tree import parse

from .helpers import assert_outside_identical

pytestmark = pytest.mark.corpus

BIOGRAPHIES = {
    "Aristotle",
    "Ayn Rand",
    "Alain Connes",
    "Allan Dwan",
    "Aldous Huxley",
    "Andrei Tarkovsky",
    "Arthur Schopenhauer",
    "Albert Einstein",
}
OFFICEHOLDERS = {"Abraham Lincoln"}
#: Pages whose infobox goes onto one of the schemas added for coverage.
COVERED = {
    "country": {"Algeria", "Andorra", "Aruba", "Angola", "Afghanistan", "Albania", "Azerbaijan"},
    "book": {"Animalia (book)", "A Modest Proposal"},
    "film": {"Actrius"},
    "military_person": {"Albert Sidney Johnston"},
    "us_state": {"Alabama"},
    "organization": {"American National Standards Institute"},
    "award": {"Academy Awards"},
    "spaceflight": {"Apollo 11", "Apollo 8"},
}


def test_corpus_infoboxes_convert_exactly_and_stably() -> None:
    main_schema: dict[str, str] = {}
    tables = []
    for title, text in iter_corpus_pages():
        result = convert_infobox(text)
        assert not result.problems, title
        if not result.changed:
            continue
        main_schema[title] = result.conversions[0].schema
        tables += [title for c in result.conversions if c.source.startswith("{|")]
        assert apply_edits(text, result.edits) == result.text, title
        assert_outside_identical(text, result.text, result.edits)
        assert not convert_infobox(result.text).changed, title
    assert {t for t, s in main_schema.items() if s == "person"} == BIOGRAPHIES
    assert {t for t, s in main_schema.items() if s == "officeholder"} == OFFICEHOLDERS
    for schema, titles in COVERED.items():
        assert {t for t, s in main_schema.items() if s == schema} == titles, schema
    assert len([s for s in main_schema.values() if s == "generic"]) > 10
    assert tables == ["Azerbaijan"]


def test_bracket_scan_finds_what_a_full_parse_finds() -> None:
    """The fast path (scan, then parse only the infoboxes) agrees with parsing whole pages.

    Whole-page parses are slow, so this checks every fourth page with an infobox.
    """
    options = _Options(default_registry(), None, "mdy", True, True)
    pages = [(t, x) for t, x in iter_corpus_pages() if "infobox" in x.casefold()]
    checked = 0
    for title, text in pages[::4]:
        fast = _scan(text, options)
        assert fast is not None, title
        slow = _find(parse(text), options)
        assert [(s, e, x and x.name) for _, s, e, x in fast] == [
            (s, e, x and x.name) for _, s, e, x in slow
        ], title
        checked += 1
    assert checked >= 12
