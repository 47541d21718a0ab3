"""What a template call does to the bracket structure around it: tables and code.

A ``{{Table start}}`` whose output is ``{|`` opens a table that a ``|}`` on the page
closes; ``{{code|…}}`` shows its argument as code. The bracket scan asks a
:class:`TemplateEffects` about each call. The base class knows only names (the
conservative choice when the wiki is unknown); :class:`SiteEffects` reads each
template's body from a :class:`~wikitools.site.SiteContext`.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from wikitools.errors import WikitoolsError


class PageLookup(Protocol):
    """What :class:`SiteEffects` asks a wiki (a :class:`~wikitools.site.SiteContext` is one)."""

    def normalize(self, title: str, default_namespace: int = 0) -> str:
        """The canonical form of ``title`` (``default_namespace`` when it has no prefix)."""

    def resolve(self, titles: Iterable[str], max_hops: int = 10) -> dict[str, str | None]:
        """Each title's redirect target (itself when not a redirect), None when missing."""

    def text(self, title: str) -> str | None:
        """The page's wikitext, None when unknown."""


@dataclass(frozen=True, slots=True)
class TableEffect:
    """Tables a call closes, then opens; ``unknown``: it may open any number of tables."""

    closes: int = 0
    opens: int = 0
    unknown: bool = False


NONE = TableEffect()
UNKNOWN = TableEffect(unknown=True)

#: Names of templates that show their argument as code, on any wiki.
CODE_TEMPLATES = frozenset(
    {
        "code",
        "c",
        "tt",
        "mono",
        "monospace",
        "kbd",
        "key press",
        "samp",
        "var",
        "pre",
        "pre2",
        "syntaxhighlight",
        "sxhl",
        "source",
        "codett",
        "inline code",
        "code2",
        "lua",
        "bash",
        "shell",
        "cmd",
        "command",
        "terminal",
        "php",
        "js",
        "css",
        "json",
        "yaml",
    }
)
_CODE_NAME = re.compile(r"^(?:code|syntax|source)[ _-]", re.IGNORECASE)
_TABLE_OPEN_NAME = re.compile(
    r"(?:^|[ _/-])(?:start|begin|top|head|header|table|open)(?:[ _/-]|$)|^(?:s|col|table)-",
    re.IGNORECASE,
)
_TABLE_CLOSE_NAME = re.compile(
    r"(?:^|[ _/-])(?:end|bottom|close|foot|footer)$|^(?:s|col)-end$", re.IGNORECASE
)
_PREFIXES = re.compile(r"^(?:\s*(?:subst|safesubst|msgnw|msg|raw)\s*:)+", re.IGNORECASE)
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e]")
_NOT_A_NAME = re.compile(r"[{}\[\]<>#]")


@functools.lru_cache(maxsize=8192)
def call_name(raw: str) -> str | None:
    """The page name of a ``{{…}}`` call's first part, or None for parser functions,
    magic words written with a colon and dynamic names (``{{ {{{1}}} }}``).

    Bidi marks are dropped and ``subst:`` prefixes cut; case and namespace are left to
    the wiki (``Template:X`` stays as written).
    """
    name = _BIDI.sub("", _PREFIXES.sub("", raw)).strip()
    if not name or _NOT_A_NAME.search(name):
        return None
    head, colon, _rest = name.partition(":")
    if colon and head.strip().lower() not in ("template", "user", "project", "help", ""):
        return None  # {{lc:…}}, {{DEFAULTSORT:…}}, {{#if:…}} and friends
    return name.replace("_", " ")


class TemplateEffects:
    """Effects judged from a template's name alone (no wiki known): conservative.

    A name like ``Table start``, ``ItemPrice/head`` or ``col-begin`` may open any number
    of tables (:data:`UNKNOWN`); ``Table end``, ``s-end`` closes one.

    :meth:`table_of` and :meth:`code_of` cache the answers by the name as written.
    """

    def __init__(self) -> None:
        self._table_of: dict[str, TableEffect] = {}
        self._code_of: dict[str, bool] = {}

    def table_of(self, name: str) -> TableEffect:
        """:meth:`table_effect`, cached by name."""
        effect = self._table_of.get(name)
        if effect is None:
            effect = self._table_of[name] = self.table_effect(name)
        return effect

    def code_of(self, name: str) -> bool:
        """:meth:`is_code`, cached by name."""
        code = self._code_of.get(name)
        if code is None:
            code = self._code_of[name] = self.is_code(name)
        return code

    def table_effect(self, name: str) -> TableEffect:
        """What calling ``name`` does to the tables around the call."""
        bare = _bare(name)
        if _TABLE_CLOSE_NAME.search(bare):
            return TableEffect(closes=1)
        if _TABLE_OPEN_NAME.search(bare):
            return UNKNOWN
        return NONE

    def is_code(self, name: str) -> bool:
        """True when the template shows its arguments as code."""
        bare = _bare(name).lower()
        return bare in CODE_TEMPLATES or bool(_CODE_NAME.match(bare))


