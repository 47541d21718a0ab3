"""Breaks injected into clean pages, for measuring whether rules find and repair them.

Each :class:`BreakKind` is one way real pages break: a closer removed from a construct (a
template call's ``}}``, a link's ``]]``, a ``</ref>``, a table's ``|}``), a stray closer added
in prose, or rendered error text pasted into prose. :func:`injections` lists every place in a
page where a break of a kind can go; :func:`inject` picks one with a seeded random generator;
:func:`evaluate` lints and fixes the broken page and renders the result.

Only unambiguous places are used: constructs at the top level of the page (not inside another
template, link or tag), so the construct that lost its closer is the one a reader sees broken,
and prose lines (paragraph text that starts with a letter) for insertions. The expected
position of the finding is the opener of the construct that lost its closer, or the start of
the inserted text.
"""

from __future__ import annotations

import enum
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from mwparserfromhell.nodes import Node, Tag, Template, Text, Wikilink

from wikitools.api import fix_text
from wikitools.document import Document
from wikitools.lint.runner import Linter
from wikitools.lint.scope import ARTICLES, CONTENT, Scope
from wikitools.parsing.brackets import LINK as LINK_PAIR
from wikitools.parsing.brackets import TEMPLATE as TEMPLATE_PAIR
from wikitools.parsing.brackets import scan_brackets
from wikitools.parsing.regions import IgnoredRegions
from wikitools.parsing.tree import parse
from wikitools.titles import is_translation_unit
from wikitools.verify.oracle import RenderOracle

#: The rendered error text pasted by :attr:`BreakKind.PASTED_ERROR`.
PASTED_ERROR_TEXT = "Lua error in package.lua at line 80: module 'Module:X' not found."

_CLOSING_REF = re.compile(r"</ref\s*>$", re.IGNORECASE)
_WORD_SPACE = re.compile(r"(?<=\w) (?=\w)")
_SENTENCE_END = re.compile(r"(?<=\w\.) (?=[A-ZÀ-Þ])")


class BreakKind(enum.Enum):
    """A kind of injected break."""

    REMOVE_TEMPLATE_CLOSE = "remove }}"
    REMOVE_LINK_CLOSE = "remove ]]"
    REMOVE_REF_CLOSE = "remove </ref>"
    REMOVE_TABLE_CLOSE = "remove |}"
    STRAY_TEMPLATE_CLOSE = "add stray }}"
    STRAY_LINK_CLOSE = "add stray ]]"
    PASTED_ERROR = "paste error text"


@dataclass(frozen=True, slots=True)
class Injection:
    """A break in a page: the broken text, and where a finding for it must start."""

    kind: BreakKind
    original: str
    text: str
    expected: int
    """Offset in :attr:`text` where the finding must start."""
    changed: str
    """What was removed or inserted, for messages."""
    at: int
    """Offset in :attr:`original` where the text was removed or inserted."""

    def position(self) -> tuple[int, int]:
        """1-based (line, column) of :attr:`expected` in :attr:`text`."""
        line = self.text.count("\n", 0, self.expected) + 1
        column = self.expected - (self.text.rfind("\n", 0, self.expected) + 1) + 1
        return line, column


def _top_level(text: str) -> Iterator[tuple[Node, int, int]]:
    cursor = 0
    for node in parse(text).nodes:
        size = len(str(node))
        yield node, cursor, cursor + size
        cursor += size


def _removal(kind: BreakKind, text: str, start: int, cut: int, end: int) -> Injection:
    return Injection(kind, text, text[:cut] + text[end:], start, text[cut:end], cut)


def _insertion(kind: BreakKind, text: str, at: int, inserted: str) -> Injection:
    return Injection(kind, text, text[:at] + inserted + text[at:], at, inserted, at)


