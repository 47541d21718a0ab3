"""What a run did, as counts: the one place that words a command's summary and picks its exit code.

Every command fills a report while it works and ends with ``report.exit_code`` (as black's
``Report`` does). The exit codes are those of ruff:

* ``0`` (:data:`EXIT_OK`): nothing to report;
* ``1`` (:data:`EXIT_PROBLEMS`): the run found something that needs attention (findings,
  a would-be change under ``--check``, a page that was not saved...), each report says what;
* ``2`` (:data:`EXIT_ERROR`): the run could not do its work (bad options, unreadable input,
  an unreachable wiki); the command line prints one ``error:`` line.

Reports hold numbers only; printing them is the command line's business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wikitools.config import Config
    from wikitools.lint.diagnostic import Diagnostic

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}(s)"


@dataclass
class FindingCounts:
    """Findings by code, and how many of them a fix could repair.

    ``fixable`` counts the findings whose fix the run's settings apply (safe fixes, and
    unsafe ones with ``--unsafe-fixes``); ``unsafe_fixable`` those whose fix is unsafe and
    was not enabled: the "more fixes with ``--unsafe-fixes``" of the hint.
    """

    by_code: Counter[str] = field(default_factory=Counter)
    fixable: int = 0
    unsafe_fixable: int = 0

    @property
    def total(self) -> int:
        """How many findings in all."""
        return sum(self.by_code.values())

    def add(self, diagnostics: Iterable[Diagnostic], config: Config) -> int:
        """Count ``diagnostics`` (of one page); returns how many there were."""
        from wikitools.fixes.model import Applicability
        from wikitools.lint.fixloop import effective_applicability, is_applied

        count = 0
        for diagnostic in diagnostics:
            count += 1
            self.by_code[diagnostic.code] += 1
            fix = diagnostic.fix
            if fix is None:
                continue
            if is_applied(diagnostic, config):
                self.fixable += 1
            elif effective_applicability(fix, diagnostic.code, config) is Applicability.UNSAFE:
                self.unsafe_fixable += 1
        return count

    def unsafe_hint(self) -> str:
        """``; 2 more fixes available with --unsafe-fixes`` (empty when there are none)."""
        if not self.unsafe_fixable:
            return ""
        return f"; {self.unsafe_fixable} more fix(es) available with `--unsafe-fixes`"


@dataclass
class RunReport:
    """The counts of a run that reports nothing but success (``rules``, ``infobox list``...).

    Subclasses add the counts of their command, word :meth:`summary` and decide
    :attr:`exit_code`. ``errors`` counts inputs the run could not use at all (a bad schema
    file); any makes the exit code 2.
    """

    errors: int = 0
    unreadable: int = 0
    """Files or folders that could not be read (reported, skipped): exit code 1."""
    fatal: str | None = None
    """Why the run stopped before its end (a block, a read-only wiki...): exit code 2."""

    def summary(self) -> str | None:
        """The one summary line for stderr (None: the command prints none)."""
        return None

    @property
    def problems(self) -> bool:
        """True when the run found something that needs attention (exit code 1)."""
        return False

    @property
    def exit_code(self) -> int:
        """0 nothing to report, 1 something needs attention, 2 the run failed."""
        if self.errors or self.fatal is not None:
            return EXIT_ERROR
        return EXIT_PROBLEMS if self.problems or self.unreadable else EXIT_OK


@dataclass
class LintReport(RunReport):
    """``lint`` and ``dump lint``: what was checked and what was found (exit 1 on findings)."""

    unit: str = "file"
    fix_command: str = "wikitools fix"
    seen: int = 0
    with_findings: int = 0
    findings: FindingCounts = field(default_factory=FindingCounts)

    def add(self, diagnostics: Iterable[Diagnostic], config: Config) -> None:
        """Count one checked page or file and its findings."""
        self.seen += 1
        if self.findings.add(diagnostics, config):
            self.with_findings += 1

    @property
    def problems(self) -> bool:
        """Any finding."""
        return self.findings.total > 0

    def summary(self) -> str:
        """``3 problem(s) in 2 of 5 file(s) checked; 2 fixable with `wikitools fix`.``"""
        total = self.findings.total
        if not total:
            return f"No problems found in {_plural(self.seen, self.unit)}."
        line = (
            f"{_plural(total, 'problem')} in {self.with_findings} of "
            f"{_plural(self.seen, self.unit)} checked."
        )
        notes = []
        if self.findings.fixable:
            notes.append(f"{self.findings.fixable} fixable with `{self.fix_command}`")
        if self.findings.unsafe_fixable:
            notes.append(
                f"{self.findings.unsafe_fixable} more fix(es) available with "
                f"`{self.fix_command} --unsafe-fixes`"
            )
        return line[:-1] + (f"; {', '.join(notes)}." if notes else ".")


@dataclass
class FixReport(RunReport):
    """``fix`` and ``dump fix``: fixes applied, what changed and what remains.

    ``mode`` is ``write`` (files are replaced), ``diff`` (a diff is printed) or ``check``
    (nothing is written). Exit code 1: under ``check``, when something would change (and only
    then); otherwise when findings remain or verify refused a fix, and with
    ``exit_non_zero_on_fix`` also when anything was fixed.
    """

    unit: str = "file"
    mode: str = "write"
    exit_non_zero_on_fix: bool = False
    seen: int = 0
    changed: int = 0
    applied: Counter[str] = field(default_factory=Counter)
    remaining: FindingCounts = field(default_factory=FindingCounts)
    verified: bool = False
    refused: int = 0
    written: int | None = None
    destination: str = ""

    def add(
        self,
        applied: Iterable[Diagnostic],
        remaining: Iterable[Diagnostic],
        config: Config,
        *,
        changed: bool,
        refused: bool = False,
    ) -> None:
        """Count one fixed page or file."""
        self.seen += 1
        self.applied.update(d.code for d in applied)
        self.remaining.add(remaining, config)
        self.changed += changed
        self.refused += refused

    @property
    def fixed(self) -> int:
        """How many findings the applied fixes repaired."""
        return sum(self.applied.values())

    @property
    def problems(self) -> bool:
        """See the class docs."""
        if self.mode == "check":
            return self.changed > 0
        if self.exit_non_zero_on_fix and self.changed:
            return True
        return self.remaining.total > 0 or self.refused > 0

    def summary(self) -> str:
        """``2 problem(s) fixed in 1 file(s); 1 problem(s) remain...`` (dump: per page)."""
        remain = f"{_plural(self.remaining.total, 'problem')} remain"
        refusals = (
            f"; {_plural(self.refused, self.unit)} refused by verify" if self.verified else ""
        )
        hint = self.remaining.unsafe_hint()
        if self.written is not None:
            return (
                f"fixed {_plural(self.fixed, 'problem')} in {self.changed} of "
                f"{_plural(self.seen, self.unit)} checked; {remain}{refusals}{hint}; "
                f"wrote {_plural(self.written, self.unit)} to {self.destination}"
            )
        verb = "fixed" if self.mode == "write" else "would be fixed"
        return (
            f"{_plural(self.fixed, 'problem')} {verb} in {_plural(self.changed, self.unit)}; "
            f"{remain}{refusals}{hint}."
        )


@dataclass
class EditReport(RunReport):
    """``fix-wiki`` and ``push``: the status of each page (exit 1 when one needs attention).

    ``statuses`` counts :class:`wikitools.bot.outcome.Status` values by their name
    (``changed``, ``would change``, ``unchanged``, ``skipped``, ``conflict``, ``failed``).
    """

    applied: bool = False
    statuses: Counter[str] = field(default_factory=Counter)

    #: The statuses in the order the summary lists them.
    ORDER = (
        "changed",
        "would change",
        "unchanged",
        "already done",
        "skipped",
        "conflict",
        "failed",
    )
    #: The statuses that need a person's attention.
    ATTENTION = ("skipped", "conflict", "failed")

    def add(self, status: str) -> None:
        """Count one page's status."""
        self.statuses[status] += 1

    @property
    def problems(self) -> bool:
        """A page was skipped, met an edit conflict or was refused by the wiki."""
        return any(self.statuses[status] for status in self.ATTENTION)

    def summary(self) -> str:
        """``3 changed, 10 unchanged, 1 conflict`` plus the dry-run note."""
        parts = [f"{self.statuses[s]} {s}" for s in self.ORDER if self.statuses[s]]
        note = "" if self.applied else " (dry run: nothing saved; use --apply)"
        if self.fatal is not None:
            note = " before the run stopped"
        return (", ".join(parts) if parts else "no pages") + note


