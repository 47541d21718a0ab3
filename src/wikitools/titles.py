"""MediaWiki page titles: namespaces, aliases and normalization.

Normalization follows MediaWiki's ``MediaWikiTitleCodec::splitTitleString``:

* character references are decoded (``&amp;`` → ``&``), Unicode NFC applies, and the
  bidi marks U+200E, U+200F and U+202A–U+202E are dropped;
* runs of spaces, underscores and the other Unicode spaces become one space, trimmed;
* a leading colon forces the main namespace (``{{:Main Page}}``);
* one namespace prefix is recognized by name, canonical name or alias, in any case
  (``template:``, ``Image:``), with spaces allowed around the colon;
* a ``#fragment`` is cut off;
* the first letter is upper-cased unless the namespace is case-sensitive.

Titles MediaWiki rejects (``<>[]{}|``, control characters, ``%XX`` escapes, relative
paths, an empty name) parse to ``None`` in :meth:`Namespaces.parse`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAIN = 0
MEDIAWIKI = 8
TEMPLATE = 10
MODULE = 828
#: The Translate extension's namespace of translation units (``Translations:Page/3/fr``).
TRANSLATIONS = 1198

#: The namespaces every MediaWiki has (with Scribunto's Module), by canonical name.
DEFAULT_NAMESPACES: dict[int, str] = {
    -2: "Media",
    -1: "Special",
    0: "",
    1: "Talk",
    2: "User",
    3: "User talk",
    4: "Project",
    5: "Project talk",
    6: "File",
    7: "File talk",
    8: "MediaWiki",
    9: "MediaWiki talk",
    10: "Template",
    11: "Template talk",
    12: "Help",
    13: "Help talk",
    14: "Category",
    15: "Category talk",
    828: "Module",
    829: "Module talk",
}

#: The aliases a stock MediaWiki 1.39 knows (``Image:`` for ``File:``).
DEFAULT_ALIASES: dict[str, int] = {"Image": 6, "Image talk": 7}

_SPACES = re.compile(r"[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e]")
_PREFIX = re.compile(r"^(.+?) ?: ?(.*)$", re.DOTALL)
# Characters MediaWiki never allows in a title (besides the fragment marker '#').
_ILLEGAL = re.compile(r"[<>\[\]{}|\x00-\x1f\x7f\ufffd]|%[0-9A-Fa-f]{2}")
_RELATIVE = re.compile(r"^\.\.?(?:/|$)|/\.\.?(?:/|$)")
_MAX_BYTES = 255


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFC", html.unescape(raw))
    text = _BIDI.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _fold(name: str) -> str:
    return _clean(name).casefold()


def upper_first(name: str) -> str:
    """Upper-case the first character the way MediaWiki does (one character stays one)."""
    if not name:
        return name
    first = name[0].upper()
    if len(first) != 1:
        first = name[0].title() if len(name[0].title()) == 1 else name[0]
    return first + name[1:]


@dataclass(frozen=True, slots=True)
class Title:
    """A parsed, normalized page title."""

    namespace: int
    name: str
    """The page name without namespace prefix, normalized (spaces, first letter)."""
    prefix: str
    """The namespace's local name ("" for the main namespace)."""

    @property
    def full(self) -> str:
        """The full normalized title, e.g. ``Template:Ka icon``."""
        return f"{self.prefix}:{self.name}" if self.prefix else self.name

    def __str__(self) -> str:
        return self.full


