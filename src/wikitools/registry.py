"""The one registry of every code wikitools reports: the rules', the engine's, the infobox's.

Each layer declares its own codes (rules in :data:`wikitools.rules.ALL_RULES`, the lint
runner's and fix loop's in :data:`wikitools.fixes.engine.ENGINE_CODES`, the infobox
conversion's in :data:`wikitools.infobox.codes.INFOBOX_CODES`); this module, above them
all, puts them together. ``wikitools rules``/``rule``, ``--select``/``--ignore``, the
config's ``select``/``ignore`` and suppression comments all use it.
"""

from __future__ import annotations

from functools import cache

from wikitools.fixes.engine import ENGINE_CODES
from wikitools.infobox.codes import INFOBOX_CODES
from wikitools.lint.codes import CodeRegistry
from wikitools.lint.rule import Rule
from wikitools.rules import ALL_RULES, default_rules


@cache
def code_registry() -> CodeRegistry:
    """Every code: the built-in rules, the engine's codes and the infobox codes."""
    return CodeRegistry([*(rule.info() for rule in ALL_RULES), *ENGINE_CODES, *INFOBOX_CODES])


def rule_for(code: str) -> type[Rule] | None:
    """The built-in rule reporting ``code``, None for an engine or infobox code."""
    return next((rule for rule in ALL_RULES if rule.code == code), None)


__all__ = ["code_registry", "default_rules", "rule_for"]
