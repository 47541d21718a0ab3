"""The pasted-artifact and reference rules judged by the real MediaWiki 1.39 (Cite, Scribunto).

Each test renders with the sandbox wiki: the pasted text is what a reader copies from a
rendered page (markup escaped, as a visual paste does), and a safe fix must lose nothing
readers see but the artifact itself. The reference rules must report exactly what Cite
shows as an error.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from wikitools import Config, fix_text, lint_text
from wikitools.sandbox import SandboxWiki
from wikitools.sandbox.pytest_plugin import MakeWiki
from wikitools.site.memory import MemorySite

_CITE_ERROR_SPAN = re.compile(r'<span class="error mw-ext-cite-error"[^>]*>(.*?)</span>', re.S)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(page_html: str) -> str:
    """The text a reader sees (whitespace runs collapsed)."""
    parser = _Visible()
    parser.feed(page_html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def paste(text: str) -> str:
    """Rendered text pasted back as wikitext, markup characters escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tidy(text: str) -> str:
    return re.sub(r" ([.,;:])", r"\1", re.sub(r"\s+", " ", text)).strip()


def assert_loses_only(wiki: SandboxWiki, before: str, after: str, *artifacts: str) -> None:
    """Rendered, ``after`` shows exactly what ``before`` shows with ``artifacts`` cut out
    (and the space they leave); anything else lost, added or changed fails."""
    seen_before = visible(wiki.render(before, title="Artifact test"))
    seen_after = visible(wiki.render(after, title="Artifact test"))
    expected = seen_before
    for artifact in artifacts:
        assert artifact in expected, artifact
        expected = expected.replace(artifact, " ", 1)
    assert _tidy(seen_after) == _tidy(expected)
    assert seen_after != seen_before


def test_red_link_name_fix_loses_only_the_name(sandbox_wiki: SandboxWiki) -> None:
    source = "Jughashvili {{Lang-zz-wt}}. He was born in Gori {{Zz wt icon}} in 1878."
    rendered = visible(sandbox_wiki.render(source, title="Artifact test"))
    assert rendered == (
        "Jughashvili Template:Lang-zz-wt. He was born in Gori Template:Zz wt icon in 1878."
    )
    pasted = paste(rendered)
    for site in (None, MemorySite({})):
        fixed = fix_text(pasted, Config(select=("A103",)), site).text
        # The one-word name ends at the full stop: removed. "Zz wt icon in 1878" could be
        # any of five names: left for a person, so "in 1878" stays.
        assert "Template:Zz wt icon in 1878." in fixed
        assert_loses_only(sandbox_wiki, pasted, fixed, "Template:Lang-zz-wt")


def test_existing_template_named_on_a_page_is_no_red_link(sandbox_wiki: SandboxWiki) -> None:
    sandbox_wiki.edit("Template:Wt Oak Item", "oak")
    site = MemorySite({"Template:Wt Oak Item": "oak"})
    text = "Items use Template:Wt Oak Item."
    assert "Template:Wt Oak Item" in visible(sandbox_wiki.render(text, title="Artifact test"))
    assert lint_text(text, Config(select=("A103",)), site) == []


def test_script_error_fix_loses_only_the_messages(sandbox_wiki: SandboxWiki) -> None:
    module = "local p = {}\nfunction p.f() error('kaboom') end\nreturn p"
    sandbox_wiki.edit("Module:Wt boom", module)
    source = "He said.{{#invoke:Wt boom|f}} Then he left. It was {{#invoke:Wt none|f}} late."
    rendered = visible(sandbox_wiki.render(source, title="Artifact test"))
    messages = [
        "Lua error in Module:Wt_boom at line 2: kaboom.",
        'Script error: No such module "Wt none".',
    ]
    for message in messages:
        assert message in rendered
    pasted = paste(rendered)
    fixed = fix_text(pasted, Config(select=("A101",))).text
    assert fixed == "He said. Then he left. It was late."
    assert_loses_only(sandbox_wiki, pasted, fixed, *messages)


