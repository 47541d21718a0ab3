"""English names of languages by ISO 639 code (639-1, 639-2/B and /T, 639-3).

The table ships as package data (``data/languages.json``), generated from Debian's
``iso-codes`` by ``scripts/gen_languages.py``, with the names Wikipedia's language templates
use where they differ from ISO's reference names (``el`` is "Greek").
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    data = resources.files("wikitools.infobox").joinpath("data/languages.json").read_text("utf-8")
    table: dict[str, str] = json.loads(data)
    return table


def language_name(code: str) -> str | None:
    """The English name of the language ``code`` (``ka`` → ``Georgian``), or None.

    Region and script subtags are ignored: ``en-GB`` and ``sr-Latn`` give English and Serbian.
    """
    base = code.strip().replace("_", "-").split("-")[0].casefold()
    return _names().get(base)
