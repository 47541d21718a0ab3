"""Choosing rules by code, code prefix or name (see :meth:`CodeInfo.matches`)."""

from __future__ import annotations

from collections.abc import Sequence

from wikitools.lint.codes import CodeInfo, CodeRegistry
from wikitools.lint.rule import Rule


def is_selected(info: CodeInfo, select: Sequence[str], ignore: Sequence[str] = ()) -> bool:
    """True when a selector of ``select`` picks the code and none of ``ignore`` does."""
    return any(info.matches(s) for s in select) and not any(info.matches(s) for s in ignore)


def select_rules(
    rules: Sequence[type[Rule]],
    select: Sequence[str],
    ignore: Sequence[str] = (),
    codes: CodeRegistry | None = None,
) -> list[type[Rule]]:
    """The rules matching any of ``select`` and none of ``ignore``.

    A selector is ``ALL``, a code (``B101``), a prefix (``B``, ``B1``) or a name. Each must
    match a code of ``codes`` (default: the rules' own codes), else ConfigError.
    """
    registry = codes if codes is not None else CodeRegistry(rule.info() for rule in rules)
    registry.check_selectors([*select, *ignore])
    return [rule for rule in rules if is_selected(rule.info(), select, ignore)]
