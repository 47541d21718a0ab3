"""The fix loop's guarantees: rollback on non-convergence, unparseable pages left alone."""

from __future__ import annotations

from wikitools import Config, Diagnostic, Fix, fix_text
from wikitools.fixes.model import Applicability, Edit
from wikitools.lint.fixloop import MAX_PASSES, fix_loop


def _flip(text: str) -> list[Diagnostic]:
    """A buggy 'rule' that always wants to toggle the first character."""
    replacement = "b" if text.startswith("a") else "a"
    fix = Fix.of("toggle", [Edit(0, 1, replacement)])
    return [Diagnostic("X001", "toggle", "toggle", 0, 1, fix)]


def _grow(text: str) -> list[Diagnostic]:
    """A buggy 'rule' that always appends one more character."""
    fix = Fix.of("grow", [Edit.insert(len(text), "x")])
    return [Diagnostic("X002", "grow", "grow", 0, 0, fix)]


def test_oscillating_fixes_roll_back() -> None:
    result = fix_loop("a text", _flip, Config())
    assert result.text == "a text"
    assert not result.changed
    assert [p.code for p in result.problems] == ["W002"]


def test_endless_fixes_roll_back_after_limit() -> None:
    result = fix_loop("a", _grow, Config())
    assert result.text == "a"
    assert "passes" in result.problems[0].message
    assert str(MAX_PASSES) in result.problems[0].message


def test_unsafe_fix_needs_opt_in_and_config_can_promote() -> None:
    text = "{{Infobox\n| name = Hallo\n\nNext"
    assert not fix_text(text).changed
    assert fix_text(text, unsafe=True).text == "{{Infobox\n| name = Hallo\n}}\nNext"
    promoted = Config(extend_safe_fixes=("B102",))
    assert fix_text(text, promoted).changed
    demoted = Config(extend_unsafe_fixes=("B101",))
    assert not fix_text("a}}b", demoted).changed


def test_display_only_fix_is_never_applied() -> None:
    text = "[[Gori is a town"
    result = fix_text(text, unsafe=True)
    assert not result.changed
    assert result.remaining[0].fix is not None
    assert result.remaining[0].fix.applicability is Applicability.DISPLAY_ONLY


def test_multi_pass_edits_are_against_the_original() -> None:
    # Pass 1 closes the link inside the template; the edits compose into one set.
    text = "x}} {{cite|title=[[A}} y}}"
    result = fix_text(text, unsafe=True)
    assert result.changed
    from wikitools.fixes.model import apply_edits

    assert apply_edits(text, result.edits) == result.text
    assert not fix_text(result.text, unsafe=True).changed


def test_lua_module_pages_are_not_linted() -> None:
    assert fix_text("return {}}}", title="Module:Foo").text == "return {}}}"


def test_suppression_comments() -> None:
    from wikitools import lint_text

    text = "a}} <!-- wikitools-ignore: B101 -->\nb}}\nc]] <!-- wikitools-ignore -->"
    assert [d.start for d in lint_text(text)] == [text.index("b}}") + 1]
    page_wide = "<!-- wikitools-ignore-page: stray-template-close -->\nx}}"
    assert lint_text(page_wide) == []
    assert not fix_text(page_wide).changed


def test_crlf_line_endings_are_kept_and_positions_count_lines() -> None:
    from wikitools import lint_text

    text = "a\r\nb}}\r\nc\r\n"
    (found,) = lint_text(text)
    assert text[found.start : found.end] == "}}"
    from wikitools.parsing.lines import LineIndex

    assert LineIndex(text).position(found.start) == (2, 2)
    assert fix_text(text).text == "a\r\nb\r\nc\r\n"


def test_fixes_in_a_crlf_file_write_crlf_line_breaks() -> None:
    # R103 (selected by its code: off by default) inserts a references section before the
    # categories; B108 closes the runaway call on its own line. Both must use the file's
    # \r\n, and the categories stay last.
    text = "{{Infobox\r\n| a = b\r\n\r\nProse}} here.<ref>a</ref>\r\n\r\n[[Category:X]]\r\n"
    fixed = fix_text(text, Config(select=("ALL", "R103")), unsafe=True).text
    assert fixed == (
        "{{Infobox\r\n| a = b\r\n}}\r\n\r\nProse here.<ref>a</ref>\r\n\r\n"
        "== References ==\r\n<references />\r\n\r\n[[Category:X]]\r\n"
    )


def test_fixes_in_a_file_with_mixed_line_breaks_write_bare_newlines() -> None:
    fixed = fix_text("Text.<ref>a</ref>\r\nmore\n", Config(select=("R103",)), unsafe=True).text
    assert fixed == "Text.<ref>a</ref>\r\nmore\n\n== References ==\n<references />\n"


def test_diagnostics_sharing_one_fix_all_count_as_applied() -> None:
    shared = Fix.of("shared", [Edit(0, 1, "x")])
    text = "abc"

    def lint(current: str) -> list[Diagnostic]:
        if current.startswith("x"):
            return []
        return [
            Diagnostic("X003", "one", "one", 0, 1, shared),
            Diagnostic("X004", "two", "two", 2, 3, shared),
        ]

    result = fix_loop(text, lint, Config())
    assert result.text == "xbc"
    assert sorted(d.code for d in result.applied) == ["X003", "X004"]


def test_rollback_reports_the_findings_of_the_original_text() -> None:
    result = fix_loop("a", _grow, Config())
    assert [(d.start, d.end) for d in result.remaining] == [(0, 0)]
    assert result.remaining[0].fix is not None
    assert result.remaining[0].fix.edits[0].start == len("a")
