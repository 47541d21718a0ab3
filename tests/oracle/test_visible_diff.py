"""Unit tests of the oracle's parts on hand-made HTML (no MediaWiki needed)."""

from __future__ import annotations

from wikitools.fixes.model import Edit
from wikitools.verify import RenderOracle, diff_tokens, judge, visible_tokens
from wikitools.verify.diff import RenderDiff
from wikitools.verify.visible import joined, text_tokens


def texts(html: str) -> list[str]:
    return [t.text for t in visible_tokens(html)]


def test_words_and_single_punctuation_marks() -> None:
    assert texts("<p>Hello, world}}.</p>") == ["Hello", ",", "world", "}", "}", "."]


def test_inline_markup_does_not_split_words_but_blocks_do() -> None:
    assert texts("<p>foo<b>bar</b></p><p>baz</p>") == ["foobar", "baz"]
    assert texts("<ul><li>a</li><li>b</li></ul>") == ["a", "b"]
    assert texts("a<br>b") == ["a", "b"]


def test_hidden_things_are_dropped() -> None:
    html = (
        '<div class="mw-parser-output"><style>.x{color:red}</style><script>var a;</script>'
        "<p>shown<!-- NewPP limit report --></p>"
        '<span class="mw-editsection">[edit]</span>'
        '<span style="color: red; display: none">secret</span><span hidden>gone</span>'
        "<p>after</p></div>"
    )
    assert texts(html) == ["shown", "after"]


def test_tail_of_a_hidden_element_stays() -> None:
    assert texts('<p>a<span style="display:none">x</span>b c</p>') == ["ab", "c"]


def test_a_word_is_split_where_code_meets_prose() -> None:
    tokens = visible_tokens("<p>use <code>e</code>Template:X and <b>bold</b>er</p>")
    assert [(t.text, t.in_code) for t in tokens][:4] == [
        ("use", False),
        ("e", True),
        ("Template", False),
        (":", False),
    ]
    assert "bolder" in [t.text for t in tokens]


def test_code_is_flagged() -> None:
    html = (
        "<p>run <code>x}}</code></p><pre>y</pre>"
        '<div class="mw-highlight"><pre><span class="p">]]</span></pre></div>'
        "<p><kbd>k</kbd> <samp>s</samp> <tt>t</tt> prose</p>"
    )
    flags = [(t.text, t.in_code) for t in visible_tokens(html)]
    assert flags == [
        ("run", False),
        ("x", True),
        ("}", True),
        ("}", True),
        ("y", True),
        ("]", True),
        ("]", True),
        ("k", True),
        ("s", True),
        ("t", True),
        ("prose", False),
    ]


def test_errors_red_links_and_reference_numbers() -> None:
    html = (
        '<p><strong class="error">Lua error: x</strong> '
        '<a href="/index.php?title=Template:Ka_icon&amp;action=edit&amp;redlink=1" '
        'class="new" title="Template:Ka icon (page does not exist)">Template:Ka icon</a> '
        '<a href="/index.php?title=Foo&amp;action=edit&amp;redlink=1" class="new">other</a>'
        '<sup class="reference"><a href="#cite_note-1">&#91;12&#93;</a></sup></p>'
        '<ol class="references"><li><span class="mw-cite-backlink">↑</span> '
        '<span class="reference-text">Smith 2001</span></li></ol>'
        '<p><a class="external autonumber" href="http://x.org">[3]</a></p>'
    )
    tokens = visible_tokens(html)
    assert [t.text for t in tokens if t.in_error] == ["Lua", "error", ":", "x"]
    assert {t.red_link for t in tokens if t.text in ("Ka", "icon")} == {"Template:Ka icon"}
    assert next(t for t in tokens if t.text == "other").red_link is None  # text is not the title
    assert [t.text for t in tokens if t.generated] == ["[", "#", "#", "]", "↑", "[", "#", "]"]
    assert joined(t for t in tokens if not t.generated and not t.in_error)[-10:] == "Smith 2001"


def test_table_depth_is_part_of_what_readers_see() -> None:
    outside = visible_tokens("<table><tr><td>cell</td></tr></table><p>after</p>")
    inside = visible_tokens("<table><tr><td>cell<p>after</p></td></tr></table>")
    assert [t.text for t in outside] == [t.text for t in inside]
    diff = diff_tokens(outside, inside)
    assert [s.text for s in diff.lost] == ["after"]
    assert [s.text for s in diff.gained] == ["after"]


def test_diff_of_equal_renders_is_empty() -> None:
    tokens = visible_tokens("<p>Same text, same page.</p>")
    assert diff_tokens(tokens, tokens) == RenderDiff()
    assert diff_tokens(tokens, tokens).unchanged


def test_diff_reports_lost_and_gained_segments() -> None:
    old = visible_tokens("<p>Jughashvili Template:Ka icon was born in Gori.</p>")
    new = visible_tokens("<p>Jughashvili Gori.</p>")
    diff = diff_tokens(old, new)
    assert [s.text for s in diff.lost] == ["Template:Ka icon was born in"]
    assert diff.gained == ()


