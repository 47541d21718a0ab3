"""Short citations ({{sfn}}, {{harv}} and friends): what they print, computed offline.

The conversion of broken calls into plain ``<ref>`` footnotes lives in
:mod:`wikitools.rules.citations`; this package only formats.
"""

from wikitools.rules.footnotes.families import Family, FamilyKind, family_of
from wikitools.rules.footnotes.harvard import ShortCitation, format_citation, format_multi

__all__ = ["Family", "FamilyKind", "ShortCitation", "family_of", "format_citation", "format_multi"]
