"""Built-in rules, one module per family, listed explicitly in :data:`ALL_RULES`.

Nothing registers itself on import: a :class:`~wikitools.lint.runner.Linter` runs the
rules it is given, and :class:`wikitools.Linter` is given :func:`default_rules`.
"""

from __future__ import annotations

from wikitools.lint.rule import Rule
from wikitools.rules.artifacts import (
    CiteErrorText,
    HeadingEditLink,
    LuaErrorText,
    TemplateRedLinkText,
)
from wikitools.rules.braces import (
    ParameterOutsideTemplate,
    RunawayTemplate,
    StrayLinkClose,
    StrayTableClose,
    StrayTemplateClose,
    UnclosedLink,
    UnclosedTable,
    UnclosedTemplate,
)
from wikitools.rules.comments import UnclosedComment
from wikitools.rules.modules import BrokenModuleChain, MissingModule
from wikitools.rules.refs import (
    ConflictingNamedRef,
    MissingReferencesList,
    StrayRefClose,
    UnclosedRef,
    UndefinedNamedRef,
)
from wikitools.rules.templates import MissingTemplate, TemplateNeedsMissingTemplate

#: Every built-in rule, ordered by code.
ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            LuaErrorText,
            CiteErrorText,
            TemplateRedLinkText,
            HeadingEditLink,
            StrayTemplateClose,
            UnclosedTemplate,
            StrayLinkClose,
            UnclosedLink,
            ParameterOutsideTemplate,
            UnclosedTable,
            StrayTableClose,
            RunawayTemplate,
            UnclosedComment,
            MissingModule,
            BrokenModuleChain,
            UnclosedRef,
            StrayRefClose,
            MissingReferencesList,
            ConflictingNamedRef,
            UndefinedNamedRef,
            MissingTemplate,
            TemplateNeedsMissingTemplate,
        ),
        key=lambda rule: rule.code,
    )
)


def default_rules() -> list[type[Rule]]:
    """The built-in rules, ordered by code (a new list each call)."""
    return list(ALL_RULES)


__all__ = ["ALL_RULES", "default_rules"]
