"""The converter: exact edits, idempotence, aliases, numbered groups, unmapped parameters."""

from __future__ import annotations

import dataclasses

import mwparserfromhell
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wikitools.infobox.convert as convert_module
import wikitools.infobox.flatten as flatten_module
from wikitools.fixes.model import Applicability, apply_edits
from wikitools.infobox import convert_infobox, default_registry, parse_schema
from wikitools.parsing.tree import RoundTripError
from wikitools.site.inventory import InventorySite

from .helpers import REPO, assert_outside_identical

SEED = (REPO / "examples" / "joseph_stalin.wiki").read_text("utf-8")

INFOBOX = """{{Infobox politician
| name = Jane Example
| born = {{birth date|1950|6|15|df=y}}
| office = Mayor
| term_start = 2001
| predecessor1 = [[Joe]]
| office2 = Governor
| restingplace = Old Cemetery
| hobbies = chess
}}"""


def _params(text: str) -> dict[str, str]:
    call = mwparserfromhell.parse(text).filter_templates(recursive=False)[0]
    return {str(p.name).strip(): str(p.value).strip() for p in call.params}


def test_seed_conversion_edits_only_the_infobox() -> None:
    result = convert_infobox(SEED)
    assert result.changed
    [conversion] = result.conversions
    end = SEED.index("\n}}\n'''Joseph") + 3
    assert (conversion.start, conversion.end) == (0, end)
    assert all(conversion.start <= e.start <= e.end <= conversion.end for e in result.edits)
    assert result.text[len(result.text) - (len(SEED) - end) :] == SEED[end:]
    assert_outside_identical(SEED, result.text, result.edits)
    assert apply_edits(SEED, result.edits) == result.text
    assert conversion.renamed == (("restingplace", "resting_place"),)
    assert sorted(set(conversion.flattened)) == [
        "Ka icon",
        "birth date",
        "death date and age",
        "lang",
        "plainlist",
        "ubl",
    ]


def test_fix_objects_carry_the_edits() -> None:
    result = convert_infobox(SEED)
    [fix] = result.fixes
    assert fix.title == "Convert to the clean template {{Infobox officeholder}}"
    assert fix.applicability is Applicability.SAFE
    assert list(fix.edits) == sorted(fix.edits, key=lambda e: (e.start, e.end))
    [finding] = [d for d in result.diagnostics if d.code == "IB001"]
    assert finding.fix == fix
    assert (finding.start, finding.end) == (result.conversions[0].start, result.conversions[0].end)


def test_converting_twice_changes_nothing() -> None:
    once = convert_infobox(SEED)
    twice = convert_infobox(once.text)
    assert not twice.changed and not twice.fixes
    assert [c.schema for c in twice.conversions] == ["officeholder"]


def test_aliases_numbered_groups_and_extra_rows() -> None:
    result = convert_infobox(INFOBOX)
    params = _params(result.text)
    assert list(params) == [
        "name",
        "birth_date",
        "office",
        "term_start",
        "predecessor",
        "office2",
        "resting_place",
        "blank1",
        "data1",
    ]
    assert params["birth_date"] == "15 June 1950"
    assert params["blank1"] == "Hobbies" and params["data1"] == "chess"
    assert result.text.startswith("{{Infobox officeholder\n")
    [conversion] = result.conversions
    assert conversion.moved == ("hobbies",) and conversion.hidden == ()


def test_forced_schema_and_fallback() -> None:
    result = convert_infobox(INFOBOX, "generic")
    params = _params(result.text)
    assert params["title"] == "Jane Example"
    assert (params["label1"], params["data1"]) == ("Born", "15 June 1950")
    disease = "{{Infobox disease\n| Name = Autism\n| field = [[Psychiatry]]\n}}"
    converted = convert_infobox(disease)
    assert _params(converted.text) == {
        "title": "Autism",
        "label1": "Field",
        "data1": "[[Psychiatry]]",
    }
    assert not convert_infobox(disease, fallback=False).changed


def test_non_infobox_templates_and_nested_ones_are_left_alone() -> None:
    text = "{{Navbox|title=x}} {{cite web|title={{Infobox person|name=x}}}} [[A|{{Infobox x}}]]"
    result = convert_infobox(text)
    assert not result.changed and not result.conversions


def test_tables_can_be_left_alone() -> None:
    table = '{| class="infobox"\n! Born\n| 1900\n|}\n'
    assert convert_infobox(table).changed
    assert not convert_infobox(table, tables=False).changed
    assert not convert_infobox('{| class="wikitable"\n! Born\n| 1900\n|}\n').changed


