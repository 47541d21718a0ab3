"""Rewrite infobox calls and hand-written infobox tables onto clean templates.

Every change is an :class:`~wikitools.fixes.model.Edit` against the original text: a renamed
template, a renamed parameter, a flattened value, an unmapped parameter moved into a custom
row, an empty duplicate removed. Text outside those spans stays byte-identical, and inside an
infobox whatever needs no change (spacing, comments, parameter order) stays as it was.

Parameters with no home in the target schema are never dropped: when the schema has an
``extra`` section they become labelled custom rows (so readers still see them), otherwise they
stay in the call untouched; either way they are reported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from mwparserfromhell.nodes import Tag, Template
from mwparserfromhell.wikicode import Wikicode

from wikitools.fixes.model import Applicability, Edit, Fix, apply_edits
from wikitools.infobox.dates import DateStyle
from wikitools.infobox.flatten import FlattenContext, flatten_value
from wikitools.infobox.images import FileLink, is_placement, parse_file_link
from wikitools.infobox.labels import label_for, templatedata_labels
from wikitools.infobox.magic import is_builtin
from wikitools.infobox.names import humanize, param_key, template_key
from wikitools.infobox.registry import SchemaRegistry, default_registry
from wikitools.infobox.schema import Param, Schema, Section, Slot
from wikitools.infobox.tables import is_infobox_table, read_table
from wikitools.lint.codes import CodeInfo
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.parsing import brackets
from wikitools.parsing.regions import IgnoredRegions
from wikitools.parsing.tree import RoundTripError, parse, template_name
from wikitools.registry.infobox_codes import (
    CONFLICT,
    CONVERT,
    NESTED,
    NOT_SHOWN,
    OUT_OF_RANGE,
    TABLE,
    UNMAPPED,
    UNPARSEABLE,
    UNSTABLE,
)
from wikitools.site.context import SiteContext
from wikitools.titles import template_title

log = logging.getLogger(__name__)


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_WS = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)
_FILE_LINK = re.compile(r"^\[\[\s*(?:file|image)\s*:\s*([^|\]]+?)\s*(?:\|.*)?\]\]$", re.I | re.S)
_FILE_PREFIX = re.compile(r"^(?:file|image)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class InfoboxConversion:
    """What happened to one infobox: its span, the fix (None when already clean), findings."""

    source: str
    """The template name as written, or ``{| class="infobox"`` for a table."""
    schema: str
    start: int
    end: int
    fix: Fix | None
    diagnostics: tuple[Diagnostic, ...]
    renamed: tuple[tuple[str, str], ...] = ()
    """(old, new) parameter names."""
    flattened: tuple[str, ...] = ()
    """Names of the nested templates replaced by text."""
    moved: tuple[str, ...] = ()
    """Parameters with no home that became custom rows (shown, labelled from their name)."""
    hidden: tuple[str, ...] = ()
    """Parameters left in the call that the clean template does not show (all reported)."""


@dataclass(frozen=True)
class ConversionResult:
    """The converted text and a record of every infobox found in it."""

    original: str
    text: str
    conversions: tuple[InfoboxConversion, ...]
    problems: tuple[Diagnostic, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the text changed."""
        return self.text != self.original

    @property
    def fixes(self) -> list[Fix]:
        """The fixes applied, one per converted infobox."""
        return [c.fix for c in self.conversions if c.fix is not None]

    @property
    def edits(self) -> list[Edit]:
        """Every edit applied, in text order (offsets into :attr:`original`)."""
        return sorted((e for f in self.fixes for e in f.edits), key=lambda e: (e.start, e.end))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """All findings, in text order (offsets into :attr:`original`)."""
        found = [d for c in self.conversions for d in c.diagnostics] + list(self.problems)
        return sorted(found, key=lambda d: (d.start, d.end, d.code))


@dataclass
class _Options:
    registry: SchemaRegistry
    target: Schema | None
    date_style: DateStyle
    fallback: bool
    tables: bool
    site: SiteContext | None = None
    _labels: dict[str, dict[str, str]] = field(default_factory=dict)
    _redirected: dict[str, Schema | None] = field(default_factory=dict)

    def via_redirect(self, template: str) -> Schema | None:
        """The schema of the template ``template`` redirects to on the site, if any."""
        if self.site is None:
            return None
        key = template_key(template)
        if key not in self._redirected:
            title = template_title(template, self.site.namespaces)
            schema = None
            seen = {title}
            target = self.site.page_info([title])[title].redirect_target
            while schema is None and target is not None and target not in seen:
                seen.add(target)
                schema = self.registry.for_source(target.split(":", 1)[-1])
                target = self.site.page_info([target])[target].redirect_target
            self._redirected[key] = schema
        return self._redirected[key]

    def labels_for(self, template: str) -> dict[str, str]:
        """TemplateData labels of the source ``template`` on the site (empty without one)."""
        key = template_key(template)
        if key not in self._labels:
            found: dict[str, str] = {}
            if self.site is not None and key:
                title = template_title(template, self.site.namespaces)
                texts = self.site.texts([title, f"{title}/doc"])
                found = templatedata_labels(*texts.values())
            self._labels[key] = found
        return self._labels[key]


def _diag(
    kind: CodeInfo,
    message: str,
    start: int,
    end: int,
    severity: Severity = Severity.WARNING,
    fix: Fix | None = None,
    subject: str | None = None,
) -> Diagnostic:
    return Diagnostic(kind.code, kind.name, message, start, end, fix, severity, subject)


def _split_ws(text: str) -> tuple[str, str, str]:
    match = _WS.match(text)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)


