"""Fix a page rule by rule, so that whatever a fix loses is put down to the rule that made it.

:class:`RuleFixer` runs the default fix (safe tier, or unsafe when asked) and the same fix with
one rule selected at a time (``Config(select=[code])``), reusing one linter per rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wikitools.api import fix_text
from wikitools.config import Config
from wikitools.document import Document
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.fixloop import FixResult, is_applied
from wikitools.lint.runner import Linter
from wikitools.site.context import SiteContext
from wikitools.titles import DEFAULT, Namespaces


@dataclass
class RuleFixer:
    """Lint and fix pages of one wiki, with all rules or with one rule at a time."""

    config: Config = field(default_factory=Config)
    site: SiteContext | None = None
    namespaces: Namespaces = DEFAULT
    _linters: dict[str, Linter] = field(default_factory=dict, repr=False)

    def linter(self, code: str | None = None) -> Linter:
        """The linter of the configured rules, or of rule ``code`` alone."""
        key = code or ""
        linter = self._linters.get(key)
        if linter is None:
            config = self.config if code is None else self.config.with_overrides(select=[code])
            linter = Linter(config, self.site)
            self._linters[key] = linter
        return linter

    def lint(self, text: str, title: str, ns: int) -> list[Diagnostic]:
        """Diagnostics of the configured rules."""
        return self.linter().check(Document(text, title, ns, self.namespaces))

    def fixable_codes(self, diagnostics: list[Diagnostic]) -> set[str]:
        """Codes of the diagnostics whose fix the configuration applies."""
        return {d.code for d in diagnostics if is_applied(d, self.config)}

    def fix(self, text: str, title: str, ns: int, code: str | None = None) -> FixResult:
        """``fix_text`` with the configured rules, or with rule ``code`` alone."""
        return fix_text(text, title=title, namespace=ns, linter=self.linter(code))

    def fix_each(self, text: str, title: str, ns: int, codes: set[str]) -> dict[str, FixResult]:
        """The fix of each rule in ``codes`` alone, by code (sorted)."""
        return {code: self.fix(text, title, ns, code) for code in sorted(codes)}