def _closer_removals(kind: BreakKind, text: str, ignored: IgnoredRegions) -> Iterator[Injection]:
    for node, start, end in _top_level(text):
        if ignored.contains(start):
            continue
        source = str(node)
        if kind is BreakKind.REMOVE_TEMPLATE_CLOSE and isinstance(node, Template):
            yield _removal(kind, text, start, end - 2, end)
        elif kind is BreakKind.REMOVE_LINK_CLOSE and isinstance(node, Wikilink):
            if "[[" not in source[2:] and source.endswith("]]"):
                yield _removal(kind, text, start, end - 2, end)
        elif kind is BreakKind.REMOVE_REF_CLOSE and isinstance(node, Tag):
            closing = _CLOSING_REF.search(source)
            if str(node.tag).lower() == "ref" and not node.self_closing and closing:
                yield _removal(kind, text, start, start + closing.start(), end)
        elif (
            kind is BreakKind.REMOVE_TABLE_CLOSE
            and isinstance(node, Tag)
            and node.wiki_markup == "{|"
            and source.endswith("|}")
        ):
            yield _removal(kind, text, start, end - 2, end)


def _prose_offsets(text: str, ignored: IgnoredRegions, pattern: re.Pattern[str]) -> Iterator[int]:
    """Offsets matched by ``pattern`` in top-level text of prose lines."""
    for node, start, _end in _top_level(text):
        if not isinstance(node, Text):
            continue
        for match in pattern.finditer(str(node)):
            offset = start + match.end()
            line_start = text.rfind("\n", 0, offset) + 1
            if text[line_start : line_start + 1].isalpha() and not ignored.contains(offset):
                yield offset


#: Code the author shows on the page: its braces are text, not markup to break.
_CODE = re.compile(r"<(code|tt|kbd|samp)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_NESTED_KINDS = {
    BreakKind.REMOVE_TEMPLATE_CLOSE: TEMPLATE_PAIR,
    BreakKind.REMOVE_LINK_CLOSE: LINK_PAIR,
}


def _nested_closer_removals(kind: BreakKind, text: str, ignored: IgnoredRegions) -> list[Injection]:
    """The closer of any matched call or link, nested or not (outside code shown as text)."""
    code = [m.span() for m in _CODE.finditer(text)]
    return [
        _removal(kind, text, pair.open_start, pair.close_start, pair.close_end)
        for pair in scan_brackets(text, ignored).pairs
        if pair.kind == _NESTED_KINDS[kind] and not any(s < pair.close_start < e for s, e in code)
    ]


def injections(text: str, kind: BreakKind, nested: bool = False) -> list[Injection]:
    """Every break of ``kind`` that can be injected into ``text`` (see the module doc).

    ``nested`` (closer removals of calls and links only) also takes constructs inside other
    ones: a harder test of where a repair puts the closer back.
    """
    ignored = IgnoredRegions.of(text)
    if nested and kind in _NESTED_KINDS:
        return _nested_closer_removals(kind, text, ignored)
    if kind is BreakKind.STRAY_TEMPLATE_CLOSE:
        return [
            _insertion(kind, text, at, "}} ") for at in _prose_offsets(text, ignored, _WORD_SPACE)
        ]
    if kind is BreakKind.STRAY_LINK_CLOSE:
        return [
            _insertion(kind, text, at, "]] ") for at in _prose_offsets(text, ignored, _WORD_SPACE)
        ]
    if kind is BreakKind.PASTED_ERROR:
        return [
            _insertion(kind, text, at, PASTED_ERROR_TEXT + " ")
            for at in _prose_offsets(text, ignored, _SENTENCE_END)
        ]
    return list(_closer_removals(kind, text, ignored))


#: Namespaces whose pages are not articles: breaks go into the others.
NOT_ARTICLES = frozenset({8, 10, 828})


