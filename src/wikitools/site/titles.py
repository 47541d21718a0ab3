"""MediaWiki page titles: namespaces, aliases and normalization."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAIN = 0
TEMPLATE = 10
MODULE = 828

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

DEFAULT_ALIASES: dict[str, int] = {"Image": 6, "Image talk": 7, "WP": 4, "Wikipedia": 4}

_SPACES = re.compile(r"[ _\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def _fold(name: str) -> str:
    return _SPACES.sub(" ", name).strip().casefold()


@dataclass(frozen=True)
class Namespaces:
    """The namespaces of one wiki: ids, names, aliases and first-letter case rules."""

    names: Mapping[int, str] = field(default_factory=lambda: dict(DEFAULT_NAMESPACES))
    aliases: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_ALIASES))
    case_sensitive: frozenset[int] = frozenset()
    """Namespaces whose first letter is case-sensitive (``$wgCapitalLinks`` off)."""

    def __post_init__(self) -> None:
        lookup: dict[str, int] = {}
        for ns_id, name in self.names.items():
            if name:
                lookup[_fold(name)] = ns_id
        for alias, ns_id in self.aliases.items():
            lookup[_fold(alias)] = ns_id
        object.__setattr__(self, "_lookup", lookup)

    def id_of(self, prefix: str) -> int | None:
        """The namespace id a prefix such as ``template`` or ``Image`` names, if any."""
        lookup: dict[str, int] = self._lookup  # type: ignore[attr-defined]
        return lookup.get(_fold(prefix))

    def split(self, title: str, default: int = MAIN) -> tuple[int, str]:
        """Split a raw title into (namespace id, normalized page name).

        A leading colon forces the main namespace (or an explicit prefix); without a
        recognized prefix the title lies in ``default``.
        """
        raw = _SPACES.sub(" ", title).strip()
        forced = raw.startswith(":")
        if forced:
            raw = raw[1:].strip()
            default = MAIN
        ns_id = default
        prefix, sep, rest = raw.partition(":")
        if sep:
            found = self.id_of(prefix)
            if found is not None:
                ns_id, raw = found, rest.strip()
        if raw and ns_id not in self.case_sensitive:
            raw = raw[0].upper() + raw[1:]
        return ns_id, raw

    def normalize(self, title: str, default: int = MAIN) -> str:
        """The canonical form of a title: ``template:ka_icon`` → ``Template:Ka icon``."""
        ns_id, name = self.split(title, default)
        prefix = self.names.get(ns_id, "")
        return f"{prefix}:{name}" if prefix else name

    def namespace_of(self, title: str) -> int:
        """The namespace id of a (normalized or raw) title."""
        return self.split(title)[0]


DEFAULT = Namespaces()


def normalize_title(title: str, default: int = MAIN, namespaces: Namespaces = DEFAULT) -> str:
    """Normalize ``title`` the way MediaWiki does, with the default namespaces."""
    return namespaces.normalize(title, default)


def template_title(name: str, namespaces: Namespaces = DEFAULT) -> str:
    """The page a template call ``{{name}}`` transcludes (``Ka icon`` → ``Template:Ka icon``)."""
    return namespaces.normalize(name, TEMPLATE)


def module_title(name: str, namespaces: Namespaces = DEFAULT) -> str:
    """The page ``{{#invoke:name|…}}`` or ``require('name')`` loads (→ ``Module:…``)."""
    return namespaces.normalize(name, MODULE)


def unique(titles: Iterable[str]) -> list[str]:
    """Titles in first-seen order without repeats."""
    return list(dict.fromkeys(titles))