@dataclass
class PullReport(RunReport):
    """``pull``: files written, up to date, missing or skipped (exit 1 for the last two)."""

    directory: str = ""
    statuses: Counter[str] = field(default_factory=Counter)

    def add(self, status: str) -> None:
        """Count one title's result (``written``, ``up to date``, ``missing``, ...)."""
        self.statuses[status] += 1

    @property
    def missed(self) -> int:
        """Titles neither written nor up to date."""
        return sum(self.statuses.values()) - self.statuses["written"] - self.statuses["up to date"]

    @property
    def problems(self) -> bool:
        """A title was missing or skipped."""
        return self.missed > 0

    def summary(self) -> str:
        """``3 written, 0 up to date, 0 missing or skipped (pages)``."""
        return (
            f"{self.statuses['written']} written, {self.statuses['up to date']} up to date, "
            f"{self.missed} missing or skipped ({self.directory})"
        )


@dataclass
class ConvertReport(RunReport):
    """``infobox convert``: files changed and the error findings (exit 1 on errors, or on a
    would-be change under ``--check``)."""

    mode: str = "write"
    seen: int = 0
    changed: int = 0
    error_findings: int = 0
    templates: set[str] = field(default_factory=set)
    portable: bool = False

    @property
    def problems(self) -> bool:
        """An error finding, or under ``--check`` a file that would change."""
        return self.error_findings > 0 or (self.mode == "check" and self.changed > 0)

    def summary(self) -> str | None:
        """``2 file(s) changed. Templates needed: ...`` (None when nothing changed)."""
        if not self.changed:
            return None
        verb = "changed" if self.mode == "write" else "would change"
        flag = " --portable" if self.portable else ""
        return (
            f"{_plural(self.changed, 'file')} {verb}. Templates needed: "
            f"{', '.join(sorted(self.templates))} (wikitools infobox install NAME --wiki URL{flag})"
        )