@pytest.mark.parametrize(
    "broken",
    [
        "A<ref name=wtx/> B.",
        "<ref name=s>a</ref><ref name=s>b</ref>",
        "A<ref group=wtg>x</ref>",
        "A<ref>one B<ref>two</ref>",
        "A<ref></ref>",
        "A<ref name=1>x</ref>",
        '<ref name="a b">x</ref><ref name=a_b/>',
    ],
)
def test_cite_error_fix_loses_only_the_message(sandbox_wiki: SandboxWiki, broken: str) -> None:
    (span,) = _CITE_ERROR_SPAN.findall(sandbox_wiki.render(broken, title="Artifact test"))
    message = visible(span)
    assert message.startswith("Cite error:")
    config = Config(select=("A102",))
    at_line_end = f"He died in 1953.{paste(message)}\nHe was buried in Moscow."
    fixed = fix_text(at_line_end, config).text
    assert fixed == "He died in 1953.\nHe was buried in Moscow."
    assert_loses_only(sandbox_wiki, at_line_end, fixed, message)
    in_prose = f"He died in 1953.{paste(message)} He was buried in Moscow."
    fixed = fix_text(in_prose, config).text
    if "refs named" in message:
        # The name ends the message and may hold spaces: where it ends is a guess.
        assert fixed == in_prose
    else:
        assert fixed == "He died in 1953. He was buried in Moscow."
        assert_loses_only(sandbox_wiki, in_prose, fixed, message)


def test_heading_edit_link_fix_loses_only_the_link_text(sandbox_wiki: SandboxWiki) -> None:
    pasted = "== Early life[edit] ==\nBorn in Gori.\n=== int[] ===\nCode."
    fixed = fix_text(pasted, Config(select=("A104",))).text
    assert fixed == "== Early life ==\nBorn in Gori.\n=== int[] ===\nCode."
    assert_loses_only(sandbox_wiki, pasted, fixed, "[edit]")


def test_default_group_needs_no_list_but_a_named_group_does(sandbox_wiki: SandboxWiki) -> None:
    plain = "Born.<ref>Service 2004.</ref>\n\n[[Category:People]]"
    shown = sandbox_wiki.render(plain, title="Artifact test")
    assert "Service 2004." in visible(shown) and "Cite error" not in shown
    assert [d.code for d in lint_text(plain)] == []

    grouped = "Born.<ref group=note>In Georgia.</ref>\n\n[[Category:People]]"
    assert "Cite error" in sandbox_wiki.render(grouped, title="Artifact test")
    (found,) = lint_text(grouped)
    assert found.code == "R103"
    fixed = fix_text(grouped, unsafe=True).text
    shown = sandbox_wiki.render(fixed, title="Artifact test")
    assert "Cite error" not in shown and "In Georgia." in visible(shown)


def test_site_list_templates_count_as_lists(make_wiki: MakeWiki) -> None:
    wiki = make_wiki()
    pages = {
        "Template:Verwysings": "<div>{{#tag:references||group={{{group|}}}}}</div>",
        "Template:Wt notes": "{{Verwysings|group=n}}",
    }
    for title, body in pages.items():
        wiki.edit(title, body)
    text = "A.<ref group=n>Note.</ref> B.<ref>Source.</ref>\n{{Wt notes}}\n{{Verwysings}}"
    shown = wiki.render(text, title="Artifact test")
    assert "Cite error" not in shown
    assert lint_text(text, site=MemorySite(pages)) == []


def _cite_says(wiki: SandboxWiki, text: str, wording: str) -> bool:
    return wording in wiki.render(text, title="Artifact test")


_NAMED_REF_CASES = [
    "A{{refn|name=fm|group=note|Rare.}}<ref name=fm group=note/>\n{{reflist|group=note}}",
    "A{{efn|name=e|Note.}} B<ref name=e group=lower-alpha/>\n{{notelist}}",
    "A{{efn|name=e|Note.}} B<ref name=e/>\n{{notelist}}<references/>",
    'A{{#tag:ref|Text|name="t"}} B<ref name=t />\n<references/>',
    "A{{Wt infobox|ref=<ref name=ib>Bio.</ref>}} B<ref name=ib/>\n<references/>",
    '<ref name="a b">x</ref><ref name=a_b/>\n<references/>',
    "<ref name=s>Service 2004.</ref><ref name=s>Service  2004.</ref>\n<references/>",
    "<ref name=s>Service 2004.</ref><ref name=s>Service 2004.</ref><ref name=s/>\n<references/>",
    "<ref name=s>Service 2004.</ref><ref name=s group=g>Other.</ref>\n<references/>"
    "<references group=g/>",
]


