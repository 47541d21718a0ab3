"""Braces and brackets: stray closers, unclosed openers, parameters outside templates, tables."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

import mwparserfromhell
from mwparserfromhell.nodes import Template

from wikitools.document import Document
from wikitools.fixes.model import Applicability, Edit, Fix
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.rule import FixAvailability, Rule, RuleContext
from wikitools.parsing.brackets import (
    ARGUMENT,
    LINK,
    TABLE,
    TEMPLATE,
    BracketScan,
    Pair,
    scan_page,
)
from wikitools.parsing.effects import effects_for
from wikitools.parsing.magicwords import builtin
from wikitools.parsing.regions import IgnoredRegions, TagSpan, merge_spans
from wikitools.rules.closers import place_closer, structure
from wikitools.site.context import SiteContext
from wikitools.titles import TEMPLATE as TEMPLATE_NS
from wikitools.titles import is_translation_unit

#: Namespace of the Translate extension's translation units.


def bracket_scan(document: Document, site: SiteContext | None = None) -> BracketScan:
    """The page's bracket scan, shared by all rules of this family.

    With a ``site``, template bodies tell which calls open or close tables and which show
    code; without one, names do (conservatively). See :func:`scan_page`.
    """
    key = "brackets" if site is None else f"brackets@{id(site)}"
    return document.memo(key, lambda d: scan_page(d.text, effects_for(site)))


def template_calls(document: Document) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of every template call the bracket scan matched, nested ones too,
    without a full parse (the name is the text before the first ``|``, stripped)."""
    text = document.text
    for pair in bracket_scan(document).pairs:
        if pair.kind == TEMPLATE:
            head = text[pair.open_end : pair.close_start]
            yield head.split("|", 1)[0].strip(), pair.open_start, pair.close_end


def parse_call(call: str) -> Template | None:
    """One call's wikitext parsed on its own (cheap next to parsing the page)."""
    nodes = mwparserfromhell.parse(call).nodes
    return nodes[0] if len(nodes) == 1 and isinstance(nodes[0], Template) else None


def is_fragment(document: Document) -> bool:
    """True for pages that are pieces of other pages: Translate's translation units
    (``Translations:Page/3/fr``), whose tables and calls open and close in other units."""
    return is_translation_unit(document.namespace, document.title)


_NOINCLUDE = re.compile(r"<noinclude\s*>.*?(?:</noinclude\s*>|$)", re.IGNORECASE | re.DOTALL)


def transcluded_part(document: Document) -> Callable[[int], bool]:
    """For template-like pages: a test whether an offset lies in the part other pages
    transclude (outside ``<noinclude>``). A closer there may close what the calling page
    opened (``Template:))`` is ``}}`` on purpose), so it is no stray on the template's own
    page. Other pages: nothing is transcluded."""
    if not is_template_like(document):
        return lambda _offset: False
    text = document.text
    spans = [m.span() for m in _NOINCLUDE.finditer(text)] if "noinclude" in text.lower() else []
    regions = IgnoredRegions(spans)
    return lambda offset: not regions.contains(offset)


def is_template_like(document: Document) -> bool:
    """True for templates and for translation units of templates: their ``{{{…}}}``,
    open tables and stray ``|}`` are meant for the pages that call them."""
    title = document.title or ""
    return document.namespace == TEMPLATE_NS or title.startswith("Translations:Template:")


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _skip_nested(pairs: list[Pair], after: int, point: int, text: str) -> int:
    """Move an end-of-line ``point`` past constructs opened after ``after`` that span it."""
    index = bisect.bisect_left(pairs, after, key=lambda pair: pair.open_start)
    while index < len(pairs) and pairs[index].open_start < point:
        if pairs[index].close_end > point:
            point = _line_end(text, pairs[index].close_end)
        index += 1
    return point


# Lines that continue a call laid out over lines: parameters, list items, tags, closers, and
# table rows written with {{!}} or {| inside a parameter.
_BLOCK_CONTINUES = re.compile(r"[ \t]*(?:[|*#:<!}]|\{\{!\}\}|\{\|)")


