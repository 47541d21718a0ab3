"""Balance of template braces, link brackets and table markup, with exact positions.

mwparserfromhell silently turns broken markup into text, so balance is checked here by
one regex pass that mirrors MediaWiki's preprocessor: runs of ``{`` open templates
(2) and parameters (3), ``[[`` opens links, and a closer matches the innermost open
construct. Where a closer of the other kind arrives (``[[a}}``), the construct in
between is reported as unclosed, since that is what the author most likely got wrong.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from wikitools.parsing.effects import TemplateEffects, call_name
from wikitools.parsing.regions import (
    IgnoredRegions,
    TagSpan,
    code_spans,
    comment_spans,
    extension_tags,
    merge_spans,
)

TEMPLATE = "template"
ARGUMENT = "argument"
LINK = "link"
TABLE = "table"

# Plain alternatives (no named groups): several times faster in CPython's regex engine.
_BRACKETS = re.compile(r"\{\{+|\}\}+|\[\[+|\]\]+")
# Bracket runs and, on pages with table markup, that markup after optional indentation:
# MediaWiki trims each line, and a table may start after description-list colons (":{|",
# "::{|"). A table closer is matched as its "|" (group ct) with the "}" looked ahead, so
# the braces of "|}}" are matched as a bracket run too. The table alternatives start with
# the newline (a leading ``(?:^|\n)`` would make the regex engine try every position);
# the first line is matched on its own.
_TOKENS = re.compile(_BRACKETS.pattern + r"|\n[ \t]*:*[ \t]*(?P<ot>\{\|)|\n[ \t]*(?P<ct>\|)(?=\})")
_TABLE_ON_FIRST_LINE = re.compile(r"[ \t]*:*[ \t]*(?P<ot>\{\|)|[ \t]*(?P<ct>\|)(?=\})")
#: An offset past the end of any text.
_NEVER = 1 << 62


def _tokens(text: str) -> Iterator[re.Match[str]]:
    """Bracket runs and line-initial table markup in text order, in one regex pass: a
    ``{|`` in group ``ot``, the ``|`` of a ``|}`` in group ``ct``. Each token's
    ``start()`` is where the match begins (before the indentation, for table markup)."""
    if "{|" not in text and "|}" not in text:
        return _BRACKETS.finditer(text)
    first = _TABLE_ON_FIRST_LINE.match(text)
    if first is None:
        return _TOKENS.finditer(text)
    return itertools.chain((first,), _TOKENS.finditer(text, first.end()))


class Pair(NamedTuple):
    """A matched opener ``text[open_start:open_end]`` and closer ``text[close_start:close_end]``.

    A named tuple rather than a frozen dataclass: a page has thousands, and a tuple is
    built several times faster.
    """

    kind: str
    open_start: int
    open_end: int
    close_start: int
    close_end: int


@dataclass(frozen=True, slots=True)
class Unclosed:
    """An opener with no closer; ``cut`` is where a closer of another kind showed it ended."""

    kind: str
    start: int
    end: int
    cut: int | None = None


@dataclass(frozen=True, slots=True)
class Stray:
    """A closer with nothing to close."""

    kind: str
    start: int
    end: int


@dataclass
class BracketScan:
    """Everything one pass over a page found about its brackets."""

    pairs: list[Pair] = field(default_factory=list)
    unclosed: list[Unclosed] = field(default_factory=list)
    stray: list[Stray] = field(default_factory=list)
    authored: list[Stray | Unclosed] = field(default_factory=list)
    """Stray and unclosed brackets in the author's code: meant, never reported."""
    code: list[tuple[int, int]] = field(default_factory=list)
    """Sorted spans of the author's code (code tags, preformatted lines, code templates);
    left empty on pages with nothing stray, unclosed or ``{{{…}}}``."""
    tags: list[TagSpan] = field(default_factory=list)
    """The page's extension tags (see :func:`~wikitools.parsing.regions.extension_tags`)."""
    tables_unknown: bool = False
    """A call that may open any number of tables (judged by name) was seen."""
    call_tables_open: int = 0
    """Tables opened by template calls and still open at the end."""
    _outer: list[tuple[int, int]] | None = None
    _tag_starts: list[int] = field(default_factory=list)
    _tag_parents: list[int] | None = None

    def scope_of(self, offset: int) -> TagSpan | None:
        """The innermost parsed extension tag (``<ref>``, ``<poem>``…) whose content holds
        ``offset``, or None on the page itself. A closer inserted for a bracket opened at
        ``offset`` must stay inside this tag's content (before ``content_end``)."""
        parents = self._nesting()
        last = bisect.bisect_right(self._tag_starts, offset) - 1
        if not parents and last >= 0:  # tags not nested cleanly: look at them all
            found = None
            for tag in self.tags[: last + 1]:
                if tag.parsed and tag.content_start <= offset < tag.content_end:
                    found = tag
            return found
        # The tags whose content holds the offset enclose the last tag opened before it:
        # the innermost is the first of its enclosing chain to hold the offset.
        while last >= 0:
            tag = self.tags[last]
            if tag.parsed and tag.content_start <= offset < tag.content_end:
                return tag
            last = parents[last]
        return None

    def tags_overlapping(self, start: int, end: int) -> list[TagSpan]:
        """The extension tags (in :attr:`tags` order) with ``close_end > start`` and
        ``open_start < end``: those opened in ``[start, end)`` and those around ``start``."""
        parents = self._nesting()
        if not parents:  # tags not nested cleanly (or none): look at them all
            return [t for t in self.tags if t.close_end > start and t.open_start < end]
        first = bisect.bisect_left(self._tag_starts, start)
        stop = max(first, bisect.bisect_left(self._tag_starts, end))
        around: list[TagSpan] = []
        index = first - 1  # the tags holding ``start`` enclose the last one opened before it
        while index >= 0:
            if self.tags[index].close_end > start:
                around.append(self.tags[index])
            index = parents[index]
        return around[::-1] + self.tags[first:stop]

    def _nesting(self) -> list[int]:
        if self._tag_parents is None:
            self._tag_starts = [tag.open_start for tag in self.tags]
            self._tag_parents = _nesting(self.tags)
        return self._tag_parents

    def in_code(self, offset: int) -> bool:
        """True when ``offset`` lies in the author's code."""
        i = bisect.bisect_right(self.code, (offset, 1 << 62)) - 1
        return i >= 0 and self.code[i][0] <= offset < self.code[i][1]

    def inside(self, offset: int, kinds: tuple[str, ...] = (TEMPLATE, ARGUMENT, LINK)) -> bool:
        """True when ``offset`` lies strictly inside a matched construct of ``kinds``."""
        if self._outer is None:
            outer: list[tuple[int, int]] = []
            for pair in self.pairs:  # sorted by open_start
                if pair.kind not in kinds:
                    continue
                if outer and pair.open_start < outer[-1][1]:
                    outer[-1] = (outer[-1][0], max(outer[-1][1], pair.close_end))
                else:
                    outer.append((pair.open_start, pair.close_end))
            self._outer = outer
        i = bisect.bisect_right(self._outer, (offset, len(self._outer) and 1 << 62)) - 1
        return i >= 0 and self._outer[i][0] < offset < self._outer[i][1]


