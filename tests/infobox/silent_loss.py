"""Auditing a conversion for silent loss: every value of the source infobox is either in
the converted call or named by a finding.

A value is "in the converted call" when every word of its flattened form (the text the
converter keeps for it: nested formatting templates replaced by what they print) appears
in the converted call's text; image links are taken apart first, since their size, alt
text and caption move to parameters of their own. A value is "reported" when a finding
other than the summary (IB001/IB006) and kept-template notes (IB003) covers the
parameter: its subject is the parameter, or its span is the parameter's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Template

from wikitools.fixes.model import Edit, apply_edits
from wikitools.infobox import ConversionResult, InfoboxConversion, flatten_value
from wikitools.infobox.flatten import FlattenContext
from wikitools.infobox.images import parse_file_link
from wikitools.infobox.tables import read_table
from wikitools.parsing.tree import RoundTripError

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_WORD = re.compile(r"\w+")
_FILE_PREFIX = re.compile(r"^\s*(?:file|image)\s*:\s*", re.IGNORECASE)
_SUMMARY = {"IB001", "IB006", "IB003"}


@dataclass
class Audit:
    """Counts over infobox calls: values kept, values reported, values lost (with where)."""

    calls: int = 0
    values: int = 0
    kept: int = 0
    reported: int = 0
    lost: list[str] = field(default_factory=list)

    def add(self, other: Audit) -> None:
        """Add the counts of ``other``."""
        self.calls += other.calls
        self.values += other.values
        self.kept += other.kept
        self.reported += other.reported
        self.lost += other.lost


def _flat(value: str, date_style: str) -> str:
    try:
        return flatten_value(value, FlattenContext(date_style=date_style))  # type: ignore[arg-type]
    except RoundTripError:  # a value the parser cannot reproduce is kept as it is
        return value


def _words(value: str, date_style: str) -> list[str]:
    text = _flat(_COMMENT.sub("", value), date_style)
    link = parse_file_link(text)
    if link is not None:
        parts = [link.name, link.size or "", link.upright or "", link.alt or "", link.caption or ""]
        text = " ".join((*parts, *link.dropped))
    text = _FILE_PREFIX.sub("", text)
    return [w.casefold() for w in _WORD.findall(text)]


def _converted(text: str, conversion: InfoboxConversion) -> str:
    source = text[conversion.start : conversion.end]
    if conversion.fix is None:
        return source
    at = conversion.start
    edits = [Edit(e.start - at, e.end - at, e.replacement) for e in conversion.fix.edits]
    return apply_edits(source, edits)


def _source_values(node: Template | Tag, start: int) -> Iterator[tuple[str, str, int, int]]:
    """(name, value, start, end) of each non-empty value; tables give (label, value)."""
    if isinstance(node, Template):
        cursor = start + 2 + len(str(node.name))
        for i, param in enumerate(node.params):
            begin = cursor + 1
            cursor += 1 + len(str(param))
            name = str(param.name).strip() if param.showkey else str(i + 1)
            value = str(param.value)
            if _COMMENT.sub("", value).strip():
                yield _COMMENT.sub("", name).strip(), value, begin, cursor
        return
    for row in read_table(node):
        for value in (row.value, row.caption or ""):
            if _COMMENT.sub("", value).strip():
                yield row.label or row.kind, value, start, start + len(str(node))


def audit_conversion(result: ConversionResult, date_style: str = "mdy") -> Audit:
    """Audit every infobox of one converted page."""
    audit = Audit()
    for conversion in result.conversions:
        audit.calls += 1
        source = result.original[conversion.start : conversion.end]
        nodes = mwparserfromhell.parse(source).nodes
        if len(nodes) != 1 or not isinstance(nodes[0], (Template, Tag)):
            continue
        converted = _converted(result.original, conversion).casefold()
        findings = [d for d in conversion.diagnostics if d.code not in _SUMMARY]
        for name, value, start, end in _source_values(nodes[0], conversion.start):
            audit.values += 1
            words = _words(value, date_style)
            if all(w in converted for w in words):
                audit.kept += 1
            elif any(d.subject == name or (d.start, d.end) == (start, end) for d in findings):
                audit.reported += 1
            else:
                missing = [w for w in words if w not in converted]
                audit.lost.append(
                    f"{conversion.source} | {name} = {value.strip()[:80]!r}: {missing}"
                )
    return audit
