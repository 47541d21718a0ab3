"""Running rules over a document."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from wikitools.config import Config
from wikitools.document import Document
from wikitools.lint.codes import CodeInfo, CodeRegistry
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.rule import Rule, RuleContext
from wikitools.lint.selection import select_rules
from wikitools.lint.suppression import apply_suppressions
from wikitools.parsing.tree import RoundTripError
from wikitools.site.context import SiteContext

log = logging.getLogger(__name__)

UNPARSEABLE = CodeInfo(
    "W001",
    "unparseable-page",
    "The wikitext parser cannot reproduce the page exactly, so it is left untouched",
    """
    What it does:
    Reports a page that the wikitext parser (mwparserfromhell) does not give back
    character for character. The rules that need the parse tree skip it and the fix
    loop leaves it exactly as it was.

    Why it matters:
    Every fix is an edit against the original text, checked by parsing the result. A page
    the parser cannot reproduce could not be checked, so wikitools changes nothing in it
    rather than risk losing text; the finding says the page was not (fully) checked.

    Example:
    Rare: a page on which mwparserfromhell itself fails (its ``ParserError``, or a
    ``RecursionError`` on extreme nesting), or whose parse tree prints different text.

    Use instead:
    Nothing to change on the page itself; fix the other findings by hand, or report the
    page so the parser case can be handled.

    Fix safety:
    No fix: the page is left untouched.
    """,
    Severity.WARNING,
    origin="engine",
)
UNPARSEABLE_CODE = UNPARSEABLE.code
UNPARSEABLE_NAME = UNPARSEABLE.name
#: The codes the lint runner itself reports.
RUNNER_CODES: tuple[CodeInfo, ...] = (UNPARSEABLE,)


def unparseable(reason: str) -> Diagnostic:
    """The diagnostic for a page the wikitext parser cannot reproduce exactly."""
    return Diagnostic(
        UNPARSEABLE_CODE,
        UNPARSEABLE_NAME,
        f"{reason}; the page was left untouched",
        0,
        0,
        severity=Severity.WARNING,
    )


class Linter:
    """A configured set of rule instances, ready to check many documents.

    ``rules`` are the rule classes to choose from (the config's ``select``/``ignore`` pick
    among them; :class:`wikitools.Linter` defaults to the built-in rules). ``codes`` is
    the registry selectors are checked against; by default the rules' codes and
    :data:`RUNNER_CODES`.
    """

    def __init__(
        self,
        config: Config | None = None,
        site: SiteContext | None = None,
        rules: Sequence[type[Rule]] | None = None,
        *,
        codes: CodeRegistry | None = None,
    ) -> None:
        if rules is None:
            raise TypeError("Linter needs its rules; wikitools.Linter has the built-in ones")
        self.config = config or Config()
        self.site = site
        if codes is None:
            codes = CodeRegistry([*(rule.info() for rule in rules), *RUNNER_CODES])
        self.codes = codes
        chosen = select_rules(rules, self.config.select, self.config.ignore, codes)
        self.rules: list[Rule] = [
            rule() for rule in chosen if not (rule.needs_site and site is None)
        ]
        self.report_unparseable = not any(UNPARSEABLE.matches(s) for s in self.config.ignore)

    def check(self, document: Document) -> list[Diagnostic]:
        """All diagnostics for ``document``, sorted by position then code.

        A page that is not wikitext gets none; the others get the rules whose
        :attr:`~wikitools.lint.rule.Rule.applies_to` includes their namespace.
        """
        found: list[Diagnostic] = []
        if not document.is_wikitext:
            return found
        unparseable_reason: str | None = None
        for rule in self.rules:
            if not rule.applies_to.includes(document.namespace):
                continue
            ctx = RuleContext(rule, document, self.config, self.site)
            try:
                found.extend(rule.check(ctx))
            except RoundTripError as exc:
                unparseable_reason = str(exc)
        if unparseable_reason is not None and self.report_unparseable:
            found.append(unparseable(unparseable_reason))
        found = apply_suppressions(document, found, self.codes)
        found.sort(key=lambda d: (d.start, d.end, d.code))
        return found


__all__ = ["RUNNER_CODES", "UNPARSEABLE", "Linter", "unparseable"]
