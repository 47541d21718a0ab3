"""The Rule base class, the registry, and the context a rule sees."""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from wikitools.config import Config
from wikitools.document import Document
from wikitools.fixes.model import Fix
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.lint.scope import CONTENT, Scope
from wikitools.site.context import SiteContext


class FixAvailability(enum.Enum):
    """Whether a rule's diagnostics come with a fix."""

    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


#: The sections every rule docstring has, in this order.
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix safety")

_CODE = re.compile(r"^[A-Z]{1,3}\d{3}$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
        severity: Severity = Severity.ERROR,
    ) -> Diagnostic:
        """A diagnostic carrying this rule's code and name."""
        return Diagnostic(self.rule.code, self.rule.name, message, start, end, fix, severity)


class Rule:
    """Base class of all rules. Subclasses set the class attributes and implement check().

    The docstring must hold the sections of :data:`DOC_SECTIONS`, each as a line
    ``Section:`` followed by its text; ``wikitools rule CODE`` prints it.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NEVER
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
        sections: dict[str, str] = {}
        current: str | None = None
        for line in cls.doc().splitlines():
            heading = line.rstrip().removesuffix(":")
            if line.rstrip().endswith(":") and heading in DOC_SECTIONS:
                current = heading
                sections[current] = ""
            elif current is not None:
                sections[current] += line + "\n"
        return {k: v.strip("\n") for k, v in sections.items()}


R = TypeVar("R", bound=type[Rule])

_REGISTRY: dict[str, type[Rule]] = {}


def register(rule_class: R) -> R:
    """Class decorator adding a rule to the registry; codes and names must be unique."""
    code, name = rule_class.code, rule_class.name
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must be family letters + three digits")
    if not _NAME.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    for other in _REGISTRY.values():
        if other.code == code or other.name == name:
            raise ValueError(f"rule {code} {name} clashes with {other.code} {other.name}")
    _REGISTRY[code] = rule_class
    return rule_class


def all_rules() -> list[type[Rule]]:
    """Every registered rule class, ordered by code."""
    import wikitools.rules  # noqa: F401  (importing registers the built-in rules)

    return [_REGISTRY[code] for code in sorted(_REGISTRY)]