def _is_empty(value: str) -> bool:
    return not _COMMENT.sub("", value).strip()


def _mw_name(name: str) -> str:
    """A template name as MediaWiki compares it: first letter case and '_' folded."""
    name = re.sub(r"[\s_]+", " ", _COMMENT.sub("", name)).strip()
    name = re.sub(r"^template\s*:\s*", "", name, flags=re.IGNORECASE)
    return name[:1].upper() + name[1:]


def _file_name(value: str) -> str:
    if m := _FILE_LINK.match(value):
        return m.group(1).strip()
    return _FILE_PREFIX.sub("", value).strip()


def _size(value: str) -> str:
    if re.fullmatch(r"\d+\s*(?:px)?", value):
        return re.sub(r"\s*(?:px)?$", "", value) + "px"
    return value


class _Renamer:
    """Builds key text for a new name, keeping the ``=`` column where padding allows."""

    @staticmethod
    def key(old_key_text: str, new_name: str) -> tuple[int, int, str]:
        lead, core, trail = _split_ws(old_key_text)
        comments = "".join(_COMMENT.findall(core))
        new_core = new_name + (f" {comments}" if comments else "")
        grow = len(new_core) - len(core)
        if len(trail) > 1 and trail.strip(" ") == "" and len(trail) > grow:
            new_trail = " " * (len(trail) - grow)
        else:
            new_trail = trail
        return len(lead), len(old_key_text), new_core + new_trail


@dataclass
class _Entry:
    """One parameter of a call with its offsets in the page text."""

    index: int
    pipe: int
    key_start: int | None
    key_text: str
    value_start: int
    value_text: str
    slot: Slot | None = None

    @property
    def key(self) -> str:
        return _COMMENT.sub("", self.key_text).strip()

    @property
    def value_end(self) -> int:
        return self.value_start + len(self.value_text)

    @property
    def empty(self) -> bool:
        return _is_empty(self.value_text)


def _entries(node: Template, start: int) -> list[_Entry]:
    cursor = start + 2 + len(str(node.name))
    entries = []
    for i, param in enumerate(node.params):
        pipe = cursor
        cursor += 1
        key_start: int | None = None
        key_text = ""
        if param.showkey:
            key_start = cursor
            key_text = str(param.name)
            cursor += len(key_text) + 1
        value_text = str(param.value)
        entries.append(_Entry(i, pipe, key_start, key_text, cursor, value_text))
        cursor += len(value_text)
    return entries


def _size_params(schema: Schema) -> set[tuple[str, str]]:
    return {(s.id, p.size) for s, p in schema.iter_params() if p.size}


