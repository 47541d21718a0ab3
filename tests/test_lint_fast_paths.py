"""The lint hot path's fast scans give exactly what the plain definitions they replace give.

Each fast path (a regex reshaped so the engine can skip ahead, a literal test before a
case-insensitive search, a parse skipped when a call cannot hold the argument) is checked
against the straightforward formulation on generated text built from the characters and
words that matter to it. The corpus-wide check is ``benchmarks/lint_golden.py``.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wikitools.parsing.brackets import _BRACKETS, _tokens
from wikitools.parsing.params import template_params
from wikitools.rules.artifacts import _HEADING_EDIT, _heading_edit_links
from wikitools.rules.braces import _has_inclusion_tag, parse_call
from wikitools.rules.messages import (
    _CITE,
    _CITE_ANY,
    _LUA,
    _SCRIPT,
    _SCRIPT_ANY,
    _iter,
    iter_cite_errors,
    iter_script_errors,
)
from wikitools.rules.redlinks import _iter_prefixes
from wikitools.rules.reflists import _GROUP_PARAM
from wikitools.rules.refs import _NAME_PARAM


def texts(*atoms: str, max_size: int = 30) -> st.SearchStrategy[str]:
    """Concatenations of ``atoms`` and a few arbitrary characters."""
    piece = st.one_of(st.sampled_from(atoms), st.characters(), st.just("\n"))
    return st.lists(piece, max_size=max_size).map("".join)


_TABLE_TEXT = texts("{{", "}}", "{", "}", "[[", "]]", "{|", "|}", "|", "\n", " ", "\t", ":", "x")

# The two passes the one-pass tokenizer replaces: bracket runs, and table markup at line
# starts (first line included), merged by the position of the markup itself.
_TABLES_PLAIN = re.compile(r"(?:^|\n)[ \t]*:*[ \t]*(?P<ot>\{\|)|(?:^|\n)[ \t]*(?P<ct>\|\})")


def _plain_tokens(text: str) -> list[tuple[str | None, int, int]]:
    found = [(None, m.start(), m.end()) for m in _BRACKETS.finditer(text)]
    if "{|" in text or "|}" in text:
        for m in _TABLES_PLAIN.finditer(text):
            group = m.lastgroup
            found.append((group, m.start(group), m.start()))
    return sorted(found, key=lambda token: token[1])


def _fast_tokens(text: str) -> list[tuple[str | None, int, int]]:
    found = []
    for m in _tokens(text):
        group = m.lastgroup
        found.append((group, m.start(group), m.start()) if group else (None, m.start(), m.end()))
    return found


@settings(max_examples=400)
@given(_TABLE_TEXT)
def test_one_pass_tokens_equal_the_two_merged_passes(text: str) -> None:
    assert _fast_tokens(text) == _plain_tokens(text)


def _prefix_lookbehind(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"(?<![\[\w:{{|/=#])(?:{alternatives}):(?=[^\W_])")


@settings(max_examples=400)
@given(
    texts("Template:", "Tem", "T:", "Vorlage:", "[", ":", "_", "a", "é", " ", "{", "="),
    st.sampled_from([("Template",), ("Vorlage", "Template"), ("Template", "Tem", "T")]),
)
def test_prefix_scan_equals_the_lookbehind_regex(text: str, prefixes: tuple[str, ...]) -> None:
    expected = [m.span() for m in _prefix_lookbehind(prefixes).finditer(text)]
    assert [m.span() for m in _iter_prefixes(text, prefixes)] == expected


@settings(max_examples=400)
@given(texts("=", "==", " ", "\t", "[edit]", "[]", "[Edit source]", "\n", "\r\n", "x", "["))
def test_heading_lines_equal_finditer(text: str) -> None:
    expected = [(m.span(), m.groups()) for m in _HEADING_EDIT.finditer(text)]
    assert [(m.span(), m.groups()) for m in _heading_edit_links(text)] == expected


_MESSAGE_TEXT = texts(
    "Cite error:",
    "CİTE ERROR :",
    "cıte Error:",
    "Cite error: Closing </ref> missing for <ref> tag",
    "Lua error in Module:X at line 5: y.",
    'Script error: No such module "x".',
    "error",
    "Lua error",
    " ",
    ".",
    "\n",
    max_size=12,
)


@settings(max_examples=400)
@given(_MESSAGE_TEXT)
def test_message_prechecks_change_nothing(text: str) -> None:
    assert list(iter_cite_errors(text)) == list(_iter(text, _CITE_ANY, (_CITE,)))
    assert list(iter_script_errors(text)) == list(_iter(text, _SCRIPT_ANY, (_SCRIPT, _LUA)))


@settings(max_examples=400)
@given(texts("<", "include", "INCLUDE", "only", "Only", "İ", "ı", "K", "<onlyİnclude", "x"))
def test_inclusion_tag_test_equals_str_lower(text: str) -> None:
    lowered = text.lower()
    expected = "<includeonly" in lowered or "<onlyinclude" in lowered
    assert _has_inclusion_tag(text) == expected


@settings(max_examples=300)
@given(texts("{{x", "}}", "|", "name", "group", "=", " ", "\n", "<!--", "-->", "[[", "]]"))
def test_calls_with_a_name_or_group_parameter_are_parsed(text: str) -> None:
    call = "{{" + text + "}}"
    node = parse_call(call)
    if node is None:
        return
    params = template_params(node)
    if "name" in params:
        assert _NAME_PARAM.search(call)
    if "group" in params:
        assert _GROUP_PARAM.search(call)
