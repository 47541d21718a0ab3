"""Edits and fixes: text changes expressed against the original string."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Applicability(enum.Enum):
    """How safe a fix is to apply without a human looking at it (after ruff)."""

    SAFE = "safe"
    """The rendered page keeps its content; applied by default."""
    UNSAFE = "unsafe"
    """Rendered content may change; applied only with ``--unsafe-fixes``."""
    DISPLAY_ONLY = "display-only"
    """Shown as a suggestion, never applied automatically."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` of the original text with ``replacement``."""

    start: int
    end: int
    replacement: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid edit span {self.start}..{self.end}")

    @classmethod
    def delete(cls, start: int, end: int) -> Edit:
        """An edit removing ``text[start:end]``."""
        return cls(start, end, "")

    @classmethod
    def insert(cls, at: int, text: str) -> Edit:
        """An edit inserting ``text`` before offset ``at``."""
        return cls(at, at, text)

    def overlaps(self, other: Edit) -> bool:
        """True when the two edits touch the same characters or insert different text at
        the same point (identical insertions at one point commute, so they do not clash)."""
        if self.start == self.end == other.start == other.end:
            return self.replacement != other.replacement
        if self.start == self.end or other.start == other.end:
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Fix:
    """A remedy for one diagnostic: one or more edits applied together, or not at all."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    @classmethod
    def of(
        cls, title: str, edits: Iterable[Edit], applicability: Applicability = Applicability.SAFE
    ) -> Fix:
        """Build a fix from any iterable of edits, sorted by position."""
        return cls(title, tuple(sorted(edits, key=lambda e: (e.start, e.end))), applicability)

    @property
    def start(self) -> int:
        """Offset of the first character the fix touches."""
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        """Offset just past the last character the fix touches."""
        return max(e.end for e in self.edits)

    def overlaps(self, other: Fix) -> bool:
        """True when any edit of this fix overlaps any edit of ``other``."""
        return any(a.overlaps(b) for a in self.edits for b in other.edits)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Splice non-overlapping ``edits`` into ``text`` in one pass.

    Raises ``ValueError`` if two edits overlap or an edit lies outside the text.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    parts: list[str] = []
    cursor = 0
    for edit in ordered:
        if edit.start < cursor or edit.end > len(text):
            raise ValueError(f"edit {edit.start}..{edit.end} overlaps another or leaves the text")
        parts.append(text[cursor : edit.start])
        parts.append(edit.replacement)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)
