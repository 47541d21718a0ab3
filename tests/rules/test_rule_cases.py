"""Rule cases: tests/rules/cases/<CODE>.toml, one file per rule code, named cases, one harness.

A file holds ``[[pass]]`` and ``[[fail]]`` cases for its code, and may give a ``[site]``
(``pages`` and ``redirects``: the wiki the cases run against; without it they run with no
site). Every case has a ``name`` and a ``text``, and may give:

- ``title``: the page's title (its namespace decides which rules apply);
- ``config``: settings merged over ``select = [CODE]`` (e.g. ``select = ["B1"]``);
- ``site = false``: run this case with no site although the file has one.

A pass text gets no diagnostic. A fail case lists ``flags``: ``[code, flagged text]`` pairs,
exactly the diagnostics found, in text order; a flagged text is found after the previous
flag of the same text, or give its occurrence as a third element (``["B101", "}}", 2]``:
the second ``}}`` of the text, overlaps counted). A fail case may also give ``message`` (a
part of the first diagnostic's message), ``unsafe`` (fix with ``--unsafe-fixes``) and
``fixed``: the text after fixing; without ``fixed``, fixing leaves the text as it is.
After a fix the text re-lints to exactly the diagnostics left, a second fix changes
nothing, no safe fix is left, and none is left at all unless ``clean = false``.
Every text round-trips through the parser.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from wikitools import fix_text, lint_text
from wikitools.config import config_from_mapping
from wikitools.fixes.model import Applicability
from wikitools.lint.codes import DOC_SECTIONS
from wikitools.lint.rule import FixAvailability
from wikitools.parsing.tree import parse
from wikitools.registry import code_registry
from wikitools.rules import ALL_RULES
from wikitools.site.memory import MemorySite

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "text", "title", "config", "site"}
FAIL_KEYS = CASE_KEYS | {"flags", "message", "unsafe", "fixed", "clean"}


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


FILES = {path.stem: load(path) for path in sorted(CASES.glob("*.toml"))}


def cases(kind: str) -> list[Any]:
    params = []
    for code, data in FILES.items():
        for case in data.get(kind, []):
            params.append(pytest.param(code, data.get("site"), case, id=f"{code}-{case['name']}"))
    return params


def site_for(spec: dict[str, Any] | None, case: dict[str, Any]) -> MemorySite | None:
    if spec is None or case.get("site", True) is False:
        return None
    return MemorySite(spec.get("pages", {}), redirects=spec.get("redirects", {}))


def settings(code: str, case: dict[str, Any]) -> Any:
    return config_from_mapping({"select": [code], **case.get("config", {})})


def occurrence(text: str, snippet: str, n: int) -> int:
    """Offset of the ``n``-th (1-based) occurrence of ``snippet``, overlaps counted."""
    at = -1
    for _ in range(n):
        at = text.index(snippet, at + 1)
    return at


def spans(text: str, flags: list[list[Any]]) -> list[tuple[str, int, int]]:
    """The (code, start, end) each flag names."""
    found = []
    cursor: dict[str, int] = {}
    for code, snippet, *nth in flags:
        if nth:
            start = occurrence(text, snippet, nth[0])
        else:
            start = text.index(snippet, cursor.get(snippet, 0))
        cursor[snippet] = start + 1
        found.append((code, start, start + len(snippet)))
    return sorted(found, key=lambda item: (item[1], item[2], item[0]))


@pytest.mark.parametrize(("code", "site_spec", "case"), cases("pass"))
def test_pass(code: str, site_spec: dict[str, Any] | None, case: dict[str, Any]) -> None:
    assert set(case) <= CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    text = case["text"]
    assert str(parse(text)) == text
    found = lint_text(text, settings(code, case), site_for(site_spec, case), case.get("title"))
    assert [(d.code, d.message) for d in found] == []


@pytest.mark.parametrize(("code", "site_spec", "case"), cases("fail"))
def test_fail(code: str, site_spec: dict[str, Any] | None, case: dict[str, Any]) -> None:
    assert set(case) <= FAIL_KEYS, f"unknown keys {set(case) - FAIL_KEYS}"
    text, title = case["text"], case.get("title")
    assert str(parse(text)) == text
    site = site_for(site_spec, case)
    config = settings(code, case)
    found = lint_text(text, config, site, title)
    assert [(d.code, d.start, d.end) for d in found] == spans(text, case["flags"])
    for diagnostic in found:
        assert diagnostic.message
        if diagnostic.fix is not None:
            assert diagnostic.fix.title
    if "message" in case:
        assert case["message"] in found[0].message
    unsafe = case.get("unsafe", False)
    result = fix_text(text, config, site, title, unsafe=unsafe)
    assert result.problems == ()
    assert result.text == case.get("fixed", text)
    if not result.changed:
        return
    assert str(parse(result.text)) == result.text
    assert lint_text(result.text, config, site, title) == list(result.remaining)
    again = fix_text(result.text, config, site, title, unsafe=unsafe)
    assert again.text == result.text, "a second fix pass changed the text"
    assert not [d for d in result.remaining if d.fix and d.fix.applicability is Applicability.SAFE]
    if case.get("clean", True):
        assert result.remaining == ()


def test_every_rule_has_a_case_file() -> None:
    assert set(FILES) == {rule.code for rule in ALL_RULES}, "one case file per rule code"
    for code, data in FILES.items():
        assert data.get("fail"), f"{code} has no fail case"
        names = [case["name"] for kind in ("pass", "fail") for case in data.get(kind, [])]
        assert len(names) == len(set(names)), f"{code}: case names repeat"


@pytest.mark.parametrize(("code", "site_spec", "case"), cases("fail"))
def test_fixes_have_the_declared_safety(
    code: str, site_spec: dict[str, Any] | None, case: dict[str, Any]
) -> None:
    """Every fix a case meets has an applicability its rule declares (``fix_safety``)."""
    found = lint_text(
        case["text"], settings(code, case), site_for(site_spec, case), case.get("title")
    )
    for diagnostic in found:
        if diagnostic.fix is not None:
            declared = code_registry().find(diagnostic.code).fix_safety
            assert diagnostic.fix.applicability in declared, diagnostic.code


def test_every_declared_fix_safety_is_met() -> None:
    """The other way round: each declared applicability shows up in some case."""
    seen: dict[str, set[Applicability]] = {}
    for kind in ("fail",):
        for param in cases(kind):
            code, site_spec, case = param.values
            found = lint_text(
                case["text"], settings(code, case), site_for(site_spec, case), case.get("title")
            )
            for d in found:
                if d.fix is not None:
                    seen.setdefault(d.code, set()).add(d.fix.applicability)
    for rule in ALL_RULES:
        assert set(rule.fix_safety) == seen.get(rule.code, set()), rule.code


@pytest.mark.parametrize("info", list(code_registry()), ids=lambda info: info.code)
def test_code_documentation(info: Any) -> None:
    """Every code, rule or not, has the documentation sections and a summary line."""
    sections = info.sections()
    assert list(sections) == list(DOC_SECTIONS), f"{info.code} documentation sections"
    assert all(sections[s].strip() for s in DOC_SECTIONS)
    assert info.summary and not info.summary.endswith(".")
    assert info.origin in ("rule", "engine", "infobox")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: Any) -> None:
    assert isinstance(rule.fix_availability, FixAvailability)
    assert (rule.fix_availability is FixAvailability.NEVER) == (not rule.fix_safety)
    assert rule.info() == code_registry().find(rule.code)


def test_rules_are_listed_in_code_order_and_unique() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert codes == sorted(set(codes))
    assert len({rule.name for rule in ALL_RULES}) == len(ALL_RULES)
