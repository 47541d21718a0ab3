"""Data-driven rule cases (tests/rules/cases/*.toml) and the rule registry's meta checks."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from wikitools import Config, fix_text, lint_text
from wikitools.lint.rule import DOC_SECTIONS, FixAvailability, all_rules
from wikitools.parsing.tree import parse

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        for index, case in enumerate(tomllib.loads(path.read_text("utf-8"))["case"]):
            label = case.get("name", index)
            cases.append(pytest.param(case, id=f"{path.stem}-{label}-{case['rule']}"))
    return cases


@pytest.mark.parametrize("case", _cases())
def test_rule_case(case: dict[str, Any]) -> None:
    text: str = case["text"]
    config = Config(select=(case["rule"],), unsafe_fixes=case.get("unsafe", False))
    title = case.get("title")
    assert str(parse(text)) == text

    found = lint_text(text, config, title=title)
    positions = []
    for d in found:
        assert d.code == case["rule"]
        line, column = _position(text, d.start)
        positions.append([line, column])
    assert positions == case["expect"]

    result = fix_text(text, config, title=title)
    expected = case.get("fixed", text)
    assert result.text == expected
    if result.changed:
        again = fix_text(result.text, config, title=title)
        assert not again.changed, "a second fix pass changed the text"
        left = [d for d in lint_text(result.text, config, title=title) if d.fix is not None]
        assert not [d for d in left if d.fix and d.fix.applicability.value == "safe"]


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def test_every_rule_has_cases() -> None:
    covered = {
        case.values[0]["rule"]  # type: ignore[index]
        for case in _cases()
    }
    missing = {r.code for r in all_rules() if not r.needs_site} - covered
    assert not missing, f"rules without cases: {sorted(missing)}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_metadata(rule: Any) -> None:
    sections = rule.doc_sections()
    assert list(sections) == list(DOC_SECTIONS), f"{rule.code} docstring sections"
    assert all(sections[s].strip() for s in DOC_SECTIONS)
    assert rule.summary and not rule.summary.endswith(".")
    assert isinstance(rule.fix_availability, FixAvailability)


def test_codes_and_names_unique() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
