"""References: unclosed and stray ref tags, a missing references list, clashing named refs."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from wikitools.document import Document
from wikitools.fixes.model import Applicability, Edit, Fix
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.rule import FixAvailability, Rule, RuleContext
from wikitools.parsing.brackets import Pair
from wikitools.parsing.params import split_quoted, template_params
from wikitools.rules.braces import bracket_scan, parse_call, template_calls
from wikitools.rules.footnotes.families import FamilyKind, family_of
from wikitools.rules.reflists import list_groups

_REF_TAG = re.compile(r"<ref\b([^>]*?)(/?)>|</ref\s*>", re.IGNORECASE)
_NAME_ATTR = re.compile(r"""\bname\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'/>]+))""", re.IGNORECASE)
_GROUP_ATTR = re.compile(r"""\bgroup\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'/>]+))""", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _attr(pattern: re.Pattern[str], attrs: str) -> str | None:
    return _value(pattern.search(attrs))


def _value(match: re.Match[str] | None) -> str | None:
    """The trimmed value of an attribute match (of its one quoting alternative that matched)."""
    return None if match is None else match.group(match.lastindex or 0).strip()


def _quote_of(match: re.Match[str] | None) -> str:
    """How an attribute match quotes its value: ``"``, ``'`` or ``""`` (bare)."""
    if match is None or match.group(1) is not None:
        return '"'
    return "'" if match.group(2) is not None else ""


@dataclass(frozen=True, slots=True)
class RefTag:
    """One ``<ref>`` element (or the unpaired half of one)."""

    start: int
    open_end: int
    close_start: int | None  # None: self-closing or never closed
    end: int
    name: str | None
    group: str
    self_closing: bool
    group_quote: str = '"'
    """How the tag quotes its group: ``"``, ``'`` or ``""`` (bare)."""


@dataclass
class RefScan:
    """The page's ref elements, unclosed openers and stray closers."""

    refs: list[RefTag] = field(default_factory=list)
    unclosed: list[tuple[int, int, int | None]] = field(default_factory=list)
    stray: list[tuple[int, int]] = field(default_factory=list)


def scan_refs(document: Document) -> RefScan:
    """Pair ``<ref>`` and ``</ref>`` tags outside comments and nowiki."""
    scan = RefScan()
    text = document.text
    open_tag: re.Match[str] | None = None
    # MediaWiki gives an open <ref> the next </ref>, whatever <ref> tags come between (Cite
    # then shows "Closing </ref> missing"): that </ref> is no stray, though the opener is
    # reported as unclosed where the next <ref> shows its citation ended.
    held_open = False
    for match in document.ignored.filter(_REF_TAG.finditer(text)):
        if match.group(0).startswith("</"):
            if open_tag is not None:
                scan.refs.append(_ref(open_tag, match.start(), match.end()))
                open_tag = None
            elif not held_open:
                scan.stray.append(match.span())
            held_open = False
            continue
        if open_tag is not None:  # a new <ref> while one is open: the first was never closed
            scan.unclosed.append((open_tag.start(), open_tag.end(), match.start()))
            open_tag = None
        if match.group(2):
            scan.refs.append(_ref(match, None, match.end()))
        else:
            open_tag = match
            held_open = True
    if open_tag is not None:
        scan.unclosed.append((open_tag.start(), open_tag.end(), None))
    return scan


def _ref(opener: re.Match[str], close_start: int | None, end: int) -> RefTag:
    attrs = opener.group(1)
    self_closing = bool(opener.group(2))
    if not attrs:  # "<ref>": no name, the default group
        return RefTag(opener.start(), opener.end(), close_start, end, None, "", self_closing)
    group = _GROUP_ATTR.search(attrs)
    return RefTag(
        opener.start(),
        opener.end(),
        close_start,
        end,
        _attr(_NAME_ATTR, attrs),
        _value(group) or "",
        self_closing,
        _quote_of(group),
    )


def ref_scan(document: Document) -> RefScan:
    """The page's ref scan, shared by all rules of this family."""
    return document.memo("refs", scan_refs)


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """A footnote a template call defines: ``{{#tag:ref|…|name=x}}``, ``{{refn|name=x|…}}``,
    ``{{efn|name=x|…}}``, or any call with a ``name=`` argument.

    ``group`` is None when it is unknown (a template this module does not know, which may
    or may not make a footnote of that name).
    """

    start: int
    end: int
    name: str
    group: str | None


_NOTE_CONTENT = ("1", "reference", "content", "text", "refn")
#: A parameter's name is the text between its ``|`` and ``=``, trimmed: a call without this
#: has no ``name`` parameter, so it need not be parsed.
_NAME_PARAM = re.compile(r"\|\s*name\s*=")


def _template_refs(document: Document) -> list[TemplateRef]:
    found: list[TemplateRef] = []
    text = document.text
    for _name, start, end in template_calls(document):
        call = text[start:end]
        node = parse_call(call) if _NAME_PARAM.search(call) else None
        if node is None:
            continue
        label = str(node.name).strip()
        params = template_params(node)
        name, _ = split_quoted(params.get("name", ""))
        if not name or "{" in name:
            continue
        group, _ = split_quoted(params.get("group", ""))
        folded = label.replace("_", " ").lower()
        family = family_of(label.split(":", 1)[1] if folded.startswith("template:") else label)
        if re.match(r"#tag\s*:\s*ref\s*$", folded):
            if params.get("1", "").strip():
                found.append(TemplateRef(start, end, name, group))
        elif family is not None and family.kind is FamilyKind.NOTE:
            if any(params.get(key, "").strip() for key in _NOTE_CONTENT):
                found.append(TemplateRef(start, end, name, group or family.group))
        else:
            found.append(TemplateRef(start, end, name, None))
    return found


def template_refs(document: Document) -> list[TemplateRef]:
    """The footnotes the page's template calls define (see :class:`TemplateRef`)."""
    return document.memo("template-refs", _template_refs)


_BROKEN_CLOSE = re.compile(r"<\s*/\s*ref(?![\w-])(?:\s*>)?|<\\\s*ref\s*>", re.IGNORECASE)
_EXTERNAL_LINK = re.compile(r"\[(?:https?:)?//[^\s\[\]<>]+(?:[ \t][^\[\]\n]*)?\]")


_LEADING_SPACE = re.compile(r"\s*")


@dataclass(frozen=True, slots=True)
class _UnclosedIndex:
    """What :func:`close_unclosed_ref` looks up for every unclosed ref, built once a page
    (so each lookup costs a dictionary access or a bisection, not a pass over the page)."""

    named: dict[str, list[RefTag]]
    """Closed refs by name, in page order."""
    definers: dict[str, list[int]]
    """Starts of the closed refs that give each name a content."""
    call_at: dict[int, Pair]
    """The first template pair of the bracket scan opening at each offset."""
    pair_starts: list[int]
    """``open_start`` of every pair of the bracket scan (which sorts them by it)."""
    unclosed_starts: list[int]
    """``start`` of every unclosed bracket of the scan (sorted the same way)."""


def _unclosed_index(document: Document) -> _UnclosedIndex:
    def build(document: Document) -> _UnclosedIndex:
        text = document.text
        named: dict[str, list[RefTag]] = {}
        definers: dict[str, list[int]] = {}
        for ref in ref_scan(document).refs:
            if ref.name is None:
                continue
            if ref.close_start is not None:
                named.setdefault(ref.name, []).append(ref)
                if _content(text, ref):
                    definers.setdefault(ref.name, []).append(ref.start)
        scan = bracket_scan(document)
        call_at: dict[int, Pair] = {}
        for pair in scan.pairs:
            if pair.kind == "template":
                call_at.setdefault(pair.open_start, pair)
        return _UnclosedIndex(
            named,
            definers,
            call_at,
            [pair.open_start for pair in scan.pairs],
            [unclosed.start for unclosed in scan.unclosed],
        )

    return document.memo("refs-unclosed-index", build)


def _template_ref_names(document: Document) -> set[str]:
    return document.memo("template-ref-names", lambda d: {made.name for made in template_refs(d)})


@dataclass(frozen=True, slots=True)
class Closing:
    """Where an unclosed ref's ``</ref>`` goes, and how sure that is."""

    edit: Edit
    title: str
    applicability: Applicability


def close_unclosed_ref(document: Document, start: int, open_end: int, cut: int | None) -> Closing:
    """Where the citation of the ``<ref>`` at ``start`` ends.

    ``cut`` is the next ``<ref`` (the citation ends before it at the latest). In order:
    a misspelt closer (``</ref``, ``< /ref>``) is corrected; a named opener whose name is
    defined elsewhere becomes a reuse (``<ref name=x />``); ``</ref>`` goes right after a
    citation template call or external link the ref starts with, or before the next
    ``<ref`` on the same line. Otherwise the end is unknown: a display-only suggestion at
    the line end (MediaWiki shows everything up to the next ``</ref>`` as one broken
    citation, so the line end is a guess).
    """
    text = document.text
    limit = len(text) if cut is None else cut
    line_end = text.find("\n", open_end)
    line_end = len(text) if line_end < 0 else line_end
    broken = _BROKEN_CLOSE.search(text, open_end, limit)
    if broken is not None and not document.is_ignored(broken.start()):
        return Closing(
            Edit(broken.start(), broken.end(), "</ref>"),
            f"Replace the misspelt closer {broken.group(0)!r} with '</ref>'",
            Applicability.UNSAFE,
        )
    opener = text[start:open_end]
    name = _attr(_NAME_ATTR, opener[4:-1])
    space = _LEADING_SPACE.match(text, open_end, limit)
    content_start = open_end if space is None else space.end()
    starts_citation = text.startswith(("{{", "["), content_start)
    known = _known_content(document, name, start, open_end, limit) if name is not None else None
    if known is not None:
        return Closing(
            Edit.insert(known, "</ref>"),
            f"Close the reference after the content '{name}' has where it is defined again",
            Applicability.UNSAFE,
        )
    if name is not None and not starts_citation and _defined_elsewhere(document, name, start):
        return Closing(
            Edit(open_end - 1, open_end, " />"),
            f"Make it a reuse of the reference '{name}' (<ref name=... />)",
            Applicability.UNSAFE,
        )
    scan = bracket_scan(document)
    pairs = scan.pairs
    index = _unclosed_index(document)
    pair = index.call_at.get(content_start)
    if pair is not None and pair.close_end <= limit:
        return Closing(
            Edit.insert(pair.close_end, "</ref>"),
            "Close the reference after the citation template",
            Applicability.UNSAFE,
        )
    link = _EXTERNAL_LINK.match(text, content_start)
    if link is not None and link.end() <= min(limit, line_end):
        return Closing(
            Edit.insert(link.end(), "</ref>"),
            "Close the reference after the link it cites",
            Applicability.UNSAFE,
        )
    # A call or link that spans the next <ref>, or is left open before it (the bracket
    # scan keeps each ref's brackets to itself), means the citation's end is unclear.
    first, stop = (bisect.bisect_left(index.pair_starts, edge) for edge in (open_end, limit))
    crossing = any(limit < pairs[i].close_end for i in range(first, stop)) or (
        bisect.bisect_left(index.unclosed_starts, open_end)
        < bisect.bisect_left(index.unclosed_starts, limit)
    )
    if cut is not None and cut <= line_end and not crossing:
        return Closing(
            Edit.insert(cut, "</ref>"),
            "Close the reference before the next '<ref>'",
            Applicability.UNSAFE,
        )
    return Closing(
        Edit.insert(min(line_end, limit), "</ref>"),
        "Close the reference where its citation ends (the line end is only a guess)",
        Applicability.DISPLAY_ONLY,
    )


def _known_content(
    document: Document, name: str, start: int, open_end: int, limit: int
) -> int | None:
    """Where the unclosed ref's citation ends when another ref of the same name holds the
    same content (a named citation written out twice): the offset after that content."""
    text = document.text
    for ref in _unclosed_index(document).named.get(name, ()):
        if ref.start == start:
            continue
        content = _content(text, ref)
        if content.strip() and text.startswith(content, open_end):
            end = open_end + len(content)
            if end <= limit:
                return end
    return None


def _defined_elsewhere(document: Document, name: str, start: int) -> bool:
    if any(other != start for other in _unclosed_index(document).definers.get(name, ())):
        return True
    return name in _template_ref_names(document)


class UnclosedRef(Rule):
    """Flags ``<ref>`` with no ``</ref>``.

    What it does:
    Finds reference tags that are opened but never closed (before the next ``<ref>``
    or the end of the page).

    Why it matters:
    MediaWiki takes everything up to the next ``</ref>`` (another citation's) as this
    one, shows "Cite error: Closing </ref> missing for <ref> tag" and hides that text
    and the citations in it; with no later ``</ref>``, the tag and citation show as raw
    text.

    Example:
    He was born in Gori.<ref>{{cite book |last=Service |year=2004}} He studied

    Use instead:
    He was born in Gori.<ref>{{cite book |last=Service |year=2004}}</ref> He studied

    Fix safety:
    Unsafe, and only where the citation's end shows: a misspelt ``</ref`` is corrected;
    a named opener whose name is defined elsewhere becomes a reuse; ``</ref>`` goes right
    after a citation template call or external link the ref starts with, or before the
    next ``<ref>`` on the same line. Otherwise the fix is display-only: a closer at the
    line end would turn the prose that follows into part of the footnote.
    """

    code = "R101"
    name = "unclosed-ref"
    summary = "'<ref>' that is never closed"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (
        Applicability.UNSAFE,
        Applicability.DISPLAY_ONLY,
    )

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for start, open_end, cut in ref_scan(ctx.document).unclosed:
            closing = close_unclosed_ref(ctx.document, start, open_end, cut)
            yield ctx.diagnostic(
                start,
                open_end,
                "'<ref>' is never closed with '</ref>'",
                Fix.of(closing.title, [closing.edit], closing.applicability),
            )


class StrayRefClose(Rule):
    """Flags ``</ref>`` with no open ``<ref>``.

    What it does:
    Finds closing reference tags that close nothing.

    Why it matters:
    MediaWiki shows "</ref>" as text.

    Example:
    He was born in Gori.</ref>

    Use instead:
    He was born in Gori.

    Fix safety:
    Safe: the tag only rendered as literal text.
    """

    code = "R102"
    name = "stray-ref-close"
    summary = "'</ref>' with no open '<ref>'"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (Applicability.SAFE,)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        for start, end in ref_scan(ctx.document).stray:
            yield ctx.diagnostic(
                start,
                end,
                "Stray '</ref>' closes no reference; it shows as literal text",
                Fix.of("Remove the stray '</ref>'", [Edit.delete(start, end)]),
            )


_TRAILER_LINE = re.compile(
    r"[ \t]*(?:\[\[\s*(?:Category|[a-z]{2,3}(?:-[a-z]+)*)\s*:[^\]\n]*\]\][ \t]*"
    r"|\{\{[^{}\n]*\}\}[ \t]*|__[A-Z]+__[ \t]*|<!--[^\n]*-->[ \t]*)*$"
)
_REFERENCES_HEADING = re.compile(
    r"^(=+)[ \t]*(?:References|Notes|Footnotes|Citations)[ \t]*\1[ \t]*(?=\r?$)",
    re.MULTILINE | re.IGNORECASE,
)
_NEXT_HEADING = re.compile(r"^=", re.MULTILINE)


def _empty_references_heading(text: str) -> int | None:
    """The end of a References/Notes heading whose section holds nothing yet, if any."""
    for heading in _REFERENCES_HEADING.finditer(text):
        following = _NEXT_HEADING.search(text, heading.end())
        section = text[heading.end() : following.start() if following else len(text)]
        if all(
            not line.strip() or _TRAILER_LINE.fullmatch(line.rstrip("\r"))
            for line in section.split("\n")
        ):
            return heading.end()
    return None


def references_list_insertion(text: str) -> Edit:
    """Where to add a references list: under an empty References heading, or before the
    trailing categories, navboxes and interwiki links at the end of the page."""
    heading_end = _empty_references_heading(text)
    if heading_end is not None:
        newline = "\r\n" if text[heading_end : heading_end + 1] == "\r" else "\n"
        return Edit.insert(heading_end, f"{newline}<references />")
    lines = text.split("\n")
    cut = len(lines)
    while cut > 0 and (
        not lines[cut - 1].strip() or _TRAILER_LINE.fullmatch(lines[cut - 1].rstrip("\r"))
    ):
        cut -= 1
    offset = sum(len(line) + 1 for line in lines[:cut])
    if offset >= len(text):  # nothing trails the prose: append at the very end
        if text.endswith("\n"):
            return Edit.insert(len(text), "\n== References ==\n<references />\n")
        return Edit.insert(len(text), "\n\n== References ==\n<references />")
    gap = "\n" if lines[cut].strip() else ""
    return Edit.insert(offset, f"\n== References ==\n<references />\n{gap}")


_NOTES_HEADING = re.compile(
    r"^(=+)[ \t]*(?:References|Notes|Footnotes|Citations|Sources)[ \t]*\1[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


def notes_list_insertion(text: str, group: str, quote: str = '"') -> Edit:
    """Where a list for footnote group ``group`` goes: before the References heading,
    else where the references list would go. ``quote`` is how the page writes the group
    (``"``, ``'`` or ``""`` for none)."""
    if quote == "" and re.fullmatch(r"[^\s\"'<>/=]+", group):
        quoted = group
    elif (quote == "'" and "'" not in group) or '"' in group:
        quoted = f"'{group}'"
    else:
        quoted = f'"{group}"'
    block = f"== Notes ==\n<references group={quoted} />\n\n"
    heading = _NOTES_HEADING.search(text)
    if heading is not None:
        return Edit.insert(heading.start(), block)
    edit = references_list_insertion(text)
    return Edit.insert(
        edit.start,
        edit.replacement.replace("References", "Notes", 1).replace(
            "<references />", f"<references group={quoted} />"
        ),
    )


def explicitly_selected(ctx: RuleContext) -> bool:
    """True when the run selects the rule by its code or name, not by ``ALL`` or a prefix."""
    wanted = {s.strip().lower() for s in ctx.config.select}
    return bool(wanted & {ctx.rule.code.lower(), ctx.rule.name, *map(str.lower, ctx.rule.aliases)})


class MissingReferencesList(Rule):
    """Flags footnotes of a group that no references list shows.

    What it does:
    Finds ``<ref group="x">`` footnotes of a named group with no ``<references
    group="x" />`` (or a list template for that group, such as ``{{notelist}}``). The
    wiki's own list templates count: with a site, any template whose text emits
    ``<references`` or ``{{#tag:references``; without one, common names in many
    languages (``{{Reflist}}``, ``{{Einzelnachweise}}``, ``{{Verwysings}}``…).

    Plain ``<ref>`` footnotes without a list are no error: Cite (MediaWiki 1.29 and
    later) lists them by itself at the end of the page. Those pages are reported (as
    information) only when the rule is selected by its code or name
    (``--select R103``), for wikis that want an explicit list on every page.

    Why it matters:
    For a named group, readers see "Cite error: <ref> tags exist for a group named "x",
    but no corresponding <references group="x"/> tag was found" and the notes are
    never shown.

    Example:
    Stalin was born in Gori.<ref group="note">Then in the Russian Empire.</ref>

    Use instead:
    Stalin was born in Gori.<ref group="note">Then in the Russian Empire.</ref>

    == Notes ==
    <references group="note" />

    Fix safety:
    Unsafe: where the list goes, and under which heading, is the author's choice; the
    list and its heading are new text on the page.
    """

    code = "R103"
    name = "missing-references-list"
    summary = "Footnotes of a group that no references list shows"
    fix_availability = FixAvailability.ALWAYS
    fix_safety = (Applicability.UNSAFE,)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        document = ctx.document
        refs = ref_scan(document).refs
        if not refs:
            return
        first: dict[str, RefTag] = {}
        for ref in refs:
            first.setdefault(ref.group, ref)
        if not any(first) and not explicitly_selected(ctx):
            return  # only the default group, which Cite lists by itself: nothing to parse
        have = list_groups(document, ctx.site, wanted=set(first))
        text = document.text
        for group, ref in first.items():
            if group in have:
                continue
            if group:
                yield ctx.diagnostic(
                    ref.start,
                    ref.open_end,
                    f"Footnotes of group '{group}' have no <references group=\"{group}\" />: "
                    "readers see a Cite error instead of the notes",
                    Fix.of(
                        f"Add a list for group '{group}'",
                        [notes_list_insertion(text, group, ref.group_quote)],
                        Applicability.UNSAFE,
                    ),
                )
            elif explicitly_selected(ctx):
                yield ctx.diagnostic(
                    ref.start,
                    ref.open_end,
                    "The page has <ref> tags but no references list; MediaWiki lists them "
                    "at the end of the page by itself",
                    Fix.of(
                        "Add a references list",
                        [references_list_insertion(text)],
                        Applicability.UNSAFE,
                    ),
                    severity=Severity.INFO,
                )


def _content(text: str, ref: RefTag) -> str:
    """The ref's content as Cite compares it: exactly as written (only a content of
    nothing but whitespace counts as empty, i.e. a reuse)."""
    assert ref.close_start is not None
    content = text[ref.open_end : ref.close_start]
    return content if content.strip() else ""


class ConflictingNamedRef(Rule):
    """Flags a named reference defined twice with different content.

    What it does:
    Finds ``<ref name="x">…</ref>`` definitions that reuse a name with other text.
    Cite compares the text exactly as written: a second space or a line break makes it
    different content too.

    Why it matters:
    Cite shows "Invalid <ref> tag; name "x" defined multiple times with different
    content", and only the first citation is displayed.

    Example:
    <ref name="service">Service 2004, p. 14.</ref> … <ref name="service">Service 2005.</ref>

    Use instead:
    <ref name="service">Service 2004, p. 14.</ref> … <ref name="service2005">Service 2005.</ref>

    Fix safety:
    No fix: which citation is right, and what to call the other, needs a person.
    """

    code = "R104"
    name = "conflicting-named-ref"
    summary = "Named reference defined twice with different content"
    fix_availability = FixAvailability.NEVER

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        text = ctx.document.text
        first: dict[tuple[str, str], str] = {}
        for ref in ref_scan(ctx.document).refs:
            if ref.name is None or ref.close_start is None or "{" in ref.name:
                continue
            content = _content(text, ref)
            if not content:
                continue
            key = (ref.group, ref.name)
            if key not in first:
                first[key] = content
            elif first[key] != content:
                yield ctx.diagnostic(
                    ref.start,
                    ref.open_end,
                    f"Reference name '{ref.name}' is already defined with different content",
                    subject=ref.name,
                )


class UndefinedNamedRef(Rule):
    """Flags ``<ref name="x" />`` where no reference named x is defined.

    What it does:
    Finds reuses of a named reference whose definition is missing from the page. A
    definition may also come from a template call: ``{{#tag:ref|…|name=x}}``,
    ``{{refn|name=x|…}}``, ``{{efn|name=x|…}}`` (in their group), a ``<ref name=x>`` in
    any template argument (an infobox's ``ref=``), or any call with ``name=x`` whose
    template may make a footnote. Names are compared as Cite does: ``a_b`` is not
    ``a b``.

    Why it matters:
    Cite shows "Cite error: The named reference x was invoked but never defined".

    Example:
    Stalin died in 1953.<ref name="death" />

    Use instead:
    Stalin died in 1953.<ref name="death">Service 2004, p. 586.</ref>

    Fix safety:
    No fix: the citation text has to come from a person or the source page.
    """

    code = "R105"
    name = "undefined-named-ref"
    summary = "Named reference used but never defined"
    fix_availability = FixAvailability.NEVER
    severity = Severity.WARNING

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        text = ctx.document.text
        refs = ref_scan(ctx.document).refs
        defined = {
            (r.group, r.name)
            for r in refs
            if r.name is not None and r.close_start is not None and _content(text, r)
        }
        reuses = [
            ref
            for ref in refs
            if ref.name is not None
            and ref.self_closing
            and "{" not in ref.name
            and (ref.group, ref.name) not in defined
        ]
        if not reuses:
            return  # every reuse has its <ref> definition: no need to parse the calls
        maybe: set[str] = set()
        for made in template_refs(ctx.document):
            if made.group is None:
                maybe.add(made.name)
            else:
                defined.add((made.group, made.name))
        for ref in reuses:
            assert ref.name is not None
            if (ref.group, ref.name) not in defined and ref.name not in maybe:
                yield ctx.diagnostic(
                    ref.start,
                    ref.end,
                    f"Reference '{ref.name}' is used but never defined on this page",
                    severity=Severity.WARNING,
                    subject=ref.name,
                )
