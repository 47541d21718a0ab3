"""Clean-template schemas: the data model, loading from TOML/JSON, and validation.

A schema describes one clean infobox template: its canonical parameters (labels, order,
sections, types), aliases, numbered groups (``office2``, ``term_start2`` …), and which source
templates map onto it. The format is documented in ``templates/README.md``; every problem is
reported as a :class:`~wikitools.errors.SchemaError` naming the file and the key.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn

from wikitools.errors import SchemaError
from wikitools.infobox.names import humanize, param_key, template_key

#: Version of the schema format this code reads (``format = 1`` in a schema file).
FORMAT_VERSION = 1

#: Parameter types, as TemplateData names them.
TYPES = (
    "unknown",
    "number",
    "string",
    "line",
    "boolean",
    "date",
    "url",
    "wiki-page-name",
    "wiki-file-name",
    "wiki-template-name",
    "wiki-user-name",
    "content",
    "unbalanced-wikitext",
)

Display = Literal["row", "stacked", "title", "subtitle", "header", "image", "none"]
#: How a parameter shows in the rendered infobox.
DISPLAYS: tuple[Display, ...] = (
    "row",
    "stacked",
    "title",
    "subtitle",
    "header",
    "image",
    "none",
)

PLACEHOLDER = re.compile(r"\{([^{}|=\n]+)\}")

#: Style slots a schema may override (CSS declarations).
STYLE_KEYS = (
    "box",
    "stacked",
    "title",
    "subtitle",
    "header",
    "group_header",
    "label",
    "value",
    "image",
    "caption",
)

_BAD_NAME = re.compile(r"[|={}\[\]<>\n]")


@dataclass(frozen=True, slots=True)
class Case:
    """A condition on other parameters, with what to show when it holds.

    It holds when every parameter in ``when`` is non-empty and every one in ``unless`` is
    empty. ``text`` is a label (``variants``) or wikitext with ``{param}`` placeholders
    (``derive``).
    """

    when: tuple[str, ...]
    unless: tuple[str, ...]
    text: str

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The parameters named by ``{param}`` in :attr:`text`."""
        return tuple(dict.fromkeys(m.group(1).strip() for m in PLACEHOLDER.finditer(self.text)))

    @property
    def names(self) -> tuple[str, ...]:
        """Every parameter this case reads."""
        return tuple(dict.fromkeys((*self.when, *self.unless, *self.placeholders)))

    def holds(self, filled: Callable[[str], bool]) -> bool:
        """Whether the case applies, given which parameters are non-empty."""
        return all(filled(n) for n in self.when) and not any(filled(n) for n in self.unless)


@dataclass(frozen=True, slots=True)
class Param:
    """One canonical parameter (for a numbered section: the base name, e.g. ``office``)."""

    name: str
    label: str
    type: str = "content"
    display: Display = "row"
    aliases: tuple[str, ...] = ()
    description: str = ""
    required: bool = False
    suggested: bool = False
    default: str = ""
    example: str = ""
    label_from: str | None = None
    join: tuple[str, ...] = ()
    separator: str = " "
    caption: str | None = None
    alt: str | None = None
    size: str | None = None
    default_size: str = "frameless"
    upright: str | None = None
    variants: tuple[Case, ...] = ()
    """Other labels, each used when its condition holds (the first that holds wins)."""
    derive: tuple[Case, ...] = ()
    """The shown value built from other parameters: the first case that holds wins."""

    @property
    def references(self) -> tuple[str, ...]:
        """Other parameters this one displays (label, joined values, image caption/alt/size,
        the placeholders of its derived values); conditions only read, they don't display."""
        refs = [self.label_from, *self.join, self.caption, self.alt, self.size, self.upright]
        refs += [n for case in self.derive for n in case.placeholders]
        return tuple(dict.fromkeys(r for r in refs if r and r != self.name))


