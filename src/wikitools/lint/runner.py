"""Running rules over a document."""

from __future__ import annotations

import logging

from wikitools.config import Config
from wikitools.document import Document
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.rule import Rule, RuleContext, all_rules
from wikitools.lint.selection import select_rules
from wikitools.lint.suppression import apply_suppressions
from wikitools.parsing.tree import RoundTripError
from wikitools.site.context import SiteContext

log = logging.getLogger(__name__)

UNPARSEABLE_CODE = "W001"
UNPARSEABLE_NAME = "unparseable-page"


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
    """A configured set of rule instances, ready to check many documents."""

    def __init__(self, config: Config | None = None, site: SiteContext | None = None) -> None:
        self.config = config or Config()
        self.site = site
        chosen = select_rules(all_rules(), self.config.select, self.config.ignore)
        self.rules: list[Rule] = [
            rule() for rule in chosen if not (rule.needs_site and site is None)
        ]

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
        if unparseable_reason is not None:
            found.append(unparseable(unparseable_reason))
        found = apply_suppressions(document, found)
        found.sort(key=lambda d: (d.start, d.end, d.code))
        return found
