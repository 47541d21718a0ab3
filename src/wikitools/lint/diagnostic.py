"""Diagnostics: what a rule found, as a value."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wikitools.fixes.model import Fix


class Severity(enum.Enum):
    """How bad a finding is for readers of the page."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a page.

    ``start``/``end`` are offsets into the page's original text and cover the offending
    characters; the reporting layer turns them into 1-based line:column pairs.
    """

    code: str
    name: str
    message: str
    start: int
    end: int
    fix: Fix | None = None
    severity: Severity = Severity.ERROR
    subject: str | None = None
    """What the finding is about, as data: the template, module, parameter or ref name
    (without brackets), when there is one. Code reads this, never the message."""

    @property
    def fixable(self) -> bool:
        """True when the diagnostic carries a fix (of any applicability)."""
        return self.fix is not None
