"""Title normalization follows MediaWiki's rules."""

import pytest

from wikitools.titles import (
    MODULE,
    TEMPLATE,
    Namespaces,
    module_title,
    normalize_title,
    template_title,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ka icon", "Template:Ka icon"),
        ("ka_icon", "Template:Ka icon"),
        ("  ka__icon  ", "Template:Ka icon"),
        ("Template:Ka icon", "Template:Ka icon"),
        ("template:ka icon", "Template:Ka icon"),
        ("TEMPLATE : ka icon", "Template:Ka icon"),
        (":Main Page", "Main Page"),
        (":template:X", "Template:X"),
        ("Module:Footnotes", "Module:Footnotes"),
        ("Image:Foo.jpg", "File:Foo.jpg"),
        ("Foo#section", "Template:Foo"),
        ("Ka&#32;icon", "Template:Ka icon"),
        ("Ka\u00a0icon", "Template:Ka icon"),
        ("\u200eKa icon\u200f", "Template:Ka icon"),
        ("e\u0301x", "Template:\u00c9x"),
        ("Lang-ru", "Template:Lang-ru"),
        ("Foo:bar", "Template:Foo:bar"),
    ],
)
def test_template_title(raw: str, expected: str) -> None:
    assert template_title(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Footnotes", "Module:Footnotes"),
        ("Module:Footnotes/anchor_id_list", "Module:Footnotes/anchor id list"),
        ("footnotes/anchor id list", "Module:Footnotes/anchor id list"),
    ],
)
def test_module_title(raw: str, expected: str) -> None:
    assert module_title(raw) == expected


def test_main_namespace_default() -> None:
    assert normalize_title("foo_bar") == "Foo bar"
    assert normalize_title("Talk:foo") == "Talk:Foo"


@pytest.mark.parametrize(
    "raw",
    ["", "#anchor", "Foo<bar", "Foo[bar]", "A{b}", "A|b", "%41b", "./x", "a/../b", "Template:"],
)
def test_invalid_titles_parse_to_none(raw: str) -> None:
    assert Namespaces().parse(raw, TEMPLATE) is None


def test_case_sensitive_namespace_keeps_first_letter() -> None:
    namespaces = Namespaces(case_sensitive=frozenset({TEMPLATE}))
    assert namespaces.normalize("ka icon", TEMPLATE) == "Template:ka icon"
    assert namespaces.normalize("foo") == "Foo"


def test_from_siteinfo_local_names_aliases_and_canonical() -> None:
    info = {
        "4": {"id": 4, "name": "Gen", "canonical": "Project", "case": "first-letter"},
        "10": {"id": 10, "name": "Vorlage", "canonical": "Template", "case": "first-letter"},
        "828": {"id": 828, "name": "Modul", "canonical": "Module", "case": "case-sensitive"},
        "0": {"id": 0, "name": "", "case": "first-letter"},
    }
    namespaces = Namespaces.from_siteinfo(info, [{"id": 10, "alias": "T"}])
    assert namespaces.normalize("Template:x") == "Vorlage:X"
    assert namespaces.normalize("vorlage:x") == "Vorlage:X"
    assert namespaces.normalize("T:x") == "Vorlage:X"
    assert namespaces.normalize("Project:About") == "Gen:About"
    assert namespaces.normalize("x", MODULE) == "Modul:x"