@dataclass
class _Converter:
    """Converts one infobox; collects edits and findings."""

    text: str
    schema: Schema
    options: _Options
    edits: list[Edit] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    flattened: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    kept: list[tuple[str, str, int, int]] = field(default_factory=list)
    images: list[tuple[_Entry, Slot, FileLink]] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    """Parameters filled from the options of an image link."""
    link: FileLink | None = None
    """The image link taken apart by the last :meth:`value` call, if any."""
    _kept: list[tuple[str, str]] = field(default_factory=list)

    def value(self, param: Param | None, section: Section | None, raw: str, where: str) -> str:
        """The clean form of a value: nested templates flattened, files and sizes normalized."""
        ctx = FlattenContext(date_style=self.options.date_style)
        try:
            clean = flatten_value(raw, ctx)
        except RoundTripError:
            clean = raw
        self.flattened.extend(ctx.flattened)
        self._kept = [(name, where) for name in ctx.kept]
        self.link = None
        if param is not None and param.type == "wiki-file-name":
            self.link = parse_file_link(clean)
            clean = self.link.name if self.link is not None else _file_name(clean)
        sized = _size_params(self.schema)
        if section is not None and param is not None and (section.id, param.name) in sized:
            clean = _size(clean)
        return clean

    def note_kept(self, start: int, end: int) -> None:
        for name, where in self._kept:
            self.kept.append((name, where, start, end))

    def result(self, source: str, start: int, end: int, kind: CodeInfo) -> InfoboxConversion:
        fix = None
        if self.edits:
            title = f"Convert to the clean template {{{{{self.schema.template}}}}}"
            fix = Fix.of(title, self.edits, Applicability.SAFE)
            what = "call" if kind is CONVERT else "table"
            parts = []
            if self.renamed:
                parts.append(f"{len(self.renamed)} parameter(s) renamed")
            if self.flattened:
                parts.append(f"{len(self.flattened)} nested template(s) flattened")
            if self.split:
                parts.append(f"{len(self.split)} image option(s) moved to their parameters")
            if self.moved:
                parts.append(f"{len(self.moved)} moved to custom rows")
            if self.hidden:
                parts.append(f"{len(self.hidden)} kept but not shown")
            detail = f" ({', '.join(parts)})" if parts else ""
            shown = '{| class="infobox"' if kind is TABLE else f"{{{{{source}}}}}"
            message = (
                f"infobox {what} {shown} can be converted onto the clean template "
                f"'{self.schema.name}' ({{{{{self.schema.template}}}}}){detail}"
            )
            subject = None if kind is TABLE else source
            self.diagnostics.insert(
                0, _diag(kind, message, start, end, Severity.INFO, fix, subject)
            )
        return InfoboxConversion(
            source=source,
            schema=self.schema.name,
            start=start,
            end=end,
            fix=fix,
            diagnostics=tuple(self.diagnostics),
            renamed=tuple(self.renamed),
            flattened=tuple(self.flattened),
            moved=tuple(self.moved),
            hidden=tuple(self.hidden),
        )


# -- template calls --------------------------------------------------------------------------


def _winners(entries: list[_Entry]) -> tuple[dict[str, _Entry], list[_Entry], list[_Entry]]:
    """Per canonical name: the entry that keeps it; empty duplicates to drop; conflicts."""
    groups: dict[str, list[_Entry]] = {}
    for entry in entries:
        if entry.slot is not None and entry.slot.in_range:
            groups.setdefault(entry.slot.canonical, []).append(entry)
    keep: dict[str, _Entry] = {}
    drop: list[_Entry] = []
    conflicts: list[_Entry] = []
    for canonical, group in groups.items():
        filled = [e for e in group if not e.empty]
        if filled:
            exact = [e for e in filled if e.key == canonical]
            winner = exact[0] if exact else filled[0]
        else:
            winner = group[0]
        keep[canonical] = winner
        for entry in group:
            if entry is winner:
                continue
            (drop if entry.empty else conflicts).append(entry)
    return keep, drop, conflicts


def _free_indexes(schema: Schema, entries: Iterable[_Entry]) -> Iterable[int]:
    extra = schema.extra
    if extra is None:
        return iter(())
    section = schema.section(extra.section)
    used = {
        e.slot.index
        for e in entries
        if e.slot is not None and e.slot.section.id == section.id and e.slot.index is not None
    }
    assert section.numbered is not None
    return (i for i in range(1, section.numbered.max + 1) if i not in used)


def _convert_call(
    text: str, node: Template, start: int, end: int, schema: Schema, options: _Options
) -> InfoboxConversion:
    conv = _Converter(text, schema, options)
    source = template_name(node)
    name_text = str(node.name)
    lead, core, _ = _split_ws(name_text)
    core = _COMMENT.split(core, maxsplit=1)[0].rstrip()
    if _mw_name(core) != _mw_name(schema.template):
        at = start + 2 + len(lead)
        conv.edits.append(Edit(at, at + len(core), schema.template))
    entries = _entries(node, start)
    ordinals = {id(e): n for n, e in enumerate((e for e in entries if e.key_start is None), 1)}
    for entry in entries:
        if entry.key_start is not None:
            entry.slot = schema.resolve(entry.key)
    keep, drop, conflicts = _winners(entries)
    winners = {id(e) for e in keep.values()}
    free = iter(_free_indexes(schema, entries))
    for entry in drop:
        conv.edits.append(Edit(entry.pipe, entry.value_end, ""))
    for entry in entries:
        slot = entry.slot
        if id(entry) in winners:
            _convert_entry(conv, entry)
        elif entry in drop or (entry.empty and entry not in conflicts):
            continue
        elif entry in conflicts and slot is not None:
            winner = keep[slot.canonical]
            why = (
                f"'{entry.key}' and '{winner.key}' both set '{slot.canonical}'; "
                f"'{winner.key}' is used and '{entry.key}'"
            )
            _move_to_extra(conv, entry, free, slot.param.label, CONFLICT, why, Severity.WARNING)
        elif slot is not None and not slot.in_range:
            numbered = slot.section.numbered
            assert numbered is not None
            why = (
                f"'{entry.key}' is in {numbered.label.lower()} {slot.index}, past the "
                f"{numbered.max} the template '{schema.name}' shows; it"
            )
            label = f"{slot.param.label} ({numbered.label.lower()} {slot.index})"
            _move_to_extra(conv, entry, free, label, OUT_OF_RANGE, why, Severity.WARNING)
        elif entry.key_start is None:
            why = f"unnamed parameter {ordinals[id(entry)]} has no place in '{schema.name}'; it"
            _move_to_extra(conv, entry, free, "", UNMAPPED, why, Severity.INFO)
        else:
            why = f"'{entry.key}' has no place in '{schema.name}'; it"
            label = label_for(entry.key, options.labels_for(source), source)
            _move_to_extra(conv, entry, free, label, UNMAPPED, why, Severity.INFO)
    for name, where, s, e in conv.kept:
        conv.diagnostics.append(
            _diag(
                NESTED,
                f"{{{{{name}}}}} in '{where}' was kept: it may not exist on the target wiki",
                s,
                e,
                subject=name,
            )
        )
    for image in conv.images:
        _place_image_options(conv, keep, *image)
    _report_outranked(conv, keep)
    return conv.result(source, start, end, CONVERT)