def _nesting(tags: list[TagSpan]) -> list[int]:
    """The index of the tag enclosing each tag (-1 for none), for tags sorted by start that
    nest cleanly (each inside or after the ones before); [] when they do not."""
    parents: list[int] = []
    open_tags: list[int] = []
    previous = -1
    for index, tag in enumerate(tags):
        if tag.open_start < previous:
            return []
        previous = tag.open_start
        while open_tags and tags[open_tags[-1]].close_end <= tag.open_start:
            open_tags.pop()
        if open_tags and tag.close_end > tags[open_tags[-1]].close_end:
            return []  # it crosses the end of the tag it starts in
        parents.append(open_tags[-1] if open_tags else -1)
        open_tags.append(index)
    return parents


@dataclass(slots=True)
class _Open:
    char: str  # "{" or "["
    start: int  # offset of the first character of the run
    count: int  # characters of the run still open


def _kind(char: str, count: int) -> str:
    if char == "[":
        return LINK
    return ARGUMENT if count == 3 else TEMPLATE


def scan_brackets(text: str, ignored: IgnoredRegions) -> BracketScan:
    """Match every ``{{``/``}}``, ``{{{``/``}}}``, ``[[``/``]]`` and ``{|``/``|}`` in ``text``.

    One scope, no template effects: the plain matcher. Rules use :func:`scan_page`.
    """
    return _scan(text, ignored, [], None)


def scan_page(text: str, effects: TemplateEffects | None = None) -> BracketScan:
    """Scan a page the way MediaWiki's preprocessor sees it.

    Comments and opaque extension tags (``<nowiki>``, ``<pre>``, ``<math>``, unknown
    extension tags) are skipped; the content of each parsed extension tag (``<ref>``,
    ``<poem>``, ``<gallery>``…) is a scope of its own, so a bracket opened outside such a
    tag is never closed inside it, nor the other way round. ``effects`` says which calls
    open or close tables and which show code (names only when None). Stray closers and
    unclosed openers in the author's code (``<code>``, preformatted lines, code
    templates) are moved to :attr:`BracketScan.authored`.
    """
    effects = effects or TemplateEffects()
    tags = extension_tags(text) if "<" in text else []
    spans = comment_spans(text, tags) if "<!--" in text else []
    for tag in tags:
        if tag.parsed:
            spans.append((tag.open_start, tag.content_start))
            spans.append((tag.content_end, tag.close_end))
        else:
            spans.append((tag.open_start, tag.close_end))
    scan = _scan(text, IgnoredRegions(merge_spans(spans)), tags, effects)
    scan.tags = tags
    _set_aside_code(text, scan, effects)
    return scan


