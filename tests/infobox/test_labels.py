"""Readable labels for parameters with no home: the name rules and TemplateData labels."""

from __future__ import annotations

import pytest

from wikitools.infobox import convert_infobox
from wikitools.infobox.labels import label_for, readable_label, templatedata_labels
from wikitools.site.memory import MemorySite


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("vice_president_date2", "Vice President (from)"),
        ("vice_president", "Vice President"),
        ("birth_place", "Place of birth"),
        ("death_place3", "Place of death"),
        ("term_start2", "Assumed office"),
        ("term_end", "Left office"),
        ("release_date", "Release date"),
        ("leader_name2", "Leader name"),
        ("secretary_of_state_end", "Secretary of State (until)"),
        ("population_estimate_year", "Population estimate (year)"),
        ("GDP_PPP_rank", "GDP PPP (rank)"),
        ("isbn_note", "ISBN (note)"),
        ("pop_density_km2", "Population density km²"),
        ("num_employees", "Number of employees"),
        ("us_senator", "U.S. senator"),
        ("twin_towns", "Twin towns"),
        ("other-names", "Other names"),
        # Written with capitals: identifiers (and their numbers) and labels stay as written.
        ("ICD10", "ICD10"),
        ("DiseasesDB", "DiseasesDB"),
        ("eMedicineSubj", "eMedicineSubj"),
        ("Lieutenant Governor", "Lieutenant Governor"),
        ("GDP_PPP", "GDP PPP"),
        ("eMedicine mult", "eMedicine mult"),
        ("Vice President date 2", "Vice President (from)"),
        ("Vice President 2", "Vice President"),
        ("President date", "President (from)"),
        ("State", "State"),
    ],
)
def test_readable_label(name: str, label: str) -> None:
    assert readable_label(name) == label


def test_labels_for_one_source_template() -> None:
    """{{Infobox U.S. Cabinet}} names offices by department; elsewhere 'state' is a state."""
    cabinet = "Infobox U.S. Cabinet"
    assert readable_label("State date", cabinet) == "Secretary of State (from)"
    assert readable_label("Treasury 3", cabinet) == "Secretary of the Treasury"
    assert readable_label("State", cabinet) == "Secretary of State"
    assert readable_label("Post date 2", cabinet) == "Postmaster General (from)"
    assert readable_label("state", "Infobox university") == "State"


def test_templatedata_labels_read_strings_languages_and_aliases() -> None:
    template = (
        '<noinclude><templatedata>{"params": {"vp": {"label": "Vice President"}, '
        '"vp_term": {"label": {"de": "Amtszeit", "en": "Term"}, "aliases": ["vpterm"]}, '
        '"x": {"description": "no label"}}}</templatedata></noinclude>'
    )
    doc = '<templatedata>{"params": {"vp": {"label": "Ignored, the template came first"}, '
    doc += '"sec": {"label": "Secretary"}}}</templatedata><templatedata>{broken</templatedata>'
    labels = templatedata_labels(template, doc, None)
    assert labels == {
        "vp": "Vice President",
        "vp_term": "Term",
        "vpterm": "Term",
        "sec": "Secretary",
    }
    assert templatedata_labels(template, language="de")["vp_term"] == "Amtszeit"
    assert label_for("vpterm", labels) == "Term"
    assert label_for("vp_date2", labels) == "Vp (from)"


def test_fallback_rows_use_the_rules_and_the_site_templatedata() -> None:
    call = "{{Infobox U.S. Cabinet|name=Washington Cabinet|vice_president=John Adams|"
    call += "vice_president_date2=1789–1797|cabinet_note=Founding}}"
    offline = convert_infobox(call).text
    assert "label1=Vice President|data1=John Adams" in offline
    assert "label2=Vice President (from)|data2=1789–1797" in offline
    assert "label3=Cabinet (note)|data3=Founding" in offline
    site = MemorySite(
        {
            "Template:Infobox U.S. Cabinet/doc": '<templatedata>{"params": {"cabinet_note": '
            '{"label": "Note on the cabinet"}}}</templatedata>',
        }
    )
    online = convert_infobox(call, site=site).text
    assert "label3=Note on the cabinet|data3=Founding" in online
    assert "label1=Vice President|data1=John Adams" in online


def test_an_unlisted_infobox_follows_its_redirect_on_the_site() -> None:
    """A wiki's own alias (a template redirect) converts onto the schema of its target."""
    call = "{{Infobox hometown|name=Springfield|population_total=114394}}"
    assert convert_infobox(call).conversions[0].schema == "generic"
    site = MemorySite(redirects={"Template:Infobox hometown": "Template:Infobox settlement"})
    result = convert_infobox(call, site=site)
    assert result.conversions[0].schema == "settlement"
    assert result.text == "{{Infobox settlement|name=Springfield|population_total=114394}}"
