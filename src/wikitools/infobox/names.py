"""Template and parameter names as MediaWiki compares them."""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_SPACES = re.compile(r"[\s_]+")
_PREFIX = re.compile(r"^template\s*:\s*", re.IGNORECASE)


def template_key(name: str) -> str:
    """A comparison key for a template name.

    Comments are dropped, underscores equal spaces, runs of whitespace collapse, an optional
    ``Template:`` prefix is ignored and case is folded (MediaWiki folds only the first letter;
    infobox names that differ by case beyond that are the same template in practice).
    """
    name = _COMMENT.sub("", name)
    name = _SPACES.sub(" ", name).strip()
    name = _PREFIX.sub("", name)
    return name.casefold()


def param_key(name: str) -> str:
    """A lenient comparison key for a parameter name: case folded, spaces equal underscores."""
    return _SPACES.sub("_", _COMMENT.sub("", name).strip()).casefold()


def humanize(name: str) -> str:
    """A label from a parameter name: ``alma_mater`` gives ``Alma mater``.

    Names that already use capitals (``ICD10``, ``eMedicineSubj``) keep them.
    """
    words = _SPACES.sub(" ", name.replace("-", " ")).strip()
    if not words:
        return name
    if any(c.isupper() for c in words):
        return words
    return words[:1].upper() + words[1:]