def _scan(
    text: str, ignored: IgnoredRegions, tags: list[TagSpan], effects: TemplateEffects | None
) -> BracketScan:
    scan = BracketScan()
    scopes = [(t.content_start, t.content_end) for t in tags if t.parsed]
    scopes.append((len(text) + 2, len(text) + 2))  # a sentinel
    scanner = _Scanner(scan, text, effects)
    open_scopes: list[tuple[int, _Scanner]] = [(len(text) + 1, scanner)]
    scope_end, next_scope, next_start = len(text) + 1, 0, scopes[0][0]
    table_close_end = -1
    spans = ignored.spans
    skip, (skip_start, skip_end) = 0, spans[0] if spans else (_NEVER, _NEVER)
    for match in _tokens(text):
        pos = match.start()
        if pos >= skip_start:  # tokens that start in an ignored region do not count
            while pos >= skip_end:
                skip += 1
                skip_start, skip_end = spans[skip] if skip < len(spans) else (_NEVER, _NEVER)
            if pos >= skip_start:
                continue
        group = match.lastgroup
        at = match.start(group) if group else pos
        if at >= scope_end or at >= next_start:
            while at >= open_scopes[-1][0]:
                open_scopes.pop()[1].finish()
            while scopes[next_scope][0] <= at:
                end_of_scope = scopes[next_scope][1]
                next_scope += 1
                if at < end_of_scope:
                    open_scopes.append((end_of_scope, _Scanner(scan, text, effects)))
            scope_end, scanner = open_scopes[-1]
            next_start = scopes[next_scope][0]
        if group == "ot":
            scanner.tables.append(at)
            continue
        if group == "ct":
            if text.startswith("}", at + 2) and any(piece.char == "{" for piece in scanner.stack):
                # "|}}" inside a template call: MediaWiki matches braces before tables, so
                # the braces close the call and the "|" only separates its parameters.
                continue
            scanner.close_table(at, at + 2)
            table_close_end = at + 2
            continue
        start, end = pos, match.end()
        if start < table_close_end:  # "|}}}": the table closer owns the first brace
            start = table_close_end
            if end - start < 2:
                continue
        char = text[start]
        if char in "{[":
            scanner.stack.append(_Open(char, start, end - start))
        else:
            scanner.close_run("{" if char == "}" else "[", start, end)
    while open_scopes:
        open_scopes.pop()[1].finish()
    scan.unclosed.sort(key=lambda u: u.start)
    scan.pairs.sort(key=lambda p: p.open_start)
    scan.stray.sort(key=lambda s: s.start)
    return scan


def _set_aside_code(text: str, scan: BracketScan, effects: TemplateEffects) -> None:
    """Move stray and unclosed brackets inside the author's code to ``scan.authored``.

    ``scan.code`` is only filled when it matters: for pages with stray or unclosed
    brackets or with ``{{{…}}}``."""
    if not scan.stray and not scan.unclosed and not any(p.kind == ARGUMENT for p in scan.pairs):
        return
    # A space-led line is preformatted only on the page itself: not in a template call's
    # arguments, and not in a <ref> or <poem> (their content is parsed without MediaWiki's
    # block pass; Poem keeps the spaces as spaces).
    spans = [
        span
        for span in code_spans(text)
        if not _is_pre(text, span) or (not scan.inside(span[0]) and scan.scope_of(span[0]) is None)
    ]
    for pair in scan.pairs:
        if pair.kind == TEMPLATE and pair.close_start > pair.open_end:
            first = _first_part(text, pair.open_end, pair.close_start)
            name = call_name(first)
            if (name is not None and effects.code_of(name)) or _CODE_TAG_CALL.match(first):
                spans.append((pair.open_end, pair.close_start))
    if not spans:
        return
    scan.code = merge_spans(spans)
    code = IgnoredRegions(scan.code)
    items: list[Stray | Unclosed] = [*scan.stray, *scan.unclosed]
    for item in items:
        if code.contains(item.start):
            scan.authored.append(item)
    if scan.authored:
        aside = {id(item) for item in scan.authored}
        scan.stray = [s for s in scan.stray if id(s) not in aside]
        scan.unclosed = [u for u in scan.unclosed if id(u) not in aside]


