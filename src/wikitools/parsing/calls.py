"""What a ``{{…}}`` call is: a template transclusion, a parser function, a variable, an invoke.

mwparserfromhell returns every ``{{…}}`` as a ``Template`` node, parser functions and magic
words included. :func:`classify_call` sorts them the way MediaWiki's parser does (see
:mod:`wikitools.parsing.magicwords`) so that only real transclusions are looked up on a wiki.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from mwparserfromhell.nodes import Comment, Text

from wikitools.parsing.magicwords import MagicWords, builtin
from wikitools.titles import DEFAULT, MODULE, TEMPLATE, Namespaces


class CallKind(enum.Enum):
    """The kinds of ``{{…}}`` calls."""

    TEMPLATE = "template"
    """Transcludes a page (``{{Ka icon}}``, ``{{:Main Page}}``, ``{{subst:Foo}}``)."""
    INVOKE = "invoke"
    """``{{#invoke:Module|function}}``."""
    FUNCTION = "function"
    """Any other parser function (``{{#if:}}``, ``{{formatnum:}}``, ``{{DEFAULTSORT:}}``)."""
    VARIABLE = "variable"
    """A magic variable (``{{PAGENAME}}``, ``{{!}}``, ``{{=}}``)."""
    DYNAMIC = "dynamic"
    """The name depends on parameters or other templates; it cannot be known statically."""
    INVALID = "invalid"
    """Not a valid page title, so MediaWiki shows the braces as text."""


@dataclass(frozen=True, slots=True)
class Call:
    """A classified ``{{…}}`` call.

    ``title`` is the normalized page the call loads: the template (or other page) for
    TEMPLATE, the module for INVOKE, None otherwise. ``function`` names the parser
    function for FUNCTION and INVOKE (``#if``, ``#invoke``).
    """

    kind: CallKind
    name: str
    title: str | None = None
    function: str | None = None


def static_name(name: Any) -> str | None:
    """The text of a template name (mwparserfromhell Wikicode or str) without comments.

    None when the name contains anything but text and comments (``{{ {{{1}}} }}``,
    ``{{Foo{{bar}}}}``): such names are only known when the page is rendered.
    """
    if isinstance(name, str):
        return name
    parts: list[str] = []
    for node in name.nodes:
        if isinstance(node, Comment):
            continue
        if not isinstance(node, Text):
            return None
        parts.append(str(node.value))
    return "".join(parts)


def _relative(name: str, page_title: str | None) -> str | None:
    """Resolve a subpage call (``{{/Sub}}``, ``{{../Sibling}}``) against the page title."""
    if page_title is None:
        return None
    base = page_title.split("/")
    rest = name
    if rest.startswith("/"):
        return page_title + rest.rstrip("/")
    while rest.startswith("../"):
        if len(base) < 2:
            return None
        base.pop()
        rest = rest[3:]
    joined = "/".join(base)
    return f"{joined}/{rest.rstrip('/')}" if rest else joined


def classify_call(
    name: Any,
    has_args: bool,
    *,
    magic: MagicWords | None = None,
    namespaces: Namespaces = DEFAULT,
    page_title: str | None = None,
) -> Call:
    """Classify a call by its name (Wikicode or str) and whether it has ``|`` arguments."""
    magic = magic or builtin()
    text = static_name(name)
    if text is None:
        return Call(CallKind.DYNAMIC, str(name).strip())
    raw = text.strip()
    part1 = magic.strip_modifiers(raw)
    if not has_args and magic.is_variable(part1):
        return Call(CallKind.VARIABLE, raw)
    function = magic.function_name(part1)
    if function is not None:
        if function == "#invoke":
            module = part1.partition(":")[2].strip()
            if not module:
                return Call(CallKind.FUNCTION, raw, function=function)
            parsed = namespaces.parse(module, MODULE)
            if parsed is None or parsed.namespace != MODULE:
                return Call(CallKind.INVALID, raw, function=function)
            return Call(CallKind.INVOKE, raw, parsed.full, function)
        return Call(CallKind.FUNCTION, raw, function=function)
    default = TEMPLATE
    if part1.startswith("/") or part1.startswith("../"):
        resolved = _relative(part1, page_title)
        if resolved is None:
            return Call(CallKind.DYNAMIC, raw)
        part1 = ":" + resolved if namespaces.namespace_of(resolved) == 0 else resolved
    parsed = namespaces.parse(part1, default)
    if parsed is None:
        return Call(CallKind.INVALID, raw)
    return Call(CallKind.TEMPLATE, raw, parsed.full)
