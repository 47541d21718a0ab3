"""English names of languages by BCP 47 / ISO 639 code, as English Wikipedia's language
templates print them (``{{lang-ka|…}}`` → "Georgian: …", ``{{ka icon}}`` → "(in Georgian)").

The names come from CLDR and the IANA subtag registry through the ``langcodes`` and
``language-data`` packages, which know every ISO 639 code. Where Wikipedia's templates print
another name than CLDR, the override table ``wikitools/data/language_overrides.toml`` gives
Wikipedia's spelling; each entry there says why.

Like Wikipedia's Module:Lang, a name loses its parenthetical qualifier ("Swahili (individual
language)" → "Swahili"), and ISO 639-2 three-letter codes mean their ISO 639-1 synonym
(``kat`` and ``geo`` are ``ka``). Tags with subtags (``sr-Latn``, ``zh-Hant``, ``de-CH``) fall
back to their primary language; see :func:`language_name`.

``langcodes`` and its data are imported on the first name asked for, not with this module:
linting a page that needs no language name never pays for them.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langcodes import Language

__all__ = ["cldr_name", "language_name", "language_overrides", "normalized_tag"]

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_QUALIFIER = re.compile(r"\s+\([^()]*\)")
_UNKNOWN = "Unknown language"


@lru_cache(maxsize=1)
def language_overrides() -> dict[str, str]:
    """Wikipedia's spellings where they differ from CLDR's, by lower-case primary code."""
    text = resources.files("wikitools.data").joinpath("language_overrides.toml").read_text("utf-8")
    names: dict[str, str] = tomllib.loads(text)["names"]
    return names


def language_name(code: str) -> str | None:
    """The English name of a language tag as Wikipedia prints it, or None when unknown.

    Case and subtags are ignored: ``KA``, ``ka``, ``kat`` and ``ka-Geor`` are all "Georgian".
    """
    tag = code.strip()
    if not _TAG.match(tag):
        return None
    return _primary_name(re.split(r"[-_]", tag, maxsplit=1)[0].lower())


@lru_cache(maxsize=4096)
def _primary_name(primary: str) -> str | None:
    overrides = language_overrides()
    code = _synonym(primary) or primary
    name = overrides.get(primary) or overrides.get(code) or _cldr_name(code)
    return _QUALIFIER.sub("", name) if name else None


def _language(code: str, *, normalize: bool) -> Language | None:
    import langcodes  # deferred: the package and its name tries cost ~0.1 s to load

    try:
        return langcodes.Language.get(code, normalize=normalize)
    except ValueError:  # langcodes.tag_parser.LanguageTagError
        return None


def cldr_name(code: str) -> str | None:
    """CLDR's English name of a primary language code as ``langcodes`` gives it, or None.

    No override, synonym or qualifier rule applies: this is the raw library answer that the
    override table is measured against.
    """
    return _cldr_name(code.strip().lower())


def _cldr_name(code: str) -> str | None:
    language = _language(code, normalize=False)
    if language is None or language.language != code:
        return None
    name = language.language_name("en")
    return None if name.startswith(_UNKNOWN) else name


def _synonym(code: str) -> str | None:
    """The ISO 639-1 code an ISO 639-2 code stands for (``kat``, ``geo`` → ``ka``), or None.

    CLDR's aliases also merge distinct languages (``hbs`` → ``sr-Latn``, ``prs`` → ``fa-AF``);
    only a plain language code is taken, as Wikipedia's synonym table would.
    """
    if len(code) != 3:
        return None
    language = _language(code, normalize=True)
    if language is None or language.script or language.territory or not language.language:
        return None
    synonym = language.language
    return synonym if len(synonym) == 2 else None


def normalized_tag(code: str) -> str:
    """A BCP 47-style tag for a ``lang=`` attribute: ``KA`` → ``ka``, ``sr_latn`` → ``sr-Latn``."""
    parts = re.split(r"[-_]", code.strip())
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)
