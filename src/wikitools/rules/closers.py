"""Where a missing ``}}`` or ``]]`` belongs, decided from the structure of the page.

MediaWiki's preprocessor treats extension tags (``<ref>…</ref>``, ``<gallery>``, ``<poem>``)
as opaque: a call opened inside a citation must close before its ``</ref>``, and one opened
outside cannot close inside. Closers are therefore placed within the *segment* the opener
lies in (the tag's content, or the text around the tags), never across an extension tag
nor across ``<noinclude>``/``<includeonly>``/``<onlyinclude>`` markers.

Inside its segment a closer goes only where the structure shows the end:

- after the name of a call that has no arguments (``{{clear<noinclude>``,
  ``{{DownloadStable`` followed by a list item);
- for a call laid out over lines (``{{Infobox`` + ``| key = value`` lines) after its last
  parameter line; a one-line call nested in such a line that runs on into the next
  parameter lines is closed at the end of its own line;
- for a call whose last value starts on the next line (``{{code|c=`` + lines) before the
  first blank line;
- at the end of the segment when it is a tag's content (``<ref>{{cite web|…</ref>``).

Elsewhere (a one-line call in prose) nothing shows where the call ended, and the closer
is only suggested (:attr:`Applicability.DISPLAY_ONLY`).

The extension-tag spans and the segment-confined bracket scan are computed here; they
belong with the shared scan in :mod:`wikitools.parsing` once that one knows them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from wikitools.document import Document
from wikitools.fixes.model import Applicability
from wikitools.parsing.brackets import LINK, TEMPLATE, Pair, Unclosed, scan_brackets
from wikitools.parsing.magicwords import builtin
from wikitools.parsing.regions import IgnoredRegions

#: Extension tags whose content MediaWiki parses as wikitext of its own.
CONTAINER_TAGS = ("ref", "references", "gallery", "poem", "indicator", "tabber", "tabs")

_CONTAINER_OPEN = re.compile(
    r"<(" + "|".join(CONTAINER_TAGS) + r")(?=[\s/>])[^>]*?(/?)>", re.IGNORECASE
)
_CONTAINER_CLOSE = {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in CONTAINER_TAGS}
_INCLUSION = re.compile(r"</?(?:noinclude|includeonly|onlyinclude)\s*/?>", re.IGNORECASE)

HOLE = "hole"
"""Kind of the pseudo-pairs that stand for extension tags and comments inside a segment."""


@dataclass(frozen=True, slots=True)
class Container:
    """An extension tag element: ``<tag …>`` at ``start``, content, ``</tag>`` ending at ``end``."""

    tag: str
    start: int
    content_start: int
    content_end: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text a call opened in it must close in: ``[start, end)``.

    ``container`` is True when it is an extension tag's content, whose end is a place
    the author necessarily closed every call before.
    """

    start: int
    end: int
    container: bool


@dataclass(frozen=True, slots=True)
class Placement:
    """Where to insert a closer, what to insert, and how sure that is."""

    at: int
    insert: str
    applicability: Applicability
    opener: int
    """Offset of the ``{{`` or ``[[`` the closer closes (the break readers see)."""


def find_containers(text: str, ignored: IgnoredRegions) -> list[Container]:
    """Extension tag elements of ``text`` that hold wikitext, outermost first, by start."""
    found: list[Container] = []

    def collect(start: int, end: int) -> None:
        pos = start
        while True:
            match = _CONTAINER_OPEN.search(text, pos, end)
            if match is None:
                return
            pos = match.end()
            if ignored.contains(match.start()) or match.group(2):
                continue
            tag = match.group(1).lower()
            close = _CONTAINER_CLOSE[tag].search(text, match.end(), end)
            if close is None:
                continue
            found.append(Container(tag, match.start(), match.end(), close.start(), close.end()))
            collect(match.end(), close.start())
            pos = close.end()

    if "<" in text:
        collect(0, len(text))
    found.sort(key=lambda c: c.start)
    return found


