"""Parser functions, variables and modifiers are told apart from templates as MW does."""

import mwparserfromhell
import pytest

from wikitools.parsing.calls import CallKind, classify_call
from wikitools.parsing.magicwords import MagicWords, builtin


def classify(wikitext: str):
    node = mwparserfromhell.parse(wikitext).filter_templates()[0]
    return classify_call(node.name, bool(node.params), page_title="Joseph Stalin")


@pytest.mark.parametrize(
    "wikitext",
    [
        "{{#if:x|y}}",
        "{{#IF:x|y}}",
        "{{ #if: x }}",
        "{{#ifeq:a|b|c}}",
        "{{#switch:a|b=c}}",
        "{{#expr:1+1}}",
        "{{#time:Y}}",
        "{{#tag:ref|x}}",
        "{{#language:ka}}",
        "{{#invoke:}}",
        "{{DEFAULTSORT:Stalin, Joseph}}",
        "{{DEFAULTSORTKEY:x}}",
        "{{formatnum:1234}}",
        "{{FORMATNUM:1234}}",
        "{{int:edit}}",
        "{{lc:ABC}}",
        "{{urlencode:a b}}",
        "{{PAGENAME:Foo}}",
        "{{DISPLAYTITLE:x}}",
        "{{safesubst:#if:1|2}}",
        "{{subst:#if:1|2}}",
        "{{plural:2|a|b}}",
    ],
)
def test_parser_functions_are_not_templates(wikitext: str) -> None:
    assert classify(wikitext).kind is CallKind.FUNCTION


@pytest.mark.parametrize(
    "wikitext", ["{{PAGENAME}}", "{{!}}", "{{=}}", "{{CURRENTYEAR}}", "{{SITENAME}}", "{{pageid}}"]
)
def test_variables_are_not_templates(wikitext: str) -> None:
    assert classify(wikitext).kind is CallKind.VARIABLE


@pytest.mark.parametrize(
    ("wikitext", "title"),
    [
        ("{{Ka icon}}", "Template:Ka icon"),
        ("{{ka_icon}}", "Template:Ka icon"),
        ("{{Template:Sfn|x}}", "Template:Sfn"),
        ("{{subst:Foo}}", "Template:Foo"),
        ("{{safesubst:Foo}}", "Template:Foo"),
        ("{{msgnw:Foo}}", "Template:Foo"),
        ("{{:Main Page}}", "Main Page"),
        ("{{Module:X}}", "Module:X"),
        ("{{/Sub}}", "Joseph Stalin/Sub"),
        # case-sensitive magic words in the wrong case are templates
        ("{{pagename}}", "Template:Pagename"),
        ("{{defaultsort:x}}", "Template:Defaultsort:x"),
        # a variable with arguments is a template call
        ("{{PAGENAME|x}}", "Template:PAGENAME"),
        ("{{Ka icon<!-- comment -->}}", "Template:Ka icon"),
    ],
)
def test_templates(wikitext: str, title: str) -> None:
    call = classify(wikitext)
    assert call.kind is CallKind.TEMPLATE
    assert call.title == title


def test_invoke_names_the_module() -> None:
    call = classify("{{#invoke:footnotes|sfn}}")
    assert call.kind is CallKind.INVOKE
    assert call.title == "Module:Footnotes"
    assert classify("{{#invoke:Module:Footnotes|sfn}}").title == "Module:Footnotes"


def test_dynamic_and_invalid_names() -> None:
    assert classify("{{ {{{1}}} }}").kind is CallKind.DYNAMIC
    assert classify("{{#nosuchfunction:x}}").kind is CallKind.INVALID
    assert classify_call("Foo[bar]", False).kind is CallKind.INVALID


def test_builtin_table_is_complete_for_core_and_parserfunctions() -> None:
    magic = builtin()
    for name in (
        "#if",
        "#ifeq",
        "#iferror",
        "#ifexpr",
        "#ifexist",
        "#switch",
        "#time",
        "#timel",
        "#expr",
        "#rel2abs",
        "#titleparts",
        "#invoke",
        "#tag",
        "#formatdate",
        "#special",
        "#speciale",
        "#language",
    ):
        assert magic.is_function(name + ":x"), name
    for name in (
        "ns",
        "nse",
        "urlencode",
        "lcfirst",
        "ucfirst",
        "lc",
        "uc",
        "localurl",
        "fullurl",
        "canonicalurl",
        "formatnum",
        "grammar",
        "gender",
        "plural",
        "padleft",
        "padright",
        "anchorencode",
        "filepath",
        "int",
        "DEFAULTSORT",
        "DISPLAYTITLE",
        "PAGESINCATEGORY",
        "NUMBERINGROUP",
    ):
        assert magic.is_function(name + ":x"), name
    for name in (
        "CURRENTYEAR",
        "CURRENTMONTH",
        "LOCALTIME",
        "SITENAME",
        "SERVER",
        "NAMESPACE",
        "FULLPAGENAME",
        "BASEPAGENAME",
        "ROOTPAGENAME",
        "SUBPAGENAME",
        "TALKPAGENAME",
        "REVISIONID",
        "NUMBEROFARTICLES",
        "CONTENTLANGUAGE",
        "!",
        "=",
    ):
        assert magic.is_variable(name), name


def test_localized_magic_words_from_siteinfo() -> None:
    magic = MagicWords.from_siteinfo(
        [
            {"name": "if", "aliases": ["if", "wenn"], "case-sensitive": False},
            {"name": "pagename", "aliases": ["SEITENNAME", "PAGENAME"], "case-sensitive": True},
        ],
        ["if"],
        ["pagename"],
    )
    assert magic.is_function("#wenn:x")
    assert magic.is_variable("SEITENNAME")
    assert not magic.is_variable("seitenname")