@dataclass
class InstallReport(RunReport):
    """``infobox install``: a dry run, or the saves and the problems of the sample render."""

    applied: bool = False
    render_problems: int = 0

    @property
    def problems(self) -> bool:
        """A sample render of the installed template showed a problem."""
        return self.render_problems > 0

    def summary(self) -> str:
        """The dry-run note, or how the sample render went."""
        if not self.applied:
            return "dry run: nothing was written (pass --apply to save)"
        if self.render_problems:
            return f"installed; {_plural(self.render_problems, 'problem')} in the sample render"
        return "installed; the sample render shows no problem"


@dataclass
class CheckReport(RunReport):
    """A yes/no check (``infobox validate``, ``sandbox status``): ``failed`` items and what
    they mean for the exit code (``failure_is_error``: 2, else 1)."""

    checked: int = 0
    failed: int = 0
    failure_is_error: bool = False
    noun: str = ""

    @property
    def problems(self) -> bool:
        """A check failed."""
        return self.failed > 0 and not self.failure_is_error

    @property
    def exit_code(self) -> int:
        """2 for a failed check whose failure is an error, else as :class:`RunReport`."""
        if self.failure_is_error and self.failed:
            return EXIT_ERROR
        return super().exit_code

    def summary(self) -> str | None:
        """``2 of 3 schema file(s) ok`` when there is a noun to count."""
        if not self.noun:
            return None
        return f"{self.checked - self.failed} of {_plural(self.checked, self.noun)} ok"