class Structure:
    """A page's segments and the bracket pairs of each, matched within its segment."""

    def __init__(self, document: Document) -> None:
        self.document = document
        text = document.text
        self.text = text
        self.containers = find_containers(text, document.ignored)
        self._container_starts = [c.start for c in self.containers]
        self._sibling_cache: dict[tuple[str, str], list[int]] = {}
        self.links_run_on: bool | None = None
        """Whether some link that starts its line has text after it (set on first use)."""
        self.markers = [
            m.span()
            for m in _INCLUSION.finditer(text)
            if not document.is_ignored(m.start()) and _bounds(text, m.start())
        ]
        self._marker_starts = [s for s, _ in self.markers]
        self.pairs: list[Pair] = []
        self.unclosed: list[tuple[Unclosed, Segment]] = []
        self._scan()

    def _children(self, start: int, end: int) -> list[Container]:
        """Containers directly inside ``[start, end)``."""
        children: list[Container] = []
        containers, starts = self.containers, self._container_starts
        i = bisect.bisect_left(starts, start)
        while i < len(containers) and starts[i] < end:
            container = containers[i]
            if container.end <= end:
                children.append(container)
                # the next child starts after this one (those before lie inside it)
                i = bisect.bisect_left(starts, container.end, i + 1)
            else:
                i += 1
        return children

    # -- indexes over the pairs, each built on first use ---------------------------------

    @cached_property
    def pair_starts(self) -> list[int]:
        """``open_start`` of every pair (they are sorted by it)."""
        return [pair.open_start for pair in self.pairs]

    @cached_property
    def call_ends(self) -> _RangeMax:
        """``close_start`` of each template pair (-1 for other pairs), for range queries."""
        return _RangeMax([p.close_start if p.kind == TEMPLATE else -1 for p in self.pairs])

    @cached_property
    def row_ends(self) -> _RangeMax:
        """``close_end`` of each template or table pair (-1 for others)."""
        kinds = (TEMPLATE, "table")
        return _RangeMax([p.close_end if p.kind in kinds else -1 for p in self.pairs])

    @cached_property
    def calls_by_name(self) -> dict[str, list[Pair]]:
        """The template pairs by the name of the call (see :func:`_template_name`)."""
        calls: dict[str, list[Pair]] = {}
        for pair in self.pairs:
            if pair.kind == TEMPLATE:
                calls.setdefault(_template_name(self.text, pair.open_end), []).append(pair)
        return calls

    def sibling_starts(self, name: str, kind: str, test: Callable[[Pair], bool]) -> list[int]:
        """``open_start`` of the calls named ``name`` that pass ``test`` (cached by
        ``kind``, the name of the test)."""
        key = (kind, name)
        found = self._sibling_cache.get(key)
        if found is None:
            found = [pair.open_start for pair in self.calls_by_name.get(name, ()) if test(pair)]
            self._sibling_cache[key] = found
        return found

    def _scan(self) -> None:
        text = self.text
        levels: list[Segment] = [Segment(0, len(text), False)]
        levels += [Segment(c.content_start, c.content_end, True) for c in self.containers]
        holes = [(s, e) for s, e in self.document.ignored.spans]
        for segment in levels:
            children = self._children(segment.start, segment.end)
            pieces: list[str] = []
            cursor = segment.start
            for child in children:
                pieces.append(text[cursor : child.start])
                pieces.append(re.sub(r"[^\n]", "\x07", text[child.start : child.end]))
                cursor = child.end
                holes.append((child.start, child.end))
            pieces.append(text[cursor : segment.end])
            masked = "".join(pieces)
            scan = scan_brackets(masked, IgnoredRegions.of(masked))
            shift = segment.start
            for pair in scan.pairs:
                self.pairs.append(
                    Pair(
                        pair.kind,
                        pair.open_start + shift,
                        pair.open_end + shift,
                        pair.close_start + shift,
                        pair.close_end + shift,
                    )
                )
            for unclosed in scan.unclosed:
                cut = None if unclosed.cut is None else unclosed.cut + shift
                moved = Unclosed(unclosed.kind, unclosed.start + shift, unclosed.end + shift, cut)
                self.unclosed.append((moved, self._segment_of(moved.end, segment)))
        self.pairs += [Pair(HOLE, s, s, e, e) for s, e in holes]
        self.pairs.sort(key=lambda p: p.open_start)
        self.unclosed.sort(key=lambda item: item[0].start)

    def _segment_of(self, offset: int, level: Segment) -> Segment:
        """``level`` narrowed to the inclusion markers around ``offset``."""
        i = bisect.bisect_right(self._marker_starts, offset)
        start, end, container = level.start, level.end, level.container
        if i > 0 and self.markers[i - 1][1] > start:
            start = max(start, self.markers[i - 1][1])
        if i < len(self.markers) and self.markers[i][0] < end:
            end, container = self.markers[i][0], True
        return Segment(start, end, container)