@dataclass(frozen=True, slots=True)
class Numbering:
    """A section repeated for 1..max, parameters suffixed with the group number."""

    max: int
    first_unsuffixed: bool = False
    label: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """An ordered group of parameters, optionally with a header or numbered repetition."""

    id: str
    params: tuple[Param, ...]
    header: str | None = None
    numbered: Numbering | None = None

    def param(self, name: str) -> Param:
        """The parameter with canonical (base) ``name``; KeyError when absent."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def name_for(self, base: str, index: int | None) -> str:
        """The parameter name of ``base`` in group ``index`` (``None`` for plain sections)."""
        if self.numbered is None or index is None:
            return base
        if index == 1 and self.numbered.first_unsuffixed:
            return base
        return f"{base}{index}"

    def indexes(self) -> range | tuple[None]:
        """Group numbers of a numbered section (1..max), or ``(None,)`` for a plain one."""
        if self.numbered is None:
            return (None,)
        return range(1, self.numbered.max + 1)

    @property
    def consumed(self) -> frozenset[str]:
        """Parameters shown only through another one (caption, alt, size, labels, joins)."""
        return frozenset(ref for p in self.params for ref in p.references)


@dataclass(frozen=True, slots=True)
class Extra:
    """Where parameters with no home go: new numbered label/value rows in ``section``."""

    section: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Slot:
    """A resolved parameter name: which canonical parameter (and group) it fills."""

    section: Section
    param: Param
    index: int | None
    canonical: str

    @property
    def in_range(self) -> bool:
        """False for numbered names past the section's maximum group."""
        numbered = self.section.numbered
        return numbered is None or self.index is None or 1 <= self.index <= numbered.max


