"""The Rule base class and the context a rule sees.

Rules are plain classes; nothing registers them. The built-in ones are listed in
:data:`wikitools.rules.ALL_RULES`, and a :class:`~wikitools.lint.runner.Linter` runs the
list it is given.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from wikitools.config import Config
from wikitools.document import Document
from wikitools.fixes.model import Applicability, Fix
from wikitools.lint.codes import DOC_SECTIONS, CodeInfo, doc_sections
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.scope import CONTENT, Scope
from wikitools.site.context import SiteContext

__all__ = ["DOC_SECTIONS", "FixAvailability", "Rule", "RuleContext"]


class FixAvailability(enum.Enum):
    """Whether a rule's diagnostics come with a fix."""

    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at: the page, the settings and (maybe) the target wiki."""

    rule: Rule
    document: Document
    config: Config
    site: SiteContext | None = None

    def diagnostic(
        self,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
        subject: str | None = None,
    ) -> Diagnostic:
        """A diagnostic carrying this rule's code and name (and its severity by default)."""
        rule = self.rule
        return Diagnostic(
            rule.code,
            rule.name,
            message,
            start,
            end,
            fix,
            rule.severity if severity is None else severity,
            subject,
        )


class Rule:
    """Base class of all rules. Subclasses set the class attributes and implement check().

    The docstring must hold the sections of :data:`DOC_SECTIONS`, each as a line
    ``Section:`` followed by its text; ``wikitools rule CODE`` prints it.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NEVER
    fix_safety: ClassVar[tuple[Applicability, ...]] = ()
    """The applicabilities the rule's fixes can have (empty: it has no fix)."""
    severity: ClassVar[Severity] = Severity.ERROR
    """The severity of its findings unless a finding says otherwise."""
    needs_site: ClassVar[bool] = False
    aliases: ClassVar[tuple[str, ...]] = ()
    """Old codes of a renamed rule, still accepted in selections."""
    applies_to: ClassVar[Scope] = CONTENT
    """The namespaces whose pages the rule checks (see :mod:`wikitools.lint.scope`):
    content pages unless the rule is made for templates too."""

    def check(self, ctx: RuleContext) -> Iterable[Diagnostic]:
        """Report the rule's findings for ``ctx.document``."""
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation, dedented."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring split into its ``Section:`` parts."""
        return doc_sections(cls.doc())

    @classmethod
    def info(cls) -> CodeInfo:
        """The rule's entry in a code registry (made once per class)."""
        info = _INFOS.get(cls)
        if info is None:
            info = CodeInfo(
                cls.code,
                cls.name,
                cls.summary,
                cls.doc(),
                cls.severity,
                cls.fix_safety,
                cls.aliases,
            )
            _INFOS[cls] = info
        return info


_INFOS: dict[type[Rule], CodeInfo] = {}
