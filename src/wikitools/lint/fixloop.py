"""The fix loop: apply allowed fixes, re-lint, repeat until stable, check invariants."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from wikitools.config import Config
from wikitools.fixes.compose import compose, map_to_original
from wikitools.fixes.model import Applicability, Edit, Fix, apply_edits
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.runner import unparseable
from wikitools.parsing.tree import RoundTripError, parse

MAX_PASSES = 10

NOT_CONVERGING_CODE = "W002"
NOT_CONVERGING_NAME = "fix-not-converging"


@dataclass(frozen=True)
class FixResult:
    """The outcome of fixing one text.

    ``edits`` are against the original text and disjoint: applying them to it gives
    ``text``. ``applied`` holds the diagnostics whose fixes were used (positions mapped
    back to the original); ``remaining`` those still present in ``text``.
    """

    original: str
    text: str
    edits: tuple[Edit, ...] = ()
    applied: tuple[Diagnostic, ...] = ()
    remaining: tuple[Diagnostic, ...] = ()
    passes: int = 0
    problems: tuple[Diagnostic, ...] = field(default=())
    """Engine-level findings: page not parseable, fixes not converging."""

    @property
    def changed(self) -> bool:
        """True when the text differs from the original."""
        return self.text != self.original


def effective_applicability(fix: Fix, code: str, config: Config) -> Applicability:
    """A fix's applicability after the config's promotions and demotions."""

    def listed(selectors: tuple[str, ...]) -> bool:
        return any(code.startswith(s.upper()) or s == "ALL" for s in selectors)

    if fix.applicability is Applicability.DISPLAY_ONLY:
        return fix.applicability
    if listed(config.extend_unsafe_fixes):
        return Applicability.UNSAFE
    if listed(config.extend_safe_fixes):
        return Applicability.SAFE
    return fix.applicability


def is_applied(diagnostic: Diagnostic, config: Config) -> bool:
    """True when the diagnostic's fix would be applied under ``config``."""
    if diagnostic.fix is None:
        return False
    applicability = effective_applicability(diagnostic.fix, diagnostic.code, config)
    return applicability is Applicability.SAFE or (
        applicability is Applicability.UNSAFE and config.unsafe_fixes
    )


def _choose(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """Applicable fixes, by position; a fix overlapping one already taken waits a pass.

    Diagnostics that share one fix (identical citations turned into one named ref) are
    all taken: the fix is applied once and each of them counts as fixed.
    """
    taken: list[Diagnostic] = []
    reach = -1  # the furthest end of any taken edit
    candidates = [d for d in diagnostics if d.fix is not None and is_applied(d, config)]
    candidates.sort(key=lambda d: (d.fix.start if d.fix else 0, d.code))
    for diagnostic in candidates:
        fix = diagnostic.fix
        assert fix is not None
        if fix.start <= reach:
            overlapping = [t.fix for t in reversed(taken) if t.fix and fix.overlaps(t.fix)]
            if overlapping and any(other != fix for other in overlapping):
                continue
        taken.append(diagnostic)
        reach = max(reach, fix.end)
    return taken


def _problem(code: str, name: str, message: str) -> Diagnostic:
    return Diagnostic(code, name, message, 0, 0, severity=Severity.WARNING)


def fix_loop(text: str, lint: Callable[[str], list[Diagnostic]], config: Config) -> FixResult:
    """Fix ``text`` with the diagnostics ``lint`` reports until nothing applicable is left.

    Guarantees, or else the original is returned with a problem diagnostic:
    the page round-trips through the parser before any fix and after all of them; the
    loop converges within :data:`MAX_PASSES`; applying ``edits`` to the original gives
    the result; and a further pass would change nothing.
    """
    diagnostics = initial = lint(text)
    chosen = _choose(diagnostics, config)
    if not chosen:
        return FixResult(text, text, remaining=tuple(diagnostics))
    try:
        parse(text)
    except RoundTripError as exc:
        problem = unparseable(str(exc))
        return FixResult(text, text, remaining=tuple(diagnostics), problems=(problem,))

    crlf = uses_crlf(text)
    current = text
    edits: list[Edit] = []
    applied: list[Diagnostic] = []
    seen = {text}
    passes = 0
    while chosen:
        passes += 1
        if passes > MAX_PASSES:
            return _rolled_back(
                text, initial, f"fixes still change the page after {MAX_PASSES} passes"
            )
        # Two fixes may want the very same insertion (a references list): apply it once.
        round_edits = list(
            dict.fromkeys(e for d in chosen if d.fix is not None for e in d.fix.edits)
        )
        if crlf:
            round_edits = [_crlf_edit(e) for e in round_edits]
        updated = apply_edits(current, round_edits)
        applied.extend(_mapped(d, edits) for d in chosen)
        edits = (
            compose(current, edits, round_edits)
            if edits
            else sorted(round_edits, key=lambda e: (e.start, e.end))
        )
        if updated in seen:
            return _rolled_back(text, initial, "fixes undo each other")
        seen.add(updated)
        current = updated
        diagnostics = lint(current)
        chosen = _choose(diagnostics, config)

    broken = _broken_invariant(text, current, edits)
    if broken:
        return _rolled_back(text, initial, broken)
    return FixResult(
        text,
        current,
        edits=tuple(edits),
        applied=tuple(applied),
        remaining=tuple(diagnostics),
        passes=passes,
    )


_BARE_NEWLINE = re.compile(r"(?<!\r)\n")


def uses_crlf(text: str) -> bool:
    """True when the text has line breaks and every one of them is ``\\r\\n``."""
    newlines = text.count("\n")
    return newlines > 0 and text.count("\r\n") == newlines


def _crlf_edit(edit: Edit) -> Edit:
    """The edit with the bare ``\\n`` line breaks of its replacement written as ``\\r\\n``."""
    if "\n" not in edit.replacement:
        return edit
    return replace(edit, replacement=_BARE_NEWLINE.sub("\r\n", edit.replacement))


def _mapped(diagnostic: Diagnostic, earlier: list[Edit]) -> Diagnostic:
    """The diagnostic with its position mapped back to the original text."""
    if not earlier:
        return diagnostic
    start = map_to_original(earlier, diagnostic.start)
    end = max(start, map_to_original(earlier, diagnostic.end))
    return replace(diagnostic, start=start, end=end, fix=None)


def _rolled_back(text: str, diagnostics: list[Diagnostic], why: str) -> FixResult:
    problem = _problem(
        NOT_CONVERGING_CODE,
        NOT_CONVERGING_NAME,
        f"{why}; the original was kept (this is a bug in wikitools, please report it)",
    )
    return FixResult(text, text, remaining=tuple(diagnostics), problems=(problem,))


def _broken_invariant(original: str, fixed: str, edits: list[Edit]) -> str | None:
    """Why the result cannot be trusted, or None when every post-check holds."""
    if apply_edits(original, edits) != fixed:
        return "the fix edits do not reproduce the fixed text"
    try:
        parse(fixed)
    except RoundTripError as exc:
        return f"the fixed text no longer round-trips ({exc})"
    return None