class StrayTemplateClose(Rule):
    """Flags ``}}`` (or ``}}}``) that closes nothing.

    What it does:
    Finds closing braces with no open template call or parameter to close.

    Template pages are out of scope (a pulled template stays byte-identical); in a
    translation unit of a template only the ``<noinclude>`` part counts: what the
    template outputs may close a call its caller opened (``Template:))`` is ``}}``).
    Braces in code (``<code>``, preformatted lines, code templates) are the author's
    text.

    Why it matters:
    MediaWiki prints such braces as literal text, as in "ჯუღაშვილი}};" on pages whose
    opening ``{{lang-ka|`` was lost when the text was copied or edited.

    Example:
    Georgian: იოსებ ბესარიონის ძე ჯუღაშვილი}}; December 18, 1878

    Use instead:
    Georgian: იოსებ ბესარიონის ძე ჯუღაშვილი; December 18, 1878

    Fix safety:
    Safe: the braces only ever rendered as stray characters, so removing them is the
    correction itself and no content readers saw is lost. Unsafe when the braces stand
    alone on an indented line (`` }}``): MediaWiki shows them in a preformatted box, and
    the render oracle cannot tell that box from code the author meant.
    """

    code = "B101"
    name = "stray-template-close"
    summary = "Closing braces '}}' that close no template"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (
        Applicability.SAFE,
        Applicability.UNSAFE,
    )

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        transcluded = transcluded_part(ctx.document)
        for stray in bracket_scan(ctx.document, ctx.site).stray:
            if stray.kind == LINK or stray.kind == TABLE or transcluded(stray.start):
                continue
            text = ctx.document.text
            braces = text[stray.start : stray.end]
            line = text[_line_start(text, stray.start) : _line_end(text, stray.end)]
            boxed = line[:1] in (" ", "\t") and line.strip() == braces
            yield ctx.diagnostic(
                stray.start,
                stray.end,
                f"Stray '{braces}' closes no template call; it shows as literal text",
                Fix.of(
                    f"Remove the stray '{braces}'",
                    [Edit.delete(stray.start, stray.end)],
                    Applicability.UNSAFE if boxed else Applicability.SAFE,
                ),
            )


class UnclosedTemplate(Rule):
    """Flags ``{{`` (or ``{{{``) that is never closed.

    What it does:
    Finds template calls and parameters whose closing braces are missing.

    Why it matters:
    MediaWiki shows the call as raw text, or lets it swallow text up to some later
    ``}}`` meant for another call, so parameters and prose end up in the wrong place.

    Example:
    {{Infobox officeholder
    | name = Joseph Stalin

    '''Joseph Stalin''' was ...

    Use instead:
    {{Infobox officeholder
    | name = Joseph Stalin
    }}

    '''Joseph Stalin''' was ...

    Fix safety:
    Unsafe where the structure shows the end (see ``wikitools.rules.closers``): before
    the ``</ref>`` of the citation the call is in (never across an extension tag), after
    the last parameter line of a call laid out over lines, after the name of a call
    without arguments, before the next table cell, or at the end of a line the call
    makes up. A call in prose, or an unclosed ``{{{`` (shown as text), gets the closer
    only as a suggestion. Injected breaks in real pages, judged by MediaWiki's render:
    about 70% repaired exactly, under 3% closed in the wrong place.
    """

    code = "B102"
    name = "unclosed-template"
    summary = "Template call '{{' or parameter '{{{' that is never closed"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (
        Applicability.UNSAFE,
        Applicability.DISPLAY_ONLY,
    )

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        document = ctx.document
        text = document.text
        scan = bracket_scan(document)
        for unclosed in scan.unclosed:
            if unclosed.kind != ARGUMENT:
                continue
            at = _line_end(text, unclosed.end)
            if unclosed.cut is not None and unclosed.cut < at:
                at = unclosed.cut
            yield ctx.diagnostic(
                unclosed.start,
                unclosed.end,
                "'{{{' opens a template parameter that is never closed; MediaWiki shows it as text",
                Fix.of(
                    f"Close it with '}}}}}}' on line {document.position(at)[0]}",
                    [Edit.insert(at, "}}}")],
                    Applicability.DISPLAY_ONLY,
                ),
            )
        if not any(u.kind == TEMPLATE for u in scan.unclosed):
            return
        for unclosed, segment in structure(document).unclosed:
            if unclosed.kind != TEMPLATE:
                continue
            placement = place_closer(document, unclosed, segment)
            line = document.position(placement.at)[0]
            yield ctx.diagnostic(
                unclosed.start,
                unclosed.end,
                "'{{' opens a template call that is never closed",
                Fix.of(
                    f"Close it with '}}}}' on line {line}",
                    [Edit.insert(placement.at, placement.insert)],
                    placement.applicability,
                ),
            )


