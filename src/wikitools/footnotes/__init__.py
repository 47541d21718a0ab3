"""Short citations ({{sfn}}, {{harv}} and friends): what they print, computed offline.

The conversion of broken calls into plain ``<ref>`` footnotes lives in
:mod:`wikitools.rules.citations`; this package only formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports

if TYPE_CHECKING:
    from wikitools.footnotes.families import Family, FamilyKind, family_of
    from wikitools.footnotes.harvard import ShortCitation, format_citation, format_multi

_EXPORTS = {
    "Family": "wikitools.footnotes.families",
    "FamilyKind": "wikitools.footnotes.families",
    "ShortCitation": "wikitools.footnotes.harvard",
    "family_of": "wikitools.footnotes.families",
    "format_citation": "wikitools.footnotes.harvard",
    "format_multi": "wikitools.footnotes.harvard",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

__all__ = ["Family", "FamilyKind", "ShortCitation", "family_of", "format_citation", "format_multi"]