def _report_outranked(conv: _Converter, keep: dict[str, _Entry]) -> None:
    """Report parameters read only by a derived value whose winning case ignores them.

    ``state2`` next to ``office2``: the heading is the office, as on Wikipedia, so the
    state is kept in the call but not shown (IB009).
    """
    filled = {name for name, entry in keep.items() if not entry.empty}
    for section in conv.schema.sections:
        for param in section.params:
            if param.derive:
                for index in section.indexes():
                    _report_group(conv, keep, filled, section, param, index)


def _report_group(
    conv: _Converter,
    keep: dict[str, _Entry],
    filled: set[str],
    section: Section,
    param: Param,
    index: int | None,
) -> None:
    def is_filled(base: str) -> bool:
        return section.name_for(base, index) in filled

    read = dict.fromkeys(n for case in param.derive for n in case.names)
    if not any(is_filled(n) for n in read):
        return
    others = {r for q in section.params if q is not param for r in q.references}
    winner = next((c for c in param.derive if c.holds(is_filled)), None)
    used = set(winner.names) if winner is not None else set()
    group = f" of {section.numbered.label.lower()} {index}" if section.numbered else ""
    if winner is not None:
        from_ = ", ".join(repr(section.name_for(n, index)) for n in winner.when)
        why = f"the heading{group} comes from {from_}"
    else:
        why = f"no heading{group} uses it without more parameters"
    for base in read:
        own = section.param(base)
        shown = own.display != "none" and base not in section.consumed
        if base in used or not is_filled(base) or shown or base in others:
            continue
        name = section.name_for(base, index)
        entry = keep[name]
        conv.hidden.append(name)
        message = f"'{entry.key}' is kept in the call but not shown: {why}"
        span = (entry.pipe + 1, entry.value_end)
        conv.diagnostics.append(_diag(NOT_SHOWN, message, *span, subject=entry.key))


def _image_options(slot: Slot, link: FileLink) -> list[tuple[str, str | None, str]]:
    """(what, target parameter or None, value) for each option of ``link`` to place."""
    section, param, index = slot.section, slot.param, slot.index

    def target(ref: str | None) -> str | None:
        return section.name_for(ref, index) if ref else None

    wanted = [
        ("size", param.size, _size(link.size) if link.size else None),
        ("upright", param.upright, link.upright),
        ("alt", param.alt, link.alt),
        ("caption", param.caption, link.caption),
    ]
    return [(what, target(ref), value) for what, ref, value in wanted if value is not None]


def _place_image_options(
    conv: _Converter, keep: dict[str, _Entry], entry: _Entry, slot: Slot, link: FileLink
) -> None:
    """Move the size, upright, alt and caption of an image link onto their parameters.

    A parameter the call leaves empty is filled; a missing one is added after the image.
    Options with no parameter, or whose parameter already holds another value, are
    reported (IB009).
    """
    span = (entry.pipe + 1, entry.value_end)
    lost: list[str] = [f"'{o}'" for o in link.dropped]
    added: list[str] = []
    value_lead = entry.value_text[: len(entry.value_text) - len(entry.value_text.lstrip())]
    trail = entry.value_text[len(entry.value_text.rstrip()) :]
    for what, name, value in _image_options(slot, link):
        if name is None:
            lost.append(f"the {what} '{value}' (the template has no parameter for it)")
            continue
        existing = keep.get(name)
        if existing is not None and not existing.empty:
            current = _COMMENT.sub("", existing.value_text).strip()
            if param_key(value) not in param_key(current) and _size(current) != value:
                lost.append(f"the {what} '{value}' ('{name}' is already '{current}')")
            continue
        if existing is not None:
            text = existing.value_text
            at = existing.value_start + (1 if text.startswith(" ") else 0)
            conv.edits.append(Edit(at, at, value))
        else:
            key_lead = entry.key_text[: len(entry.key_text) - len(entry.key_text.lstrip())]
            _, _, key = _Renamer.key(entry.key_text, name)
            added.append(f"|{key_lead}{key}={value_lead}{value}{trail}")
        conv.split.append(name)
    if added:
        conv.edits.append(Edit(entry.value_end, entry.value_end, "".join(added)))
    if lost:
        message = (
            f"the image link in '{entry.key}' had options the clean template can't keep: "
            + ", ".join(lost)
            + "; they were dropped"
        )
        severity = _loss_severity(link, len(lost))
        conv.diagnostics.append(_diag(NOT_SHOWN, message, *span, severity, subject=entry.key))


