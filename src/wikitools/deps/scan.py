"""The static scan of one page: every page it names and every wiki feature it needs.

In wikitext: templates, ``{{#invoke:}}``, ``<templatestyles src=…/>``, redirects; the
parser functions and extension tags it uses. In Lua (comments stripped, see
:mod:`wikitools.deps.lua`): ``require``, ``mw.loadData`` and ``mw.loadJsonData`` in every
call form, ``frame:expandTemplate{title=…}``, ``frame:extensionTag('templatestyles', …)``
and ``mw.title.new(…):getContent()``. A name joined to a variable (``'Module:X/' .. lang``)
is a *prefix* to list on the wiki; a name built at run time is *dynamic*. Built-in Lua
libraries (``strict``, ``libraryUtil``, ``bit32``, ``ustring``, ``luabit.*``) are never pages.
A module reading Wikidata (``mw.wikibase``) or Commons Data (``mw.ext.data``) is *not
portable*: its data lives on another wiki.

Pure: titles come out normalized with the namespaces given (localized names and aliases
are understood), nothing is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Tag

from wikitools.contentmodel import JSON, SANITIZED_CSS, SCRIBUNTO, WIKITEXT
from wikitools.deps.chains import _walk_calls, transcluded_text
from wikitools.deps.lua import (
    LoadKind,
    ReferenceKind,
    find_dependencies,
    find_references,
    is_builtin_library,
)
from wikitools.parsing.calls import CallKind, classify_call
from wikitools.parsing.magicwords import MagicWords, builtin
from wikitools.site.memory import parse_redirect
from wikitools.titles import MAIN, MODULE, TEMPLATE, Namespaces

#: HTML elements MediaWiki's sanitizer allows: they need no extension.
HTML_TAGS: frozenset[str] = frozenset(
    [
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "data",
        "dd",
        "del",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "ins",
        "kbd",
        "li",
        "link",
        "mark",
        "meta",
        "ol",
        "p",
        "q",
        "rb",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "td",
        "th",
        "time",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
        "wbr",
    ]
)

#: Tags every MediaWiki parses itself.
CORE_TAGS: frozenset[str] = frozenset(
    {"noinclude", "includeonly", "onlyinclude", "nowiki", "pre", "gallery", "indicator"}
)

#: ParserFunctions' string functions (on only with ``$wgPFEnableStringFunctions``).
STRING_FUNCTIONS: frozenset[str] = frozenset(
    {"len", "pos", "rpos", "sub", "count", "replace", "explode", "urldecode"}
)

#: Which extension provides a parser function or tag (for messages; the check itself
#: compares with what the target reports).
PROVIDERS: dict[str, str] = {
    "invoke": "Scribunto",
    "if": "ParserFunctions",
    "ifeq": "ParserFunctions",
    "iferror": "ParserFunctions",
    "ifexpr": "ParserFunctions",
    "ifexist": "ParserFunctions",
    "switch": "ParserFunctions",
    "expr": "ParserFunctions",
    "time": "ParserFunctions",
    "timel": "ParserFunctions",
    "rel2abs": "ParserFunctions",
    "titleparts": "ParserFunctions",
    **{name: "ParserFunctions (string functions)" for name in STRING_FUNCTIONS},
    "property": "Wikibase client",
    "statements": "Wikibase client",
    "<ref>": "Cite",
    "<references>": "Cite",
    "<templatestyles>": "TemplateStyles",
    "<syntaxhighlight>": "SyntaxHighlight",
    "<math>": "Math",
    "<poem>": "Poem",
    "<templatedata>": "TemplateData",
    "<categorytree>": "CategoryTree",
}

#: Content models and the extension that registers them.
MODEL_PROVIDERS: dict[str, str] = {
    SCRIBUNTO: "Scribunto",
    SANITIZED_CSS: "TemplateStyles",
    JSON: "MediaWiki core (JSON)",
    "Json.JsonConfig": "JsonConfig",
}

_TEMPLATESTYLES = re.compile(
    r"<templatestyles\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s/>]+))", re.IGNORECASE
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_PARTIAL_SUFFIXES = ("/doc", "/sandbox", "/testcases")


@dataclass(frozen=True, slots=True)
class Reference:
    """One page named by a page: ``target`` (normalized), how, and the 1-based line if known."""

    target: str
    how: str
    line: int | None = None
    written: str | None = None
    """The name as the Lua source spells it (``Modul:X``): it must work on the target too."""


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A name the scan cannot follow: built at run time (``prefix`` None) or from a prefix."""

    how: str
    line: int | None
    prefix: str | None = None
    """The normalized literal start (``Module:Lang/``): list the wiki's pages to follow it."""


