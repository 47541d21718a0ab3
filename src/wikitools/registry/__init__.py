"""The one registry of every code wikitools reports: the rules', the engine's, the infobox's.

The rules and the engine declare their own codes (:data:`wikitools.rules.ALL_RULES`, and
:data:`wikitools.lint.fixloop.ENGINE_CODES` for the lint runner's and fix loop's); this
package, above them, puts them together with the infobox conversion's codes. Those are
declared here (:mod:`wikitools.registry.infobox_codes`) rather than in ``infobox/``: the
registry sits below ``infobox`` in the layers (``api`` validates selectors with it), and
``infobox`` imports its codes from here. ``wikitools rules``/``rule``,
``--select``/``--ignore``, the config's ``select``/``ignore`` and suppression comments all
use it.
"""

from __future__ import annotations

from functools import cache

from wikitools.lint.codes import CodeRegistry
from wikitools.lint.fixloop import ENGINE_CODES
from wikitools.lint.rule import Rule
from wikitools.registry.infobox_codes import INFOBOX_CODES
from wikitools.rules import ALL_RULES, default_rules


@cache
def code_registry() -> CodeRegistry:
    """Every code: the built-in rules, the engine's codes and the infobox codes."""
    return CodeRegistry([*(rule.info() for rule in ALL_RULES), *ENGINE_CODES, *INFOBOX_CODES])


def rule_for(code: str) -> type[Rule] | None:
    """The built-in rule reporting ``code``, None for an engine or infobox code."""
    return next((rule for rule in ALL_RULES if rule.code == code), None)


__all__ = ["code_registry", "default_rules", "rule_for"]