class _RangeMax:
    """A max segment tree over a list of ints: the last index of a range whose value
    exceeds a bound, in O(log n) (instead of a pass over the range)."""

    def __init__(self, values: list[int]) -> None:
        size = 1
        while size < len(values):
            size *= 2
        tree = [-1] * size + values + [-1] * (size - len(values))
        for node in range(size - 1, 0, -1):
            left, right = tree[2 * node], tree[2 * node + 1]
            tree[node] = left if left > right else right
        self._size = size
        self._tree = tree

    def last_above(self, lo: int, hi: int, bound: int) -> int | None:
        """The largest index ``i`` in ``[lo, hi)`` with ``values[i] > bound``, or None."""
        size, tree = self._size, self._tree
        lo, hi = lo + size, hi + size
        left: list[int] = []  # covering nodes, left to right
        right: list[int] = []  # covering nodes, right to left
        while lo < hi:
            if lo & 1:
                left.append(lo)
                lo += 1
            if hi & 1:
                hi -= 1
                right.append(hi)
            lo //= 2
            hi //= 2
        for node in right + left[::-1]:
            if tree[node] > bound:
                while node < size:
                    node = 2 * node + 1 if tree[2 * node + 1] > bound else 2 * node
                return node - size
        return None


def _bounds(text: str, marker: int) -> bool:
    """True when an inclusion marker ends a page part rather than a piece of a call: it
    starts its line, or follows the end of a call or table (``}}<noinclude>``)."""
    line_start = text.rfind("\n", 0, marker) + 1
    return not text[line_start:marker].strip() or text[marker - 1 : marker] == "}"


def structure(document: Document) -> Structure:
    """The page's :class:`Structure`, shared by the rules that place closers."""
    return document.memo("closer-structure", Structure)


def _trimmed(text: str, end: int, start: int = 0, chars: str | None = " \t") -> int:
    """``start + len(text[start:end].rstrip(chars))``, without copying the text."""
    while end > start and (text[end - 1] in chars if chars else text[end - 1].isspace()):
        end -= 1
    return end


def _line_end(text: str, pos: int, limit: int) -> int:
    end = text.find("\n", pos, limit)
    return limit if end < 0 else end


def _skip_nested(pairs: list[Pair], after: int, point: int, text: str, limit: int) -> int:
    """Move a line end ``point`` past constructs opened after ``after`` that span it."""
    index = bisect.bisect_left(pairs, after, key=lambda pair: pair.open_start)
    while index < len(pairs) and pairs[index].open_start < point:
        if pairs[index].close_end > point:
            point = _line_end(text, pairs[index].close_end, limit)
        index += 1
    return point


