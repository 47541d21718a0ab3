"""What happened to each page of a bot run, as values."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from wikitools.mediawiki.save import SaveResult, SaveStatus


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
    DONE_BEFORE = "already done"
    """A resumed run: the journal has this page's outcome from an earlier run; not read."""
    REFUSED = "refused"
    """Not saved: the wiki (protection, a filter) or the save policy (blanking) refused it;
    ``reason`` has the answer."""


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


_FROM_SAVE = {
    SaveStatus.SAVED: Status.CHANGED,
    SaveStatus.WOULD_SAVE: Status.WOULD_CHANGE,
    SaveStatus.UNCHANGED: Status.UNCHANGED,
    SaveStatus.CONFLICT: Status.CONFLICT,
    SaveStatus.REFUSED: Status.REFUSED,
    SaveStatus.SKIPPED: Status.SKIPPED,
}


def from_save(
    result: SaveResult,
    *,
    reason: str | None = None,
    fixes: tuple[str, ...] = (),
    rebased: bool = False,
) -> PageOutcome:
    """The run outcome of one :func:`~wikitools.mediawiki.save.save_page` result."""
    return PageOutcome(
        result.title,
        _FROM_SAVE[result.status],
        result.reason if reason is None else reason,
        old_text=result.old_text,
        new_text=result.new_text,
        revid=result.revid,
        rebased=rebased,
        fixes=fixes,
    )


def tally(outcomes: Iterable[PageOutcome]) -> Counter[Status]:
    """How many pages ended in each status."""
    return Counter(outcome.status for outcome in outcomes)


def summary_line(counts: Counter[Status]) -> str:
    """``3 changed, 10 unchanged, 1 conflict`` (statuses with zero pages left out)."""
    parts = [f"{counts[s]} {s.value}" for s in Status if counts[s]]
    return ", ".join(parts) if parts else "no pages"
