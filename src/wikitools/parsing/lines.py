"""Offsets to 1-based line:column pairs and back."""

from __future__ import annotations

import bisect
import re

_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps character offsets of a text to 1-based (line, column) and back.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``; columns count characters.
    """

    __slots__ = ("_length", "_starts")

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
        self._length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of ``offset`` (the end of text is a valid offset)."""
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based (line, column)."""
        if not 1 <= line <= len(self._starts):
            raise ValueError(f"line {line} is outside 1..{len(self._starts)}")
        return min(self._starts[line - 1] + column - 1, self._length)

    @property
    def line_count(self) -> int:
        """How many lines the text has."""
        return len(self._starts)