# Lines that continue a call laid out over lines: parameters, list items, tags, closers, and
# table rows written with {{!}} or {| inside a parameter.
BLOCK_CONTINUES = re.compile(r"[ \t]*(?:[|*#:<!}]|\{\{!\}\}|\{\|)")
_PARAMETER_LINE = re.compile(r"[ \t]*\|")
_HEADING = re.compile(r"=+[^=\n].*=+[ \t]*$")
_NAME = re.compile(r"[^|{}\[\]<>\n,;()]*")
# What may stand before a call that starts a block of lines: nothing, or "key =".
_BLOCK_PREFIX = re.compile(r"(?:[ \t]*|.*=[ \t]*)$")
_HEAD = re.compile(r"[^|{}\[\]<>\n]*")
_MAX_NAME_WORDS = 3
_TAG = re.compile(r"</?[a-zA-Z]")
_LIST_PREFIX = re.compile(r"[ \t]*[*#:;]*[ \t]*$")
# What may stand before a call that makes up its line or table cell.
_STARTS_LINE = re.compile(r"(?:[ \t]*[*#:;]*|[ \t]*[|!]|.*(?:\|\||!!))[ \t]*$")
_FILE_LINK = re.compile(r"[ \t]*:?[ \t]*(?:file|image|datei|fichier|archivo|bild)[ \t]*:", re.I)
# A template parameter "|name=" after a link target: the link ended before it.
_NAMED_PARAMETER = re.compile(r"[ \t]*\|[ \t]*[\w -]+[ \t]*=")
_EXTERNAL_LINK = re.compile(r"\[(?:https?:|ftp:|//)", re.I)
_NAMESPACED_TARGET = re.compile(
    r"[ \t]*(?:category|kategorie|catégorie|categoría)[ \t]*:[^|\[\]{}<>\n]*"
    r"|[ \t]*:?[ \t]*(?:file|image|datei|fichier|archivo|bild)[ \t]*:[^|\[\]{}<>\n]*?"
    r"\.(?:png|jpe?g|gif|svg|webp|tiff?|pdf|ogg|ogv|oga|webm|mp3|wav|flac|djvu)(?=[\s\[<{]|$)",
    re.IGNORECASE,
)
_NAMED_VALUE = re.compile(r"[ \t]*[\w -]+[ \t]*=")
_ROW = re.compile(r"[ \t]*[|!]")


#: A nested call that lost its closer, at a place its own structure does not show.
_UNSURE = Placement(0, "", Applicability.DISPLAY_ONLY, 0)


def _template_name(text: str, at: int) -> str:
    """A call's name as MediaWiki compares it: trimmed, '_' as space, first letter upper."""
    match = _NAME.match(text, at)
    name = " ".join(match.group().replace("_", " ").split()) if match else ""
    return name[:1].upper() + name[1:]


