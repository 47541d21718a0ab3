"""Golden before/after folders: tests/infobox/golden/<case>/before.wiki → after.wiki.

``findings.txt`` holds the expected findings (code, line:column, message). Set
``WIKITOOLS_UPDATE_GOLDEN=1`` to rewrite after.wiki and findings.txt from the current code,
then review the diff.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from wikitools.infobox import convert_infobox
from wikitools.parsing.lines import LineIndex

from .helpers import GOLDEN, assert_outside_identical

CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "before.wiki").is_file())
UPDATE = os.environ.get("WIKITOOLS_UPDATE_GOLDEN") == "1"


def _options(case: Path) -> dict[str, object]:
    path = case / "options.toml"
    return tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}


def _convert(case: Path, text: str):  # type: ignore[no-untyped-def]
    options = _options(case)
    return convert_infobox(
        text,
        options.get("to"),  # type: ignore[arg-type]
        date_style=options.get("date_format", "mdy"),  # type: ignore[arg-type]
        fallback=bool(options.get("fallback", True)),
        tables=bool(options.get("tables", True)),
    )


def _findings(text: str, result) -> str:  # type: ignore[no-untyped-def]
    lines = LineIndex(text)
    rows = []
    for d in result.diagnostics:
        line, column = lines.position(d.start)
        rows.append(f"{line}:{column} {d.code} {d.severity.value}: {d.message}")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    case = GOLDEN / name
    before = (case / "before.wiki").read_text("utf-8")
    result = _convert(case, before)
    findings = _findings(before, result)
    if UPDATE:
        (case / "after.wiki").write_text(result.text, "utf-8")
        (case / "findings.txt").write_text(findings, "utf-8")
    assert result.text == (case / "after.wiki").read_text("utf-8")
    assert findings == (case / "findings.txt").read_text("utf-8")
    assert result.changed, "every golden case converts something"
    assert_outside_identical(before, result.text, result.edits)


@pytest.mark.parametrize("name", CASES)
def test_golden_is_idempotent(name: str) -> None:
    case = GOLDEN / name
    after = (case / "after.wiki").read_text("utf-8")
    again = _convert(case, after)
    assert again.text == after
    assert not again.fixes
