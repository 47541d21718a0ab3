"""Recognizing parser functions and magic words, which look like templates but are built in."""

from __future__ import annotations

from wikitools.parsing.magicwords import MagicWords, builtin


def is_builtin(name: str, magic_words: MagicWords | None = None) -> bool:
    """True for parser functions (``#if:``), magic variables (``{{PAGENAME}}``) and ``{{!}}``.

    ``magic_words`` defaults to those of a stock MediaWiki 1.39 with ParserFunctions.
    """
    words = magic_words if magic_words is not None else builtin()
    stripped = words.strip_modifiers(name)
    if not stripped:
        return False
    return words.is_variable(stripped) or words.is_function(stripped)
