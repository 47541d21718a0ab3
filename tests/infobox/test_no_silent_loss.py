"""Nothing dropped silently: over every infobox call (and infobox table) of the seven
corpora, each source parameter's value is in the converted call or named by a finding."""

from __future__ import annotations

import dataclasses

import pytest

from tests.corpus import CORPUS_FILES, corpus_file
from wikitools import iter_pages
from wikitools.fixes.model import Edit, Fix
from wikitools.infobox import convert_infobox

from .helpers import GOLDEN
from .silent_loss import Audit, audit_conversion

IMAGE_CALL = """{{Infobox person
| name  = Ada
| image = [[File:Ada.jpg|thumb|left|220px|upright=1.1|alt=Ada at her desk|Ada in 1840]]
| hobbies = chess
}}"""


def test_image_link_options_move_to_parameters_or_are_reported() -> None:
    result = convert_infobox(IMAGE_CALL)
    text = result.text
    assert "| image = Ada.jpg\n" in text
    assert "| image_size = 220px\n" in text and "| image_upright = 1.1\n" in text
    assert "| alt = Ada at her desk\n" in text and "| caption = Ada in 1840\n" in text
    [dropped] = [d for d in result.diagnostics if d.code == "IB009"]
    assert "'thumb'" in dropped.message and "'left'" in dropped.message
    assert dropped.subject == "image"
    audit = audit_conversion(result)
    assert (audit.values, audit.lost) == (3, [])
    assert not convert_infobox(text).changed


def test_a_value_already_set_is_reported_not_overwritten() -> None:
    text = "{{Infobox person|image=[[File:A.jpg|200px|alt=Old]]|alt=New|image_size=}}"
    result = convert_infobox(text)
    assert "alt=New" in result.text and "image_size=200px" in result.text
    [finding] = [d for d in result.diagnostics if d.code == "IB009"]
    assert "the alt 'Old' ('alt' is already 'New')" in finding.message


def test_the_audit_catches_a_dropped_value() -> None:
    """The auditor itself: a conversion that deletes a parameter without a word fails it."""
    text = "{{Infobox person|name=Ada|spouse=William King}}"
    result = convert_infobox(text)
    [conversion] = result.conversions
    at = text.index("|spouse")
    lossy = Fix.of("lossy", [Edit(at, at + len("|spouse=William King"), "")])
    broken = dataclasses.replace(result, conversions=(dataclasses.replace(conversion, fix=lossy),))
    audit = audit_conversion(broken)
    assert audit.values == 2 and len(audit.lost) == 1 and "spouse" in audit.lost[0]


def test_golden_cases_lose_nothing_silently() -> None:
    for case in sorted(p for p in GOLDEN.iterdir() if (p / "before.wiki").is_file()):
        result = convert_infobox((case / "before.wiki").read_text("utf-8"))
        audit = audit_conversion(result)
        assert audit.lost == [], case.name


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_infoboxes_lose_nothing_silently(name: str) -> None:
    audit = Audit()
    for page in iter_pages(corpus_file(name)):
        if not page.text or page.redirect or not page.is_wikitext:
            continue
        audit.add(audit_conversion(convert_infobox(page.text)))
    assert audit.lost == []
    assert audit.kept + audit.reported == audit.values
    if name in ("enwiki-sample.xml.bz2", "pokeclicker-miraheze-assembled-20221218.xml.bz2"):
        assert audit.calls > 40 and audit.values > 1000  # the corpora with infoboxes
