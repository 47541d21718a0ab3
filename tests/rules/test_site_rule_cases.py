"""Data-driven cases for the site-aware rules (T, M): tests/rules/site_cases/<CODE>.toml.

Each file has a ``[site]`` (``pages`` and ``redirects``) and ``[[pass]]``/``[[fail]]``
cases. A fail case lists ``flags`` as ``[code, exact flagged text]`` pairs and may give
``fixed`` (the result of fixing with only that rule selected), ``unsafe`` and ``config``.
The test asserts: pass texts are clean; fail texts are flagged exactly there; the fix
gives exactly ``fixed``; the fixed text re-lints clean; everything round-trips.
"""

import tomllib
from pathlib import Path
from typing import Any

import pytest

from wikitools import fix_text, lint_text
from wikitools.config import config_from_mapping
from wikitools.parsing.tree import parse
from wikitools.site.memory import MemorySite

CASES = Path(__file__).parent / "site_cases"


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def cases(kind: str) -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.toml")):
        data = load(path)
        for index, case in enumerate(data.get(kind, [])):
            label = case.get("name", str(index))
            params.append(
                pytest.param(path.stem, data.get("site", {}), case, id=f"{path.stem}-{label}")
            )
    return params


def make_site(spec: dict[str, Any]) -> MemorySite:
    return MemorySite(spec.get("pages", {}), redirects=spec.get("redirects", {}))


def settings(code: str, case: dict[str, Any]) -> Any:
    data = {"select": [code], **case.get("config", {})}
    return config_from_mapping(data)


def spans(text: str, flags: list[list[str]]) -> list[tuple[str, int, int]]:
    found = []
    cursor: dict[str, int] = {}
    for code, snippet in flags:
        start = text.index(snippet, cursor.get(snippet, 0))
        cursor[snippet] = start + 1
        found.append((code, start, start + len(snippet)))
    return sorted(found, key=lambda item: (item[1], item[2], item[0]))


@pytest.mark.parametrize(("code", "site_spec", "case"), cases("pass"))
def test_pass(code: str, site_spec: dict[str, Any], case: dict[str, Any]) -> None:
    text = case["text"]
    assert str(parse(text)) == text
    found = lint_text(text, settings(code, case), make_site(site_spec))
    assert [(d.code, d.message) for d in found] == []


@pytest.mark.parametrize(("code", "site_spec", "case"), cases("fail"))
def test_fail(code: str, site_spec: dict[str, Any], case: dict[str, Any]) -> None:
    text = case["text"]
    site = make_site(site_spec)
    config = settings(code, case)
    found = lint_text(text, config, site)
    assert [(d.code, d.start, d.end) for d in found] == spans(text, case["flags"])
    for diagnostic in found:
        assert diagnostic.message
        if diagnostic.fix is not None:
            assert diagnostic.fix.title
    if "message" in case:
        assert case["message"] in found[0].message
    if "fixed" in case:
        result = fix_text(text, config, site, unsafe=case.get("unsafe", False))
        assert result.problems == ()
        assert result.text == case["fixed"]
        assert str(parse(result.text)) == result.text
        assert lint_text(result.text, config, site) == list(result.remaining)
        again = fix_text(result.text, config, site, unsafe=case.get("unsafe", False))
        assert again.text == result.text
        if case.get("clean", True):
            assert result.remaining == ()
    else:
        assert all(d.fix is None for d in found) or case.get("unchanged_without_unsafe")


def test_conversion_adds_no_default_list_and_r103_adds_one_when_asked() -> None:
    """Cite lists default-group refs by itself, so neither the conversion nor R103 (by
    default) adds a list; R103 selected by its code with unsafe fixes adds exactly one."""
    site = MemorySite(
        {
            "Template:Sfn": "{{#invoke:Footnotes|sfn}}",
            "Module:Footnotes": "x = require('Module:Gone')",
        }
    )
    text = "A.<ref>x</ref> B.{{sfn|Service|2004}}\n\n[[Category:X]]\n"
    result = fix_text(text, site=site)
    assert result.problems == ()
    assert "<references" not in result.text
    assert {d.code for d in result.applied} == {"M102"}
    asked = fix_text(text, config_from_mapping({"select": ["ALL", "R103"]}), site, unsafe=True)
    assert asked.text.count("<references />") == 1
    assert asked.text.count("== References ==") == 1
    assert {d.code for d in asked.applied} == {"M102", "R103"}