def test_diff_keeps_separate_deletions_apart() -> None:
    old = visible_tokens("<p>a }} , }} b</p>")
    new = visible_tokens("<p>a , b</p>")
    assert [s.text for s in diff_tokens(old, new).lost] == ["}}", "}}"]


def test_block_level_diff_on_huge_pages_finds_the_same_losses() -> None:
    paragraphs = [f"<p>Paragraph {i} says this and that, again.</p>" for i in range(3000)]
    old_html = "".join(paragraphs)
    changed = list(paragraphs)
    changed[10] = "<p>Paragraph 10 says this and, again.</p>"
    changed[2900] = "<p>Paragraph 2900 says this and that, again. Plus more.</p>"
    old, new = visible_tokens(old_html), visible_tokens("".join(changed))
    fast = diff_tokens(old, new, limit=50)
    assert [s.text for s in fast.lost] == ["that"]
    assert len(fast.gained) == 1
    assert "Plus more" in fast.gained[0].text


def test_judge_accepts_removing_only_the_artifact() -> None:
    old = visible_tokens("<p>Born in Gori}}.</p>")
    new = visible_tokens("<p>Born in Gori.</p>")
    verdict = judge(diff_tokens(old, new), ["}}"])
    assert verdict.accepted, verdict.reason
    assert verdict.lost_text == "}}"


def test_judge_rejects_lost_prose() -> None:
    old = visible_tokens("<p>Jughashvili Template:Ka icon was born in Gori.</p>")
    new = visible_tokens("<p>Jughashvili Gori.</p>")
    verdict = judge(diff_tokens(old, new), ["Template:Ka icon was born in "[:17]])
    assert not verdict.accepted
    assert [s.text for s in verdict.unexplained] == ["was born in"]


def test_judge_rejects_lost_code_even_when_the_edit_removed_it() -> None:
    old = visible_tokens("<pre>local t = {{1}}</pre>")
    new = visible_tokens("<pre>local t = {{1</pre>")
    verdict = judge(diff_tokens(old, new), ["}}"])
    assert not verdict.accepted
    assert verdict.lost_code and "lost code" in verdict.reason


def test_judge_accepts_a_missing_templates_red_link_when_the_call_is_gone() -> None:
    link = (
        '<a href="/index.php?title=Template:Ka_icon&amp;action=edit&amp;redlink=1" '
        'class="new">Template:Ka icon</a>'
    )
    old = visible_tokens(f"<p>Stalin {link} was born.</p>")
    new = visible_tokens("<p>Stalin (in Georgian) was born.</p>")
    assert judge(diff_tokens(old, new), ["{{ka icon}}"]).accepted
    assert not judge(diff_tokens(old, new), ["{{lang}}"]).accepted


def test_judge_accepts_repaired_errors_and_moved_text_but_not_new_errors() -> None:
    error = '<span class="error">Cite error: no references list</span>'
    refs = "<ol><li>First source, a book.</li></ol>"
    old = visible_tokens(f"<p>Text.</p><h2>Links</h2>{refs}{error}")
    new = visible_tokens(f"<p>Text.</p>{refs}<h2>Links</h2>")
    verdict = judge(diff_tokens(old, new), [""])
    assert verdict.accepted, verdict.reason
    assert verdict.moved
    worse = judge(diff_tokens(new, old), [""])
    assert not worse.accepted and worse.new_errors


def test_text_tokens_split_like_visible_tokens() -> None:
    assert text_tokens("Lua error in Module:X.") == ("Lua", "error", "in", "Module", ":", "X", ".")


def test_oracle_caches_renders_by_title_and_text() -> None:
    calls: list[tuple[str, str]] = []

    def renderer(text: str, title: str) -> str:
        calls.append((text, title))
        return f"<p>{text}</p>"

    oracle = RenderOracle(renderer)
    verdict = oracle.judge_fix("P", "a }} b", "a b", [Edit(2, 5, "")])
    assert verdict.accepted, verdict.reason
    assert oracle.judge_fix("P", "a }} b", "a b", [Edit(2, 5, "")]).accepted
    assert oracle.compare("P", "a }} b", "a }} b").unchanged
    assert calls == [("a }} b", "P"), ("a b", "P")]
    assert oracle.renders == 2 and oracle.hits >= 2
    oracle.render("a b", "Other")
    assert oracle.renders == 3


def test_judge_accepts_a_word_glued_to_the_replacement() -> None:
    link = (
        '<a href="/index.php?title=Template:Lang&amp;action=edit&amp;redlink=1" '
        'class="new">Template:Lang</a>'
    )
    old = visible_tokens(f"<p>form (<sup>d</sup>{link}) is</p>")
    new = visible_tokens('<p>form (<sup>d</sup><span lang="hit">x-ap</span>) is</p>')
    assert judge(diff_tokens(old, new), ["{{lang|hit|x-ap}}"]).accepted


def test_judge_rejects_text_pulled_into_a_table() -> None:
    outside = visible_tokens("<table><tr><td>cell</td></tr></table><p>Held items</p>")
    inside = visible_tokens("<table><tr><td>cell<p>Held items</p></td></tr></table>")
    verdict = judge(diff_tokens(outside, inside), ["|}"])
    assert not verdict.accepted
    assert [s.text for s in verdict.unexplained] == ["Held items"]
