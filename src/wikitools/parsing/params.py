"""Template call parameters the way MediaWiki passes them to the template.

Named parameters (``|page=12``) have their name and value trimmed; positional ones
(``|Service``) keep their whitespace and are numbered 1, 2, … as MediaWiki numbers them
(an explicit ``|2=`` and a later positional 2 collide; the last one wins).
"""

from __future__ import annotations

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