def _loss_severity(link: FileLink, lost: int) -> Severity:
    """Info when only frame and placement options were dropped (the infobox places the
    image itself), else a warning: a value readers could see is gone."""
    placement_only = lost == len(link.dropped) and all(is_placement(o) for o in link.dropped)
    return Severity.INFO if placement_only else Severity.WARNING


def _convert_entry(conv: _Converter, entry: _Entry) -> None:
    slot = entry.slot
    assert slot is not None and entry.key_start is not None
    if entry.key != slot.canonical:
        offset, length, replacement = _Renamer.key(entry.key_text, slot.canonical)
        conv.edits.append(Edit(entry.key_start + offset, entry.key_start + length, replacement))
        conv.renamed.append((entry.key, slot.canonical))
    lead, core, _ = _split_ws(entry.value_text)
    if not core:
        return
    clean = conv.value(slot.param, slot.section, core, slot.canonical)
    if conv.link is not None:
        conv.images.append((entry, slot, conv.link))
    at = entry.value_start + len(lead)
    conv.note_kept(at, at + len(core))
    if clean != core:
        conv.edits.append(Edit(at, at + len(core), clean))


def _move_to_extra(
    conv: _Converter,
    entry: _Entry,
    free: Iterable[int],
    label: str,
    kind: CodeInfo,
    why: str,
    severity: Severity,
) -> None:
    """Make ``entry`` a custom row labelled ``label`` (none: the value spans the box).

    ``why`` starts the finding; without free custom rows the parameter stays in the call,
    not shown, and the finding is a warning.
    """
    schema = conv.schema
    lead, core, trail = _split_ws(entry.value_text)
    index = next(iter(free), None)
    at = entry.value_start + len(lead)
    name = entry.key or f"{entry.index + 1}"
    span = (entry.pipe + 1, entry.value_end)
    if schema.extra is None or index is None:
        conv.hidden.append(name)
        reason = "the template has no custom rows" if schema.extra is None else "rows full"
        conv.value(None, None, core, name)
        conv.note_kept(at, at + len(core))
        message = f"{why} is kept in the call, but the template does not show it ({reason})"
        conv.diagnostics.append(_diag(kind, message, *span, subject=name))
        return
    conv.moved.append(name)
    section = schema.section(schema.extra.section)
    label_name = section.name_for(schema.extra.label, index)
    value_name = section.name_for(schema.extra.value, index)
    clean = conv.value(section.param(schema.extra.value), section, core, name)
    conv.note_kept(at, at + len(core))
    if entry.key_start is None:
        conv.edits.append(Edit(entry.value_start, entry.value_end, f"{value_name}={clean}{trail}"))
        where = f"the custom row {value_name} (no label)"
    else:
        _, _, label_key = _Renamer.key(entry.key_text, label_name)
        _, _, value_key = _Renamer.key(entry.key_text, value_name)
        key_lead = entry.key_text[: len(entry.key_text) - len(entry.key_text.lstrip())]
        value_part = f"{key_lead}{value_key}={lead}{clean}{trail}"
        label_part = f"{key_lead}{label_key}={lead}{label}{trail}|" if label else ""
        conv.edits.append(Edit(entry.key_start, entry.value_end, label_part + value_part))
        where = f"the custom row {label_name}/{value_name} labelled '{label}'"
    message = f"{why} was moved to {where}"
    conv.diagnostics.append(_diag(kind, message, *span, severity, subject=name))


# -- hand-written tables ---------------------------------------------------------------------


def _label_key(text: str) -> str:
    text = text.casefold().replace("(s)", "")
    return re.sub(r"[^\w]+", " ", text).strip()


def _label_index(schema: Schema) -> dict[str, tuple[Section, Param]]:
    index: dict[str, tuple[Section, Param]] = {}
    for section, param in schema.iter_params():
        if param.display != "row" or param.label_from:
            continue
        if section.numbered is not None and not section.numbered.first_unsuffixed:
            continue
        for text in (param.label, humanize(param.name), *map(humanize, param.aliases)):
            index.setdefault(_label_key(text), (section, param))
    return index