@dataclass
class PageScan:
    """What one page names and needs."""

    references: list[Reference] = field(default_factory=list)
    prefixes: list[Unresolved] = field(default_factory=list)
    dynamic: list[Unresolved] = field(default_factory=list)
    functions: set[str] = field(default_factory=set)
    """Parser functions used (``if``, ``len``, ``invoke``; without the ``#``)."""
    tags: set[str] = field(default_factory=set)
    """Extension tags used (``ref``, ``templatestyles``)."""
    foreign: list[str] = field(default_factory=list)
    """Why the page is not portable (reads Wikidata or Commons Data)."""
    redirect: str | None = None


def is_partial_page(title: str) -> bool:
    """True for ``/doc``, ``/sandbox`` and ``/testcases`` pages (and their subpages)."""
    lower = title.lower()
    return any(suffix + "/" in lower or lower.endswith(suffix) for suffix in _PARTIAL_SUFFIXES)


def redirect_target(text: str, magic: MagicWords | None = None) -> str | None:
    """The raw target of a redirect page (English ``#REDIRECT`` and localized aliases)."""
    found = parse_redirect(text)
    if found is not None:
        return found
    aliases = getattr(magic, "redirect_aliases", ()) if magic is not None else ()
    for alias in aliases:
        pattern = re.escape(alias.lstrip("#"))
        match = re.match(
            rf"\A\s*#{pattern}\s*:?\s*\[\[([^\]|\n]+?)(?:\|[^\]]*)?\]\]", text, re.IGNORECASE
        )
        if match:
            return match.group(1).strip()
    return None


def scan_page(
    title: str,
    text: str,
    model: str,
    namespaces: Namespaces,
    magic: MagicWords | None = None,
    *,
    transcluded: bool = True,
) -> PageScan:
    """Scan one page's source. ``transcluded``: read a wikitext page as a transclusion sees it
    (``<noinclude>`` dropped); seeds (articles) are read whole."""
    if model == SCRIBUNTO:
        return _scan_lua(title, text, namespaces)
    if model != WIKITEXT:
        return PageScan()
    return _scan_wikitext(title, text, namespaces, magic or builtin(), transcluded)


def _scan_wikitext(
    title: str, text: str, namespaces: Namespaces, magic: MagicWords, transcluded: bool
) -> PageScan:
    scan = PageScan()
    target = redirect_target(text, magic)
    if target is not None:
        scan.redirect = namespaces.normalize(target)
        scan.references.append(Reference(scan.redirect, "redirect"))
        return scan
    body = transcluded_text(text) if transcluded else _COMMENT.sub("", text)
    code = mwparserfromhell.parse(body, skip_style_tags=True)
    seen: set[tuple[str, str]] = set()
    for node, _conditional in _walk_calls(code, False):
        call = classify_call(
            node.name, bool(node.params), magic=magic, namespaces=namespaces, page_title=title
        )
        name = call.name.strip()
        if call.function:
            scan.functions.add(call.function.lstrip("#").lower())
        elif name.startswith("#"):
            scan.functions.add(name[1:].split(":", 1)[0].strip().lower())
            continue
        if call.kind is CallKind.DYNAMIC:
            scan.dynamic.append(Unresolved(f"{{{{{name[:40]}}}}}", None))
            continue
        if call.title is None or call.kind not in (CallKind.TEMPLATE, CallKind.INVOKE):
            continue
        how = "#invoke" if call.kind is CallKind.INVOKE else "transclusion"
        if (call.title, how) not in seen:
            seen.add((call.title, how))
            scan.references.append(Reference(call.title, how))
    for node in code.filter_tags(recursive=True):
        if isinstance(node, Tag):
            tag = str(node.tag).strip().lower()
            if tag and tag not in HTML_TAGS and tag not in CORE_TAGS:
                scan.tags.add(tag)
    for match in _TEMPLATESTYLES.finditer(body):
        src = next(g for g in match.groups() if g is not None).strip()
        scan.tags.add("templatestyles")
        if src and "{{" not in src:
            style = _style_title(src, namespaces)
            if style is not None:
                line = body.count("\n", 0, match.start()) + 1
                scan.references.append(Reference(style, "<templatestyles>", line))
        elif src:
            scan.dynamic.append(Unresolved("<templatestyles src> with a parameter", None))
    return scan


