"""Regions of wikitext that are not wikitext: comments, <nowiki>, <pre>, code and math.

Rules skip whatever starts inside these regions. Finding them is a single regex pass,
so detection never needs a full parse.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

#: Extension and HTML tags whose content MediaWiki does not parse as wikitext.
OPAQUE_TAGS = (
    "nowiki",
    "pre",
    "syntaxhighlight",
    "source",
    "math",
    "chem",
    "ce",
    "score",
    "timeline",
    "graph",
    "templatedata",
    "hiero",
    "mapframe",
    "maplink",
)

_OPENERS = re.compile(
    r"<!--|<(" + "|".join(OPAQUE_TAGS) + r")(?=[\s/>])[^>]*?(/?)>",
    re.IGNORECASE,
)
_CLOSERS = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in OPAQUE_TAGS}
_COMMENT_END = "-->"


def find_ignored_regions(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) spans of comments and opaque tags (with the tags).

    An unclosed comment runs to the end of the text, as in MediaWiki; an unclosed
    opaque tag is treated as literal text and ignores nothing.
    """
    regions: list[tuple[int, int]] = []
    pos = 0
    length = len(text)
    while pos < length:
        match = _OPENERS.search(text, pos)
        if match is None:
            break
        start = match.start()
        if match.group(0) == "<!--":
            close = text.find(_COMMENT_END, match.end())
            end = length if close < 0 else close + len(_COMMENT_END)
        elif match.group(2):  # self-closing <nowiki/>
            end = match.end()
        else:
            tag = match.group(1).lower()
            closer = _CLOSERS[tag].search(text, match.end())
            if closer is None:
                pos = match.end()
                continue
            end = closer.end()
        regions.append((start, end))
        pos = end
    return regions


class IgnoredRegions:
    """Fast membership tests against a sorted list of ignored spans."""

    __slots__ = ("_ends", "_starts", "spans")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    @classmethod
    def of(cls, text: str) -> IgnoredRegions:
        """Find the ignored regions of ``text``."""
        return cls(find_ignored_regions(text))

    def contains(self, offset: int) -> bool:
        """True when ``offset`` lies inside an ignored region."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]

    def filter(self, matches: Iterator[re.Match[str]]) -> Iterator[re.Match[str]]:
        """Yield only the matches that start outside every ignored region."""
        if not self.spans:
            yield from matches
            return
        starts, ends = self._starts, self._ends
        i, count = 0, len(starts)
        for match in matches:
            pos = match.start()
            while i < count and ends[i] <= pos:
                i += 1
            if i < count and starts[i] <= pos:
                continue
            yield match