def clean_pages(
    pages: Sequence[tuple[str, int, str]],
    linter: Linter,
    rng: random.Random,
    limit: int,
    sizes: range = range(300, 40_000),
) -> list[tuple[str, int, str]]:
    """Up to ``limit`` pages (title, namespace, text) that ``linter`` finds clean, in an order
    ``rng`` shuffles; interface messages, templates and modules are left out."""
    candidates = [p for p in pages if p[1] not in NOT_ARTICLES and len(p[2]) in sizes]
    rng.shuffle(candidates)
    clean: list[tuple[str, int, str]] = []
    for title, ns, text in candidates:
        if len(clean) >= limit:
            break
        document = Document(text, title, ns)
        if is_translation_unit(ns, title):
            continue  # a translation unit: its tables and calls close in other units
        if not linter.check(document):
            clean.append((title, ns, text))
    return clean


#: Where the rules that find a kind of break look, when not on every content page: pasted
#: messages are looked for in articles only (help pages quote them on purpose).
DETECTED_IN: dict[BreakKind, Scope] = {BreakKind.PASTED_ERROR: ARTICLES}


def draw(
    pools: Mapping[str, list[tuple[str, int, str]]],
    kind: BreakKind,
    count: int,
    rng: random.Random,
) -> list[tuple[str, tuple[str, int, str], Injection]]:
    """``count`` breaks of ``kind`` from the pools (name → clean pages), taking the pools in
    turn so that every wiki with a place for the break contributes. Pools are consumed."""
    chosen: list[tuple[str, tuple[str, int, str], Injection]] = []
    scope = DETECTED_IN.get(kind, CONTENT)
    queues = {name: [p for p in pages if scope.includes(p[1])] for name, pages in pools.items()}
    while len(chosen) < count and any(queues.values()):
        for name in sorted(queues):
            queue = queues[name]
            while queue:
                page = queue.pop(0)
                injection = inject(page[2], kind, rng)
                if injection is not None:
                    chosen.append((name, page, injection))
                    break
            if len(chosen) == count:
                break
    return chosen


def inject(
    text: str, kind: BreakKind, rng: random.Random, nested: bool = False
) -> Injection | None:
    """One break of ``kind`` at a place ``rng`` picks, or None when the page has no place."""
    found = injections(text, kind, nested)
    return rng.choice(found) if found else None


@dataclass(frozen=True, slots=True)
class InjectionOutcome:
    """What the rules made of one injected break.

    ``found``: some finding; ``at_position``: a finding starting where the break is;
    ``fixed``: ``fix --unsafe-fixes`` changed the page; ``repaired``: and the result renders as
    the unbroken page did (``None`` when nothing was rendered).
    """

    injection: Injection
    findings: tuple[tuple[str, int, int], ...]
    """(code, line, column) of every finding on the broken page."""
    found: bool
    at_position: bool
    fixed: bool
    repaired: bool | None
    lost: str = ""
    gained: str = ""

    @property
    def ok(self) -> bool:
        """Found at the right place, and either repaired or left alone by the fix."""
        return self.at_position and (not self.fixed or bool(self.repaired))


def evaluate(
    injection: Injection,
    title: str,
    ns: int,
    oracle: RenderOracle | None,
    linter: Linter,
) -> InjectionOutcome:
    """Lint the broken page with ``linter``, fix it with unsafe fixes on (as
    ``fix --unsafe-fixes``) and, when the fix changed it and an oracle is given, compare the
    result's render with the unbroken page's."""
    document = Document(injection.text, title, ns)
    diagnostics = linter.check(document)
    findings = tuple((d.code, *document.position(d.start)) for d in diagnostics)
    at_position = any(d.start == injection.expected for d in diagnostics)
    result = fix_text(injection.text, title=title, namespace=ns, linter=linter, unsafe=True)
    repaired: bool | None = None
    lost = gained = ""
    if result.changed and oracle is not None:
        diff = oracle.compare(title, injection.original, result.text)
        repaired = diff.unchanged
        lost = " | ".join(s.text for s in diff.lost)
        gained = " | ".join(s.text for s in diff.gained)
    return InjectionOutcome(
        injection,
        findings,
        bool(diagnostics),
        at_position,
        result.changed,
        repaired,
        lost,
        gained,
    )
