"""``action=parse``: render a page or unsaved wikitext and report what went wrong, as values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import lxml.html

from wikitools.mediawiki.transport import ParamValue
from wikitools.titles import MODULE, TEMPLATE, Namespaces

#: Message keys of the tracking categories of core and the bundled extensions.
TRACKING_CATEGORY_MESSAGES = (
    "broken-file-category",
    "duplicate-args-category",
    "expansion-depth-exceeded-category",
    "expensive-parserfunction-category",
    "hidden-category-category",
    "index-category",
    "node-count-exceeded-category",
    "noindex-category",
    "nonnumeric-formatnum",
    "post-expand-template-argument-category",
    "post-expand-template-inclusion-category",
    "restricted-displaytitle-ignored",
    "template-loop-category",
    "unstrip-depth-category",
    "unstrip-size-category",
    "bad-double-underscore-category",
    "cite-tracking-category-cite-error",
    "scribunto-common-error-category",
    "scribunto-module-with-errors-category",
    "math-tracking-category-error",
    "math-tracking-category-render-error",
    "syntaxhighlight-error-category",
)

_PROP = "text|templates|categories"

_MODULE_PATTERNS = (
    re.compile(r"Lua error in (Module:.+?) at line \d+"),
    re.compile(r"module '([^']+)' not found"),
    re.compile(r"No such module \"([^\"]+)\""),
)

_ERROR_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_SCRIPT_ERRORS = f"//*[{_ERROR_CLASS.format('scribunto-error')}]"
_CITE_ERRORS = f"//*[{_ERROR_CLASS.format('mw-ext-cite-error')}]"
_ANY_ERRORS = f"//*[{_ERROR_CLASS.format('error')}]"
_NOT_PROSE = {"pre", "code", "script", "style", "syntaxhighlight", "source", "math", "kbd", "samp"}


@dataclass(frozen=True, slots=True)
class ScriptError:
    """One Lua script error as rendered, with the modules its message names."""

    message: str
    modules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseResult:
    """A rendering and the problems visible in it.

    ``missing_templates``/``missing_modules`` come from ``prop=templates`` (every
    transclusion, including ``require``d modules, with ``exists: false``);
    ``stray_braces`` counts ``{{`` and ``}}`` that readers see as text.
    """

    title: str
    html: str
    script_errors: tuple[ScriptError, ...] = ()
    missing_templates: tuple[str, ...] = ()
    missing_modules: tuple[str, ...] = ()
    cite_errors: tuple[str, ...] = ()
    other_errors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tracking_categories: tuple[str, ...] = ()
    stray_braces: int = 0
    templates: tuple[str, ...] = field(default=(), repr=False)

    def counts(self) -> dict[str, int]:
        """How many problems of each kind the rendering shows."""
        return {
            "script-errors": len(self.script_errors),
            "missing-templates": len(self.missing_templates),
            "missing-modules": len(self.missing_modules),
            "cite-errors": len(self.cite_errors),
            "other-errors": len(self.other_errors),
            "stray-braces": self.stray_braces,
        }

    @property
    def error_count(self) -> int:
        """All rendered problems together."""
        return sum(self.counts().values())

    def worse_than(self, before: ParseResult) -> list[str]:
        """The kinds of problem that increased compared with ``before`` (empty: not worse)."""
        old = before.counts()
        return [
            f"{kind} {old[kind]} -> {count}"
            for kind, count in self.counts().items()
            if count > old[kind]
        ]


def page_params(title: str | None = None, revid: int | None = None) -> dict[str, ParamValue]:
    """Parameters to render a saved page, by title or by exact revision id."""
    if (title is None) == (revid is None):
        raise ValueError("give a title or a revision id")
    return {
        "action": "parse",
        "page": title,
        "oldid": revid,
        "prop": _PROP,
        "disablelimitreport": True,
        "disableeditsection": True,
    }


def text_params(text: str, title: str) -> dict[str, ParamValue]:
    """Parameters to render unsaved wikitext as if it were the page ``title``.

    ``pst`` applies the pre-save transform, so ``~~~~`` and ``subst:`` render as they
    would after saving.
    """
    return {
        "action": "parse",
        "text": text,
        "title": title,
        "contentmodel": "wikitext",
        "pst": True,
        "prop": _PROP,
        "disablelimitreport": True,
        "disableeditsection": True,
    }


def parse_result(
    answer: dict[str, Any], namespaces: Namespaces, tracking: Iterable[str] = ()
) -> ParseResult:
    """Turn an ``action=parse`` answer into a :class:`ParseResult`.

    ``tracking`` holds the wiki's tracking-category names (without namespace prefix).
    """
    parse = answer.get("parse", {})
    html = str(parse.get("text", ""))
    missing_templates: list[str] = []
    missing_modules: list[str] = []
    templates: list[str] = []
    for item in parse.get("templates", []):
        title = str(item.get("title", ""))
        templates.append(title)
        if item.get("exists", True):
            continue
        if item.get("ns") == MODULE:
            missing_modules.append(title)
        elif item.get("ns") == TEMPLATE:
            missing_templates.append(title)
    categories = [str(c.get("category", "")).replace("_", " ") for c in parse.get("categories", [])]
    tracking_names = set(tracking)
    script, cite, other, braces = _scan_html(html, namespaces)
    return ParseResult(
        title=str(parse.get("title", "")),
        html=html,
        script_errors=tuple(script),
        missing_templates=tuple(missing_templates),
        missing_modules=tuple(missing_modules),
        cite_errors=tuple(cite),
        other_errors=tuple(other),
        categories=tuple(categories),
        tracking_categories=tuple(c for c in categories if c in tracking_names),
        stray_braces=braces,
        templates=tuple(templates),
    )


def modules_named(message: str, namespaces: Namespaces) -> tuple[str, ...]:
    """The module pages a Lua error message names, normalized (``Module:Foo/bar baz``)."""
    found: list[str] = []
    for pattern in _MODULE_PATTERNS:
        for match in pattern.finditer(message):
            title = namespaces.normalize(match.group(1), MODULE)
            if namespaces.namespace_of(title) == MODULE and title not in found:
                found.append(title)
    return tuple(found)


def _scan_html(
    html: str, namespaces: Namespaces
) -> tuple[list[ScriptError], list[str], list[str], int]:
    if not html.strip():
        return [], [], [], 0
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    script_nodes = root.xpath(_SCRIPT_ERRORS)
    cite_nodes = root.xpath(_CITE_ERRORS)
    script = [
        ScriptError(text, modules_named(text, namespaces))
        for text in (_text(node) for node in script_nodes)
    ]
    cite = [_text(node) for node in cite_nodes]
    claimed = set(script_nodes) | set(cite_nodes)
    other: list[str] = []
    for node in root.xpath(_ANY_ERRORS):
        if node in claimed or any(a in claimed for a in node.iterancestors()):
            continue
        if any(d in claimed for d in node.iterdescendants()):
            continue
        claimed.add(node)
        other.append(_text(node))
    return script, cite, other, _count_braces(root)


def _text(node: Any) -> str:
    return " ".join(str(node.text_content()).split())


def _count_braces(root: Any) -> int:
    chunks: list[str] = []
    _collect_prose(root, chunks)
    text = "".join(chunks)
    return text.count("{{") + text.count("}}")


def _collect_prose(node: Any, chunks: list[str]) -> None:
    if not isinstance(node.tag, str) or node.tag.lower() in _NOT_PROSE:
        if node.tail:
            chunks.append(node.tail)
        return
    if node.text:
        chunks.append(node.text)
    for child in node:
        _collect_prose(child, chunks)
    if node.tail:
        chunks.append(node.tail)
