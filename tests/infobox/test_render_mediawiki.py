"""The quality bar on a real MediaWiki 1.39: converted articles plus the installed classic
templates render every non-empty field with its label and value text, with no red links
(other than article links an empty wiki can't have), no script errors and no visible braces.

The templates are installed under test-only names, so the shared session wiki stays usable
by other tests; the schemas are otherwise the shipped ones.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re

import mwparserfromhell
import pytest

from wikitools.infobox import (
    SchemaRegistry,
    convert_infobox,
    default_registry,
    render_template,
)
from wikitools.sandbox import SandboxWiki

from .helpers import GOLDEN
from .test_golden import CASES, _options
from .visibility import call_fields, check_fields, rendered_infobox, unexpected_red_links

PREFIX = "Wikitools render test "


@pytest.fixture(scope="module")
def test_registry(sandbox_wiki: SandboxWiki) -> SchemaRegistry:
    """The shipped schemas under test-only template names, installed with TemplateData."""
    copies = []
    for schema in default_registry():
        copy = dataclasses.replace(
            schema,
            template=PREFIX + schema.template,
            sources=(schema.template, *schema.sources),
        )
        data = render_template(copy, "templatedata")
        page = (
            render_template(copy, "classic")
            + f"<noinclude><templatedata>{data}</templatedata></noinclude>"
        )
        sandbox_wiki.edit(f"Template:{copy.template}", page)
        copies.append(copy)
    return SchemaRegistry(copies)


def _convert(name: str, registry: SchemaRegistry):  # type: ignore[no-untyped-def]
    case = GOLDEN / name
    options = _options(case)
    before = (case / "before.wiki").read_text("utf-8")
    target = registry.get(str(options["to"])) if "to" in options else None
    return convert_infobox(before, target, registry=registry)


def _kept_templates(result) -> set[str]:  # type: ignore[no-untyped-def]
    names = set()
    for d in result.diagnostics:
        if d.code == "IB003" and d.subject is not None:
            names.add(d.subject.strip().casefold())
    return names


@pytest.mark.parametrize("name", CASES)
def test_converted_infobox_renders_every_field(
    name: str, sandbox_wiki: SandboxWiki, test_registry: SchemaRegistry
) -> None:
    result = _convert(name, test_registry)
    kept = _kept_templates(result)
    calls = [
        t
        for t in mwparserfromhell.parse(result.text).filter_templates()
        if t.name.strip().startswith(PREFIX)
    ]
    assert calls, "the converted page calls a clean template"
    for call in calls:
        schema = test_registry.get(call.name.strip())
        parsed = sandbox_wiki.parse(str(call), title=f"Infobox render {name}")
        page_html = html.unescape(parsed["text"])
        shown = rendered_infobox(parsed["text"])
        hidden = {h for c in result.conversions for h in c.hidden}
        fields = [f for f in call_fields(str(call), schema.template) if f.name not in hidden]
        assert check_fields(schema, fields, shown) == []
        assert unexpected_red_links(shown.red_links, str(call), kept) == []
        for marker in ("{{", "}}", "{{{", "[[", "]]", "{|", "|}"):
            assert marker not in shown.text, f"visible {marker!r} in {shown.text!r}"
        assert "scribunto-error" not in page_html and 'class="error"' not in page_html
        assert "Pages_with_script_errors" not in {c["category"] for c in parsed["categories"]}
        used = {t["title"]: t["exists"] for t in parsed["templates"]}
        expected = {f"Template:{schema.template}"}
        others = {t for t in used if t not in expected}
        assert {t.split(":", 1)[1].casefold() for t in others} <= kept, others
        assert used[f"Template:{schema.template}"] is True


def test_seed_article_renders_cleanly(
    sandbox_wiki: SandboxWiki, test_registry: SchemaRegistry
) -> None:
    """The whole converted seed-like article: its infobox pulls in nothing but the template."""
    before = (GOLDEN / "seed_stalin" / "before.wiki").read_text("utf-8")
    result = convert_infobox(before, registry=test_registry)
    assert not [d for d in result.diagnostics if d.severity.value != "info"]
    parsed = sandbox_wiki.parse(result.text, title="Joseph Stalin render test")
    shown = rendered_infobox(parsed["text"])
    schema = test_registry.get("officeholder")
    fields = call_fields(result.text, schema.template)
    assert len(fields) == len(call_fields(before, "Infobox officeholder"))
    assert check_fields(schema, fields, shown) == []
    assert "Template:Ka icon" not in shown.text and "(in Georgian)" in shown.text
    assert ("Born", "18 December 1878Gori, Tiflis Governorate, Russian Empire") in shown.rows
    assert (
        "Died",
        "7 January 1942 (aged 63)Kremlin, Moscow, Russian SFSR Soviet Union",
    ) in shown.rows
    assert ("Spouse(s)", "Ekaterina Svanidze (1906–1907)Nadezhda Alliluyeva (1919–1932)") in (
        shown.rows
    )


def test_living_age_stays_current(sandbox_wiki: SandboxWiki, test_registry: SchemaRegistry) -> None:
    """{{birth date and age}} becomes a live {{#expr:}} that the wiki evaluates today."""
    result = convert_infobox(
        "{{Infobox person|name=Live Example|birth_date={{birth date and age|1950|1|1}}}}",
        registry=test_registry,
    )
    rendered = sandbox_wiki.render(result.text)
    shown = rendered_infobox(rendered)
    year = int(re.findall(r"\d{4}", sandbox_wiki.render("{{CURRENTYEAR}}"))[0])
    assert ("Born", f"January 1, 1950 (age {year - 1950})") in shown.rows


def test_templatedata_is_accepted_by_the_extension(
    sandbox_wiki: SandboxWiki, test_registry: SchemaRegistry
) -> None:
    """The TemplateData extension validated the JSON on save and serves the parameters."""
    schema = test_registry.get("officeholder")
    answer = sandbox_wiki.api(
        {"action": "templatedata", "titles": f"Template:{schema.template}", "format": "json"}
    )
    pages = list(answer["pages"].values())
    params = pages[0]["params"]
    assert params["birth_date"]["label"]["en"] == "Born"
    assert "restingplace" in params["resting_place"]["aliases"]
    assert "office2" in params and "office4" not in params
    assert json.loads(render_template(schema, "templatedata"))["format"] == "block"
