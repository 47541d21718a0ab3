"""Regions of wikitext that are not wikitext: comments, <nowiki>, <pre>, code and math.

Rules skip whatever starts inside these regions. Finding them is a single regex pass,
so detection never needs a full parse.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

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


class _Searches:
    """``pattern.search(text, pos, end)`` for one text and end, remembering each pattern's
    last answer: the leftmost match from ``pos`` is also the leftmost from any later
    position up to its start (and no match from ``pos`` means none later), so a page with
    many unclosed tags is not searched to its end once per tag. Valid for patterns without
    lookbehind or anchors (closing tags)."""

    __slots__ = ("_end", "_last", "_text")

    def __init__(self, text: str, end: int | None = None) -> None:
        self._text = text
        self._end = len(text) if end is None else end
        self._last: dict[re.Pattern[str], tuple[int, re.Match[str] | None]] = {}

    def search(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        last = self._last.get(pattern)
        if last is not None:
            start, found = last
            if start <= pos and (found is None or pos <= found.start()):
                return found
        found = pattern.search(self._text, pos, self._end)
        self._last[pattern] = (pos, found)
        return found


def find_ignored_regions(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) spans of comments and opaque tags (with the tags).

    An unclosed comment runs to the end of the text, as in MediaWiki; an unclosed
    opaque tag is treated as literal text and ignores nothing.
    """
    regions: list[tuple[int, int]] = []
    pos = 0
    length = len(text)
    closers = _Searches(text)
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
            closer = closers.search(_CLOSERS[tag], match.end())
            if closer is None:
                pos = match.end()
                continue
            end = closer.end()
        regions.append((start, end))
        pos = end
    return regions


class IgnoredRegions:
    """Fast membership tests against a sorted list of ignored spans."""

    __slots__ = ("_ends", "_reach", "_starts", "spans")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]
        self._reach: list[int] | None = None

    def first_around(self, offset: int, *, inclusive: bool = False) -> tuple[int, int] | None:
        """The first span (in list order) with ``start < offset < end``, or None.

        With ``inclusive``, a span starting at ``offset`` counts too (``start <= offset``).
        Spans need only be sorted by start: a running maximum of the ends finds the first
        one reaching past ``offset`` by bisection, whether or not the spans overlap.
        """
        if self._reach is None:
            reach: list[int] = []
            top = -1
            for end in self._ends:
                top = max(top, end)
                reach.append(top)
            self._reach = reach
        i = bisect.bisect_right(self._reach, offset)
        limit = (bisect.bisect_right if inclusive else bisect.bisect_left)(self._starts, offset)
        return self.spans[i] if i < limit else None

    @classmethod
    def of(cls, text: str) -> IgnoredRegions:
        """Find the ignored regions of ``text``."""
        return cls(find_ignored_regions(text))

    def contains(self, offset: int) -> bool:
        """True when ``offset`` lies inside an ignored region."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]

    def end_of(self, offset: int) -> int | None:
        """The end of the region holding ``offset``, or None when it lies in none."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self._ends[i]:
            return self._ends[i]
        return None

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


# --- Extension tags and the author's code -------------------------------------------------

#: Extension tags whose content is wikitext that the extension parses on its own (Cite's
#: ``<ref>``, ``<poem>``, ``<gallery>`` captions, ``<indicator>``...). Brackets inside such a
#: tag balance within it: the preprocessor sees the whole tag as one opaque node.
PARSED_TAGS = frozenset(
    {
        "ref",
        "references",
        "poem",
        "gallery",
        "indicator",
        "tabber",
        "tabs",
        "tab",
        "section",
        "choose",
        "option",
        "imagemap",
        "quiz",
    }
)

#: Known extension tags whose content is not wikitext (besides :data:`OPAQUE_TAGS`):
#: tags of Debian's MediaWiki 1.39 with Cite, Scribunto and ParserFunctions plus common
#: extensions (InputBox, CategoryTree, DynamicPageList, TemplateStyles, Translate...).
OTHER_EXTENSION_TAGS = frozenset(
    {
        "inputbox",
        "categorytree",
        "charinsert",
        "dynamicpagelist",
        "dpl",
        "templatestyles",
        "languages",
        "langconvert",
        "rss",
        "html",
        "css",
        "js",
        "embedvideo",
        "youtube",
        "googlemap",
        "mapframe",
        "maplink",
        "seo",
        "pagequality",
        "pages",
        "talkpage",
        "aggregate",
        "bibtex",
        "biblio",
        "sql",
        "php",
        "lua",
        "source",
        "graphviz",
        "mermaid",
        "uml",
        "smwdoc",
    }
)