_HEAD = re.compile(r"[^|{}\[\]<>\n]*")


def _runaway_end(text: str, pair: Pair, pairs: list[Pair]) -> int | None:
    """Where a parameter block ``{{Name`` + ``| …`` lines really ends, when its ``}}`` lies
    in prose further down; None unless the call is laid out over parameter lines, a prose
    paragraph follows them (after a blank line) before the closer, and the closer sits
    after text on its line. Parser functions (``{{#switch:``) are code, never prose."""
    if text.find("\n", pair.open_end, pair.close_start) < 0:
        return None  # a call on one line
    head = _HEAD.match(text, pair.open_end)
    if head is not None and builtin().is_function(head.group()):
        return None  # {{#switch:…}}, {{#if:…}}: code whose values run over lines
    closer_line = text[_line_start(text, pair.close_start) : pair.close_start]
    if not closer_line.strip(" \t|"):  # the closer ends the parameter lines
        return None
    first_end = _skip_nested(pairs, pair.open_end, _line_end(text, pair.open_end), text)
    if first_end >= pair.close_start or not _BLOCK_CONTINUES.match(text, first_end + 1):
        return None
    pos = first_end + 1
    while pos < pair.close_start:
        line_end = _skip_nested(pairs, pair.open_end, _line_end(text, pos), text)
        line = text[pos:line_end]
        if line.strip() and not _BLOCK_CONTINUES.match(line):
            if text[_line_start(text, pos - 1) : pos - 1].strip():
                return None  # a value that goes on over the next line, no paragraph break
            end = pos
            while end > first_end + 1 and not text[_line_start(text, end - 1) : end - 1].strip():
                end = _line_start(text, end - 1)  # back over blank lines
            return end
        pos = line_end + 1
    return None


class RunawayTemplate(Rule):
    """Flags a multi-line template call whose ``}}`` is missing, so a later ``}}`` closes it.

    What it does:
    Finds calls laid out as ``{{Name`` plus ``| key = value`` lines that run on into
    prose and are closed by a ``}}`` that sits after text further down.

    Why it matters:
    The call swallows everything up to that ``}}``: the prose becomes part of the last
    parameter and disappears from the page, or lands inside the infobox.

    Example:
    {{Infobox settlement
    | name = Gori

    '''Gori''' is a city}} in Georgia.

    Use instead:
    {{Infobox settlement
    | name = Gori
    }}

    '''Gori''' is a city in Georgia.

    Fix safety:
    Unsafe: the call is closed after its last parameter line and the far ``}}`` is
    removed; that is the likely intent, but a person should look at the result.
    """

    code = "B108"
    name = "runaway-template"
    summary = "Multi-line template call closed by a '}}' far down in the prose"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (Applicability.UNSAFE,)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        text = ctx.document.text
        pairs = bracket_scan(ctx.document).pairs
        for pair in pairs:
            if pair.kind != TEMPLATE:
                continue
            end = _runaway_end(text, pair, pairs)
            if end is None:
                continue
            line = ctx.document.position(pair.close_start)[0]
            yield ctx.diagnostic(
                pair.open_start,
                pair.open_end,
                "Template call runs on into the text and is only closed by the '}}' on "
                f"line {line}",
                Fix.of(
                    "Close the call after its parameters and remove the far '}}'",
                    [Edit.insert(end, "}}\n"), Edit.delete(pair.close_start, pair.close_end)],
                    Applicability.UNSAFE,
                ),
            )


_EXTERNAL_LINK = re.compile(r"\[(?:https?:|ftp:|ftps:|mailto:|//)", re.IGNORECASE)


