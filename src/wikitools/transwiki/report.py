"""The run report of ``deps plan`` and ``deps import``: counts, summary line, exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from wikitools.reporting.run import RunReport


@dataclass
class DepsReport(RunReport):
    """Pages by plan status, what was written, what still fails.

    Exit code 1 when something needs a person: a prerequisite the target lacks, a page the
    target has its own version of, a blocked or failed page, a seed that still renders
    with problems.
    """

    applied: bool = False
    planned: Counter[str] = field(default_factory=Counter)
    written: Counter[str] = field(default_factory=Counter)
    prerequisites: int = 0
    not_portable: int = 0
    render_problems: int = 0
    writes: int = 0

    @property
    def problems(self) -> bool:
        """See the class docs."""
        return bool(
            self.prerequisites
            or self.planned.get("differs")
            or self.planned.get("blocked")
            or self.written.get("failed")
            or self.render_problems
            or self.not_portable
        )

    def summary(self) -> str:
        """``3 new, 2 identical, 1 differs; 3 imported; 1 prerequisite(s) missing``."""
        parts = [", ".join(f"{n} {s}" for s, n in self.planned.items() if n) or "nothing needed"]
        if self.written:
            parts.append(", ".join(f"{n} {s}" for s, n in self.written.items() if n))
        if self.prerequisites:
            parts.append(f"{self.prerequisites} prerequisite(s) missing on the target")
        if self.not_portable:
            parts.append(f"{self.not_portable} not portable")
        if self.render_problems:
            parts.append(f"{self.render_problems} seed(s) still render with problems")
        if not self.applied and self.planned.get("new"):
            parts.append("dry run: pass --apply to write")
        return "; ".join(parts)