#: Tags MediaWiki's sanitizer passes through as HTML (their content is ordinary wikitext),
#: plus the preprocessor's own ``<includeonly>``-family and Translate's markers. A paired
#: tag that is neither in this set nor a known extension tag is taken for an extension the
#: wiki has installed (``<amsmath>`` on DanteWiki): the author meant it, so its content is
#: left alone.
HTML_TAGS = frozenset(
    {
        "abbr", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center", "cite",
        "code", "data", "dd", "del", "dfn", "div", "dl", "dt", "em", "font", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "link", "mark", "meta", "ol",
        "p", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span", "strike",
        "strong", "sub", "sup", "table", "td", "th", "time", "tr", "tt", "u", "ul", "var",
        "wbr", "noinclude", "includeonly", "onlyinclude", "translate", "tvar",
        "img", "a",
    }
)  # fmt: skip

#: HTML tags whose content is code the author typed: brackets in it are meant.
CODE_TAGS = ("code", "tt", "kbd", "samp", "var")


@dataclass(frozen=True, slots=True)
class TagSpan:
    """One extension tag: ``text[open_start:content_start]`` is ``<tag …>``,
    ``text[content_start:content_end]`` its content and ``text[content_end:close_end]``
    the ``</tag>`` (empty for ``<tag/>``). ``parsed`` is True when the content is
    wikitext the extension parses on its own (``<ref>``, ``<poem>``, ``<gallery>``): the
    preprocessor treats the whole tag as one node, so no bracket opened outside can be
    closed inside or the other way round.
    """

    tag: str
    open_start: int
    content_start: int
    content_end: int
    close_end: int
    parsed: bool


_TAG_OPEN = re.compile(r"<!--|<([A-Za-z][\w:-]*)(?=[\s/>])[^<>]*?(/?)>")


def _is_extension(tag: str) -> bool:
    return (
        tag in PARSED_TAGS
        or tag in OPAQUE_TAGS
        or tag in OTHER_EXTENSION_TAGS
        or (tag not in HTML_TAGS and tag.isascii())
    )


def extension_tags(text: str, start: int = 0, end: int | None = None) -> list[TagSpan]:
    """Every extension tag of ``text[start:end]`` in text order, comments skipped.

    Like MediaWiki's preprocessor: a tag ends at the first ``</tag>`` after it (tags of
    one name do not nest); a tag without a closer is literal text. Tags nested inside a
    ``parsed`` tag's content follow it in the list. ``<nowiki>``, ``<pre>`` and the other
    tags of :data:`OPAQUE_TAGS` are opaque, as are unknown non-HTML tags that have a
    closer (``<amsmath>…</amsmath>``), taken for extensions the wiki has installed.
    """
    stop = len(text) if end is None else end
    spans: list[TagSpan] = []
    pos = start
    closers = _Searches(text, stop)
    while pos < stop:
        match = _TAG_OPEN.search(text, pos, stop)
        if match is None:
            break
        if match.group(0) == "<!--":
            close = text.find(_COMMENT_END, match.end(), stop)
            pos = stop if close < 0 else close + len(_COMMENT_END)
            continue
        tag = match.group(1).lower()
        if not _is_extension(tag):
            pos = match.end()
            continue
        parsed = tag in PARSED_TAGS
        if match.group(2):
            spans.append(TagSpan(tag, match.start(), match.end(), match.end(), match.end(), parsed))
            pos = match.end()
            continue
        closer = closers.search(_closer(tag), match.end())
        if closer is None:
            pos = match.end()
            continue
        spans.append(TagSpan(tag, match.start(), match.end(), closer.start(), closer.end(), parsed))
        if parsed and text.find("<", match.end(), closer.start()) >= 0:
            spans.extend(extension_tags(text, match.end(), closer.start()))
        pos = closer.end()
    return spans


_CLOSER_CACHE: dict[str, re.Pattern[str]] = {}