def _table_schema(options: _Options) -> Schema | None:
    """Tables go to the chosen schema, else to the fallback, which keeps their labels."""
    if options.target is not None:
        return options.target
    return options.registry.fallback if options.fallback else None


def _escape_value(value: str) -> str:
    """A table cell's text made safe as a template argument (top-level pipes escaped)."""
    try:
        code = parse(value)
    except RoundTripError:
        return value
    out = []
    for node in code.nodes:
        piece = str(node)
        if type(node).__name__ == "Text":
            piece = piece.replace("|", "{{!}}")
        out.append(piece)
    return "".join(out)


def _fits(section: Section, index: int) -> bool:
    return section.numbered is not None and index <= section.numbered.max


def _report_dropped(
    conv: _Converter, kind: str, value: str, start: int, end: int, why: str
) -> None:
    """A table row the clean template can't take, reported (IB009) rather than dropped silently."""
    text = " ".join(_COMMENT.sub("", value).split())
    shown = text if len(text) <= 60 else text[:57] + "..."
    message = f"the table's {kind} row '{shown}' was not converted ({why}); add it by hand"
    conv.diagnostics.append(_diag(NOT_SHOWN, message, start, end, subject=kind))


def _table_image_options(
    conv: _Converter,
    image: Param,
    link: FileLink,
    fields: list[tuple[str, str]],
    captioned: bool,
    start: int,
    end: int,
) -> None:
    """Fields for the size, upright, alt and caption of a table's image link; the rest reported."""
    lost = [f"'{o}'" for o in link.dropped]
    options = [
        ("size", image.size, _size(link.size) if link.size else None),
        ("upright", image.upright, link.upright),
        ("alt", image.alt, link.alt),
        ("caption", image.caption, link.caption),
    ]
    for what, name, value in options:
        if value is None:
            continue
        if name is None or (what == "caption" and captioned):
            why = "the template has no parameter for it" if name is None else "the row has one"
            lost.append(f"the {what} '{value}' ({why})")
            continue
        fields.append((name, _escape_value(value)))
        conv.split.append(name)
    if lost:
        message = (
            "the image link of the table had options the clean template can't keep: "
            + ", ".join(lost)
            + "; they were dropped"
        )
        severity = _loss_severity(link, len(lost))
        conv.diagnostics.append(_diag(NOT_SHOWN, message, start, end, severity, subject=image.name))


def _convert_table(
    text: str, node: Tag, start: int, end: int, options: _Options
) -> InfoboxConversion | None:
    schema = _table_schema(options)
    if schema is None:
        return None
    rows = read_table(node)
    conv = _Converter(text, schema, options)
    labels = _label_index(schema)
    title = schema.title_param()
    image = next((p for _, p in schema.iter_params() if p.display == "image"), None)
    extra = schema.section(schema.extra.section) if schema.extra else None
    header_param = None
    if extra is not None:
        header_param = next((p for p in extra.params if p.display == "header"), None)
    fields: list[tuple[str, str]] = []
    used: set[str] = set()
    next_index = 1

    def add_extra(label: str, value: str) -> None:
        nonlocal next_index
        assert schema.extra is not None and extra is not None and extra.numbered is not None
        if next_index > extra.numbered.max:
            key = param_key(label) or "unlabelled"
            fields.append((key, value))
            conv.hidden.append(key)
            conv.diagnostics.append(
                _diag(
                    UNMAPPED,
                    f"row '{label}' kept as '{key}' (custom rows full)",
                    start,
                    end,
                    subject=label,
                )
            )
            return
        if label:
            fields.append((extra.name_for(schema.extra.label, next_index), label))
        fields.append((extra.name_for(schema.extra.value, next_index), value))
        next_index += 1

    for row in rows:
        value = _escape_value(conv.value(None, None, row.value, row.label or row.kind))
        if row.kind == "title" and title is not None and title.name not in used:
            fields.append((title.name, value))
            used.add(title.name)
        elif row.kind == "image" and image is not None and image.name not in used:
            link = parse_file_link(row.value)
            fields.append((image.name, link.name if link else _file_name(row.value)))
            used.add(image.name)
            captioned = False
            if image.caption and row.caption:
                caption = _escape_value(conv.value(None, None, row.caption, "caption"))
                fields.append((image.caption, caption))
                captioned = True
            if link is not None:
                _table_image_options(conv, image, link, fields, captioned, start, end)
        elif row.kind == "header" and header_param is not None and extra is not None:
            if _fits(extra, next_index):
                fields.append((extra.name_for(header_param.name, next_index), value))
                next_index += 1
            else:
                _report_dropped(conv, row.kind, row.value, start, end, "custom rows full")
        elif row.kind == "header" and extra is not None:
            add_extra("", value)  # a value across the box, where the schema has no headers
        elif row.kind == "field" and _label_key(row.label) in labels:
            section, param = labels[_label_key(row.label)]
            name = section.name_for(param.name, 1 if section.numbered else None)
            if name not in used:
                fields.append((name, value))
                used.add(name)
            elif extra is not None:
                add_extra(row.label, value)
            else:
                key = param_key(row.label)
                fields.append((key, value))
                conv.hidden.append(key)
                conv.diagnostics.append(
                    _diag(
                        UNMAPPED,
                        f"row '{row.label}' repeats '{name}'; kept as '{key}', "
                        "but the template does not show it",
                        start,
                        end,
                        subject=row.label,
                    )
                )
        elif extra is not None:
            add_extra(row.label, value)
        elif row.label:
            key = param_key(row.label)
            fields.append((key, value))
            conv.hidden.append(key)
            conv.diagnostics.append(
                _diag(
                    UNMAPPED,
                    f"row '{row.label}' has no place in '{schema.name}'; kept as '{key}', "
                    "but the template does not show it",
                    start,
                    end,
                    subject=row.label,
                )
            )
        else:
            _report_dropped(conv, row.kind, row.value, start, end, "no place for it")
    body = "".join(f"\n| {k} = {v}" for k, v in fields if v.strip())
    call = f"{{{{{schema.template}{body}\n}}}}"
    conv.edits.append(Edit(start, end, call))
    for name, where, _, _ in conv.kept:
        conv.diagnostics.append(
            _diag(
                NESTED,
                f"{{{{{name}}}}} in '{where}' was kept: it may not exist",
                start,
                end,
                subject=name,
            )
        )
    return conv.result('{| class="infobox"', start, end, TABLE)