class _Placer:
    """Closer placement for one unclosed opener within its segment."""

    def __init__(self, structure: Structure, unclosed: Unclosed, segment: Segment) -> None:
        self.s = structure
        self.text = structure.text
        self.pairs = structure.pairs
        self.u = unclosed
        self.seg = segment

    def line_end(self, pos: int, after: int) -> int:
        return _skip_nested(
            self.pairs, after, _line_end(self.text, pos, self.seg.end), self.text, self.seg.end
        )

    def place(self, at: int, insert: str) -> Placement:
        return Placement(at, insert, Applicability.UNSAFE, self.u.start)

    def suggest(self) -> Placement:
        at = _line_end(self.text, self.u.end, self.seg.end)
        closer = "}}" if self.u.kind == TEMPLATE else "]]"
        return Placement(at, closer, Applicability.DISPLAY_ONLY, self.u.start)

    def at_segment_end(self, after: int) -> Placement | None:
        """Before the end of a tag's content, after its last text."""
        if not self.seg.container:
            return None
        end = self.seg.end
        last = _trimmed(self.text, end, after, None)
        if any(p.close_end == last and p.kind != HOLE for p in self._children(after, end)):
            return None  # a nested call ends right there: it may be the one missing '}}'
        newline = self.text.find("\n", last, end)
        closer = "}}" if self.u.kind == TEMPLATE else "]]"
        return self.place(end if newline < 0 else newline + 1, closer)

    def _children(self, start: int, end: int) -> list[Pair]:
        starts = self.s.pair_starts
        return self.pairs[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    # -- templates ---------------------------------------------------------------------

    def template(self) -> Placement:
        cut = self.u.cut
        if cut is not None and self.seg.start <= cut <= self.seg.end:
            # A closer of the enclosing link came first: the segment ends there.
            self.seg = Segment(self.seg.start, cut, True)
        return self._template() or self.suggest()

    def _template(self) -> Placement | None:
        text, seg = self.text, self.seg
        start = self.u.end
        if text[self.u.start - 1 : self.u.start] == "{" or text[start : start + 1] == "{":
            return None  # part of a longer run of braces: which call is meant is unclear
        in_row = self._in_table_row()
        head = _HEAD.match(text, start, seg.end)
        assert head is not None
        if builtin().is_function(head.group()):
            return self._with_arguments()
        name = _NAME.match(text, start, seg.end)
        assert name is not None
        name_text = name.group().strip()
        if not name_text:
            return None
        name_stop = start + len(name.group().rstrip())
        pos = name.end()
        while pos < seg.end and text[pos] in " \t":
            pos += 1
        while pos < seg.end and self.s.document.is_ignored(pos):
            pos = self._ignored_end(pos)
        if pos < seg.end and text[pos] == "|" and not (in_row and text.startswith("||", pos)):
            return self._table_cell() if in_row else self._with_arguments()
        if (
            pos < seg.end
            and text[pos] == "\n"
            and not in_row
            and _PARAMETER_LINE.match(text, pos + 1, seg.end)
        ):
            return self._with_arguments()
        if pos < seg.end and text[pos] in "{[":
            return None  # the name goes on with a nested call or parameter
        at_line_end = pos >= seg.end or text[pos] == "\n" or _TAG.match(text, pos)
        if len(name_text.split()) > (_MAX_NAME_WORDS if at_line_end else 1):
            return None
        return self.place(name_stop, "}}")

    def _in_table_row(self) -> bool:
        """True when the opener lies in a table row of a table opened on this page."""
        text, u = self.text, self.u
        line_start = max(self.seg.start, text.rfind("\n", 0, u.start) + 1)
        if not _ROW.match(text, line_start, u.start):
            return False
        # The last template or table pair opened in the segment before the opener that
        # reaches past it (pairs opened before the opener: open_start < u.start).
        starts = self.s.pair_starts
        lo, hi = bisect.bisect_left(starts, self.seg.start), bisect.bisect_left(starts, u.start)
        inner = self.s.row_ends.last_above(lo, hi, u.start)
        return inner is not None and self.pairs[inner].kind == "table"

    def _table_cell(self) -> Placement | None:
        """A call in a table cell ends before the next cell's '||' (or '!!') on its line."""
        text = self.text
        line_end = _line_end(text, self.u.end, self.seg.end)
        if self._siblings_hold_cells():
            return None  # {{bartable|0.2||2}}: this template takes empty arguments
        for separator in ("||", "!!"):
            cell = text.find(separator, self.u.end, line_end)
            if cell >= 0 and not [
                p for p in self._children(self.u.end, cell) if p.close_end > cell
            ]:
                return self.place(_trimmed(text, cell), "}}")
        line_start = text.rfind("\n", 0, self.u.start) + 1
        if not _STARTS_LINE.match(text[line_start : self.u.start]):
            return None
        return self._alone_on_line(line_start, line_end, cell=True)

    def _ignored_end(self, pos: int) -> int:
        span = self.s.document.ignored.first_around(pos, inclusive=True)
        return pos + 1 if span is None else span[1]

    def _with_arguments(self) -> Placement | None:
        text, seg = self.text, self.seg
        first_end = self.line_end(self.u.end, self.u.end)
        if first_end >= seg.end:
            return self.at_segment_end(self.u.end)
        next_line = first_end + 1
        line_start = max(seg.start, text.rfind("\n", 0, self.u.start) + 1)
        if not _BLOCK_PREFIX.match(text[line_start : self.u.start]):
            # A list item that is one call with named parameters (a bibliography entry)
            # may make up its line; anything else there is a one-line call in prose.
            pipe = self._last_pipe(self.u.end, first_end)
            if pipe >= 0 and _NAMED_VALUE.match(text, pipe + 1, first_end):
                return self._alone_on_line(line_start, first_end)
            return None
        if _PARAMETER_LINE.match(text, next_line, seg.end):
            return self._block(first_end)
        if self._value_opens_line(first_end):
            return self._value_block(first_end)
        return self._alone_on_line(line_start, first_end)

    def _alone_on_line(
        self, line_start: int, line_end: int, *, cell: bool = False
    ) -> Placement | None:
        """A call that starts its line and runs to its end (a hatnote, a message box) ends
        there, unless what follows is a parameter line or the call has nested lines."""
        text = self.text
        if not cell and not _LIST_PREFIX.match(text, line_start, self.u.start):
            return None
        if "\n" in text[self.u.end : line_end]:
            return None
        for pair in self._children(self.u.end, line_end):
            if (
                pair.kind == HOLE
                and text.startswith("<ref", pair.open_start)
                and text[pair.close_end : line_end].strip()
            ):
                return None  # a citation, then more text: the call ended in the prose
        if self._siblings_run_on():
            return None
        at = _trimmed(text, line_end)
        if text[at - 1 : at] in ("|", ":", "="):
            return None  # the value starts on the next line
        if any(p.close_end == at and p.kind != HOLE for p in self._children(self.u.end, at)):
            return None  # a nested call ends the line: it may be the one missing '}}'
        return self.place(at, "}}")

    def _closer_alone_in(self, start: int, end: int) -> bool:
        text = self.text
        for pair in self._children(self.u.end, end):
            if pair.kind == TEMPLATE and start <= pair.close_start < end:
                line_start = text.rfind("\n", 0, pair.close_start) + 1
                if not text[line_start : pair.close_start].strip() and pair.open_start < line_start:
                    return True
        return False

    def _is_function(self) -> bool:
        head = _HEAD.match(self.text, self.u.end, self.seg.end)
        return head is not None and builtin().is_function(head.group())

    def _siblings_hold_cells(self) -> bool:
        """True when another call of the same template has '||' among its arguments."""
        text = self.text
        name = _template_name(text, self.u.end)
        holding = self.s.sibling_starts(
            name, "cells", lambda p: text.find("||", p.open_end, p.close_start) >= 0
        )
        return any(start != self.u.start for start in holding)

    def _siblings_run_on(self) -> bool:
        """True when other calls of the same template that start their line (or cell) have
        text after them (``{{PropertyData|Label}} : …``): then the line end says nothing."""
        name = _template_name(self.text, self.u.end)
        if not name:
            return True
        running = self.s.sibling_starts(name, "runs-on", self._runs_on)
        return any(start != self.u.start for start in running)

    def _value_opens_line(self, line_end: int) -> bool:
        """True when the call's last value on its first line is empty (``|c=`` + newline)."""
        pipe = self._last_pipe(self.u.end, line_end)
        if pipe < 0:
            return False
        tail = self.text[pipe + 1 : line_end].strip()
        return not tail or (tail.endswith("=") and "=" not in tail[:-1])

    def _last_pipe(self, start: int, end: int) -> int:
        """The last '|' of ``text[start:end]`` outside nested constructs, or -1."""
        inner = [p for p in self._children(start, end) if p.open_start >= start]
        pos = end - 1
        while pos >= start:
            covering = next((p for p in inner if p.open_start <= pos < p.close_end), None)
            if covering is not None:
                pos = covering.open_start - 1
                continue
            if self.text[pos] == "|":
                return pos
            pos -= 1
        return -1

    def _block(self, first_end: int) -> Placement | None:
        """A call laid out over parameter lines: close after the last of them."""
        text, seg = self.text, self.seg
        culprit = self._nested_culprit(self.u.start, first_end)
        if culprit is not None:
            return None if culprit is _UNSURE else culprit
        pos = first_end + 1
        while pos < seg.end:
            line_end = self.line_end(pos, self.u.end)
            culprit = self._nested_culprit(pos, line_end)
            if culprit is not None:
                return None if culprit is _UNSURE else culprit
            line = text[pos:line_end]
            if not line.strip():
                return self.place(pos, "}}")
            if not BLOCK_CONTINUES.match(line):
                if self._is_function():
                    return None  # {{#switch: values go on over lines: code, not prose
                return self.place(pos, "}}\n")
            pos = line_end + 1
        if seg.container:
            return self.at_segment_end(self.u.end)
        if seg.end < len(text):
            return self.place(seg.end, "}}\n" if text[seg.end - 1 : seg.end] == "\n" else "\n}}")
        return self.place(len(text), "}}" if text.endswith("\n") else "\n}}")

    def _nested_culprit(self, line_start: int, line_end: int) -> Placement | None:
        """A one-line call on a parameter line that ran on into the next parameter lines.

        ``| date = {{birth date|1878|12|18`` followed by ``| place = …`` lines: the nested
        call took the block's closer, so it is the one that lost its ``}}``, and it closes
        at the end of its own line.
        """
        text = self.text
        for pair in self._children(line_start, line_end):
            if pair.kind != TEMPLATE or pair.open_start <= self.u.start:
                continue
            own_end = _skip_nested(
                self.pairs,
                pair.open_end,
                _line_end(text, pair.open_end, self.seg.end),
                text,
                self.seg.end,
            )
            if pair.close_start <= own_end:
                continue  # closed on its own line
            name = _NAME.match(text, pair.open_end, own_end)
            assert name is not None
            next_is_parameter = bool(_PARAMETER_LINE.match(text, own_end + 1, self.seg.end))
            if not text[name.end() : own_end].strip():
                if next_is_parameter:
                    continue  # a nested block call: {{Infobox + its own parameter lines
                if len(name.group().split()) > _MAX_NAME_WORDS or not name.group().strip():
                    return _UNSURE
                return self.place(pair.open_end + len(name.group().rstrip()), "}}")
            closer_line = text[text.rfind("\n", 0, pair.close_start) + 1 : pair.close_start]
            if closer_line.strip() or own_end >= self.seg.end or not next_is_parameter:
                return _UNSURE  # a one-line call runs over lines: which '}}' is whose?
            if self._last_pipe(pair.open_end, own_end) < 0:
                if text[name.end()] in "{[" or len(name.group().split()) > 1:
                    return _UNSURE
                at = pair.open_end + len(name.group().rstrip())  # {{decrease 8.8%
                return self.place(at, "}}")
            at = _trimmed(text, own_end)
            return self.place(max(at, pair.open_end), "}}")
        return None

    def _value_block(self, first_end: int) -> Placement | None:
        """The last value starts on the next line: it ends before the first blank line."""
        text, seg = self.text, self.seg
        pos = first_end + 1
        while pos < seg.end:
            line_end = self.line_end(pos, self.u.end)
            if self._closer_alone_in(pos, line_end):
                return None  # a nested call ends on a line of its own: it may own the '}}'
            line = text[pos:line_end]
            if not line.strip():
                if pos == first_end + 1:
                    return None  # the value starts with a paragraph break: free text
                return self.place(pos, "}}")
            if _HEADING.match(line):
                return self.place(pos, "}}\n")
            pos = line_end + 1
        return self.at_segment_end(self.u.end)

    # -- links -------------------------------------------------------------------------

    def link(self) -> Placement:
        return self._link() or self.suggest()

    def _link(self) -> Placement | None:
        u, text = self.u, self.text
        line_end = _line_end(text, u.end, self.seg.end)
        end = min(line_end, u.cut) if u.cut is not None else line_end
        target = _NAMESPACED_TARGET.match(text, u.end, end)
        if target is not None and not text.startswith("|", target.end()):
            # A category or a file name ends where a title cannot go on (or at its
            # extension): [[Category:Items [[Category:Balls]], [[File:Ball.png
            return self.place(u.end + len(target.group().rstrip()), "]]")

        nested = [p for p in self._children(u.end, end) if p.kind in (LINK, TEMPLATE)]
        is_file = bool(_FILE_LINK.match(text, u.end))
        if any(p.kind == LINK for p in nested) and not is_file:
            return None  # links do not hold links: which one lost its ']]' is unclear
        if not is_file:
            named = _NAMED_PARAMETER.search(text, u.end, end)
            if named is not None and self._in_call() and not self._covered(named.start(), nested):
                return self.place(named.start(), "]]")  # [[Target |medium=DVD}}
        if u.cut is not None and u.cut <= line_end:
            if text.count("|", u.end, u.cut) > (9 if is_file else 1):
                return None
            if text[u.end : u.cut].rstrip()[-1:] in (".", ",", ";", ":", "!", "?", ")"):
                return None  # "see [[Item.}}": the link ended before the sentence did
            return self.place(u.cut, "]]")
        line_start = max(self.seg.start, text.rfind("\n", 0, u.start) + 1)
        if (
            self._in_table_row()
            and not is_file
            and _STARTS_LINE.match(text[line_start : u.start])
            and not self._links_run_on()
        ):
            cell = min(
                (
                    c
                    for c in (text.find("||", u.end, line_end), text.find("!!", u.end, line_end))
                    if c >= 0
                ),
                default=-1,
            )
            if cell >= 0 and not self._covered(cell, nested):
                return self.place(_trimmed(text, cell), "]]")
        if not _STARTS_LINE.match(text[line_start : u.start]):
            return None  # a link in prose: where its text ends is a guess
        if not text[line_start : u.start].strip() and ":" not in text[u.end : line_end]:
            return None  # a paragraph that starts with a link: prose, not a list of links
        if self._links_run_on() or _EXTERNAL_LINK.search(text, u.end, line_end):
            return None
        rest = text[u.end : line_end]
        if ("||" in rest or "!!" in rest) and _ROW.match(text, line_start):
            return None  # more cells follow on the line: the link ended in this one
        at = _trimmed(text, line_end)
        if text[at - 1 : at] == "|":
            at = line_end  # [[Category:X| ]]: the sort key is the space
        if any(p.close_end == at for p in nested):
            return None
        return self.place(at, "]]")

    def _links_run_on(self) -> bool:
        """True when some link on the page that starts its line (or cell) has text after it
        there (``* [[Tool]]: what it does``): then a line end says nothing about links."""
        if self.s.links_run_on is None:
            self.s.links_run_on = any(
                pair.kind == LINK and self._runs_on(pair) for pair in self.pairs
            )
        return self.s.links_run_on

    def _runs_on(self, pair: Pair) -> bool:
        """True when ``pair`` starts its line (or cell) and text follows it on that line."""
        text = self.text
        line_start = text.rfind("\n", 0, pair.open_start) + 1
        if not _STARTS_LINE.match(text[line_start : pair.open_start]):
            return False
        after = text[pair.close_end : _line_end(text, pair.close_end, len(text))].strip()
        return bool(after) and not after.startswith(("||", "!!"))

    def _in_call(self) -> bool:
        """True when the opener lies inside a template call."""
        starts = self.s.pair_starts
        lo = bisect.bisect_left(starts, self.seg.start)
        hi = bisect.bisect_left(starts, self.u.start)
        return self.s.call_ends.last_above(lo, hi, self.u.start) is not None

    @staticmethod
    def _covered(offset: int, nested: list[Pair]) -> bool:
        return any(p.open_start < offset < p.close_end for p in nested)


def place_closer(document: Document, unclosed: Unclosed, segment: Segment) -> Placement:
    """Where the closer of ``unclosed`` (found by :class:`Structure`) most likely goes."""
    placer = _Placer(structure(document), unclosed, segment)
    placement = placer.link() if unclosed.kind == LINK else placer.template()
    if placement.applicability is Applicability.UNSAFE and _hidden(document, placement.at):
        # Inside (or at the end of) a comment the closer would change nothing readers see,
        # and the next pass would insert it again.
        placement = placer.suggest()
    return placement


def _hidden(document: Document, offset: int) -> bool:
    """True when text inserted at ``offset`` lands in a comment or other ignored region
    (including the end of a page that an unclosed ``<!--`` runs to)."""
    text = document.text
    if offset != len(text):
        return offset < len(text) and document.ignored.first_around(offset) is not None
    spans = document.ignored.spans  # sorted and disjoint: only the last can end the page
    if spans and spans[-1][1] == offset and text.startswith("<!--", spans[-1][0]):
        return text.find("-->", spans[-1][0], offset) < 0
    return False
