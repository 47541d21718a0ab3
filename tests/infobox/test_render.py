"""Rendering schemas offline: classic needs only core + ParserFunctions; portable is XML;
TemplateData describes every parameter. (The real-wiki render test is test_render_mediawiki.)"""

from __future__ import annotations

import json

import pytest
from lxml import etree

from wikitools.infobox import default_registry, parse_schema, render_template
from wikitools.infobox.magic import is_builtin
from wikitools.parsing import brackets
from wikitools.parsing.regions import IgnoredRegions

SCHEMAS = default_registry().names()


def _called(text: str) -> set[str]:
    scan = brackets.scan_brackets(text, IgnoredRegions.of(text))
    names = set()
    for pair in scan.pairs:
        if pair.kind == brackets.TEMPLATE:
            inner = text[pair.open_end : pair.close_start]
            names.add(inner.split("|", 1)[0].split(":", 1)[0] + (":" if ":" in inner else ""))
    assert not scan.unclosed and not scan.stray
    return names


@pytest.mark.parametrize("name", SCHEMAS)
def test_classic_calls_only_builtins(name: str) -> None:
    text = render_template(default_registry().get(name), "classic")
    called = _called(text)
    assert all(is_builtin(c) for c in called), called
    assert called <= {"#if:", "#ifexist:", "PAGENAME", "!"}
    assert "#invoke" not in text and "<script" not in text.casefold()
    assert "\n\n" not in text, "blank lines would become empty paragraphs"


def test_classic_rows_and_expressions() -> None:
    schema = parse_schema(
        {
            "name": "demo",
            "template": "Demo",
            "sections": [
                {
                    "id": "top",
                    "params": [
                        {"name": "name", "display": "title", "default": "{{PAGENAME}}"},
                        {"name": "order", "display": "header", "join": ["office"]},
                        {"name": "office", "display": "none"},
                        {"name": "a", "label": "A|b {c}", "join": ["b"], "separator": " – "},
                        {"name": "b", "display": "none"},
                    ],
                },
                {
                    "id": "rows",
                    "header": "More",
                    "numbered": {"max": 2},
                    "params": [
                        {"name": "label", "display": "none"},
                        {"name": "data", "label_from": "label"},
                    ],
                },
            ],
        },
        "demo.toml",
    )
    text = render_template(schema, "classic")
    assert "{{#if:{{{name|}}}|{{{name}}}|{{PAGENAME}}}}" in text
    assert "{{{order|}}}{{#if:{{{office|}}}|{{#if:{{{order|}}}|&#32;}}{{{office}}}}}" in text
    assert "A&#124;b &#123;c&#125;" in text
    assert "{{#if:{{{b|}}}|{{#if:{{{a|}}}|&#32;–&#32;}}{{{b}}}}}" in text
    assert '{{#if:{{{data1|}}}{{{data2|}}}|<tr><th colspan="2"' in text
    assert '{{#if:{{{label2|}}}|<th scope="row"' in text


@pytest.mark.parametrize("name", SCHEMAS)
def test_portable_is_xml_with_every_shown_parameter(name: str) -> None:
    schema = default_registry().get(name)
    text = render_template(schema, "portable")
    root = etree.fromstring(text.split("<noinclude>")[0].encode("utf-8"))
    assert root.tag == "infobox"
    sources = {e.get("source") for e in root.iter() if e.get("source")}
    for section, param in schema.iter_params():
        for index in section.indexes():
            if param.display != "none" and param.name not in section.consumed:
                assert section.name_for(param.name, index) in sources


@pytest.mark.parametrize("name", SCHEMAS)
def test_templatedata_describes_parameters(name: str) -> None:
    schema = default_registry().get(name)
    data = json.loads(render_template(schema, "templatedata"))
    assert data["description"] == schema.description
    assert data["format"] == "block"
    assert data["paramOrder"] == list(data["params"])
    for section, param in schema.iter_params():
        first = section.name_for(param.name, 1 if section.numbered else None)
        entry = data["params"][first]
        assert entry["type"] == param.type
        assert entry["label"].startswith(param.label)
    types = {p["type"] for p in data["params"].values()}
    assert types <= {
        "content",
        "line",
        "date",
        "url",
        "wiki-file-name",
        "boolean",
        "string",
        "number",
    }


def test_templatedata_lists_three_groups_and_aliases() -> None:
    data = json.loads(render_template(default_registry().get("officeholder"), "templatedata"))
    params = data["params"]
    assert {"office", "office2", "office3"} <= set(params) and "office4" not in params
    assert params["office2"]["label"] == "Office (Office 2)"
    assert params["term_start"]["aliases"][:1] == ["termstart"]
    assert "term_start1" in params["term_start"]["aliases"]
    assert "up to term_start16" in params["term_start"]["description"]
    assert [s["label"] for s in data["sets"][:2]] == ["Office 1", "Office 2"]
