"""The bracket family against a real MediaWiki 1.39: what is flagged is what readers see,
and each safe fix that remains removes only the artifact it names.

One test per class of issue 9 ("Intent"): code, ``{{{…}}}`` on a page, extension tags,
tables opened by templates, single brackets on a line. Templates are saved under
test-only names so the shared session wiki stays usable by other tests.
"""

from __future__ import annotations

import difflib
import re

import lxml.html
import pytest

from wikitools import Config, fix_text, lint_text
from wikitools.parsing.regions import code_spans
from wikitools.sandbox import SandboxWiki
from wikitools.site.memory import MemorySite

PREFIX = "Wikitools braces test "


def visible(html: str) -> str:
    """All text a reader sees (references list included), whitespace collapsed."""
    text = lxml.html.fromstring(html).text_content()
    return re.sub(r"\s+", " ", text).strip()


def lost(before: str, after: str) -> str:
    """The characters ``after`` lost against ``before``; fails when anything was added."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    removed = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        assert op == "delete", f"the fix changed {before[i1:i2]!r} into {after[j1:j2]!r}"
        removed.append(before[i1:i2])
    return "".join(removed)


def safe_fix(wiki: SandboxWiki, text: str, site: MemorySite | None = None) -> tuple[str, str, str]:
    """(fixed text, visible text before, visible text after) of the default (safe) fix."""
    config = Config(select=("B1",))
    fixed = fix_text(text, config, site).text
    return fixed, visible(wiki.render(text, "Braces")), visible(wiki.render(fixed, "Braces"))


def test_code_keeps_its_braces_and_the_prose_artifact_goes(sandbox_wiki: SandboxWiki) -> None:
    text = (
        'Lua: <code>local t = {a = {b}}, p = "%[(o[^%]]*)%]"</code> shown.\n'
        " local t = { {1}, x = {2}}},\n"
        " -- }}}\n"
        "\nThe prose}} goes on.\n"
    )
    fixed, before, after = safe_fix(sandbox_wiki, text)
    assert '{a = {b}}, p = "%[(o[^%]]*)%]"' in before and "{2}}}," in before
    assert lost(before, after) == "}}"
    assert "The prose goes on." in after and "{2}}}," in after and "-- }}}" in after
    assert fixed.count("}}") == text.count("}}") - 1


def test_parameter_fix_shows_exactly_what_mediawiki_showed(sandbox_wiki: SandboxWiki) -> None:
    text = (
        "Born {{{birth|18 December 1878|ignored}}} in {{{place|[[Gori|Gori, Georgia]]|x}}}, "
        "{{{empty|}}}aged {{{age|{{{1}}}}}}. Fold marker {{{ and {{{name}}} stay. "
        "{{{cited|seen<ref>b|c</ref><!-- | -->too|gone}}}\n\n<references />\n"
    )
    fixed, before, after = safe_fix(sandbox_wiki, text)
    assert fixed != text and "{{{name}}}" in fixed
    assert after == before
    assert "18 December 1878 in Gori, Georgia" in before and "b|c" in before


def test_bracket_broken_across_a_ref_is_found(sandbox_wiki: SandboxWiki) -> None:
    text = "A {{Wikitools braces test foo|<ref>x}}</ref> b.\n\n<references />\n"
    codes = {d.code for d in lint_text(text, Config(select=("B1",)))}
    assert codes == {"B101", "B102"}
    fixed, before, after = safe_fix(sandbox_wiki, text)
    assert "{{Wikitools braces test foo|" in before  # readers see the unclosed call
    assert "x}}" in before  # and the braces inside the citation
    assert lost(before, after) == "}}"
    assert fixed == "A {{Wikitools braces test foo|<ref>x</ref> b.\n\n<references />\n"


def test_tables_opened_and_closed_by_templates(sandbox_wiki: SandboxWiki) -> None:
    pages = {
        f"Template:{PREFIX}head": (
            '{| style="background:#{{{1|eee}}}"\n|-\n|\n{| border=1\n|-\n! Location'
            "<noinclude>\n|}</noinclude>"
        ),
        f"Template:{PREFIX}row": "\n|-\n| {{{1}}} || {{{2}}}",
        f"Template:{PREFIX}end": "|}\n|}",
    }
    sandbox_wiki.edit_many(pages)
    site = MemorySite(pages)
    closed_on_page = (
        f"{{{{{PREFIX}head|Items}}}}\n{{{{{PREFIX}row|A|400}}}}\n|}}\n|}}\n\n"
        f":{{|\n| indented\n|}}\n"
    )
    assert lint_text(closed_on_page, Config(select=("B1",)), site) == []
    assert lint_text(closed_on_page, Config(select=("B1",))) == []  # judged by name
    html = sandbox_wiki.render(closed_on_page, "Braces")
    assert "|}" not in visible(html) and html.count("<table") == 3

    one_too_many = (
        f"{{{{{PREFIX}head|Items}}}}\n{{{{{PREFIX}row|A|400}}}}\n{{{{{PREFIX}end}}}}\n|}}\nText.\n"
    )
    fixed, before, after = safe_fix(sandbox_wiki, one_too_many, site)
    assert "|}" in before
    assert lost(before, after).strip() == "|}"
    new_html = sandbox_wiki.render(fixed, "Braces")
    assert new_html.count("<table") == sandbox_wiki.render(one_too_many, "Braces").count("<table")


def test_single_brackets_are_no_link_closers(sandbox_wiki: SandboxWiki) -> None:
    text = (
        "See [http://example.org label [y]] and x in [-1; 1]] for now, "
        "but [http://example.org the site]] has one too many.\n"
    )
    found = lint_text(text, Config(select=("B103",)))
    assert [text[d.start : d.end] for d in found] == ["]"]
    _fixed, before, after = safe_fix(sandbox_wiki, text)
    assert "label [y]" in before and "[-1; 1]]" in before
    assert lost(before, after) == "]"
    assert "the site has one" in after


@pytest.mark.parametrize(
    "text",
    [
        "<math>\\frac{{a}}{b}}}</math>",
        "<syntaxhighlight lang=lua>t = {{1}}}</syntaxhighlight>",
        "<nowiki>]] }}</nowiki> <pre>|}\n}}</pre>",
        "{{Wikitools braces test x|<ref>{{Wikitools braces test y|[[a]]}}</ref>}}\n<references/>",
    ],
)
def test_opaque_and_scoped_tags_give_no_finding(text: str, sandbox_wiki: SandboxWiki) -> None:
    assert lint_text(text, Config(select=("B1",))) == []
    assert fix_text(text, Config(select=("B1",), unsafe_fixes=True)).text == text


def test_preformatted_lines_are_the_lines_mediawiki_preformats(sandbox_wiki: SandboxWiki) -> None:
    text = (
        "para\n pre one\n* item\n pre after list\n{|\n| cell\n pre in cell\n | row markup\n"
        "|}\n <div>block</div>\n <span>inline</span> pre\n {|\n| x\n |}\n: indented\n"
        " pre after dd\n \nend\n"
    )
    ours = sorted(text[start:end].strip() for start, end in code_spans(text))
    root = lxml.html.fromstring(sandbox_wiki.render(text, "Braces"))
    theirs = sorted(_inner_html(pre).strip() for pre in root.iter("pre"))
    assert len(theirs) == 5
    assert ours == theirs


def _inner_html(element: lxml.html.HtmlElement) -> str:
    children = "".join(lxml.html.tostring(c, encoding="unicode", with_tail=True) for c in element)
    return (element.text or "") + children
