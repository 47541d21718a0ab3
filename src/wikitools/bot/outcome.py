"""What happened to each page of a bot run, as values."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


class Status(enum.Enum):
    """The result of one page."""

    CHANGED = "changed"
    """Saved on the wiki."""
    WOULD_CHANGE = "would change"
    """Dry run: would be saved with --apply."""
    UNCHANGED = "unchanged"
    """Nothing to do; no write request was sent."""
    SKIPPED = "skipped"
    """Not attempted; ``reason`` says why."""
    CONFLICT = "conflict"
    """Someone else edited the page; their edit was kept and nothing was saved."""
    FAILED = "failed"
    """The wiki refused the save (protection, filter...); ``reason`` has its answer."""


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """One page of a run: its status, why, and the texts before and after."""

    title: str
    status: Status
    reason: str = ""
    old_text: str | None = None
    new_text: str | None = None
    revid: int | None = None
    rebased: bool = False
    """True when the fix was re-applied to a newer revision after an edit conflict."""
    fixes: tuple[str, ...] = ()
    """Codes of the fixes applied (fix runs only)."""

    def line(self) -> str:
        """A one-line summary: ``Title: status (reason)``."""
        detail = self.reason
        if self.rebased:
            detail = f"rebased onto the latest revision; {detail}" if detail else "rebased"
        return f"{self.title}: {self.status.value}" + (f" ({detail})" if detail else "")


def tally(outcomes: Iterable[PageOutcome]) -> Counter[Status]:
    """How many pages ended in each status."""
    return Counter(outcome.status for outcome in outcomes)


def summary_line(counts: Counter[Status]) -> str:
    """``3 changed, 10 unchanged, 1 conflict`` (statuses with zero pages left out)."""
    parts = [f"{counts[s]} {s.value}" for s in Status if counts[s]]
    return ", ".join(parts) if parts else "no pages"
