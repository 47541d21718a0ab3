"""The bracket scan's structure API: extension-tag spans, code spans and template effects."""

from __future__ import annotations

from wikitools.parsing.brackets import TABLE, TEMPLATE, scan_page
from wikitools.parsing.effects import NONE, UNKNOWN, TemplateEffects, call_name, effects_for
from wikitools.parsing.regions import code_spans, extension_tags
from wikitools.site.inventory import InventorySite
from wikitools.site.memory import MemorySite


def test_extension_tag_spans() -> None:
    text = (
        "a<ref name=x>b<nowiki>}}</nowiki></ref> <!-- <ref>c</ref> --><references/>"
        " <amsmath>{</amsmath> <ref>open"
    )
    spans = extension_tags(text)
    assert [(s.tag, s.parsed) for s in spans] == [
        ("ref", True),
        ("nowiki", False),
        ("references", True),
        ("amsmath", False),
    ]
    ref = spans[0]
    assert text[ref.open_start : ref.content_start] == "<ref name=x>"
    assert text[ref.content_start : ref.content_end] == "b<nowiki>}}</nowiki>"
    assert text[ref.content_end : ref.close_end] == "</ref>"
    self_closing = spans[2]
    assert self_closing.content_start == self_closing.content_end == self_closing.close_end


def test_html_tags_are_no_extension_tags() -> None:
    assert extension_tags("<span>{{</span> <div>x</div> <code>}}</code>") == []


def test_code_spans_follow_mediawiki_pre_rules() -> None:
    text = "a\n code line\n| cell\n | not pre (table markup)\n <div>block</div>\n \n }}\nz"
    spans = [text[s:e] for s, e in code_spans(text)]
    assert spans == [" code line"]


def test_scan_exposes_tags_and_sets_code_aside() -> None:
    scan = scan_page("<code>}}</code> x}} <ref>{{a</ref>")
    assert [s.tag for s in scan.tags] == ["ref"]
    assert [(a.kind, a.start) for a in scan.authored] == [(TEMPLATE, 6)]
    assert [s.start for s in scan.stray] == [17]
    assert [u.start for u in scan.unclosed] == [25]
    scope = scan.scope_of(25)
    assert scope is not None and scope.tag == "ref" and scan.scope_of(17) is None


def test_call_names() -> None:
    assert call_name(" subst:Table start\u200e ") == "Table start"
    assert call_name("Template:Loot/head") == "Template:Loot/head"
    assert call_name("#if:x") is None and call_name("lc:X") is None
    assert call_name("{{{1}}}") is None


def test_name_effects_are_conservative() -> None:
    effects = TemplateEffects()
    assert effects.table_effect("ItemPrice/head") == UNKNOWN
    assert effects.table_effect("Col-begin") == UNKNOWN
    assert effects.table_effect("Table end").closes == 1
    assert effects.table_effect("Infobox person") == NONE
    assert effects.is_code("code") and effects.is_code("Code-yaml") and not effects.is_code("Cite")


def test_site_effects_read_template_bodies() -> None:
    site = MemorySite(
        {
            "Template:Head": "{|\n|-\n{|<noinclude>\n|}</noinclude>",
            "Template:Nested head": "{{Head}}",
            "Template:Foot": "|}\n|}",
            "Template:Mono box": '<code style="x">{{{1}}}</code>',
            "Template:Mono span": '<span style="font-family: monospace;">{{{1}}}</span>',
        }
    )
    effects = effects_for(site)
    assert effects is effects_for(site)
    assert effects.table_effect("Head").opens == 2
    assert effects.table_effect("Nested head").opens == 2
    assert effects.table_effect("Foot").closes == 2
    assert effects.table_effect("Missing start") == NONE  # a red link opens nothing
    assert effects.is_code("Mono box") and effects.is_code("Mono span")
    assert not effects.is_code("Head")
    scan = scan_page("{{Head}}\n|}\n{{Foot}}\n|}", effects)
    assert [(s.kind, s.start) for s in scan.stray] == [(TABLE, 21)]


def test_inventory_site_falls_back_to_names() -> None:
    site = InventorySite.from_text("Template:Table start\n")
    assert effects_for(site).table_effect("Table start") == UNKNOWN
