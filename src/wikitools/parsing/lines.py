"""Offsets to 1-based line:column pairs."""

from __future__ import annotations

import bisect
import re

_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps character offsets of a text to 1-based (line, column).

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