def _bare(name: str) -> str:
    head, colon, rest = name.partition(":")
    return (rest if colon and head.strip().lower() == "template" else name).strip()


_NOINCLUDE = re.compile(r"<noinclude\s*>.*?(?:</noinclude\s*>|$)", re.IGNORECASE | re.DOTALL)
_ONLYINCLUDE = re.compile(
    r"<onlyinclude\s*>(.*?)(?:</onlyinclude\s*>|$)", re.IGNORECASE | re.DOTALL
)
_INCLUDE_TAGS = re.compile(r"</?includeonly\s*>", re.IGNORECASE)
_CODE_BODY = re.compile(
    r"<(?:code|pre|tt|kbd|samp|syntaxhighlight|source)\b[^>]*>[^<]{0,40}?\{\{\{"
    r"|<span\b[^>]*font-family:\s*monospace[^>]*>[^<]{0,40}?\{\{\{"
    r"|#tag:\s*(?:syntaxhighlight|source|pre|code)\b",
    re.IGNORECASE,
)


def transcluded_text(body: str) -> str:
    """What a template page contributes when called: ``<onlyinclude>`` parts if any,
    else the page without ``<noinclude>`` sections and with ``<includeonly>`` tags dropped."""
    if "onlyinclude" in body.lower():
        parts = _ONLYINCLUDE.findall(body)
        if parts:
            body = "".join(parts)
    return _INCLUDE_TAGS.sub("", _NOINCLUDE.sub("", body))


class SiteEffects(TemplateEffects):
    """Effects read from the template bodies of a known wiki (cached per site).

    A template the wiki does not have renders as a red link and has no effect; one whose
    body leaves ``{|`` open opens that many tables; a body whose name cannot be resolved
    or that is nested too deep falls back to :class:`TemplateEffects`.
    """

    MAX_DEPTH = 4

    def __init__(self, site: PageLookup) -> None:
        super().__init__()
        self.site = site
        self._tables: dict[str, TableEffect] = {}
        self._code: dict[str, bool] = {}
        self._busy: set[str] = set()

    def _body(self, name: str) -> tuple[str, str | None] | None:
        """(title, transcluded body) of the template ``name`` calls; body None when the
        wiki lacks it; None when the wiki has it but its text is unknown (an inventory)."""
        title = self.site.normalize(name, 10)
        target = self.site.resolve([title]).get(title)
        if target is None:
            return title, None
        text = self.site.text(target)
        return None if text is None else (target, transcluded_text(text))

    def table_effect(self, name: str) -> TableEffect:
        """Tables the template's body opens and closes, as MediaWiki would expand it."""
        try:
            found = self._body(name)
        except WikitoolsError:  # a site that cannot answer: judge by name
            return super().table_effect(name)
        if found is None:
            return super().table_effect(name)
        title, body = found
        if title in self._tables:
            return self._tables[title]
        if body is None:
            effect = NONE  # a red link opens no table
        elif title in self._busy or len(self._busy) >= self.MAX_DEPTH:
            effect = super().table_effect(name)
        else:
            self._busy.add(title)
            try:
                effect = _body_effect(body, self)
            finally:
                self._busy.discard(title)
        self._tables[title] = effect
        return effect

    def is_code(self, name: str) -> bool:
        """True for the default code templates and for templates whose body wraps a
        parameter in ``<code>``, ``<pre>``, ``<syntaxhighlight>`` and the like."""
        if super().is_code(name):
            return True
        try:
            found = self._body(name)
        except WikitoolsError:
            return False
        if found is None or found[1] is None:
            return False
        title, body = found[0], found[1]
        if title not in self._code:
            self._code[title] = bool(_CODE_BODY.search(body))
        return self._code[title]


def _body_effect(body: str, effects: TemplateEffects) -> TableEffect:
    from wikitools.parsing.brackets import scan_page  # a template body is scanned like a page

    scan = scan_page(body, effects)
    closes = sum(1 for s in scan.stray if s.kind == "table")
    opens = sum(1 for u in scan.unclosed if u.kind == "table") + scan.call_tables_open
    return TableEffect(closes, opens, scan.tables_unknown)


_SITE_EFFECTS: weakref.WeakKeyDictionary[PageLookup, SiteEffects] = weakref.WeakKeyDictionary()


def effects_for(site: PageLookup | None) -> TemplateEffects:
    """The effects to use for a page of ``site`` (name heuristics when it is None)."""
    if site is None:
        return _DEFAULT
    effects = _SITE_EFFECTS.get(site)
    if effects is None:
        effects = _SITE_EFFECTS[site] = SiteEffects(site)
    return effects


_DEFAULT = TemplateEffects()