def test_schema_without_extra_rows_keeps_and_reports() -> None:
    schema = parse_schema(
        {
            "name": "tiny",
            "template": "Infobox tiny",
            "sections": [
                {
                    "id": "top",
                    "params": [
                        {"name": "name", "display": "title"},
                        {"name": "born", "aliases": ["birth_date"]},
                    ],
                }
            ],
        },
        "tiny.toml",
    )
    text = "{{Infobox person|name=A|birth_date=1900|colour=blue|empty=}}"
    result = convert_infobox(text, schema)
    assert result.text == "{{Infobox tiny|name=A|born=1900|colour=blue|empty=}}"
    [conversion] = result.conversions
    assert conversion.hidden == ("colour",)
    [warning] = [d for d in result.diagnostics if d.code == "IB002"]
    assert warning.severity.value == "warning"
    assert text[warning.start : warning.end] == "colour=blue"
    assert "'colour' has no place in 'tiny'" in warning.message


def test_custom_rows_fill_gaps_after_existing_ones() -> None:
    text = "{{Infobox officeholder|name=A|blank1=X|data1=x|a=1|b=2}}"
    result = convert_infobox(text)
    assert result.text == (
        "{{Infobox officeholder|name=A|blank1=X|data1=x|blank2=A|data2=1|blank3=B|data3=2}}"
    )


def test_whitespace_and_alignment_are_kept() -> None:
    text = "{{Infobox person\n | restingplace  = X\n |born=1900\n}}"
    result = convert_infobox(text)
    assert result.text == "{{Infobox person\n | resting_place = X\n |birth_date=1900\n}}"


def test_image_values_and_sizes_are_normalized() -> None:
    text = (
        "{{Infobox person|image=[[File:A b.jpg|200px|Caption]]|image_size=180"
        "|signature=Image:S.svg}}"
    )
    params = _params(convert_infobox(text).text)
    assert params["image"] == "A b.jpg"
    assert params["image_size"] == "180px"
    assert params["signature"] == "S.svg"


def test_site_silences_templates_that_exist() -> None:
    text = "{{Infobox person|name=A|caption=x{{sfn|S|2000}}|spouse=y{{efn|n}}{{Sfn|T|2001}}}}"
    bare = convert_infobox(text)
    assert sorted(str(d.subject) for d in bare.diagnostics if d.code == "IB003") == [
        "Sfn",
        "efn",
        "sfn",
    ]
    site = InventorySite.from_text("Template:Sfn\n")
    result = convert_infobox(text, site=site)
    kept = [d.message for d in result.diagnostics if d.code == "IB003"]
    assert kept == ["{{efn}} in 'spouse' was kept: it may not exist on the target wiki"]


def test_unparseable_page_is_reported_not_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: the parser does not reproduce the page (it can drop text)."""

    def broken(text: str) -> None:
        raise RoundTripError("the wikitext parser does not reproduce this page exactly")

    monkeypatch.setattr(convert_module, "parse", broken)
    result = convert_infobox(INFOBOX)
    assert not result.changed
    [problem] = result.diagnostics
    assert problem.code == "IB007" and problem.severity.value == "error"
    assert (problem.start, problem.end) == (0, len(INFOBOX))


def test_unstable_conversion_keeps_the_original(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: a flattener that is not idempotent must never reach the page."""
    calls = iter(range(100))
    monkeypatch.setitem(
        flatten_module._HANDLERS, "small", lambda call, ctx: f"{{{{small|{next(calls)}}}}}"
    )
    text = "{{Infobox person|name=A|caption={{small|x}}}}"
    result = convert_infobox(text)
    assert result.text == text and not result.changed
    assert [d.code for d in result.problems] == ["IB008"]


_SAFE_CHARS = st.sampled_from([*"ab \n'[]{}|=<>!*#:-&;", "{{", "}}", "[[", "]]", "\n|}"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.lists(_SAFE_CHARS, max_size=12).map("".join),
    suffix=st.lists(_SAFE_CHARS, max_size=12).map("".join),
)
def test_text_around_an_infobox_is_never_touched(prefix: str, suffix: str) -> None:
    text = f"{prefix}\n{INFOBOX}\n{suffix}"
    result = convert_infobox(text)
    assert apply_edits(text, result.edits) == result.text
    assert_outside_identical(text, result.text, result.edits)
    for conversion in result.conversions:
        if conversion.fix is not None:
            assert all(
                conversion.start <= e.start and e.end <= conversion.end
                for e in conversion.fix.edits
            )
    assert not convert_infobox(result.text).changed


def test_a_schema_outside_the_registry_converts_stably() -> None:
    schema = dataclasses.replace(default_registry().get("person"), template="My person box")
    result = convert_infobox("{{Infobox writer|name=A|born=1900}}", schema)
    assert not result.problems
    assert result.text == "{{My person box|name=A|birth_date=1900}}"
    assert not convert_infobox(result.text, schema).changed