def _open_singles(
    text: str, start: int, end: int, markers: set[int], tags: list[TagSpan]
) -> list[int]:
    """Offsets of the single ``[`` in ``text[start:end]`` that no ``]`` closed yet; the
    characters of matched ``[[``/``]]`` (``markers``) are links and left out, and so are
    extension tags (``tags``): their content is a scope of its own."""
    opened: list[int] = []
    skip = [(t.open_start, t.close_end) for t in tags if t.close_end > start and t.open_start < end]
    pos = start
    while pos < end:
        if skip and skip[0][0] <= pos:
            pos = max(pos, skip.pop(0)[1])
            continue
        char = text[pos]
        pos += 1
        if char not in "[]" or pos - 1 in markers:
            continue
        if char == "[":
            opened.append(pos - 1)
        elif opened:
            opened.pop()
    return opened


def _link_markers(scan: BracketScan) -> set[int]:
    """Offsets of the characters of every matched ``[[`` and ``]]``."""
    markers: set[int] = set()
    for pair in scan.pairs:
        if pair.kind == LINK:
            markers.update(range(pair.open_start, pair.open_end))
            markers.update(range(pair.close_start, pair.close_end))
    return markers


class StrayLinkClose(Rule):
    """Flags ``]]`` that closes no link.

    What it does:
    Finds closing link brackets with no ``[[`` to close.

    Why it matters:
    MediaWiki prints them as literal brackets; usually the opening ``[[`` was lost.

    Example:
    born in Gori]], Georgia

    Use instead:
    born in Gori, Georgia

    On a template page only the ``<noinclude>`` part counts, and code is the author's
    text. A ``]]`` that closes single brackets opened on its line is no link closer: an
    external link whose label holds brackets (``[http://x label [y]]``), or text such as
    an interval ``[-1; 1]]``.

    Fix safety:
    Safe: the brackets only rendered as stray characters. After an external link
    (``[http://… label]]``) only the extra bracket is removed.
    """

    code = "B103"
    name = "stray-link-close"
    summary = "Closing brackets ']]' that close no link"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (Applicability.SAFE,)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        text = ctx.document.text
        scan = bracket_scan(ctx.document, ctx.site)
        transcluded = transcluded_part(ctx.document)
        markers: set[int] | None = None
        for stray in scan.stray:
            if stray.kind != LINK or transcluded(stray.start):
                continue
            if markers is None:
                markers = _link_markers(scan)
            start = stray.start
            scope = scan.scope_of(start)
            line_start = _line_start(text, start)
            if scope is not None:
                line_start = max(line_start, scope.content_start)
            nearby = scan.tags_overlapping(line_start, start)  # the only ones the line meets
            inner = [t for t in nearby if not t.open_start <= start < t.close_end]
            singles = _open_singles(text, line_start, start, markers, inner)
            if len(singles) >= 2 or (singles and not _EXTERNAL_LINK.match(text, singles[0])):
                continue  # the brackets close single brackets: text, not a link closer
            if singles:
                start += 1  # the first ']' closes the external link
            yield ctx.diagnostic(
                start,
                stray.end,
                f"Stray '{text[start : stray.end]}' closes no link; it shows as literal text",
                Fix.of("Remove the stray brackets", [Edit.delete(start, stray.end)]),
            )


class UnclosedLink(Rule):
    """Flags ``[[`` that is never closed.

    What it does:
    Finds internal links, files and categories whose ``]]`` is missing.

    Why it matters:
    The link does not work, and MediaWiki shows the brackets and target as text.

    Example:
    {{cite book |title=[[Stalin: Paradoxes of Power}}

    Use instead:
    {{cite book |title=[[Stalin: Paradoxes of Power]]}}

    Fix safety:
    Unsafe where the structure shows where the link ended: before a ``|name=`` parameter
    or the ``}}`` of the enclosing call, before the next table cell, or at the end of a
    line (or list item) the link makes up when no link on the page is followed by text on
    its line. A link in prose gets the closer only as a suggestion, since its end is a
    guess.
    """

    code = "B104"
    name = "unclosed-link"
    summary = "Link '[[' that is never closed"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (
        Applicability.UNSAFE,
        Applicability.DISPLAY_ONLY,
    )

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        document = ctx.document
        if not any(u.kind == LINK for u in bracket_scan(document).unclosed):
            return
        for unclosed, segment in structure(document).unclosed:
            if unclosed.kind != LINK:
                continue
            placement = place_closer(document, unclosed, segment)
            yield ctx.diagnostic(
                unclosed.start,
                unclosed.end,
                "'[[' opens a link that is never closed",
                Fix.of(
                    "Close the link with ']]'",
                    [Edit.insert(placement.at, placement.insert)],
                    placement.applicability,
                ),
            )


