"""The final statistics of a bot run: what was read, changed, skipped (and why), how fast."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from wikitools.bot.outcome import PageOutcome, Status

_DETAIL = re.compile(r"\s*[:(].*$", re.DOTALL)


def reason_kind(reason: str) -> str:
    """A reason without its details (``not fixed: ...`` -> ``not fixed``), for grouping."""
    kind = _DETAIL.sub("", reason).strip()
    return kind or reason.strip() or "no reason given"


@dataclass
class RunStats:
    """Counts of one run; :meth:`add` each outcome, then :meth:`lines`."""

    clock: Callable[[], float] = time.monotonic
    started: float = 0.0
    read: int = 0
    statuses: Counter[Status] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def add(self, outcome: PageOutcome) -> None:
        """Count one page."""
        self.statuses[outcome.status] += 1
        if outcome.status is not Status.DONE_BEFORE and not outcome.reason.startswith(
            "saved by an interrupted run"
        ):
            self.read += 1
        if outcome.status is Status.SKIPPED:
            self.skipped[reason_kind(outcome.reason)] += 1

    @property
    def edits(self) -> int:
        """Revisions saved by this run."""
        return self.statuses[Status.CHANGED]

    def edits_per_minute(self) -> float:
        """Saved revisions per minute of run time."""
        minutes = max(self.clock() - self.started, 1e-9) / 60
        return self.edits / minutes

    def as_dict(self) -> dict[str, object]:
        """The statistics as JSON-ready values."""
        return {
            "read": self.read,
            "changed": self.statuses[Status.CHANGED],
            "would_change": self.statuses[Status.WOULD_CHANGE],
            "unchanged": self.statuses[Status.UNCHANGED],
            "already_done": self.statuses[Status.DONE_BEFORE],
            "skipped": dict(self.skipped),
            "conflicts": self.statuses[Status.CONFLICT],
            "errors": self.statuses[Status.REFUSED],
            "edits_per_minute": round(self.edits_per_minute(), 2),
        }

    def lines(self) -> list[str]:
        """The statistics for a person, a few lines."""
        s = self.statuses
        lines = [
            f"pages read: {self.read}; changed: {s[Status.CHANGED]}"
            + (f"; would change: {s[Status.WOULD_CHANGE]}" if s[Status.WOULD_CHANGE] else "")
            + f"; unchanged: {s[Status.UNCHANGED]}; already done: {s[Status.DONE_BEFORE]}"
            + f"; conflicts: {s[Status.CONFLICT]}; errors (refused): {s[Status.REFUSED]}",
            f"skipped: {sum(self.skipped.values())}"
            + "".join(f"; {kind}: {n}" for kind, n in self.skipped.most_common()),
            f"edits per minute: {self.edits_per_minute():.1f}",
        ]
        return lines