def test_named_ref_rules_agree_with_cite(make_wiki: MakeWiki) -> None:
    wiki = make_wiki()
    wiki.edit("Template:Refn", "{{#tag:ref|{{{1|}}}|name={{{name|}}}|group={{{group|}}}}}")
    wiki.edit(
        "Template:Efn", "{{#tag:ref|{{{1|}}}|name={{{name|}}}|group={{{group|lower-alpha}}}}}"
    )
    wiki.edit("Template:Reflist", "<references group={{{group|}}} />")
    wiki.edit("Template:Notelist", "<references group=lower-alpha />")
    wiki.edit("Template:Wt infobox", "<div>{{{ref|}}}</div>")
    for text in _NAMED_REF_CASES:
        undefined = _cite_says(wiki, text, "no text was provided for refs named")
        conflict = _cite_says(wiki, text, "defined multiple times with different content")
        codes = {d.code for d in lint_text(text, Config(select=("R104", "R105")))}
        assert ("R105" in codes) == undefined, text
        assert ("R104" in codes) == conflict, text


def test_converted_notes_keep_their_group_quoting(sandbox_wiki: SandboxWiki) -> None:
    site = MemorySite(
        {
            "Template:Efn": "{{#invoke:Footnotes|efn}}",
            "Module:Footnotes": "local x = require('Module:Gone')\nreturn {}",
        }
    )
    text = (
        "A.{{efn|group='note'|One.}} B.{{efn|group=\"note\"|Two.}} C.{{efn|group=note|Three.}}"
        "\n== References ==\n<references />\n"
    )
    fixed = fix_text(text, site=site).text
    assert "<ref group='note'>One.</ref>" in fixed
    assert '<ref group="note">Two.</ref>' in fixed
    assert "<ref group=note>Three.</ref>" in fixed
    shown = sandbox_wiki.render(fixed, title="Artifact test")
    assert "Cite error" not in shown
    assert all(note in visible(shown) for note in ("One.", "Two.", "Three.", "note 3"))


def test_unclosed_ref_closer_goes_where_the_citation_ends(sandbox_wiki: SandboxWiki) -> None:
    sandbox_wiki.edit("Template:Wt cite", "''{{{1}}}''")
    text = "Gori.<ref>{{Wt cite|Service 2004}} He studied in Tiflis.\nHe left.<ref>Kotkin.</ref>"
    before = sandbox_wiki.render(text, title="Artifact test")
    assert "Closing <code>&lt;/ref&gt;</code> missing" in before
    assert "He studied in Tiflis." not in visible(before)  # hidden in the broken citation
    assert [d.code for d in lint_text(text)] == ["R101"]
    fixed = fix_text(text, unsafe=True).text
    after = sandbox_wiki.render(fixed, title="Artifact test")
    assert "Cite error" not in after
    prose = visible(after.split('<div class="mw-references-wrap">')[0])
    assert "He studied in Tiflis." in prose and "He left." in prose
    assert "Service 2004" not in prose and "Service 2004" in visible(after)


def test_unclosed_ref_with_unknown_end_gets_no_applied_fix(sandbox_wiki: SandboxWiki) -> None:
    text = "Gori.<ref>Service 2004, p. 5. He studied in Tiflis.\nHe left.<ref>Kotkin.</ref>"
    shown = sandbox_wiki.render(text, title="Artifact test")
    assert "Closing <code>&lt;/ref&gt;</code> missing" in shown
    (found,) = lint_text(text)
    assert found.code == "R101" and found.fix is not None
    assert found.fix.applicability.value == "display-only"
    assert fix_text(text, unsafe=True).text == text


def test_stray_ref_close_is_only_what_mediawiki_shows_as_text(sandbox_wiki: SandboxWiki) -> None:
    config = Config(select=("R102",))
    stray = "Born in Gori.</ref> He studied.\n<references/>"
    fixed = fix_text(stray, config).text
    assert_loses_only(sandbox_wiki, stray, fixed, "</ref>")
    nested = "A<ref>one<ref>two</ref></ref> D."
    fixed = fix_text(nested, config).text
    assert fixed == "A<ref>one<ref>two</ref> D."
    before = visible(sandbox_wiki.render(nested, title="Artifact test"))
    after = visible(sandbox_wiki.render(fixed, title="Artifact test"))
    assert before.endswith("tag</ref> D.") and after == before.replace("tag</ref> D.", "tag D.")
    # Here MediaWiki closes <ref name=a> with that </ref>: it shows no "</ref>" text.
    held = "A<ref name=b>B.</ref> C<ref name=a>x<ref name=b/></ref> D.\n<references/>"
    assert "tag</span> D." in sandbox_wiki.render(held, title="Artifact test")
    assert [d.code for d in lint_text(held, Config(select=("R102",)))] == []
