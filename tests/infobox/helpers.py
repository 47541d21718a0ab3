"""Shared helpers of the infobox tests."""

from __future__ import annotations

from pathlib import Path

from wikitools.fixes.model import Edit

GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).resolve().parents[2]


def assert_outside_identical(before: str, after: str, edits: list[Edit]) -> None:
    """Every character outside the edited spans is unchanged, in order."""
    cursor_before = cursor_after = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        gap = before[cursor_before : edit.start]
        assert after[cursor_after : cursor_after + len(gap)] == gap
        cursor_after += len(gap) + len(edit.replacement)
        assert after[cursor_after - len(edit.replacement) : cursor_after] == edit.replacement
        cursor_before = edit.end
    assert after[cursor_after:] == before[cursor_before:]
