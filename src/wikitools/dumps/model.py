"""The values a MediaWiki XML dump holds: site information, pages, revisions.

Every field the export schemas 0.3 to 0.11 define for pages and revisions is kept, so a page
read from a dump and written back comes out with the same meaning. Elements this module has no
field for (uploads, LiquidThreads data, elements added by extensions) travel as XML fragments
in ``extras`` and are written back verbatim.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from wikitools.contentmodel import default_model, is_wikitext_model
from wikitools.titles import DEFAULT_NAMESPACES, Namespaces

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def sha1_base36(data: str | bytes) -> str:
    """The base-36 SHA-1 MediaWiki stores for a revision (31 characters, zero padded).

    Text is hashed as UTF-8, as MediaWiki stores it.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    number = int.from_bytes(hashlib.sha1(data).digest(), "big")
    digits: list[str] = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(_BASE36[rest])
    return "".join(reversed(digits)).rjust(31, "0")


def combined_sha1(slot_sha1s: Mapping[str, str]) -> str:
    """The revision SHA-1 of a multi-slot revision, from each slot's base-36 SHA-1 by role.

    This is MediaWiki's ``RevisionSlots::computeSha1``: slots in role order, hashes chained.
    """
    if not slot_sha1s:
        return sha1_base36(b"")
    accu: str | None = None
    for role in sorted(slot_sha1s):
        accu = slot_sha1s[role] if accu is None else sha1_base36(accu + slot_sha1s[role])
    assert accu is not None
    return accu


@dataclass(frozen=True, slots=True)
class NamespaceInfo:
    """One ``<namespace>`` of the site information."""

    key: int
    name: str
    case: str | None = None


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """The ``<siteinfo>`` of a dump plus the root element's schema version and language."""

    sitename: str | None = None
    dbname: str | None = None
    base: str | None = None
    generator: str | None = None
    case: str | None = None
    namespaces: tuple[NamespaceInfo, ...] = ()
    version: str | None = None
    """Schema version of the dump read (``"0.10"``), from the root element."""
    lang: str = "en"

    def namespace_names(self) -> dict[int, str]:
        """Namespace names by id; the defaults when the dump lists none."""
        if not self.namespaces:
            return dict(DEFAULT_NAMESPACES)
        return {ns.key: ns.name for ns in self.namespaces}

    def to_namespaces(self) -> Namespaces:
        """The site's namespaces as :class:`wikitools.titles.Namespaces`.

        Canonical English names (``Template``, ``Project``, ``Image``) stay valid aliases on
        wikis whose namespace names are translated, as they are in MediaWiki.
        """
        names = self.namespace_names()
        aliases: dict[str, int] = {}
        for ns_id, canonical in DEFAULT_NAMESPACES.items():
            if ns_id in names and canonical and canonical != names[ns_id]:
                aliases[canonical] = ns_id
        for alias, ns_id in (("Image", 6), ("Image talk", 7)):
            if ns_id in names:
                aliases[alias] = ns_id
        if self.namespaces and any(ns.case is not None for ns in self.namespaces):
            sensitive = frozenset(ns.key for ns in self.namespaces if ns.case == "case-sensitive")
        elif self.case == "case-sensitive":
            sensitive = frozenset(names)
        else:
            sensitive = frozenset()
        return Namespaces(names=names, aliases=aliases, case_sensitive=sensitive)


