"""The citation-template family: which templates make footnotes, and how they render."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wikitools.rules.footnotes.harvard import (
    HARV,
    HARVCOL,
    HARVCOLNB,
    HARVCOLTXT,
    HARVNB,
    HARVTXT,
    SFN,
    SFNP,
    HarvardStyle,
)


class FamilyKind(enum.Enum):
    """How a citation template renders."""

    FOOTNOTE = "footnote"
    """{{sfn}}/{{sfnp}}: a named ``<ref>`` with a short citation."""
    MULTI_FOOTNOTE = "multi-footnote"
    """{{sfnm}}/{{sfnmp}}: one named ``<ref>`` citing several sources."""
    INLINE = "inline"
    """{{harv}} and friends: the short citation as running text."""
    NOTE = "note"
    """{{efn}}/{{refn}}: a ``<ref>`` with free content, maybe in a group."""
    REUSE = "reuse"
    """{{r}}: reuses named references."""


@dataclass(frozen=True, slots=True)
class Family:
    """One citation template's rendering recipe."""

    kind: FamilyKind
    style: HarvardStyle | None = None
    group: str = ""
    """Footnote group (``lower-alpha`` for {{efn}})."""


_FAMILIES: dict[str, Family] = {
    "sfn": Family(FamilyKind.FOOTNOTE, SFN),
    "shortened footnote template": Family(FamilyKind.FOOTNOTE, SFN),
    "shortened footnote": Family(FamilyKind.FOOTNOTE, SFN),
    "sfnp": Family(FamilyKind.FOOTNOTE, SFNP),
    "sfnm": Family(FamilyKind.MULTI_FOOTNOTE, SFN),
    "sfnmp": Family(FamilyKind.MULTI_FOOTNOTE, SFNP),
    "harv": Family(FamilyKind.INLINE, HARV),
    "harvard citation": Family(FamilyKind.INLINE, HARV),
    "harvnb": Family(FamilyKind.INLINE, HARVNB),
    "harvard citation no brackets": Family(FamilyKind.INLINE, HARVNB),
    "harvtxt": Family(FamilyKind.INLINE, HARVTXT),
    "harvard citation text": Family(FamilyKind.INLINE, HARVTXT),
    "harvp": Family(FamilyKind.INLINE, HARVTXT),
    "harvcol": Family(FamilyKind.INLINE, HARVCOL),
    "harvcolnb": Family(FamilyKind.INLINE, HARVCOLNB),
    "harvcoltxt": Family(FamilyKind.INLINE, HARVCOLTXT),
    "efn": Family(FamilyKind.NOTE, group="lower-alpha"),
    "efn-la": Family(FamilyKind.NOTE, group="lower-alpha"),
    "efn-ua": Family(FamilyKind.NOTE, group="upper-alpha"),
    "efn-lr": Family(FamilyKind.NOTE, group="lower-roman"),
    "efn-ur": Family(FamilyKind.NOTE, group="upper-roman"),
    "efn-lg": Family(FamilyKind.NOTE, group="lower-greek"),
    "refn": Family(FamilyKind.NOTE),
    "r": Family(FamilyKind.REUSE),
}


def family_of(page_name: str) -> Family | None:
    """The family of a template by its page name without prefix (``Sfn``, ``Harvnb``)."""
    return _FAMILIES.get(page_name.strip().replace("_", " ").lower())