# -- finding and orchestrating ---------------------------------------------------------------


def _schema_for(name: str, options: _Options) -> Schema | None:
    registry = options.registry
    key = template_key(name)
    claimed = registry.for_source(name)
    if options.target is not None and key in options.target.source_keys:
        claimed = options.target
    looks_like = key.startswith("infobox") and "/" not in key
    if claimed is None and not looks_like:
        return None
    if options.target is not None:
        return options.target
    if claimed is None:
        claimed = options.via_redirect(name)
    if claimed is not None:
        return claimed
    return registry.fallback if options.fallback else None


def _tag_contents_start(tag: Tag, start: int, length: int) -> int:
    """Offset where a tag's contents start, from its total length and its closing part."""
    close = tag.closing_wiki_markup or "" if tag.wiki_markup else f"</{tag.closing_tag}>"
    return start + length - len(close) - len(str(tag.contents))


def _iter_candidates(code: Wikicode, start: int) -> Iterator[tuple[Template | Tag, int, int]]:
    """Templates and tables outside any template, with spans (tags are searched inside)."""
    cursor = start
    for node in code.nodes:
        length = len(str(node))
        if isinstance(node, Template):
            yield node, cursor, cursor + length
        elif isinstance(node, Tag):
            if node.wiki_markup == "{|":
                yield node, cursor, cursor + length
            if not node.self_closing and node.contents is not None:
                inner = _tag_contents_start(node, cursor, length)
                yield from _iter_candidates(node.contents, inner)
        cursor += length


_Found = tuple[Template | Tag, int, int, Schema | None]


def _find(tree: Wikicode, options: _Options) -> list[_Found]:
    found: list[_Found] = []
    skip_until = -1
    for node, start, end in _iter_candidates(tree, 0):
        if start < skip_until:
            continue
        if isinstance(node, Template):
            name = template_name(node)
            if is_builtin(name):
                continue
            schema = _schema_for(name, options)
            if schema is not None:
                found.append((node, start, end, schema))
        elif options.tables and is_infobox_table(node):
            skip_until = end
            found.append((node, start, end, None))
    return found


_INFOBOX_CLASS = re.compile(r"""class\s*=\s*["']?[^"'\n]*\binfobox""", re.IGNORECASE)


def _scan(text: str, options: _Options) -> list[_Found] | None:
    """Find the infoboxes by a bracket scan and parse only them; None to parse the page.

    Parsing whole articles dominates the cost, and only the infobox needs a tree. Each
    candidate span must parse as exactly one template (or table) node, otherwise the page
    is parsed whole and searched the slow way.
    """
    scan = brackets.scan_brackets(text, IgnoredRegions.of(text))
    found: list[_Found] = []
    taken_until = -1
    enclosing = (brackets.TEMPLATE, brackets.ARGUMENT, brackets.LINK)
    for pair in scan.pairs:
        start, end = pair.open_start, pair.close_end
        if start < taken_until or pair.kind not in (brackets.TEMPLATE, brackets.TABLE):
            continue
        if scan.inside(start, enclosing):
            continue
        schema: Schema | None = None
        if pair.kind == brackets.TEMPLATE:
            name = text[pair.open_end : pair.close_start].split("|", 1)[0]
            if "{" in name or is_builtin(name):
                continue
            schema = _schema_for(name, options)
            if schema is None:
                continue
        else:
            line_end = text.find("\n", start)
            opener = text[start : line_end if line_end >= 0 else end]
            if not options.tables or not _INFOBOX_CLASS.search(opener):
                continue
        try:
            nodes = parse(text[start:end]).nodes
        except RoundTripError:
            return None
        if len(nodes) != 1:
            return None
        node = nodes[0]
        wanted = Template if pair.kind == brackets.TEMPLATE else Tag
        if not isinstance(node, wanted) or (wanted is Tag and not is_infobox_table(node)):
            return None
        found.append((node, start, end, schema))
        taken_until = end
    return found


