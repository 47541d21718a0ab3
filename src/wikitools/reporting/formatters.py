"""Turning diagnostics into text, JSON and GitHub annotations."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wikitools.config import Config
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.fixloop import effective_applicability
from wikitools.parsing.lines import LineIndex

FORMATS = ("text", "json", "github")


@dataclass(frozen=True)
class Located:
    """A diagnostic with the path and 1-based positions a person or machine reads."""

    path: str
    diagnostic: Diagnostic
    line: int
    column: int
    end_line: int
    end_column: int
    applicability: str | None

    def as_dict(self, lines: LineIndex | None = None) -> dict[str, Any]:
        """The JSON form: positions 1-based, ends exclusive."""
        d = self.diagnostic
        record: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": d.code,
            "name": d.name,
            "message": d.message,
            "severity": d.severity.value,
            "fixable": d.fix is not None,
            "fix_applicability": self.applicability,
            "fix": None,
        }
        if d.fix is not None:
            edits = []
            for edit in d.fix.edits:
                item: dict[str, Any] = {
                    "start": edit.start,
                    "end": edit.end,
                    "replacement": edit.replacement,
                }
                if lines is not None:
                    item["line"], item["column"] = lines.position(edit.start)
                    item["end_line"], item["end_column"] = lines.position(edit.end)
                edits.append(item)
            record["fix"] = {"title": d.fix.title, "edits": edits}
        return record


def locate(
    path: str, lines: LineIndex, diagnostics: Iterable[Diagnostic], config: Config
) -> list[Located]:
    """Attach path and line:column positions to diagnostics of one text."""
    located = []
    for d in diagnostics:
        line, column = lines.position(d.start)
        end_line, end_column = lines.position(d.end)
        applicability = (
            effective_applicability(d.fix, d.code, config).value if d.fix is not None else None
        )
        located.append(Located(path, d, line, column, end_line, end_column, applicability))
    return located


def format_text(item: Located) -> str:
    """``path:line:col: CODE message`` plus a ``help:`` line naming the fix."""
    d = item.diagnostic
    text = f"{item.path}:{item.line}:{item.column}: {d.code} {d.message}"
    if d.fix is not None:
        note = "" if item.applicability == "safe" else f" ({item.applicability} fix)"
        text += f"\n  help: {d.fix.title}{note}"
    return text


def _escape_github(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(item: Located) -> str:
    """A GitHub Actions workflow command annotating the offending characters."""
    d = item.diagnostic
    level = {"error": "error", "warning": "warning"}.get(d.severity.value, "notice")
    props = (
        f"file={_escape_github(item.path, True)},line={item.line},col={item.column},"
        f"endLine={item.end_line},endColumn={item.end_column},"
        f"title={_escape_github(f'{d.code} {d.name}', True)}"
    )
    return f"::{level} {props}::{_escape_github(d.message)}"


def format_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON list of diagnostic records."""
    return json.dumps(list(records), ensure_ascii=False, indent=2)


_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def _split_lines(text: str) -> list[str]:
    """Lines ending at ``\\n`` (a ``\\r`` before it stays part of the line), as ``patch`` sees them.

    ``str.splitlines`` would also break at a lone ``\\r``, form feeds, U+2028 and other
    characters that ``patch`` treats as ordinary text, giving diffs that do not apply.
    """
    return _LINE.findall(text)


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file's change; line endings are kept as they are."""
    lines = difflib.unified_diff(
        _split_lines(before),
        _split_lines(after),
        fromfile=f"a/{path.lstrip('/')}",
        tofile=f"b/{path.lstrip('/')}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
