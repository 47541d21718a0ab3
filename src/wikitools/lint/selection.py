"""Choosing rules by code, code prefix or name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wikitools.errors import ConfigError
from wikitools.lint.rule import Rule


def _matches(rule: type[Rule], selector: str) -> bool:
    if selector == "ALL":
        return True
    if selector.lower() == rule.name:
        return True
    codes = (rule.code, *rule.aliases)
    return any(code.startswith(selector.upper()) for code in codes)


def check_selectors(rules: Sequence[type[Rule]], selectors: Iterable[str]) -> None:
    """Raise ConfigError for a selector that matches no rule."""
    for selector in selectors:
        if not any(_matches(rule, selector) for rule in rules):
            raise ConfigError(
                f"unknown rule selector '{selector}'; run 'wikitools rules' to list the rules"
            )


def select_rules(
    rules: Sequence[type[Rule]], select: Sequence[str], ignore: Sequence[str] = ()
) -> list[type[Rule]]:
    """The rules matching any of ``select`` and none of ``ignore``.

    A selector is ``ALL``, a code (``B101``), a prefix (``B``, ``B1``) or a name.
    """
    check_selectors(rules, [*select, *ignore])
    return [
        rule
        for rule in rules
        if any(_matches(rule, s) for s in select) and not any(_matches(rule, s) for s in ignore)
    ]


def find_rule(rules: Sequence[type[Rule]], key: str) -> type[Rule]:
    """The one rule with this code, old code or name; ConfigError if there is none."""
    for rule in rules:
        if key.upper() in (rule.code, *rule.aliases) or key.lower() == rule.name:
            return rule
    raise ConfigError(f"no rule '{key}'; run 'wikitools rules' to list the rules")
