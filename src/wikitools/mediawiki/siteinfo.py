"""What a wiki says about itself (namespaces, version) and about the logged-in user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wikitools.mediawiki.transport import Transport
from wikitools.titles import Namespaces


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """``meta=siteinfo``: the wiki's name, software version and namespaces."""

    sitename: str
    generator: str
    namespaces: Namespaces
    base_url: str
    magicwords: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    """The raw ``magicwords`` prop: ids, aliases and case sensitivity."""
    functionhooks: tuple[str, ...] = field(default=(), repr=False)
    """Ids of the parser functions (``{{#if:…}}`` and the like)."""
    variables: tuple[str, ...] = field(default=(), repr=False)
    """Ids of the magic variables (``{{PAGENAME}}`` and the like)."""


@dataclass(frozen=True, slots=True)
class UserInfo:
    """``meta=userinfo``: who the session is and what they may do."""

    name: str
    anonymous: bool
    groups: frozenset[str]
    rights: frozenset[str]

    @property
    def high_limits(self) -> bool:
        """True when the user has ``apihighlimits`` (500 titles a request instead of 50)."""
        return "apihighlimits" in self.rights

    @property
    def is_bot(self) -> bool:
        """True when the user may flag edits as bot edits."""
        return "bot" in self.rights


def fetch_siteinfo(transport: Transport) -> SiteInfo:
    """Ask the wiki for its general information and namespaces (one request)."""
    answer = transport.call(
        {
            "action": "query",
            "meta": "siteinfo",
            "siprop": "general|namespaces|namespacealiases|magicwords|functionhooks|variables",
        }
    )
    query = answer.get("query", {})
    general = query.get("general", {})
    return SiteInfo(
        sitename=str(general.get("sitename", "")),
        generator=str(general.get("generator", "")),
        namespaces=namespaces_from_siteinfo(query),
        base_url=str(general.get("base", "")),
        magicwords=tuple(query.get("magicwords", ())),
        functionhooks=tuple(str(f) for f in query.get("functionhooks", ())),
        variables=tuple(str(v) for v in query.get("variables", ())),
    )


def namespaces_from_siteinfo(query: dict[str, Any]) -> Namespaces:
    """Build :class:`Namespaces` from a siteinfo ``query`` object (names, aliases, case)."""
    names: dict[int, str] = {}
    aliases: dict[str, int] = {}
    case_sensitive: set[int] = set()
    for key, entry in query.get("namespaces", {}).items():
        ns_id = int(entry.get("id", key))
        names[ns_id] = str(entry.get("name", ""))
        canonical = entry.get("canonical")
        if canonical and canonical != names[ns_id]:
            aliases[str(canonical)] = ns_id
        if entry.get("case") == "case-sensitive":
            case_sensitive.add(ns_id)
    for alias in query.get("namespacealiases", []):
        aliases[str(alias["alias"])] = int(alias["id"])
    return Namespaces(names=names, aliases=aliases, case_sensitive=frozenset(case_sensitive))


def fetch_userinfo(transport: Transport) -> UserInfo:
    """Ask who the session is logged in as, with groups and rights (one request)."""
    answer = transport.call({"action": "query", "meta": "userinfo", "uiprop": "groups|rights"})
    info = answer.get("query", {}).get("userinfo", {})
    return UserInfo(
        name=str(info.get("name", "")),
        anonymous=bool(info.get("anon", False)),
        groups=frozenset(info.get("groups", [])),
        rights=frozenset(info.get("rights", [])),
    )