@dataclass(frozen=True, slots=True)
class Contributor:
    """Who made a revision: a user (name and id) or an IP address, or hidden (``deleted``)."""

    username: str | None = None
    id: int | None = None
    ip: str | None = None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Slot:
    """A non-main content slot of a revision (export schema 0.11 ``<content>``)."""

    role: str
    text: str | None
    origin: int | None = None
    model: str | None = None
    format: str | None = None
    text_deleted: bool = False
    text_sha1: str | None = None
    text_bytes: int | None = None
    text_attributes: tuple[tuple[str, str], ...] = ()

    def sha1(self) -> str | None:
        """The slot's base-36 SHA-1: as the dump says, else computed from the text."""
        if self.text_sha1:
            return self.text_sha1
        return sha1_base36(self.text) if self.text is not None else None


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision of a page. ``text`` is ``None`` when the dump carries no text for it.

    That happens for revisions whose text was deleted (``text_deleted``) and in stub dumps.
    """

    id: int | None = None
    parent_id: int | None = None
    timestamp: str = ""
    contributor: Contributor = field(default_factory=Contributor)
    minor: bool = False
    comment: str | None = None
    comment_deleted: bool = False
    origin: int | None = None
    model: str | None = None
    format: str | None = None
    text: str | None = None
    sha1: str | None = None
    text_deleted: bool = False
    text_bytes: int | None = None
    """The ``bytes`` attribute as read (``None`` if absent); the writer recomputes it from text."""
    text_sha1: str | None = None
    """The 0.11 ``sha1`` attribute of ``<text>`` (the main slot's hash) as read."""
    text_attributes: tuple[tuple[str, str], ...] = ()
    """Other attributes of ``<text>`` (``id``, ``location`` in stub dumps), kept as read."""
    slots: tuple[Slot, ...] = ()
    extras: tuple[str, ...] = ()
    """Unknown child elements, as XML without the export namespace."""

    @property
    def size(self) -> int | None:
        """Size of the text in UTF-8 bytes (MediaWiki's ``bytes``), if the text is known."""
        if self.text is not None:
            return len(self.text.encode("utf-8"))
        return self.text_bytes

    def computed_sha1(self) -> str | None:
        """The revision SHA-1 MediaWiki would store for this text (and slots)."""
        if self.text is None:
            return None
        main = sha1_base36(self.text)
        if not self.slots:
            return main
        hashes = {"main": main}
        for slot in self.slots:
            slot_hash = slot.sha1()
            if slot_hash is None:
                return None
            hashes[slot.role] = slot_hash
        return combined_sha1(hashes)

    def with_text(self, text: str) -> Revision:
        """This revision with its main-slot text replaced, ``bytes`` and ``sha1`` recomputed."""
        if text == self.text:
            return self
        changed = dataclasses.replace(
            self, text=text, text_bytes=None, text_sha1=None, text_deleted=False, sha1=None
        )
        return dataclasses.replace(
            changed,
            text_bytes=changed.size,
            text_sha1=sha1_base36(text),
            sha1=changed.computed_sha1(),
            origin=self.id if self.id is not None else self.origin,
            text_attributes=tuple(
                (name, value)
                for name, value in self.text_attributes
                if name not in {"id", "location"}
            ),
        )


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a dump with its revisions, oldest first as the dump lists them."""

    title: str
    ns: int = 0
    id: int | None = None
    redirect: str | None = None
    """Redirect target from ``<redirect title="…"/>``; ``""`` for a bare ``<redirect/>``."""
    restrictions: str | None = None
    revisions: tuple[Revision, ...] = ()
    extras: tuple[str, ...] = ()
    """Uploads, LiquidThreads data and unknown elements, as XML without the export namespace."""

    @property
    def latest(self) -> Revision | None:
        """The last revision in the dump (the current one in a pages-articles dump)."""
        return self.revisions[-1] if self.revisions else None

    @property
    def text(self) -> str | None:
        """Text of the latest revision, or ``None`` if the dump carries none."""
        latest = self.latest
        return latest.text if latest is not None else None

    @property
    def model(self) -> str:
        """Content model of the latest revision, inferred from the title when not stated."""
        latest = self.latest
        if latest is not None and latest.model:
            return latest.model
        return default_model(self.ns, self.title)

    @property
    def is_wikitext(self) -> bool:
        """Whether the latest revision holds wikitext (not Lua, CSS, JavaScript or JSON)."""
        return is_wikitext_model(self.model)

    def with_text(self, text: str) -> Page:
        """This page with the latest revision's text replaced (history rewritten in place)."""
        latest = self.latest
        if latest is None:
            raise ValueError(f"page {self.title!r} has no revision to change")
        if text == latest.text:
            return self
        return dataclasses.replace(self, revisions=(*self.revisions[:-1], latest.with_text(text)))

    def with_new_revision(
        self,
        text: str,
        *,
        timestamp: str,
        contributor: Contributor,
        comment: str | None = None,
        minor: bool = False,
    ) -> Page:
        """This page with a new revision appended: history stays intact on import."""
        latest = self.latest
        revision = Revision(
            id=None,
            parent_id=latest.id if latest is not None else None,
            timestamp=timestamp,
            contributor=contributor,
            minor=minor,
            comment=comment,
            model=latest.model if latest is not None else None,
            format=latest.format if latest is not None else None,
            text=text,
            text_bytes=len(text.encode("utf-8")),
            text_sha1=sha1_base36(text),
            slots=latest.slots if latest is not None else (),
        )
        revision = dataclasses.replace(revision, sha1=revision.computed_sha1())
        return dataclasses.replace(self, revisions=(*self.revisions, revision))