def _top_level_pipe(text: str, start: int, end: int, skip: IgnoredRegions) -> int:
    """Offset of the first '|' in ``text[start:end]`` outside nested braces/brackets and
    outside tags and comments (``skip``), where the preprocessor splits; or -1."""
    depth = 0
    pos = start
    while pos < end:
        if text[pos] == "<":
            after = skip.end_of(pos)
            if after is not None:
                pos = after
                continue
        pair = text[pos : pos + 2]
        if pair in ("{{", "[["):
            depth += 1
            pos += 2
            continue
        if pair in ("}}", "]]"):
            depth -= 1
            pos += 2
            continue
        if text[pos] == "|" and depth == 0:
            return pos
        pos += 1
    return -1


class ParameterOutsideTemplate(Rule):
    """Flags template parameters ``{{{name|default}}}`` on pages that are not templates.

    What it does:
    Finds ``{{{…|…}}}`` outside the Template namespace (and outside ``<includeonly>``
    pages and translation units of templates), typically copied from a template's
    source into an article. A ``{{{name}}}`` without a ``|`` renders verbatim, so it is
    the author's text (a fold marker, code), not a parameter; code is never flagged.

    Why it matters:
    Outside a template nothing fills the parameter: MediaWiki shows the default value
    (the text up to the next ``|``) and silently drops the rest.

    Example:
    Born {{{birth_date|18 December 1878}}} in Gori.

    Use instead:
    Born 18 December 1878 in Gori.

    Fix safety:
    Safe: the parameter is replaced by exactly what MediaWiki shows for it, the text
    between the first and the next top-level ``|``.
    """

    code = "B105"
    name = "parameter-outside-template"
    summary = "Template parameter '{{{…}}}' on a page that is not a template"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (Applicability.SAFE,)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        document = ctx.document
        if is_template_like(document):
            return
        text = document.text
        if _has_inclusion_tag(text):
            return
        scan = bracket_scan(document, ctx.site)
        arguments = [pair for pair in scan.pairs if pair.kind == ARGUMENT]
        if not arguments:
            return
        skip = IgnoredRegions(
            merge_spans([(t.open_start, t.close_end) for t in scan.tags] + document.ignored.spans)
        )
        taken_until = -1
        for pair in arguments:
            if pair.open_start < taken_until:
                continue
            if scan.in_code(pair.open_start):
                continue
            pipe = _top_level_pipe(text, pair.open_end, pair.close_start, skip)
            if pipe < 0:
                continue  # "{{{x}}}" renders as written: no parameter
            taken_until = pair.close_end
            second = _top_level_pipe(text, pipe + 1, pair.close_start, skip)
            default = text[pipe + 1 : pair.close_start if second < 0 else second]
            yield ctx.diagnostic(
                pair.open_start,
                pair.close_end,
                f"Template parameter '{text[pair.open_start : pair.close_end]}' on a page "
                "that is not a template; only its default shows",
                Fix.of(
                    "Replace the parameter with the default value it shows",
                    [Edit(pair.open_start, pair.close_end, default)],
                ),
            )


def _has_inclusion_tag(text: str) -> bool:
    """True when ``text`` holds ``<includeonly`` or ``<onlyinclude`` in any letter case.

    Tested on the UTF-8 bytes with their ASCII letters lowered, several times faster than
    ``str.lower()`` and the same answer: the only other characters whose lower case holds
    an ASCII letter are "İ" (an "i" and a combining dot, which no "n" follows) and the
    Kelvin sign ("k").
    """
    folded = text.encode("utf-8", "surrogatepass").lower()
    return b"<includeonly" in folded or b"<onlyinclude" in folded


_HEADING_LINE = re.compile(r"^=+[^=\n].*=+[ \t]*$", re.MULTILINE)


