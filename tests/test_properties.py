"""Property tests: lint and fix never crash, never lose text, and are idempotent."""

from __future__ import annotations

import mwparserfromhell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikitools import Config, fix_text, lint_text
from wikitools.fixes.compose import compose
from wikitools.fixes.model import Edit, apply_edits
from wikitools.parsing.tree import iter_node_spans

PIECES = [
    "{{",
    "}}",
    "{{{",
    "}}}",
    "[[",
    "]]",
    "{|",
    "|}",
    "\n",
    "|",
    "=",
    "==",
    " ",
    "a",
    "Ж",
    "ჯ",
    "<ref>",
    "</ref>",
    "<ref name=x/>",
    "<!--",
    "-->",
    "<nowiki>",
    "</nowiki>",
    "Template:Ka icon",
    "Lua error in x at line 1: boom.",
    "[edit]",
    "\r\n",
    "\x00",
    "\x07",
    "<references/>",
    "text",
    "{{sfn|Service|2004|p=1}}",
    "[[Category:X]]",
    "'''",
    "''",
    "\n== H ==\n",
]
wikitext = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ALL_UNSAFE = Config(unsafe_fixes=True)


def _outside_edits_unchanged(original: str, fixed: str, edits: tuple[Edit, ...]) -> None:
    assert apply_edits(original, edits) == fixed
    cursor = 0
    for edit in edits:
        assert edit.start >= cursor
        cursor = edit.end


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wikitext)
def test_fix_is_confined_idempotent_and_clean(text: str) -> None:
    for config in (Config(), ALL_UNSAFE):
        lint_text(text, config)
        result = fix_text(text, config)
        _outside_edits_unchanged(text, result.text, result.edits)
        if result.problems:
            assert result.text == text
            continue
        again = fix_text(result.text, config)
        assert not again.changed, "second fix changed the text"


@settings(max_examples=300, deadline=None)
@given(wikitext)
def test_node_spans_match_text(text: str) -> None:
    tree = mwparserfromhell.parse(text, skip_style_tags=True)
    if str(tree) != text:
        return
    for node, start, end in iter_node_spans(tree):
        assert text[start:end] == str(node)


@st.composite
def _text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text("abc\n", max_size=15))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    edits: list[Edit] = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if edits and start <= edits[-1].end:
            continue
        edits.append(Edit(start, end, draw(st.text("xy", max_size=3))))
    return text, edits


@settings(max_examples=1000, deadline=None)
@given(_text_and_edits(), st.data())
def test_compose_equals_sequential_application(
    first: tuple[str, list[Edit]], data: st.DataObject
) -> None:
    text, edits = first
    middle = apply_edits(text, edits)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(middle)), max_size=6)))
    second: list[Edit] = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if second and start <= second[-1].end:
            continue
        second.append(Edit(start, end, data.draw(st.text("z", max_size=2))))
    composed = compose(middle, edits, second)
    assert apply_edits(text, composed) == apply_edits(middle, second)


def test_adversarial_inputs_do_not_crash_or_lose_text() -> None:
    cases = [
        "{{a|" * 200 + "x" + "}}" * 200,
        "{{a|" * 200 + "x",
        "[[" * 300 + "}}" * 300 + "{|" * 50,
        "x}}" * 20_000,  # a 60 kB single line of stray closers
        "a" * 2_000_000,
        "".join(chr(c) for c in range(32)) * 100,
        "<ref>" * 500 + "</ref>" * 700,
    ]
    for text in cases:
        diagnostics = lint_text(text)
        result = fix_text(text, ALL_UNSAFE)
        _outside_edits_unchanged(text, result.text, result.edits)
        assert diagnostics is not None