# {{#tag:syntaxhighlight|…}} and friends build a code tag from their argument.
_CODE_TAG_CALL = re.compile(
    r"\s*#tag\s*:\s*(?:syntaxhighlight|source|pre|code|tt|kbd|samp|nowiki)\s*$", re.IGNORECASE
)


def _is_pre(text: str, span: tuple[int, int]) -> bool:
    return text.startswith(" ", span[0]) and (span[0] == 0 or text[span[0] - 1] == "\n")


def _first_part(text: str, start: int, end: int) -> str:
    """``text[start:end]`` up to its first ``|`` (the name of a call)."""
    pipe = text.find("|", start, end)
    return text[start : end if pipe < 0 else pipe]


@dataclass(frozen=True, slots=True)
class _CallTable:
    """A table opened by a template call's output (``unknown``: maybe several)."""

    start: int
    end: int
    unknown: bool


class _Scanner:
    def __init__(self, scan: BracketScan, text: str, effects: TemplateEffects | None) -> None:
        self.scan = scan
        self.text = text
        self.effects = effects
        self.stack: list[_Open] = []
        self.tables: list[int | _CallTable] = []

    def close_table(self, start: int, end: int) -> None:
        if not self.tables:
            self.scan.stray.append(Stray(TABLE, start, end))
            return
        top = self.tables[-1]
        if isinstance(top, _CallTable):
            self.scan.pairs.append(Pair(TABLE, top.start, top.end, start, end))
            if not top.unknown:
                self.tables.pop()
            return
        self.tables.pop()
        self.scan.pairs.append(Pair(TABLE, top, top + 2, start, end))

    def call_effect(self, open_start: int, open_end: int, close_start: int, close_end: int) -> None:
        """Apply what the call ``text[open_start:close_end]`` does to the open tables."""
        text = self.text
        name = _first_part(text, open_end, close_start).strip()
        if name == "!":  # "{{{!}}" prints "{|", "{{!}}}" prints "|}" (table markup via {{!}})
            if text.startswith("}", close_end) and text[close_end + 1 : close_end + 2] in (
                "\n",
                "",
            ):
                self.close_table(close_start, close_end + 1)
            elif open_start > 0 and text[open_start - 1] == "{":
                self.tables.append(_CallTable(open_start - 1, close_end, False))
            return
        called = call_name(name)
        if called is None or self.effects is None:
            return
        effect = self.effects.table_of(called)
        for _ in range(effect.closes):
            if not self.tables:
                break
            top = self.tables[-1]
            if isinstance(top, _CallTable) and top.unknown:
                break
            self.tables.pop()
            opened = (top.start, top.end) if isinstance(top, _CallTable) else (top, top + 2)
            self.scan.pairs.append(Pair(TABLE, *opened, open_start, close_end))
        for _ in range(effect.opens):
            self.tables.append(_CallTable(open_start, close_end, False))
        if effect.unknown:
            self.tables.append(_CallTable(open_start, close_end, True))
            self.scan.tables_unknown = True

    def unwind(self, down_to: int, cut: int | None) -> None:
        """Report every opener above ``down_to`` on the stack as unclosed."""
        while len(self.stack) > down_to:
            piece = self.stack.pop()
            width = min(piece.count, 3)
            end = piece.start + piece.count
            self.scan.unclosed.append(Unclosed(_kind(piece.char, width), end - width, end, cut))

    def close_run(self, char: str, start: int, end: int) -> None:
        """Match the run of closing characters ``[start, end)`` against the stack."""
        stack = self.stack
        pos = start
        while end - pos >= 2:
            depth = len(stack) - 1
            while depth >= 0 and stack[depth].char != char:
                depth -= 1
            if depth < 0:
                width = 2 if char == "[" else min(end - pos, 3)
                self.scan.stray.append(Stray(_kind(char, width), pos, end))
                return
            if depth < len(stack) - 1:
                self.unwind(depth + 1, pos)
            piece = stack[-1]
            if char == "[":
                kind, matching = LINK, 2
            elif end - pos >= 3 and piece.count >= 3:
                kind, matching = ARGUMENT, 3
            else:
                kind, matching = TEMPLATE, 2
            open_end = piece.start + piece.count
            self.scan.pairs.append(Pair(kind, open_end - matching, open_end, pos, pos + matching))
            if kind == TEMPLATE and self.effects is not None:
                self.call_effect(open_end - matching, open_end, pos, pos + matching)
            piece.count -= matching
            if piece.count < 2:
                stack.pop()  # a single leftover brace is literal text
            pos += matching

    def finish(self) -> None:
        self.unwind(0, None)
        for table in self.tables:
            if not isinstance(table, _CallTable):
                self.scan.unclosed.append(Unclosed(TABLE, table, table + 2))
            elif not table.unknown:
                self.scan.call_tables_open += 1