def _table_close_point(text: str, after: int, headings: list[int]) -> tuple[int, str]:
    """Where a table opened before ``after`` closes; ``headings`` are the starts of the
    page's heading lines (what ``_HEADING_LINE.search(text, after)`` would find, at once)."""
    index = bisect.bisect_left(headings, after)
    if index == len(headings):
        end = len(text)
        while end and text[end - 1] == "\n":  # len(text.rstrip("\n")), without the copy
            end -= 1
        return end, "\n|}"
    at = headings[index]
    while at > after + 1 and text[at - 2] == "\n":
        at -= 1  # step back over blank lines before the heading
    return at, "|}\n"


class UnclosedTable(Rule):
    """Flags a table ``{|`` with no ``|}``.

    What it does:
    Finds tables that are opened but never closed.

    Why it matters:
    Everything after the opener, up to the end of the page, becomes part of the table,
    which breaks the layout of the following sections.

    Example:
    {| class="wikitable"
    | a || b

    == Later life ==

    Use instead:
    {| class="wikitable"
    | a || b
    |}

    == Later life ==

    A table closed by a template's output (``{{Table end}}``, or any template whose
    body holds the ``|}`` when a site is known) is closed. Template pages and
    translation units are not checked: they are pieces of the pages that use them.

    Fix safety:
    Unsafe: the table is closed before the next heading (or at the end of the page),
    which is where it most likely ended but may not be.
    """

    code = "B106"
    name = "unclosed-table"
    summary = "Table '{|' that is never closed"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (Applicability.UNSAFE,)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if is_template_like(ctx.document) or is_fragment(ctx.document):
            return  # a "table start" template, or a piece of a page: closed elsewhere
        text = ctx.document.text
        headings: list[int] | None = None
        for unclosed in bracket_scan(ctx.document, ctx.site).unclosed:
            if unclosed.kind != TABLE:
                continue
            if headings is None:
                headings = [m.start() for m in _HEADING_LINE.finditer(text)]
            at, insert = _table_close_point(text, unclosed.end, headings)
            yield ctx.diagnostic(
                unclosed.start,
                unclosed.end,
                "Table '{|' is never closed with '|}'",
                Fix.of(
                    "Close the table before the next heading",
                    [Edit.insert(at, insert)],
                    Applicability.UNSAFE,
                ),
            )


class StrayTableClose(Rule):
    """Flags a ``|}`` with no open table.

    What it does:
    Finds table closers with no ``{|`` before them. A table may start after indentation
    (``:{|``) or be opened by a template's output: with a site, each template's body
    tells whether it opens tables (``{{ItemPrice/head}}``); without one, names such as
    ``{{s-start}}``, ``{{col-begin}}`` or ``{{Loot/head}}`` are taken to open any number.
    Template pages and translation units are not checked.

    Why it matters:
    MediaWiki prints the stray ``|}`` as text.

    Example:
    Some text.
    |}

    Use instead:
    Some text.

    Fix safety:
    Safe when the wiki is known, or no template is called before the ``|}``: with no
    table open the characters only rendered as text. Unsafe when an unknown template
    called earlier might have opened the table the ``|}`` closes.
    """

    code = "B107"
    name = "stray-table-close"
    summary = "Table closer '|}' with no open table"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (
        Applicability.SAFE,
        Applicability.UNSAFE,
    )

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        if is_template_like(ctx.document) or is_fragment(ctx.document):
            return
        text = ctx.document.text
        scan = bracket_scan(ctx.document, ctx.site)
        first_call = next((p.open_start for p in scan.pairs if p.kind == TEMPLATE), len(text))
        for stray in scan.stray:
            if stray.kind != TABLE:
                continue
            start, end = stray.start, stray.end
            line_start = _line_start(text, start)
            if not text[line_start:start].strip() and text[end : end + 1] in ("\n", ""):
                start, end = line_start, min(end + 1, len(text))
            applicability = (
                Applicability.UNSAFE
                if ctx.site is None and first_call < stray.start
                else Applicability.SAFE
            )
            yield ctx.diagnostic(
                stray.start,
                stray.end,
                "Table closer '|}' with no open table; it shows as literal text",
                Fix.of("Remove the stray '|}'", [Edit.delete(start, end)], applicability),
            )
