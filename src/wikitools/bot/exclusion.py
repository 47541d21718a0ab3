"""``{{bots}}`` and ``{{nobots}}``: the exclusion compliance convention of MediaWiki bots.

The standard syntax (Template:Bots on Wikipedia, Meta and Commons):

- ``{{nobots}}`` bans all compliant bots; ``{{bots}}`` allows all;
- ``{{bots|allow=A,B}}`` bans every bot not in the list; ``allow=all`` allows all,
  ``allow=none`` bans all;
- ``{{bots|deny=A,B}}`` bans the bots in the list; ``deny=all`` bans all, ``deny=none``
  allows all.

Names are compared without case and surrounding spaces. A bot answers to its account name
(``User@AppId`` counts as ``User``) and to the tool name ``wikitools`` (as ``AWB`` names every
AutoWikiBrowser bot). Only templates written on the page itself count (not ones inside
comments or ``<nowiki>``, nor ones a transcluded template calls), as with other compliant
bots. ``{{nobots|allow=X}}`` is read as ``{{bots|allow=X}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import mwparserfromhell

#: The pseudo-username every wikitools bot answers to.
TOOL_NAME = "wikitools"

_MENTION = re.compile(r"\{\{\s*(?:template\s*:\s*)?(?:no)?bots\s*[|}]", re.IGNORECASE)


def _names(value: str) -> set[str]:
    return {part.strip().lower() for part in value.split(",") if part.strip()}


def bot_names(username: str) -> tuple[str, ...]:
    """The names a bot logged in as ``username`` answers to."""
    user = username.split("@", 1)[0].strip()
    return tuple(name for name in (user, TOOL_NAME) if name)


def exclusion(text: str, names: Iterable[str]) -> str | None:
    """Why ``{{bots}}``/``{{nobots}}`` on the page bans a bot with these ``names``, or None."""
    if not _MENTION.search(text):
        return None
    wanted = {name.strip().lower() for name in names}
    for template in mwparserfromhell.parse(text).filter_templates():
        name = str(template.name).strip().replace("_", " ").lower()
        name = name.removeprefix("template:").strip()
        if name not in ("bots", "nobots"):
            continue
        params = {str(p.name).strip().lower(): str(p.value) for p in template.params}
        if "allow" in params:
            allowed = _names(params["allow"])
            if "all" in allowed or allowed & wanted:
                continue
            return f"{{{{{name}|allow={params['allow'].strip()}}}}} does not allow this bot"
        if "deny" in params:
            denied = _names(params["deny"])
            if "none" in denied and len(denied) == 1:
                continue
            if "all" in denied or denied & wanted:
                return f"{{{{{name}|deny={params['deny'].strip()}}}}} excludes this bot"
            continue
        if name == "nobots":
            return "{{nobots}} excludes all bots"
    return None