def _style_title(src: str, namespaces: Namespaces) -> str | None:
    """A TemplateStyles ``src``: in the Template namespace unless it names another one."""
    parsed = namespaces.parse(src, TEMPLATE)
    return parsed.full if parsed is not None else None


_LOAD_HOW = {
    LoadKind.REQUIRE: "require",
    LoadKind.LOAD_DATA: "mw.loadData",
    LoadKind.LOAD_JSON_DATA: "mw.loadJsonData",
}


def _scan_lua(title: str, text: str, namespaces: Namespaces) -> PageScan:
    scan = PageScan()
    scan.functions.add("invoke")
    for dep in find_dependencies(text):
        how = _LOAD_HOW[dep.kind] + (" (pcall)" if dep.optional else "")
        if dep.name is not None:
            if is_builtin_library(dep.name) or dep.name.startswith("luabit."):
                continue
            parsed = namespaces.parse(dep.name, MAIN)
            if parsed is None or parsed.namespace != MODULE:
                continue  # Scribunto loads only Module: pages (and its own libraries)
            scan.references.append(Reference(parsed.full, how, dep.line, dep.name))
        elif dep.prefix is not None:
            prefix = _prefix_title(dep.prefix, namespaces, MAIN)
            if prefix is not None:
                scan.prefixes.append(Unresolved(how, dep.line, prefix))
            else:
                scan.dynamic.append(Unresolved(how, dep.line))
        else:
            scan.dynamic.append(Unresolved(how, dep.line))
    for ref in find_references(text):
        if ref.kind.reads_foreign_data:
            what = (
                "Wikidata (mw.wikibase)"
                if ref.kind is ReferenceKind.WIKIBASE
                else ("Commons Data (mw.ext.data)")
            )
            scan.foreign.append(f"line {ref.line}: reads {what}")
            continue
        default = MAIN
        if ref.kind is ReferenceKind.EXPAND_TEMPLATE:
            default = TEMPLATE
        elif ref.kind is ReferenceKind.TEMPLATESTYLES:
            scan.tags.add("templatestyles")
            default = TEMPLATE
        elif ref.namespace is not None:
            default = namespaces.id_of(ref.namespace) or MAIN
        if ref.name is not None:
            parsed = namespaces.parse(ref.name, default)
            if parsed is not None:
                scan.references.append(Reference(parsed.full, ref.kind.value, ref.line))
        elif ref.prefix is not None and (p := _prefix_title(ref.prefix, namespaces, default)):
            scan.prefixes.append(Unresolved(ref.kind.value, ref.line, p))
        else:
            scan.dynamic.append(Unresolved(ref.kind.value, ref.line))
    return scan


def _prefix_title(prefix: str, namespaces: Namespaces, default: int) -> str | None:
    """``Module:Lang/`` normalized (the trailing part kept as written), or None if empty."""
    ns_id, rest = namespaces.split(prefix, default)
    if not rest.strip():
        return None
    name = rest.replace("_", " ").lstrip()
    if ns_id not in namespaces.case_sensitive and name:
        name = name[0].upper() + name[1:]
    local = namespaces.prefix_of(ns_id)
    return f"{local}:{name}" if local else name
