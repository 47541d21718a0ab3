"""Image values of infoboxes: ``[[File:Foo.jpg|200px|alt=Foo|Caption]]`` taken apart.

A clean template takes the file name in its image parameter and the size, upright factor,
alt text and caption in their own parameters. The other options of MediaWiki's image
syntax (frame, alignment, ``link=`` …) have no home there; they are returned as
``dropped`` so the converter can report them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mwparserfromhell.nodes import Text, Wikilink

from wikitools.parsing.tree import RoundTripError, parse

_FILE_NS = re.compile(r"^\s*(?:file|image)\s*:\s*", re.IGNORECASE)
_SIZE = re.compile(r"^(?:\d+\s*)?(?:x\s*\d+\s*)?px$", re.IGNORECASE)
_UPRIGHT = re.compile(r"^upright(?:\s*=?\s*(\d*(?:\.\d+)?))?$", re.IGNORECASE)
#: Options that choose a frame or placement: the infobox decides those itself.
_PLACEMENT = frozenset(
    {
        "thumb",
        "thumbnail",
        "frame",
        "framed",
        "frameless",
        "border",
        "left",
        "right",
        "center",
        "centre",
        "none",
        "baseline",
        "sub",
        "super",
        "top",
        "text-top",
        "middle",
        "bottom",
        "text-bottom",
    }
)
#: Named options with no infobox parameter (``link=``, ``class=`` …).
_NAMED = re.compile(r"^(link|class|page|lang|thumbtime|start|end|loop|muted)\s*=", re.I)
_ALT = re.compile(r"^alt\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class FileLink:
    """The parts of an image link."""

    name: str
    """The file name, without ``File:``."""
    size: str | None = None
    upright: str | None = None
    alt: str | None = None
    caption: str | None = None
    dropped: tuple[str, ...] = ()
    """Options the infobox has no parameter for, as written."""


def is_placement(option: str) -> bool:
    """True for a frame or placement option (``thumb``, ``left`` …): nothing readers read."""
    return option.strip().casefold() in _PLACEMENT


def _split_options(link: Wikilink) -> list[str]:
    """The link's options, split at pipes outside nested links and templates."""
    if link.text is None:
        return []
    options = [""]
    for node in link.text.nodes:
        if isinstance(node, Text):
            pieces = str(node).split("|")
            options[-1] += pieces[0]
            options.extend(pieces[1:])
        else:
            options[-1] += str(node)
    return [o.strip() for o in options]


def parse_file_link(value: str) -> FileLink | None:
    """The parts of ``value`` when it is exactly one image link, else None."""
    text = value.strip()
    if not text.startswith("[[") or not _FILE_NS.match(text[2:]):
        return None
    try:
        nodes = [n for n in parse(text).nodes if str(n).strip()]
    except RoundTripError:
        return None
    if len(nodes) != 1 or not isinstance(nodes[0], Wikilink):
        return None
    link = nodes[0]
    name = _FILE_NS.sub("", str(link.title)).strip()
    size = upright = alt = caption = None
    dropped: list[str] = []
    for option in _split_options(link):
        if not option:
            continue
        if _SIZE.match(option):
            if size is not None:
                dropped.append(size)
            size = re.sub(r"\s+", "", option)
        elif match := _UPRIGHT.match(option):
            upright = match.group(1) or "0.75"  # a bare "upright" means 0.75
        elif _ALT.match(option):
            alt = option.split("=", 1)[1].strip()
        elif option.casefold() in _PLACEMENT or _NAMED.match(option):
            dropped.append(option)
        else:
            if caption is not None:
                dropped.append(caption)  # MediaWiki shows only the last caption
            caption = option
    return FileLink(name, size, upright, alt or None, caption, tuple(dropped))
