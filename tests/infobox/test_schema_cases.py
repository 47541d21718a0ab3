"""The schema keys for Wikipedia-style rows: ``stacked``, ``variants``, ``derive``, ``upright``."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from wikitools.errors import SchemaError
from wikitools.infobox import parse_schema, render_template
from wikitools.infobox.schema import Case


def _schema(params: list[dict[str, Any]], numbered: bool = False) -> Any:
    section: dict[str, Any] = {"id": "s", "params": params}
    if numbered:
        section["numbered"] = {"max": 2, "first_unsuffixed": True}
    return parse_schema({"name": "demo", "template": "Demo", "sections": [section]}, "demo.toml")


TERM = {
    "name": "term_start",
    "label": "In office",
    "display": "stacked",
    "join": ["term_end"],
    "separator": " – ",
    "variants": [{"unless": ["term_end"], "label": "Assumed office"}],
}
OFFICE = {
    "name": "office",
    "display": "header",
    "derive": [
        {"when": ["office"], "text": "{office}"},
        {"when": ["state", "district"], "text": "From {state}'s {district} district"},
    ],
}


def test_cases_parse_and_consume_what_they_read() -> None:
    schema = _schema([TERM, {"name": "term_end"}, OFFICE, {"name": "state"}, {"name": "district"}])
    section = schema.sections[0]
    term, office = section.param("term_start"), section.param("office")
    assert term.variants == (Case((), ("term_end",), "Assumed office"),)
    assert office.derive[1].placeholders == ("state", "district")
    assert {"term_end", "state", "district"} <= section.consumed
    assert office.derive[1].holds(lambda n: n in {"state", "district"})
    assert not office.derive[1].holds(lambda n: n == "state")


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ({"name": "a", "derive": [{"text": "x"}]}, "needs 'when' or 'unless'"),
        ({"name": "a", "derive": [{"when": ["b"], "text": "{{b}}"}]}, "templates"),
        ({"name": "a", "derive": [{"when": ["zz"], "text": "x"}]}, "'zz' is not a parameter"),
        ({"name": "a", "variants": [{"when": ["a"], "text": "x"}]}, "unknown key"),
        ({"name": "a", "upright": "b"}, "only images"),
        ({"name": "a", "display": "stack"}, "unknown display 'stack'"),
    ],
)
def test_bad_cases_are_refused_with_the_key(param: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        _schema([param, {"name": "b"}])


def test_classic_expressions() -> None:
    schema = _schema([TERM, {"name": "term_end"}, OFFICE, {"name": "state"}, {"name": "district"}])
    text = render_template(schema, "classic")
    assert "<b>{{#if:{{#if:{{{term_end|}}}||1}}|Assumed office|In office}}</b><br />" in text
    assert (
        "{{#if:{{{office|}}}|{{{office|}}}|{{#if:{{#if:{{{state|}}}|{{#if:{{{district|}}}|1}}}}"
        in text
    )
    assert "From {{{state|}}}'s {{{district|}}} district" in text


def test_portable_expressions_are_xml_and_keep_spaces() -> None:
    schema = _schema([TERM, {"name": "term_end"}, OFFICE, {"name": "state"}, {"name": "district"}])
    text = render_template(schema, "portable").split("<noinclude>")[0]
    root = etree.fromstring(text.encode("utf-8"))
    data = {e.get("source"): e for e in root.iter("data")}
    label = data["term_start"].find("label")
    assert label is not None and "Assumed office" in (label.text or "")
    fmt = data["term_start"].find("format")
    assert (
        fmt is not None and "\u00a0–\u00a0" in (fmt.text or "") and "&#32;" not in (fmt.text or "")
    )
    assert data["office"].find("default") is not None


def test_image_upright_is_used_without_a_size() -> None:
    schema = _schema(
        [
            {"name": "image", "display": "image", "size": "size", "upright": "upright"},
            {"name": "size", "display": "none"},
            {"name": "upright", "display": "none"},
        ]
    )
    text = render_template(schema, "classic")
    assert (
        "{{#if:{{{size|}}}|{{{size}}}|{{#if:{{{upright|}}}|frameless{{!}}upright={{{upright}}}|frameless}}}}"
        in text
    )