@dataclass(frozen=True)
class Namespaces:
    """The namespaces of one wiki: ids, names, aliases and first-letter case rules."""

    names: Mapping[int, str] = field(default_factory=lambda: dict(DEFAULT_NAMESPACES))
    aliases: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_ALIASES))
    case_sensitive: frozenset[int] = frozenset()
    """Namespaces whose first letter is case-sensitive (``$wgCapitalLinks`` off)."""

    def __post_init__(self) -> None:
        lookup: dict[str, int] = {}
        # Canonical names always work, even when a wiki renames a namespace.
        for ns_id, name in DEFAULT_NAMESPACES.items():
            if name:
                lookup[_fold(name)] = ns_id
        for ns_id, name in self.names.items():
            if name:
                lookup[_fold(name)] = ns_id
        for alias, ns_id in self.aliases.items():
            lookup[_fold(alias)] = ns_id
        object.__setattr__(self, "_lookup", lookup)

    @classmethod
    def from_siteinfo(
        cls, namespaces: Mapping[str, Any], aliases: Sequence[Mapping[str, Any]] = ()
    ) -> Namespaces:
        """Build from ``meta=siteinfo`` (``siprop=namespaces|namespacealiases``, formatversion 2).

        ``namespaces`` maps ids to objects with ``id``, ``name``, ``canonical`` and ``case``.
        """
        names: dict[int, str] = {}
        alias_map: dict[str, int] = {}
        sensitive: set[int] = set()
        for entry in namespaces.values():
            ns_id = int(entry["id"])
            names[ns_id] = str(entry.get("name", ""))
            canonical = entry.get("canonical")
            if canonical:
                alias_map[str(canonical)] = ns_id
            if entry.get("case") == "case-sensitive":
                sensitive.add(ns_id)
        for entry in aliases:
            alias_map[str(entry["alias"])] = int(entry["id"])
        return cls(names=names, aliases=alias_map, case_sensitive=frozenset(sensitive))

    def id_of(self, prefix: str) -> int | None:
        """The namespace id a prefix such as ``template`` or ``Image`` names, if any."""
        lookup: dict[str, int] = self._lookup  # type: ignore[attr-defined]
        return lookup.get(_fold(prefix))

    def parse(self, title: str, default: int = MAIN) -> Title | None:
        """Parse a raw title as MediaWiki does; ``None`` when MediaWiki would reject it.

        A leading colon forces the main namespace (or an explicit prefix); without a
        recognized prefix the title lies in ``default``. A ``#fragment`` is dropped.
        """
        raw = _clean(title)
        if raw.startswith(":"):
            raw = raw[1:].strip()
            default = MAIN
        ns_id = default
        match = _PREFIX.match(raw)
        if match:
            found = self.id_of(match.group(1))
            if found is not None:
                ns_id, raw = found, match.group(2).strip()
        if "#" in raw:
            raw = raw.split("#", 1)[0].rstrip()
        if not raw or _ILLEGAL.search(raw) or _RELATIVE.search(raw) or "~~~" in raw:
            return None
        if raw.startswith(":") or len(raw.encode("utf-8")) > _MAX_BYTES:
            return None
        if ns_id not in self.case_sensitive:
            raw = upper_first(raw)
        return Title(ns_id, raw, self.names.get(ns_id, DEFAULT_NAMESPACES.get(ns_id, "")))

    def split(self, title: str, default: int = MAIN) -> tuple[int, str]:
        """Split a raw title into (namespace id, normalized page name).

        Lenient twin of :meth:`parse`: an invalid title still gets a best-effort name.
        """
        parsed = self.parse(title, default)
        if parsed is not None:
            return parsed.namespace, parsed.name
        raw = _clean(title).lstrip(":").strip()
        if raw and default not in self.case_sensitive:
            raw = upper_first(raw)
        return default, raw

    def normalize(self, title: str, default: int = MAIN) -> str:
        """The canonical form of a title: ``template:ka_icon`` → ``Template:Ka icon``."""
        ns_id, name = self.split(title, default)
        prefix = self.names.get(ns_id, DEFAULT_NAMESPACES.get(ns_id, ""))
        return f"{prefix}:{name}" if prefix else name

    def namespace_of(self, title: str) -> int:
        """The namespace id of a (normalized or raw) title."""
        return self.split(title)[0]

    def prefix_of(self, ns_id: int) -> str:
        """The local name of namespace ``ns_id`` ("" for main)."""
        return self.names.get(ns_id, DEFAULT_NAMESPACES.get(ns_id, ""))

    def strip_prefix(self, title: str) -> str:
        """The page name of a title without its namespace prefix."""
        return self.split(title)[1]


DEFAULT = Namespaces()


def normalize_title(title: str, default: int = MAIN, namespaces: Namespaces = DEFAULT) -> str:
    """Normalize ``title`` the way MediaWiki does, with the default namespaces."""
    return namespaces.normalize(title, default)


def template_title(name: str, namespaces: Namespaces = DEFAULT) -> str:
    """The page a template call ``{{name}}`` transcludes (``Ka icon`` → ``Template:Ka icon``)."""
    return namespaces.normalize(name, TEMPLATE)


def module_title(name: str, namespaces: Namespaces = DEFAULT) -> str:
    """The page ``{{#invoke:name|…}}`` loads (``Footnotes`` → ``Module:Footnotes``)."""
    return namespaces.normalize(name, MODULE)


def unique(titles: Iterable[str]) -> list[str]:
    """Titles in first-seen order without repeats."""
    return list(dict.fromkeys(titles))


def is_translation_unit(namespace: int, title: str | None) -> bool:
    """True for Translate's translation units (``Translations:Page/3/fr``): pieces of other
    pages, whose tables and calls open and close in other units."""
    return namespace == TRANSLATIONS or (title or "").startswith("Translations:")
