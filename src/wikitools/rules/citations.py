"""Replace citation-family calls with plain ``<ref>`` footnotes that read the same.

Given the calls to convert on a page, :func:`plan_conversions` works out, for each call,
the wikitext the reader would have seen:

* ``{{sfn|Service|2004|p=259}}`` → ``<ref name="FOOTNOTEService2004259">[[#CITEREFService2004|
  Service 2004]], p. 259.</ref>``; the next identical citation → ``<ref name="…" />``;
* ``{{harvnb|Smith|Jones|2004}}`` → ``[[#CITEREFSmithJones2004|Smith & Jones 2004]]``;
* ``{{efn|text}}`` → ``<ref group="lower-alpha">text</ref>`` (``{{#tag:ref|…}}`` when the
  note itself holds footnotes, since ``<ref>`` tags cannot nest);
* ``{{r|name}}`` → ``<ref name="name" />``.

Calls inside a ``<ref>…</ref>`` render their text without a ``<ref>`` of their own.
All calls that share a footnote are converted by one fix (so a reused name never loses
its definition), and when the page has no references list for a group the first fix
adds one. A fix is SAFE when every parameter of the calls it converts is understood,
UNSAFE otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from wikitools.deps.pagedeps import PageAnalysis, PageCall
from wikitools.document import Document
from wikitools.fixes.model import Applicability, Edit, Fix
from wikitools.parsing.calls import CallKind
from wikitools.parsing.params import group_attribute, positional, split_quoted, template_params
from wikitools.rules.braces import bracket_scan
from wikitools.rules.footnotes.families import Family, FamilyKind, family_of
from wikitools.rules.footnotes.harvard import ShortCitation, format_citation, format_multi
from wikitools.rules.reflists import list_groups
from wikitools.rules.refs import notes_list_insertion, ref_scan, template_refs
from wikitools.site.context import SiteContext
from wikitools.titles import TEMPLATE

_NESTED_REF = re.compile(r"<ref\b|\{\{\s*(?:sfn|sfnp|sfnm|efn|refn|r)\s*[|}]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ConversionTarget:
    """One call to convert: the template node, its span, and its family."""

    template: Any
    start: int
    end: int
    family: Family
    label: str
    """The name as written (for fix titles), e.g. ``sfn``."""


@dataclass(frozen=True, slots=True)
class Conversion:
    """The planned replacement of one call; ``fix`` converts it (and its group)."""

    target: ConversionTarget
    replacement: str
    fix: Fix
    exact: bool


def _quote(value: str) -> str:
    return value.replace('"', "'").replace("<", "").replace(">", "")


def _ref_open(name: str | None, group: str, quote: str = '"') -> str:
    attrs = ""
    if name:
        attrs += f' name="{_quote(name)}"'
    if group:
        attrs += group_attribute(group, quote)
    return f"<ref{attrs}>"


def _ref_reuse(name: str, group: str, quote: str = '"') -> str:
    return _ref_open(name, group, quote)[:-1] + " />"


def _inside_ref(document: Document, start: int) -> bool:
    return any(
        ref.close_start is not None and ref.open_end <= start < ref.close_start
        for ref in ref_scan(document).refs
    )


@dataclass
class _Planned:
    target: ConversionTarget
    key: tuple[str, str, str] | None  # (group, name, text) for shareable footnotes
    group: str | None  # footnote group this call adds a ref to (None: adds no ref)
    define: str  # replacement when this call defines the footnote
    reuse: str  # replacement when an earlier call defined it
    exact: bool
    quote: str = '"'  # how the call wrote its group ('"', "'" or "" for none)


def _plan_one(document: Document, target: ConversionTarget) -> _Planned:
    params = template_params(target.template)
    family = target.family
    nested = _inside_ref(document, target.start)
    if family.kind in (FamilyKind.FOOTNOTE, FamilyKind.INLINE, FamilyKind.MULTI_FOOTNOTE):
        assert family.style is not None
        cite: ShortCitation = (
            format_multi(params, family.style)
            if family.kind is FamilyKind.MULTI_FOOTNOTE
            else format_citation(params, family.style)
        )
        if family.kind is FamilyKind.INLINE or nested:
            return _Planned(target, None, None, cite.text, cite.text, cite.exact)
        define = f"{_ref_open(cite.name, '')}{cite.text}</ref>"
        return _Planned(
            target, ("", cite.name, cite.text), "", define, _ref_reuse(cite.name, ""), cite.exact
        )
    if family.kind is FamilyKind.NOTE:
        content = ""
        for key in ("1", "reference", "content", "text"):
            if params.get(key, "").strip():
                content = params[key].strip()
                break
        name = params.get("name", "").strip() or None
        group, quote = split_quoted(params.get("group", ""))
        group = group or family.group
        known = {"1", "reference", "content", "text", "name", "group"}
        exact = all(k in known for k in params)
        if nested:
            return _Planned(target, None, None, content, content, False)
        if not content:
            if name is None:
                return _Planned(target, None, None, "", "", False)
            reuse = _ref_reuse(name, group, quote)
            shown = _definition_shown(document, name)
            return _Planned(target, None, group, reuse, reuse, exact and shown, quote)
        if _NESTED_REF.search(content):
            args = f"|name={name}" if name else ""
            args += f"|group={params.get('group', '').strip() or group}" if group else ""
            define = f"{{{{#tag:ref|{content}{args}}}}}"
        else:
            define = f"{_ref_open(name, group, quote)}{content}</ref>"
        return _Planned(target, None, group, define, define, exact, quote)
    # REUSE: {{r|a|b}}
    names = positional(params)
    group, quote = split_quoted(params.get("group", ""))
    exact = all(k.isdigit() or k == "group" for k in params)
    text = "".join(_ref_reuse(n, group, quote) for n in names if n)
    return _Planned(target, None, group if text else None, text, text, exact and bool(text), quote)


def _definition_shown(document: Document, name: str) -> bool:
    """True when the footnote ``name`` is defined where the page renders it: in a ``<ref>``
    tag or a call that is not inside another call's parameters (a missing or unconverted
    template, such as ``{{notes|notes={{efn|name=x|…}}}}``, shows none of them). A reuse of
    a footnote defined nowhere shown would render a Cite error."""
    text = document.text
    scan = bracket_scan(document)
    for ref in ref_scan(document).refs:
        if ref.name != name or ref.close_start is None or scan.inside(ref.start):
            continue
        if text[ref.open_end : ref.close_start].strip():
            return True
    return any(
        made.name == name and not scan.inside(made.start) for made in template_refs(document)
    )


def plan_conversions(
    document: Document, targets: Sequence[ConversionTarget], site: SiteContext | None = None
) -> dict[int, Conversion]:
    """Plan the conversion of ``targets``; the result maps each call's start to its plan.

    A list is added for a named group the page does not list yet (``site`` tells which
    of its templates emit one), since Cite shows an error for such a group. The default
    group gets none: Cite lists it by itself, as it did for the calls being replaced.
    """
    planned = sorted((_plan_one(document, t) for t in targets), key=lambda p: p.target.start)
    existing = {
        (ref.group, ref.name): document.text[ref.open_end : ref.close_start].strip()
        for ref in ref_scan(document).refs
        if ref.name is not None and ref.close_start is not None
    }
    # Give each distinct footnote a name that does not clash with another definition.
    names: dict[tuple[str, str, str], str] = {}
    used = {key for key in existing}
    for item in planned:
        if item.key is None or item.key in names:
            continue
        group, name, text = item.key
        candidate, n = name, 1
        while (group, candidate) in used and existing.get((group, candidate)) != text:
            n += 1
            candidate = f"{name}-{n}"
        used.add((group, candidate))
        names[item.key] = candidate
    # Group the calls that must change together.
    members: dict[object, list[_Planned]] = {}
    for item in planned:
        members.setdefault(item.key if item.key is not None else id(item), []).append(item)
    replacements: dict[int, str] = {}
    for key, items in members.items():
        if isinstance(key, tuple):
            group, name, text = key
            final = names[key]
            defined = existing.get((group, final)) == text
            for index, item in enumerate(items):
                open_tag = _ref_open(final, group)
                if index == 0 and not defined:
                    replacements[item.target.start] = f"{open_tag}{text}</ref>"
                else:
                    replacements[item.target.start] = _ref_reuse(final, group)
        else:
            replacements[items[0].target.start] = items[0].define
    # Lists to add for named groups, attached to the first call that needs each group.
    have = set(list_groups(document, site))
    list_edits: dict[int, list[Edit]] = {}
    for item in planned:
        needed = item.group
        if not needed or needed in have:
            continue
        have.add(needed)
        edit = notes_list_insertion(document.text, needed, item.quote)
        list_edits.setdefault(item.target.start, []).append(edit)
    result: dict[int, Conversion] = {}
    for _key, items in members.items():
        edits = [Edit(i.target.start, i.target.end, replacements[i.target.start]) for i in items]
        extra: list[Edit] = []
        for i in items:
            extra.extend(list_edits.get(i.target.start, []))
        edits.extend(_merge_inserts(extra))
        exact = all(i.exact for i in items)
        label = items[0].target.label
        kind = items[0].target.family.kind
        if kind is FamilyKind.INLINE:
            title = f"Replace {{{{{label}}}}} with the citation text it prints"
        else:
            title = f"Replace {{{{{label}}}}} with a plain <ref> footnote"
            if len(items) > 1:
                title += f" ({len(items)} identical citations share it)"
        fix = Fix.of(title, edits, Applicability.SAFE if exact else Applicability.UNSAFE)
        for i in items:
            result[i.target.start] = Conversion(i.target, replacements[i.target.start], fix, exact)
    return result


def _merge_inserts(edits: list[Edit]) -> list[Edit]:
    merged: dict[int, str] = {}
    for edit in edits:
        merged[edit.start] = merged.get(edit.start, "") + edit.replacement
    return [Edit.insert(at, text) for at, text in sorted(merged.items())]


def broken_citation_plan(
    document: Document,
    analysis: PageAnalysis,
    skip: Callable[[PageCall], bool],
    site: SiteContext | None = None,
) -> dict[int, Conversion]:
    """Conversions for the page's citation-family calls whose template is missing or whose
    module chain may break (``skip`` excludes calls a configured policy handles)."""

    def build(doc: Document) -> dict[int, Conversion]:
        targets: list[ConversionTarget] = []
        for call in analysis.calls:
            if call.call.kind is not CallKind.TEMPLATE or skip(call):
                continue
            family = _family(call, analysis)
            if family is None:
                continue
            chain = analysis.chain(call)
            if analysis.is_missing(call) or (chain is not None and chain.may_break):
                label = call.label.split(":", 1)[-1].strip() if ":" in call.label else call.label
                targets.append(ConversionTarget(call.template, call.start, call.end, family, label))
        return plan_conversions(doc, targets, site)

    return document.memo(f"citation-plan:{id(analysis)}", build)


def _family(call: PageCall, analysis: PageAnalysis) -> Family | None:
    for title in (call.title, analysis.final.get(call.title)):
        name = analysis.page_name(title, TEMPLATE)
        family = family_of(name) if name is not None else None
        if family is not None:
            return family
    return None