def _closer(tag: str) -> re.Pattern[str]:
    pattern = _CLOSER_CACHE.get(tag)
    if pattern is None:
        pattern = re.compile(rf"</{re.escape(tag)}\s*>", re.IGNORECASE)
        if len(_CLOSER_CACHE) < 512:
            _CLOSER_CACHE[tag] = pattern
    return pattern


def comment_spans(text: str, tags: list[TagSpan] | None = None) -> list[tuple[int, int]]:
    """(start, end) of every ``<!-- … -->`` outside opaque extension tags; unclosed ones
    run to the end. ``tags`` are the text's :func:`extension_tags`, when already known."""
    if "<!--" not in text:
        return []
    spans: list[tuple[int, int]] = []
    pos = 0
    for tag in extension_tags(text) if tags is None else tags:
        if tag.parsed:
            continue  # comments inside are found below, within the content
        spans.extend(_comments(text, pos, tag.open_start))
        pos = max(pos, tag.close_end)
    spans.extend(_comments(text, pos, len(text)))
    return sorted(spans)


def _comments(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    while True:
        open_at = text.find("<!--", pos, end)
        if open_at < 0:
            return
        close = text.find(_COMMENT_END, open_at + 4)
        stop = len(text) if close < 0 else close + len(_COMMENT_END)
        yield open_at, stop
        pos = stop


_CODE_OPEN = re.compile(r"<(" + "|".join(CODE_TAGS) + r")(?=[\s>])[^<>]*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(
    r"<(?:/?(?:table|h[1-6]|pre|tr|td|th|div|p|ul|ol|dl|li|blockquote)\b|/?center\b)",
    re.IGNORECASE,
)
_PRE_LINE = re.compile(r"^ [^\n]*\S[^\n]*$", re.MULTILINE)
_TABLE_MARKUP = re.compile(r"[ \t]*(?:[|!]|:*[ \t]*\{\|)")
_ONLY_CLOSERS = re.compile(r" +[}\]|]+[ \t]*")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Sorted (start, end) spans of the author's code: ``<code>``, ``<tt>``, ``<kbd>``,
    ``<samp>`` and ``<var>`` elements and space-indented preformatted lines.

    Braces, brackets and pipes there are what the author typed (a Lua table's ``}},``, a
    pattern's ``[^%]]``, a fold marker ``{{{``), not broken markup. An unclosed code tag
    runs to the next blank line, where MediaWiki's HTML balancing closes it. A line that
    starts with a space is preformatted (MediaWiki's ``<pre>`` rule) unless it is blank,
    holds table markup (``| cell`` inside a table; tables trim lines) or a block-level tag;
    a lone line holding only closers (`` }}``) is an indented closer, not code.
    """
    spans: list[tuple[int, int]] = []
    if "<" in text:
        closers = _Searches(text)
        for match in _CODE_OPEN.finditer(text):
            close = closers.search(_closer(match.group(1).lower()), match.end())
            blank = text.find("\n\n", match.end())
            stop = len(text) if blank < 0 else blank
            if close is not None and close.start() < stop:
                stop = close.end()
            spans.append((match.start(), stop))
    if "\n " in text or text.startswith(" "):
        for match in _PRE_LINE.finditer(text):
            line = match.group(0)
            if _TABLE_MARKUP.match(line) or _BLOCK_TAG.search(line):
                continue
            start, end = match.span()
            if _ONLY_CLOSERS.fullmatch(line) and not _next_to_pre(text, start, end):
                continue  # a lone " }}" is an indented closer, not a block of code
            spans.append((start, end))
    return merge_spans(spans)


def _next_to_pre(text: str, start: int, end: int) -> bool:
    """True when the line before ``start`` or after ``end`` is also preformatted."""
    if start > 0:
        before = text.rfind("\n", 0, start - 1) + 1
        if _is_pre_line(text, before, start - 1):
            return True
    if end < len(text):
        after = text.find("\n", end + 1)
        if _is_pre_line(text, end + 1, len(text) if after < 0 else after):
            return True
    return False


def _is_pre_line(text: str, start: int, end: int) -> bool:
    line = text[start:end]
    return bool(
        _PRE_LINE.fullmatch(line) and not _TABLE_MARKUP.match(line) and not _BLOCK_TAG.search(line)
    )


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge those that overlap."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
