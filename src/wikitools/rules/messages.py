"""The error messages MediaWiki prints into pages, as a reader copies them.

Scribunto (``Lua error in Module:X at line 5: …``, ``Script error: No such module "X".``)
and Cite (``Cite error: Invalid <ref> tag; …``) write their messages into the rendered
page. When a rendered page is pasted back into wikitext, the message becomes text. Where
a message ends decides what a fix may remove, so the messages are matched by their real
wording (MediaWiki 1.39's English messages, plus the older Cite wording and English
Wikipedia's "(see the help page)" suffix). A message of unknown wording is still found,
but its end is only a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_REF = r"(?:<|&lt;)ref(?:>|&gt;)"
_CLOSE_REF = r"(?:<|&lt;)/ref(?:>|&gt;)"
_REFS = r"(?:<|&lt;)references(?:>|&gt;)"
_REFS_TAG = r"(?:<|&lt;)references(?: group=\"[^\"\n]*\")?\s*/(?:>|&gt;)"
_QUOTED = r"\"[^\"\n]{0,200}\""
_NAME = r"[^\s<>\"]{1,200}(?=[ \t]*(?:\r?\n|$|[.,;)(]))"

_CITE_MESSAGES = (
    rf"Invalid {_REF} tag; name cannot be a simple integer\. Use a descriptive title",
    rf"The opening {_REF} tag is malformed or has a bad name",
    rf"Invalid {_REF} tag; invalid names, e\.g\. too many",
    rf"Invalid {_REF} tag; refs with no name must have content",
    rf"Invalid {_REF} tag; refs with no content must have a name",
    rf"Invalid {_REF} tag; name {_QUOTED} defined multiple times with different content",
    rf"Invalid parameter in {_REFS} tag",
    rf"Invalid {_REF} tag; no text was provided for refs named {_NAME}",
    rf"Closing {_CLOSE_REF} missing for {_REF} tag",
    rf"Closing tag missing for {_REFS}",
    rf"{_REF} tags exist for a group named {_QUOTED}, but no corresponding {_REFS_TAG} tag "
    r"was found",
    rf"{_REF} tag in {_REFS} has conflicting group attribute {_QUOTED}",
    rf"{_REF} tag with name {_QUOTED} defined in {_REFS} has group attribute {_QUOTED} which "
    r"does not appear in prior text",
    rf"{_REF} tag with name {_QUOTED} defined in {_REFS} is not used in prior text",
    rf"{_REF} tag defined in {_REFS} has no name attribute",
    rf"{_REF} tag with name {_QUOTED} defined in {_REFS} group {_QUOTED} has no content",
    rf"{_REF} tags exist, but no {_REFS_TAG} tag was found",
    r"The named reference [^\n]{1,200}? was invoked but never defined",
    rf"There are {_REF} tags on this page, but the references will not show without a "
    rf"\{{\{{[Rr]eflist\}}\}} template or a {_REFS_TAG} tag",
    r"Ran out of custom (?:backlink labels|link labels for group \"[^\"\n]*\")\. Define more "
    r"in the \[?\[?MediaWiki:[^\]\n]{1,120}\]?\]? message",
)
_HELP_SUFFIX = r"(?:[ \t]*\(see the help page\))?\.?"
_CITE = re.compile(
    r"Cite error\s*:[ \t]*(?:" + "|".join(_CITE_MESSAGES) + ")" + _HELP_SUFFIX,
    re.IGNORECASE,
)
_CITE_ANY = re.compile(r"Cite error\s*:", re.IGNORECASE)

_SCRIPT_MESSAGES = (
    r"You must specify a function to call\.",
    rf"The function {_QUOTED} does not exist\.",
    rf"No such module {_QUOTED}\.",
    rf"{_QUOTED} is not a function\.",
    r"The module returned a [a-z]{1,20} value\. It is supposed to return an export table\.",
)
_SCRIPT = re.compile(r"Script error\s*:[ \t]*(?:" + "|".join(_SCRIPT_MESSAGES) + ")")
# "Lua error in Module:X at line 5: message." — the message ends at its full stop; quoted
# names ('Module:Foo/bar.baz') and dots inside words (mw.text.split) do not end it.
_LUA = re.compile(
    r"Lua error(?: in [^\n:]{1,120}?)?(?: at line \d+)?:[ \t]*"
    r"(?:'[^'\n]*'|\"[^\"\n]*\"|\.(?=\S)|[^.\n'\"])+?\.(?=\s|$)"
)
_SCRIPT_ANY = re.compile(r"(?:Lua error(?: in [^\n:]{1,120}?)?(?: at line \d+)?|Script error)\s*:")
_GUESS_TAIL = re.compile(r"(?:'[^'\n]*'|\"[^\"\n]*\"|\.(?=\S)|[^.\n'\"])*?(?:\.(?=\s|$)|(?=\n)|$)")


@dataclass(frozen=True, slots=True)
class Message:
    """One pasted message: its span, and whether its end is known (a known wording)."""

    start: int
    end: int
    certain: bool


def _iter(
    text: str, anchor: re.Pattern[str], exact: tuple[re.Pattern[str], ...]
) -> Iterator[Message]:
    pos = 0
    while True:
        found = anchor.search(text, pos)
        if found is None:
            return
        start = found.start()
        for pattern in exact:
            match = pattern.match(text, start)
            if match is not None:
                yield Message(start, match.end(), True)
                pos = match.end()
                break
        else:
            tail = _GUESS_TAIL.match(text, found.end())
            end = tail.end() if tail is not None else found.end()
            yield Message(start, end, False)
            pos = max(end, found.end())


def iter_script_errors(text: str) -> Iterator[Message]:
    """Scribunto messages (``Lua error …: ….``, ``Script error: ….``) in ``text``."""
    if "Lua error" not in text and "Script error" not in text:  # fast scans rule most out
        return iter(())
    return _iter(text, _SCRIPT_ANY, (_SCRIPT, _LUA))


def iter_cite_errors(text: str) -> Iterator[Message]:
    """Cite messages (``Cite error: …``) in ``text``."""
    if not _may_hold_cite_error(text):
        return iter(())
    return _iter(text, _CITE_ANY, (_CITE,))


def _may_hold_cite_error(text: str) -> bool:
    """False when ``text`` cannot hold ``Cite error`` in any letter case (a fast test).

    Under ``re.IGNORECASE`` the letters of ``te error`` match only their ASCII upper and
    lower case (of "Cite", "i" also matches "İ" and "ı", so it is left out), and
    ``bytes.lower`` folds exactly the ASCII letters, several times faster than a
    case-insensitive regex search.
    """
    return b"te error" in text.encode("utf-8", "surrogatepass").lower()