def _filter_existing(
    conversions: list[InfoboxConversion], site: SiteContext | None
) -> list[InfoboxConversion]:
    """Drop nested-template findings for templates the target wiki has."""
    if site is None:
        return conversions
    names = {
        d.subject
        for c in conversions
        for d in c.diagnostics
        if d.code == NESTED.code and d.subject is not None
    }
    if not names:
        return conversions
    titles = {name: template_title(name, site.namespaces) for name in names}
    exists = site.exists(titles.values())
    present = {name for name, title in titles.items() if exists.get(title)}
    result = []
    for c in conversions:
        kept = tuple(
            d for d in c.diagnostics if not (d.code == NESTED.code and d.subject in present)
        )
        result.append(
            InfoboxConversion(
                c.source,
                c.schema,
                c.start,
                c.end,
                c.fix,
                kept,
                c.renamed,
                c.flattened,
                c.moved,
                c.hidden,
            )
        )
    return result


def _may_hold_infobox(text: str, options: _Options) -> bool:
    """A cheap test that skips parsing pages with no infobox at all."""
    folded = text.casefold().replace("_", " ")
    if "infobox" in folded:
        return True
    names = options.registry.source_keys
    if options.target is not None:
        names = names | options.target.source_keys
    return any(name in folded for name in names)


def _convert(text: str, options: _Options, site: SiteContext | None) -> ConversionResult:
    if not _may_hold_infobox(text, options):
        return ConversionResult(text, text, ())
    found = _scan(text, options)
    if found is None:
        try:
            found = _find(parse(text), options)
        except RoundTripError as exc:
            message = f"{exc}; nothing converted"
            problem = _diag(UNPARSEABLE, message, 0, len(text), Severity.ERROR)
            return ConversionResult(text, text, (), (problem,))
    conversions: list[InfoboxConversion] = []
    for node, start, end, schema in found:
        if isinstance(node, Template):
            assert schema is not None
            conversions.append(_convert_call(text, node, start, end, schema, options))
        else:
            converted = _convert_table(text, node, start, end, options)
            if converted is not None:
                conversions.append(converted)
    conversions = _filter_existing(conversions, site)
    edits = [e for c in conversions if c.fix is not None for e in c.fix.edits]
    return ConversionResult(text, apply_edits(text, edits), tuple(conversions))


def convert_infobox(
    text: str,
    schema: Schema | str | None = None,
    *,
    registry: SchemaRegistry | None = None,
    site: SiteContext | None = None,
    date_style: DateStyle = "mdy",
    fallback: bool = True,
    tables: bool = True,
) -> ConversionResult:
    """Convert the infoboxes of one page onto clean templates.

    ``schema`` forces every infobox onto that schema (a :class:`Schema` or a schema name);
    without it each call goes to the schema listing it in ``sources``, and other
    ``{{Infobox …}}`` calls and infobox tables to the ``fallback`` schema (unless
    ``fallback`` is False). ``site``, when given, silences findings about nested templates
    the target wiki has, and labels the custom rows of parameters with no home from the
    source template's TemplateData there (otherwise :mod:`wikitools.infobox.labels`
    derives them from the parameter names); an ``{{Infobox …}}`` no schema lists goes to
    the schema of the template it redirects to there. ``date_style`` orders dates of date
    templates without ``df``/``mf``.

    The result is checked: converting it again must find the same infoboxes and change
    nothing, otherwise the page is left as it was and an ``IB008`` finding says so (that
    would be a bug).
    """
    registry = registry if registry is not None else default_registry()
    target = registry.get(schema) if isinstance(schema, str) else schema
    options = _Options(registry, target, date_style, fallback, tables, site)
    result = _convert(text, options, site)
    if not result.changed:
        return result
    again = _convert(result.text, options, None)
    if again.changed or len(again.conversions) != len(result.conversions):
        log.error("converting twice changed the text again; original kept (this is a bug)")
        problem = _diag(
            UNSTABLE,
            "converting this page twice changed it again; nothing was changed "
            "(this is a bug in wikitools, please report it)",
            0,
            len(text),
            Severity.ERROR,
        )
        return ConversionResult(text, text, result.conversions, (problem,))
    return result
