"""Template call parameters the way MediaWiki passes them to the template.

Named parameters (``|page=12``) have their name and value trimmed; positional ones
(``|Service``) keep their whitespace and are numbered 1, 2, … as MediaWiki numbers them
(an explicit ``|2=`` and a later positional 2 collide; the last one wins).
"""

from __future__ import annotations

import re
from typing import Any


def template_params(template: Any) -> dict[str, str]:
    """The parameters of a mwparserfromhell ``Template`` as MediaWiki sees them."""
    params: dict[str, str] = {}
    for param in template.params:
        if param.showkey:
            params[str(param.name).strip()] = str(param.value).strip()
        else:
            params[str(param.name).strip()] = str(param.value)
    return params


def positional(params: dict[str, str]) -> list[str]:
    """Positional values 1, 2, … up to the first gap, trimmed."""
    values: list[str] = []
    index = 1
    while str(index) in params:
        values.append(params[str(index)].strip())
        index += 1
    return values


_BARE = re.compile(r"^[^\s\"'<>/=|{}]+$")


def group_attribute(group: str, quote: str) -> str:
    """`` group=…`` for a ``<ref>`` or ``<references>`` tag, quoted as the author quoted the
    group (``quote`` from :func:`split_quoted`: ``"``, ``'`` or ``""`` for bare)."""
    if quote == "" and _BARE.match(group):
        return f" group={group}"
    if quote == "'" and "'" not in group:
        return f" group='{group}'"
    return ' group="{}"'.format(group.replace('"', "'").replace("<", "").replace(">", ""))


def split_quoted(raw: str) -> tuple[str, str]:
    """A template argument's value without one pair of matching quotes, and that quote.

    ``{{#tag:ref}}`` strips one pair of matching quotes, so ``group="note"``,
    ``group='note'`` and ``group=note`` all name the group ``note``. The quote (``"``,
    ``'`` or ``""`` for none; ``"`` for an empty value) lets a converted tag read as the
    author wrote it.
    """
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip(), value[0]
    return value, "" if value else '"'
