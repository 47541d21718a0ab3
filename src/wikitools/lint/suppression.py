"""Suppression comments: let editors mark a finding as intended, in the wikitext itself.

- ``<!-- wikitools-ignore: B101, A103 -->`` silences those codes (or prefixes, or rule
  names) for findings that start on the same line; without codes, every rule.
- ``<!-- wikitools-ignore-page: R105 -->`` silences them on the whole page.

Comments are invisible to readers, so they survive on the wiki and every later run
(and every other editor running wikitools) sees the same decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from wikitools.document import Document
from wikitools.lint.codes import ALL, CodeRegistry, selector_matches
from wikitools.lint.diagnostic import Diagnostic
from wikitools.parsing.lines import LineIndex

MARKER = "wikitools-ignore"
_COMMENT = re.compile(
    r"<!--\s*wikitools-ignore(?P<page>-page)?\s*(?::(?P<codes>[^>]*?))?\s*-->", re.IGNORECASE
)


@dataclass(frozen=True)
class Suppressions:
    """Which codes are silenced on which lines (line 0 stands for the whole page)."""

    by_line: dict[int, tuple[str, ...]]

    @classmethod
    def of(cls, text: str, lines: LineIndex) -> Suppressions | None:
        """The page's suppressions, or None when it has no suppression comment."""
        if MARKER not in text:
            return None
        by_line: dict[int, tuple[str, ...]] = {}
        for match in _COMMENT.finditer(text):
            codes = tuple(
                c.strip() for c in (match.group("codes") or "").split(",") if c.strip()
            ) or (ALL,)
            line = 0 if match.group("page") else lines.position(match.start())[0]
            by_line[line] = by_line.get(line, ()) + codes
        return cls(by_line)

    def silences(
        self, diagnostic: Diagnostic, line: int, codes: CodeRegistry | None = None
    ) -> bool:
        """True when a comment on ``line`` or a page-wide one covers the diagnostic.

        Selectors match as ``--ignore`` does (:meth:`CodeInfo.matches`: code, prefix,
        name, or a rule's old code when ``codes`` knows it).
        """
        for selector in (*self.by_line.get(0, ()), *self.by_line.get(line, ())):
            if codes is not None:
                if codes.matches(selector, diagnostic.code, diagnostic.name):
                    return True
            elif selector_matches(selector, diagnostic.code, diagnostic.name):
                return True
        return False


def apply_suppressions(
    document: Document, diagnostics: Iterable[Diagnostic], codes: CodeRegistry | None = None
) -> list[Diagnostic]:
    """The diagnostics that no suppression comment in the document silences."""
    found = list(diagnostics)
    if not found or MARKER not in document.text:
        return found
    lines = document.lines
    suppressions = Suppressions.of(document.text, lines)
    if suppressions is None:
        return found
    return [d for d in found if not suppressions.silences(d, lines.position(d.start)[0], codes)]
