"""Flatten nested templates that won't exist on the target wiki into text that reads the same.

``{{birth date|1878|12|18|df=y}}`` becomes ``18 December 1878``, ``{{death date and age|…}}``
gets its age computed, ``{{plainlist}}``/``{{ubl}}``/``{{hlist}}`` become lines separated by
``<br />``, ``{{lang|ka|…}}`` becomes its text, ``{{Ka icon}}`` becomes ``(in Georgian)``,
``{{small|…}}`` becomes ``<small>…</small>``, and so on. The output needs no template at all:
only core HTML, and for the age of living people a ``{{#expr:…}}`` of ParserFunctions so the
age never goes stale.

Templates this module does not know stay as they are and are reported, unless the caller
says they exist on the target wiki. Parser functions and magic words are never touched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mwparserfromhell.nodes import ExternalLink, Tag, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from wikitools.infobox.dates import (
    Date,
    DateStyle,
    age_expr,
    age_range,
    date_from_parts,
    format_age,
    is_yes,
    parse_date_text,
)
from wikitools.infobox.magic import is_builtin
from wikitools.infobox.names import template_key
from wikitools.languages import language_name
from wikitools.parsing.tree import parse, template_name

#: What separates the items of a flattened list.
LINE_BREAK = "<br />"

#: Tags whose contents are not wikitext to flatten (citations are left to the article).
_OPAQUE_TAGS = frozenset(
    {"ref", "references", "nowiki", "pre", "math", "chem", "syntaxhighlight", "source", "score"}
)


@dataclass
class FlattenContext:
    """Options for one flattening run, and what it did."""

    date_style: DateStyle = "mdy"
    """Date order for date templates without ``df=``/``mf=`` (Wikipedia's default is mdy)."""
    exists: Callable[[str], bool] | None = None
    """Tells whether a template exists on the target wiki (then it is kept silently)."""
    flattened: list[str] = field(default_factory=list)
    """Names of the templates replaced by text."""
    kept: list[str] = field(default_factory=list)
    """Names of templates left in place that may not exist on the target wiki."""


@dataclass(frozen=True)
class Call:
    """A template call's arguments after its nested templates were flattened."""

    name: str
    positional: tuple[str, ...]
    named: dict[str, str]

    def pos(self, index: int, default: str = "") -> str:
        """The ``index``-th (1-based) unnamed argument, stripped."""
        return self.positional[index - 1] if 0 < index <= len(self.positional) else default

    def opt(self, *names: str) -> str:
        """The first non-empty named argument among ``names`` (case-insensitive)."""
        for name in names:
            value = self.named.get(name.casefold(), "")
            if value:
                return value
        return ""

    @classmethod
    def of(cls, node: Template) -> Call:
        positional: dict[int, str] = {}
        named: dict[str, str] = {}
        counter = 0
        for param in node.params:
            value = str(param.value).strip()
            if not param.showkey:
                counter += 1
                positional[counter] = value
                continue
            key = str(param.name).strip()
            if key.isdigit():
                positional[int(key)] = value
            else:
                named[key.casefold()] = value
        size = max(positional, default=0)
        items = tuple(positional.get(i, "") for i in range(1, size + 1))
        return cls(template_name(node), items, named)


Handler = Callable[[Call, FlattenContext], "str | None"]
_HANDLERS: dict[str, Handler] = {}


def _handles(*names: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        for name in names:
            _HANDLERS[template_key(name)] = func
        return func

    return register


# -- dates -----------------------------------------------------------------------------------


def _style(call: Call, ctx: FlattenContext) -> DateStyle:
    if is_yes(call.opt("df")):
        return "dmy"
    if is_yes(call.opt("mf")):
        return "mdy"
    return ctx.date_style


def _date_at(call: Call, first: int) -> Date | None:
    return date_from_parts(call.pos(first), call.pos(first + 1), call.pos(first + 2))


@_handles("birth date", "dob", "birthdate", "death date", "dod", "start date", "end date", "sd")
def _date(call: Call, ctx: FlattenContext) -> str | None:
    date = _date_at(call, 1)
    return date.format(_style(call, ctx)) if date else None


@_handles("birth date and age", "bda", "birth date and age2", "start date and age")
def _date_and_age(call: Call, ctx: FlattenContext) -> str | None:
    date = _date_at(call, 1)
    if date is None:
        return None
    if template_key(call.name) == "start date and age":
        return f"{date.format(_style(call, ctx))} ({age_expr(date)} years ago)"
    return f"{date.format(_style(call, ctx))} (age {age_expr(date)})"


@_handles("death date and age", "dda", "death date and given age")
def _death_and_age(call: Call, ctx: FlattenContext) -> str | None:
    death = _date_at(call, 1)
    if death is None:
        return None
    if template_key(call.name) == "death date and given age":
        age = call.pos(4)
        return f"{death.format(_style(call, ctx))} (aged {age})" if age else None
    birth = _date_at(call, 4)
    if birth is None:
        return None
    return f"{death.format(_style(call, ctx))} (aged {format_age(*age_range(birth, death))})"


@_handles("birth year and age")
def _birth_year_and_age(call: Call, ctx: FlattenContext) -> str | None:
    date = date_from_parts(call.pos(1), call.pos(2))
    if date is None:
        return None
    return f"{date.format(ctx.date_style)} (age {age_expr(date)})"


@_handles("death year and age")
def _death_year_and_age(call: Call, ctx: FlattenContext) -> str | None:
    death = date_from_parts(call.pos(1), call.pos(3))
    birth = date_from_parts(call.pos(2))
    if death is None or birth is None:
        return None
    return f"{death.format(ctx.date_style)} (aged {format_age(*age_range(birth, death))})"


@_handles("birth-date", "death-date", "birth date text", "death date text")
def _date_text(call: Call, ctx: FlattenContext) -> str | None:
    return call.pos(1) or None


@_handles("birth-date and age", "birth date and age text")
def _date_text_and_age(call: Call, ctx: FlattenContext) -> str | None:
    shown = call.pos(1)
    birth = parse_date_text(call.pos(2) or shown)
    if not shown or birth is None:
        return shown or None
    return f"{shown} (age {age_expr(birth)})"


@_handles("death-date and age", "death date and age text")
def _death_text_and_age(call: Call, ctx: FlattenContext) -> str | None:
    shown = call.pos(1)
    death = parse_date_text(shown)
    birth = parse_date_text(call.pos(2))
    if not shown:
        return None
    if death is None or birth is None:
        return shown
    return f"{shown} (aged {format_age(*age_range(birth, death))})"


@_handles("age", "age in years")
def _age(call: Call, ctx: FlattenContext) -> str | None:
    birth = _date_at(call, 1)
    if birth is None:
        return None
    if call.pos(4):
        at = _date_at(call, 4)
        return format_age(*age_range(birth, at)) if at else None
    return age_expr(birth)


@_handles("date")
def _date_iso(call: Call, ctx: FlattenContext) -> str | None:
    date = parse_date_text(call.pos(1))
    if date is None:
        return call.pos(1) or None
    fmt = call.pos(2).casefold()
    return date.format("mdy" if fmt in ("mdy", "md") else "dmy")


@_handles("circa", "c.", "ca.", "ca")
def _circa(call: Call, ctx: FlattenContext) -> str | None:
    return f"c. {call.pos(1)}".strip() if call.pos(1) else "c."


@_handles("floruit", "fl.", "fl")
def _floruit(call: Call, ctx: FlattenContext) -> str | None:
    return f"fl. {call.pos(1)}".strip() if call.pos(1) else "fl."


# -- lists -----------------------------------------------------------------------------------


def list_items(text: str) -> list[str]:
    """The lines of a wikitext list, list markers removed (every line is its own item)."""
    items = []
    for line in text.splitlines():
        item = line.strip().lstrip("*#:;").strip()
        if item:
            items.append(item)
    return items


@_handles("plainlist", "plain list", "flatlist", "flat list", "blist", "bulleted list")
def _plainlist(call: Call, ctx: FlattenContext) -> str | None:
    body = call.pos(1)
    if template_key(call.name) in ("blist", "bulleted list") and len(call.positional) > 1:
        return LINE_BREAK.join(i for i in call.positional if i)
    return LINE_BREAK.join(list_items(body))


@_handles(
    "endplainlist",
    "end plainlist",
    "startplainlist",
    "start plainlist",
    "endflatlist",
    "end flatlist",
    "startflatlist",
    "start flatlist",
    "nowrap begin",
    "nowrap end",
    "clear",
    "clr",
    "-",
    "break",
    "clear left",
    "clear right",
    "increase",
    "decrease",
    "steady",
    "flagicon",
    "flag icon",
    "flagdeco",
)
def _nothing(call: Call, ctx: FlattenContext) -> str | None:
    return ""


@_handles(
    "unbulleted list",
    "ubl",
    "ubil",
    "unbulleted indent list",
    "hlist",
    "cslist",
    "bulleted",
    "nowrap list",
    "ordered list",
)
def _item_list(call: Call, ctx: FlattenContext) -> str | None:
    items = [item for item in call.positional if item]
    if template_key(call.name) == "ordered list":
        items = [f"{n}. {item}" for n, item in enumerate(items, 1)]
    return LINE_BREAK.join(items)


@_handles("collapsible list", "collapsible list2")
def _collapsible_list(call: Call, ctx: FlattenContext) -> str | None:
    items = [item for item in call.positional if item]
    title = call.opt("title")
    return LINE_BREAK.join([title, *items] if title else items)


# -- languages -------------------------------------------------------------------------------


@_handles("lang", "langx")
def _lang(call: Call, ctx: FlattenContext) -> str | None:
    text = call.pos(2) or call.opt("text")
    if template_key(call.name) == "langx" and text:
        name = language_name(call.pos(1))
        return f"{name}: {text}" if name else text
    return text or None


@_handles("transl", "transliteration", "translit")
def _transl(call: Call, ctx: FlattenContext) -> str | None:
    return call.positional[-1] if call.positional and call.positional[-1] else None


@_handles("native name", "nativename")
def _native_name(call: Call, ctx: FlattenContext) -> str | None:
    text = call.pos(2)
    if not text:
        return None
    name = language_name(call.pos(1))
    if call.opt("paren").casefold() == "omit" or name is None:
        return text
    return f"{text} ({name})"


@_handles("native name list")
def _native_name_list(call: Call, ctx: FlattenContext) -> str | None:
    lines = []
    for i in range(1, 21):
        text = call.opt(f"name{i}")
        if not text:
            continue
        name = language_name(call.opt(f"tag{i}"))
        lines.append(f"{text} ({name})" if name else text)
    return LINE_BREAK.join(lines) if lines else None


@_handles("nihongo")
def _nihongo(call: Call, ctx: FlattenContext) -> str | None:
    english, kanji, romaji = call.pos(1), call.pos(2), call.pos(3)
    inner = ", ".join(p for p in (kanji, romaji) if p)
    if english and inner:
        return f"{english} ({inner})"
    return english or inner or None


def _icon_text(codes: list[str]) -> str:
    names = [n for n in (language_name(c) for c in codes if c) if n]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"(in {joined})"


@_handles("in lang", "language icon", "link language", "languageicon")
def _in_lang(call: Call, ctx: FlattenContext) -> str | None:
    return _icon_text(list(call.positional))


_LANG_X = re.compile(r"lang-([a-z]{2,3}(?:-[a-z0-9]+)*)")
_ICON = re.compile(r"([a-z]{2,3}(?:-[a-z0-9]+)*) icon")
_FLAG = re.compile(r"flag(?:u|country| country|athlete|ipo)?")


def _lang_x(code: str) -> Handler:
    def handler(call: Call, ctx: FlattenContext) -> str | None:
        text = call.pos(1)
        if not text:
            return None
        name = language_name(code)
        shown = f"{name}: {text}" if name else text
        if call.pos(2):
            shown += f", romanized: {call.pos(2)}"
        return shown

    return handler


def _icon(code: str) -> Handler:
    def handler(call: Call, ctx: FlattenContext) -> str | None:
        return _icon_text([code])

    return handler


def _flag(call: Call, ctx: FlattenContext) -> str | None:
    return call.opt("name") or call.pos(1) or ""


# -- text formatting -------------------------------------------------------------------------


@_handles("nowrap", "nobr", "nobreak", "avoid wrap", "wrap", "resize", "smaller", "larger")
def _plain(call: Call, ctx: FlattenContext) -> str | None:
    if template_key(call.name) == "resize" and len(call.positional) > 1:
        return call.pos(2)
    return call.pos(1)


def _wrapper(tag: str) -> Handler:
    def handler(call: Call, ctx: FlattenContext) -> str | None:
        text = call.pos(1)
        return f"<{tag}>{text}</{tag}>" if text else ""

    return handler


for _name, _tag in (
    ("small", "small"),
    ("big", "big"),
    ("sup", "sup"),
    ("sub", "sub"),
    ("em", "em"),
    ("strong", "strong"),
    ("code", "code"),
    ("var", "var"),
):
    _HANDLERS[template_key(_name)] = _wrapper(_tag)


@_handles("abbr", "abbrlink")
def _abbr(call: Call, ctx: FlattenContext) -> str | None:
    short, full = call.pos(1), call.pos(2)
    if not full:
        return short
    return f'<abbr title="{html.escape(full, quote=True)}">{short}</abbr>'


_SYMBOLS: dict[str, str] = {
    "nbsp": "&nbsp;",
    "ndash": "–",
    "en dash": "–",
    "mdash": "—",
    "em dash": "—",
    "snd": "&nbsp;– ",
    "spnd": "&nbsp;– ",
    "sndash": "&nbsp;– ",
    "spaced ndash": "&nbsp;– ",
    "spaced en dash": "&nbsp;– ",
    "·": "&nbsp;· ",
    "dot": "&nbsp;· ",
    "middot": "&nbsp;· ",
    "•": "&nbsp;• ",
    "bull": "&nbsp;• ",
    "\\": " / ",
    "br": LINE_BREAK,
    ",": ",",
    "pipe": "&#124;",
    "'": "'",
    "sic": "[sic]",
}


def _symbol(text: str) -> Handler:
    def handler(call: Call, ctx: FlattenContext) -> str | None:
        key = template_key(call.name)
        if key in ("nbsp", "br") and call.pos(1).isdigit():
            return text * max(1, min(int(call.pos(1)), 20))
        return text

    return handler


for _name, _text in _SYMBOLS.items():
    _HANDLERS[template_key(_name)] = _symbol(_text)


@_handles("url", "official website", "official url")
def _url(call: Call, ctx: FlattenContext) -> str | None:
    target = call.pos(1) or call.opt("url")
    if not target:
        return ""
    shown = call.pos(2)
    href = target if re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:)?//", target) else f"http://{target}"
    if href.startswith("//"):
        href = f"https:{href}"
    if template_key(call.name) != "url":
        return f"[{href} {shown or 'Official website'}]"
    if not shown:
        shown = re.sub(r"(?i)^[a-z][a-z0-9+.-]*://", "", target).rstrip("/")
    return f"[{href} {shown}]"


@_handles("marriage", "married")
def _marriage(call: Call, ctx: FlattenContext) -> str | None:
    spouse, start, end = call.pos(1), call.pos(2), call.pos(3)
    if not spouse:
        return None

    def year(text: str) -> str:
        found = re.search(r"\b\d{3,4}\b", text)
        return found.group(0) if found else text

    details = f"m. {year(start)}" if start else ""
    if end or call.opt("end"):
        reason = call.opt("end") or _MARRIAGE_ENDS.get(call.opt("reason").casefold(), "")
        if not reason and call.opt("reason"):
            reason = call.opt("reason")
        if reason:
            details += f"; {reason} {year(end)}".rstrip()
        else:
            details += f"–{year(end)}"
    return f"{spouse} ({details})" if details else spouse


_MARRIAGE_ENDS = {
    "div": "div.",
    "div.": "div.",
    "divorce": "div.",
    "divorced": "div.",
    "d": "died",
    "d.": "died",
    "died": "died",
    "death": "died",
    "his death": "died",
    "her death": "died",
    "their death": "died",
    "sep": "sep.",
    "separated": "sep.",
    "annulled": "ann.",
    "annulment": "ann.",
    "widowed": "wid.",
}


@_handles("post-nominals", "postnominals")
def _post_nominals(call: Call, ctx: FlattenContext) -> str | None:
    return " ".join(p for p in call.positional if p)


@_handles("ill", "interlanguage link", "interlanguage link multi", "ill-wd")
def _ill(call: Call, ctx: FlattenContext) -> str | None:
    target = call.pos(1)
    if not target:
        return None
    shown = call.opt("lt")
    return f"[[{target}|{shown}]]" if shown else f"[[{target}]]"


@_handles("sortname")
def _sortname(call: Call, ctx: FlattenContext) -> str | None:
    first, last = call.pos(1), call.pos(2)
    shown = f"{first} {last}".strip()
    if not shown:
        return None
    if is_yes(call.opt("nolink")) or call.pos(3) == "nolink":
        return shown
    target = call.pos(3) or shown
    if call.opt("dab"):
        target = f"{shown} ({call.opt('dab')})"
    return f"[[{target}|{shown}]]" if target != shown else f"[[{shown}]]"


@_handles("convert", "cvt")
def _convert(call: Call, ctx: FlattenContext) -> str | None:
    parts = [p for p in call.positional if p]
    if len(parts) < 2:
        return None
    ranges = {"-": "–", "to": " to ", "and": " and ", "or": " or ", "–": "–", "x": " × "}
    shown = parts[0]
    rest = parts[1:]
    while len(rest) >= 2 and rest[0] in ranges:
        shown += ranges[rest[0]] + rest[1]
        rest = rest[2:]
    if not rest:
        return None
    shown += f" {rest[0]}"
    if len(rest) >= 3 and re.fullmatch(r"[\d.,]+", rest[1]):
        shown += f" {rest[1]} {rest[2]}"
    return shown


@_handles("coord", "coor", "coor d", "coor dm", "coor dms")
def _coord(call: Call, ctx: FlattenContext) -> str | None:
    args = [p for p in call.positional if p and ":" not in p]
    hemis = [i for i, a in enumerate(args) if a.upper() in ("N", "S", "E", "W")]
    if len(hemis) >= 2:
        lat = args[: hemis[0]]
        lon = args[hemis[0] + 1 : hemis[1]]
        marks = ("°", "′", "″")
        shown_lat = "".join(f"{v}{m}" for v, m in zip(lat, marks, strict=False))
        shown_lon = "".join(f"{v}{m}" for v, m in zip(lon, marks, strict=False))
        return f"{shown_lat}{args[hemis[0]].upper()} {shown_lon}{args[hemis[1]].upper()}"
    if len(args) >= 2:
        try:
            lat_f, lon_f = float(args[0]), float(args[1])
        except ValueError:
            return None
        ns = "N" if lat_f >= 0 else "S"
        ew = "E" if lon_f >= 0 else "W"
        return f"{abs(lat_f)}°{ns} {abs(lon_f)}°{ew}"
    return None


# -- the walk --------------------------------------------------------------------------------


def find_handler(name: str) -> Handler | None:
    """The flattener for template ``name``, or None when it is not one we know."""
    key = template_key(name)
    handler = _HANDLERS.get(key)
    if handler is not None:
        return handler
    if m := _LANG_X.fullmatch(key):
        return _lang_x(m.group(1))
    if m := _ICON.fullmatch(key):
        return _icon(m.group(1))
    if _FLAG.fullmatch(key):
        return _flag
    return None


def _drop_double_space(code: Wikicode, node: Template) -> None:
    """Before removing ``node``, drop the space it would leave doubled (``a {{x}} b``)."""
    index = code.index(node)
    before = code.nodes[index - 1] if index > 0 else None
    after = code.nodes[index + 1] if index + 1 < len(code.nodes) else None
    if not isinstance(before, Text) or not before.value.endswith(" "):
        return
    if after is None or (isinstance(after, Text) and after.value[:1] in (" ", "\n", ",", ".")):
        before.value = before.value[:-1]


def _walk(code: Wikicode, ctx: FlattenContext, flatten: bool) -> None:
    for node in list(code.nodes):
        if isinstance(node, Template):
            name = template_name(node)
            if is_builtin(name):
                for param in node.params:
                    _walk(param.value, ctx, flatten)
                continue
            handler = find_handler(name) if flatten else None
            if handler is None:
                if ctx.exists is None or not ctx.exists(name):
                    ctx.kept.append(name)
                continue
            for param in node.params:
                _walk(param.value, ctx, flatten)
            replacement = handler(Call.of(node), ctx)
            if replacement is None:
                ctx.kept.append(name)
                continue
            if not replacement:
                _drop_double_space(code, node)
            code.replace(node, replacement, recursive=False)
            ctx.flattened.append(name)
        elif isinstance(node, Tag):
            if node.self_closing or node.contents is None:
                continue
            opaque = str(node.tag).strip().casefold() in _OPAQUE_TAGS
            _walk(node.contents, ctx, flatten and not opaque)
        elif isinstance(node, Wikilink) and node.text is not None:
            _walk(node.text, ctx, flatten)
        elif isinstance(node, ExternalLink) and node.title is not None:
            _walk(node.title, ctx, flatten)


_LIST_LINE = re.compile(r"^[ \t]*[*#]", re.MULTILINE)


def flatten_lists(text: str) -> str:
    """A value holding a bullet list, as its items separated by ``<br />``.

    A one-line value counts as a list only when it starts with ``*`` (``#1 hit`` stays).
    """
    if "\n" in text.strip():
        if not _LIST_LINE.search(text):
            return text
    elif not text.lstrip().startswith("*"):
        return text
    items = list_items(text)
    joined: list[str] = []
    for item in items:
        if joined and joined[-1].endswith(("<br />", "<br/>", "<br>")):
            joined[-1] = re.sub(r"<br\s*/?>$", "", joined[-1]).rstrip()
        joined.append(item)
    return LINE_BREAK.join(joined)


def flatten_value(text: str, ctx: FlattenContext | None = None) -> str:
    """Flatten the templates in one parameter value; bullet lists become ``<br />`` lines.

    Whitespace around the value is the caller's business: pass the stripped value.
    """
    ctx = ctx if ctx is not None else FlattenContext()
    if "{{" not in text:
        return flatten_lists(text.strip())
    code = parse(text)
    _walk(code, ctx, flatten=True)
    return flatten_lists(str(code).strip())


def unknown_templates(text: str, ctx: FlattenContext | None = None) -> list[str]:
    """Templates in ``text`` that stay as they are (no flattening is done)."""
    ctx = ctx if ctx is not None else FlattenContext()
    _walk(parse(text), ctx, flatten=False)
    return ctx.kept