@dataclass(frozen=True)
class Schema:
    """A validated clean-template schema. Build with :func:`parse_schema` or :func:`load_schema`."""

    name: str
    template: str
    sections: tuple[Section, ...]
    description: str = ""
    sources: tuple[str, ...] = ()
    fallback: bool = False
    extra: Extra | None = None
    style: Mapping[str, str] = field(default_factory=dict)
    origin: str = "<schema>"
    _exact: dict[str, Slot] = field(default_factory=dict, init=False, repr=False, compare=False)
    _lenient: dict[str, Slot] = field(default_factory=dict, init=False, repr=False, compare=False)
    _bases: list[tuple[str, Section, Param]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._index()

    # -- lookups -------------------------------------------------------------------------

    def section(self, section_id: str) -> Section:
        """The section with ``section_id``; KeyError when absent."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def iter_params(self) -> Iterator[tuple[Section, Param]]:
        """Every (section, parameter) pair in display order."""
        for section in self.sections:
            for param in section.params:
                yield section, param

    @property
    def source_keys(self) -> frozenset[str]:
        """Comparison keys of the template names this schema converts (incl. its own)."""
        return frozenset(template_key(n) for n in (self.template, *self.sources))

    def title_param(self) -> Param | None:
        """The parameter shown as the box title, if any."""
        for _, param in self.iter_params():
            if param.display == "title":
                return param
        return None

    def resolve(self, name: str) -> Slot | None:
        """The canonical slot a parameter name fills, or None when it has no home.

        Exact names and aliases win; then numbered names (``office12``); then a lenient
        match ignoring case and the difference between spaces and underscores.
        """
        key = name.strip()
        slot = self._exact.get(key)
        if slot is not None:
            return slot
        slot = self._numbered(key, lenient=False)
        if slot is not None:
            return slot
        slot = self._lenient.get(param_key(key))
        if slot is not None:
            return slot
        return self._numbered(param_key(key), lenient=True)

    def _numbered(self, key: str, lenient: bool) -> Slot | None:
        for base, section, param in self._bases:
            probe = param_key(base) if lenient else base
            if key.startswith(probe):
                digits = key[len(probe) :]
                if digits.isdigit() and not digits.startswith("0"):
                    index = int(digits)
                    return Slot(section, param, index, section.name_for(param.name, index))
        return None

    def _index(self) -> None:
        exact: dict[str, Slot] = {}
        bases: list[tuple[str, Section, Param]] = []
        for section, param in self.iter_params():
            names = (param.name, *param.aliases)
            if section.numbered is None:
                for n in names:
                    exact[n] = Slot(section, param, None, param.name)
                continue
            for n in names:
                bases.append((n, section, param))
                if section.numbered.first_unsuffixed:
                    exact[n] = Slot(section, param, 1, section.name_for(param.name, 1))
        bases.sort(key=lambda item: len(item[0]), reverse=True)
        self._exact.update(exact)
        self._lenient.update({param_key(k): v for k, v in exact.items()})
        self._bases.extend(bases)


# -- loading ---------------------------------------------------------------------------------


class _Reader:
    """Typed access to one table of a schema file, with errors naming file and key."""

    def __init__(self, origin: str, path: str, data: Any) -> None:
        self.origin = origin
        self.path = path
        if not isinstance(data, dict):
            self.fail(f"expected a table, got {_kind(data)}")
        self.data: dict[str, Any] = data

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        where = self.key(key) if key else (self.path or "top level")
        raise SchemaError(f"{self.origin}: {where}: {message}")

    def check_keys(self, allowed: Sequence[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.fail(f"unknown key; expected one of: {', '.join(allowed)}", key)

    def string(self, name: str, default: str | None = None, *, nonempty: bool = True) -> str:
        value = self.data.get(name, default)
        if value is None:
            self.fail("missing (required)", name)
        if not isinstance(value, str):
            self.fail(f"expected a string, got {_kind(value)}", name)
        if nonempty and not value.strip():
            self.fail("must not be empty", name)
        return value

    def optional(self, name: str) -> str | None:
        if name not in self.data:
            return None
        return self.string(name)

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {_kind(value)}", name)
        return value

    def integer(self, name: str, low: int, high: int) -> int:
        value = self.data.get(name)
        if value is None:
            self.fail("missing (required)", name)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"expected an integer, got {_kind(value)}", name)
        if not low <= value <= high:
            self.fail(f"must be between {low} and {high}, got {value}", name)
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            self.fail(f"expected a list of strings, got {_kind(value)}", name)
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"expected a non-empty string, got {_kind(item)}", f"{name}[{i}]")
        return tuple(value)

    def tables(self, name: str) -> list[_Reader]:
        value = self.data.get(name)
        if value is None:
            self.fail("missing (required)", name)
        if not isinstance(value, list) or not value:
            self.fail(f"expected a non-empty list of tables, got {_kind(value)}", name)
        return [_Reader(self.origin, f"{self.key(name)}[{i}]", v) for i, v in enumerate(value)]

    def table(self, name: str) -> _Reader | None:
        if name not in self.data:
            return None
        return _Reader(self.origin, self.key(name), self.data[name])


def _kind(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names.update({list: "a list", dict: "a table", type(None): "nothing"})
    return names.get(type(value), type(value).__name__)


_PARAM_KEYS = (
    "name",
    "label",
    "type",
    "display",
    "aliases",
    "description",
    "required",
    "suggested",
    "default",
    "example",
    "label_from",
    "join",
    "separator",
    "caption",
    "alt",
    "size",
    "default_size",
    "upright",
    "variants",
    "derive",
)
_CASE_KEYS = ("when", "unless", "label", "text")
_SECTION_KEYS = ("id", "header", "params", "numbered")
_TOP_KEYS = (
    "format",
    "name",
    "template",
    "description",
    "sources",
    "fallback",
    "extra",
    "style",
    "sections",
)


def _check_name(reader: _Reader, key: str, value: str) -> None:
    if _BAD_NAME.search(value) or value != value.strip():
        reader.fail(f"{value!r} is not a usable parameter name", key)


def _parse_param(reader: _Reader) -> Param:
    reader.check_keys(_PARAM_KEYS)
    name = reader.string("name")
    _check_name(reader, "name", name)
    display = reader.string("display", "row")
    if display not in DISPLAYS:
        reader.fail(f"unknown display {display!r}; expected one of: {', '.join(DISPLAYS)}")
    default_type = "wiki-file-name" if display == "image" else "content"
    ptype = reader.string("type", default_type)
    if ptype not in TYPES:
        reader.fail(f"unknown type {ptype!r}; expected one of: {', '.join(TYPES)}", "type")
    aliases = reader.strings("aliases")
    for i, alias in enumerate(aliases):
        _check_name(reader, f"aliases[{i}]", alias)
    image_keys = ("caption", "alt", "size", "upright")
    if display != "image" and ptype != "wiki-file-name":
        for key in image_keys:
            if key in reader.data:
                reader.fail("only images (display 'image' or type 'wiki-file-name') take this", key)
    return Param(
        name=name,
        label=reader.string("label", humanize(name)),
        type=ptype,
        display=display,
        aliases=aliases,
        description=reader.string("description", "", nonempty=False),
        required=reader.boolean("required"),
        suggested=reader.boolean("suggested"),
        default=reader.string("default", "", nonempty=False),
        example=reader.string("example", "", nonempty=False),
        label_from=reader.optional("label_from"),
        join=reader.strings("join"),
        separator=reader.string("separator", " ", nonempty=False),
        caption=reader.optional("caption"),
        alt=reader.optional("alt"),
        size=reader.optional("size"),
        default_size=reader.string("default_size", "frameless"),
        upright=reader.optional("upright"),
        variants=_parse_cases(reader, "variants", "label"),
        derive=_parse_cases(reader, "derive", "text"),
    )


def _parse_cases(reader: _Reader, key: str, text_key: str) -> tuple[Case, ...]:
    """``variants`` (each with a ``label``) or ``derive`` (each with a ``text``)."""
    if key not in reader.data:
        return ()
    cases = []
    for item in reader.tables(key):
        item.check_keys(("when", "unless", text_key))
        when, unless = item.strings("when"), item.strings("unless")
        if not when and not unless:
            item.fail("needs 'when' or 'unless' (a case that always holds is the plain value)")
        text = item.string(text_key)
        if "{{" in text or "}}" in text:
            item.fail("templates and parser functions are not allowed here", text_key)
        cases.append(Case(when, unless, text))
    return tuple(cases)


def _parse_section(reader: _Reader) -> Section:
    reader.check_keys(_SECTION_KEYS)
    section_id = reader.string("id")
    numbered: Numbering | None = None
    table = reader.table("numbered")
    if table is not None:
        table.check_keys(("max", "first_unsuffixed", "label"))
        numbered = Numbering(
            max=table.integer("max", 1, 100),
            first_unsuffixed=table.boolean("first_unsuffixed"),
            label=table.string("label", humanize(section_id)),
        )
    params = tuple(_parse_param(r) for r in reader.tables("params"))
    section = Section(section_id, params, reader.optional("header"), numbered)
    names = [p.name for p in params]
    for i, param in enumerate(params):
        for key, ref in (
            ("label_from", param.label_from),
            *(("join", j) for j in param.join),
            ("caption", param.caption),
            ("alt", param.alt),
            ("size", param.size),
            ("upright", param.upright),
            *(
                (f"derive ({p})", p)
                for case in param.derive
                for p in case.placeholders
                if p != param.name
            ),
        ):
            if ref is None:
                continue
            where = f"params[{i}].{key}"
            if ref not in names:
                reader.fail(f"{ref!r} is not a parameter of section {section_id!r}", where)
            if ref == param.name:
                reader.fail(f"{ref!r} refers to the parameter itself", where)
            shown = section.param(ref).display
            if shown not in ("row", "none"):
                reader.fail(f"{ref!r} is shown as {shown!r}; a referenced one can't be", where)
        for key, cases in (("variants", param.variants), ("derive", param.derive)):
            for c, case in enumerate(cases):
                for ref in case.names:
                    if ref not in names:
                        where = f"params[{i}].{key}[{c}]"
                        reader.fail(f"{ref!r} is not a parameter of section {section_id!r}", where)
    return section


def parse_schema(data: Mapping[str, Any], origin: str, stem: str | None = None) -> Schema:
    """Validate the decoded contents of a schema file and build a :class:`Schema`.

    ``origin`` names the file in error messages; ``stem`` (the file name without extension),
    when given, must equal the schema's ``name``.
    """
    reader = _Reader(origin, "", dict(data))
    reader.check_keys(_TOP_KEYS)
    if "format" in reader.data:
        version = reader.integer("format", 1, 1_000_000)
        if version != FORMAT_VERSION:
            reader.fail(f"format {version} is not supported (this wikitools reads 1)", "format")
    name = reader.string("name")
    if stem is not None and name != stem:
        reader.fail(f"{name!r} must equal the file name {stem!r}", "name")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        reader.fail("use lowercase letters, digits, '-' and '_'", "name")
    template = reader.string("template")
    if "|" in template or "{" in template or "}" in template:
        reader.fail(f"{template!r} is not a usable template name", "template")
    sections = tuple(_parse_section(r) for r in reader.tables("sections"))
    _check_sections(reader, sections)
    extra: Extra | None = None
    table = reader.table("extra")
    if table is not None:
        table.check_keys(("section", "label", "value"))
        extra = Extra(table.string("section"), table.string("label"), table.string("value"))
        _check_extra(table, extra, sections)
    style: dict[str, str] = {}
    table = reader.table("style")
    if table is not None:
        table.check_keys(STYLE_KEYS)
        style = {k: table.string(k, nonempty=False) for k in table.data}
    sources = reader.strings("sources")
    seen: dict[str, int] = {}
    for i, source in enumerate(sources):
        key = template_key(source)
        if key in seen:
            reader.fail(f"{source!r} repeats sources[{seen[key]}]", f"sources[{i}]")
        seen[key] = i
    return Schema(
        name=name,
        template=template.strip(),
        sections=sections,
        description=reader.string("description", "", nonempty=False),
        sources=sources,
        fallback=reader.boolean("fallback"),
        extra=extra,
        style=style,
        origin=origin,
    )


def _check_sections(reader: _Reader, sections: tuple[Section, ...]) -> None:
    ids: set[str] = set()
    owners: dict[str, str] = {}
    lenient: dict[str, str] = {}
    titles = 0
    for s, section in enumerate(sections):
        if section.id in ids:
            reader.fail(f"section id {section.id!r} is used twice", f"sections[{s}].id")
        ids.add(section.id)
        for p, param in enumerate(section.params):
            where = f"sections[{s}].params[{p}]"
            if param.display == "title":
                titles += 1
                if titles > 1:
                    reader.fail("only one parameter can have display = 'title'", where)
                if section.numbered is not None:
                    reader.fail("a numbered section can't hold the title", where)
            for index in section.indexes():
                names = [section.name_for(param.name, index)]
                names += [section.name_for(a, index) for a in param.aliases]
                if index == 1 and section.numbered and section.numbered.first_unsuffixed:
                    names += [f"{n}1" for n in (param.name, *param.aliases)]
                for n in names:
                    owner = f"{where} ({param.name!r})"
                    if n in owners and owners[n] != owner:
                        reader.fail(f"the name {n!r} also belongs to {owners[n]}", where)
                    owners[n] = owner
                    key = param_key(n)
                    if key in lenient and lenient[key] != owner:
                        reader.fail(
                            f"{n!r} differs only in case or '_' from a name of {lenient[key]}",
                            where,
                        )
                    lenient[key] = owner


def _check_extra(reader: _Reader, extra: Extra, sections: tuple[Section, ...]) -> None:
    for section in sections:
        if section.id == extra.section:
            break
    else:
        reader.fail(f"{extra.section!r} is not a section id", "section")
    if section.numbered is None:
        reader.fail(f"section {extra.section!r} must be numbered to take extra rows", "section")
    names = [p.name for p in section.params]
    for key in ("label", "value"):
        ref = getattr(extra, key)
        if ref not in names:
            reader.fail(f"{ref!r} is not a parameter of section {extra.section!r}", key)
    if section.param(extra.value).label_from != extra.label:
        reader.fail(f"parameter {extra.value!r} must have label_from = {extra.label!r}", "value")


def decode_schema_text(text: str, origin: str) -> dict[str, Any]:
    """Decode a schema file's text as TOML, or JSON when ``origin`` ends in ``.json``."""
    try:
        if origin.endswith(".json"):
            data = json.loads(text)
            if not isinstance(data, dict):
                raise SchemaError(f"{origin}: top level: expected a JSON object")
            return data
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{origin}: not valid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise SchemaError(
            f"{origin}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
