"""The static scan: every call form Lua allows, comments, built-ins, wikitext calls and tags."""

from __future__ import annotations

import pytest

from wikitools.deps.lua import ReferenceKind, find_dependencies, find_references
from wikitools.deps.scan import is_partial_page, scan_page
from wikitools.titles import DEFAULT, Namespaces


def lua_targets(source: str) -> list[str]:
    return [r.target for r in scan_page("Module:Test", source, "Scribunto", DEFAULT).references]


@pytest.mark.parametrize(
    "call",
    [
        "require('Module:Dep')",
        'require("Module:Dep")',
        "require 'Module:Dep'",
        'require "Module:Dep"',
        "require [[Module:Dep]]",
        "require [==[Module:Dep]==]",
        "require ( 'Module:Dep' )",
        "mw.loadData('Module:Dep')",
        "mw.loadData 'Module:Dep'",
        "mw.loadData [[Module:Dep]]",
        'mw.loadJsonData("Module:Dep")',
        "require('module:dep')",
        "require('Module:Dep')  -- trailing comment",
    ],
)
def test_every_call_form_is_found(call: str) -> None:
    assert lua_targets(f"local x = {call}\nreturn x") == ["Module:Dep"]


@pytest.mark.parametrize(
    "source",
    [
        "-- require('Module:Dep')",
        "--[[ require('Module:Dep') ]]",
        "--[==[ mw.loadData('Module:Dep') ]==]",
        "local s = \"require('Module:Dep')\"",
        "local s = [[ mw.loadData('Module:Dep') ]]",
        "local s = t.require('Module:Dep')",
        "--[[ frame:expandTemplate{title='Dep'} ]]",
    ],
)
def test_comments_and_strings_are_not_code(source: str) -> None:
    assert lua_targets(source) == []


@pytest.mark.parametrize(
    "name", ["strict", "libraryUtil", "bit32", "ustring", "luabit.bit", "luabit.hex", "mw.html"]
)
def test_builtin_libraries_are_never_pages(name: str) -> None:
    assert lua_targets(f"local x = require('{name}')") == []


def test_underscores_and_localized_namespaces_are_normalized() -> None:
    german = Namespaces(
        names={**DEFAULT.names, 828: "Modul", 10: "Vorlage"}, aliases={"Module": 828}
    )
    scan = scan_page(
        "Modul:X",
        "local a = require('Modul:Citation/CS1/Date_validation')\n"
        "local b = require('Module:Other')\n",
        "Scribunto",
        german,
    )
    assert [r.target for r in scan.references] == [
        "Modul:Citation/CS1/Date validation",
        "Modul:Other",
    ]


def test_a_joined_name_is_a_prefix_and_a_variable_name_is_dynamic() -> None:
    scan = scan_page(
        "Module:CS1",
        "local cfg = mw.loadData('Module:Citation/CS1/Configuration' .. sandbox)\n"
        "local any = require(name)\n",
        "Scribunto",
        DEFAULT,
    )
    assert [(p.how, p.prefix, p.line) for p in scan.prefixes] == [
        ("mw.loadData", "Module:Citation/CS1/Configuration", 1)
    ]
    assert [(d.how, d.line) for d in scan.dynamic] == [("require", 2)]
    assert find_dependencies("require('Module:A/' .. x)")[0].prefix == "Module:A/"


def test_frame_calls_and_title_reads() -> None:
    source = """
local a = frame:expandTemplate{ title = 'Sfn', args = { 'x' } }
local b = frame:expandTemplate({ title = 'Template:Lang-' .. code })
local c = frame:extensionTag('templatestyles', '', { src = 'Module:Box/styles.css' })
local d = mw.getCurrentFrame():extensionTag{ name = 'templatestyles', args = { src = 'Box/s.css' } }
local e = mw.title.new('Module:Data/list'):getContent()
local f = mw.title.new('List', 'Module'):getContent()
local g = mw.title.makeTitle('Template', 'Other'):getContent()
local h = frame:extensionTag('ref', 'not a stylesheet')
local i = mw.title.new(page):getContent()
"""
    scan = scan_page("Module:T", source, "Scribunto", DEFAULT)
    assert [(r.target, r.how) for r in scan.references] == [
        ("Template:Sfn", "frame:expandTemplate"),
        ("Module:Box/styles.css", "frame:extensionTag(templatestyles)"),
        ("Template:Box/s.css", "frame:extensionTag(templatestyles)"),
        ("Module:Data/list", "mw.title.new():getContent"),
        ("Module:List", "mw.title.new():getContent"),
        ("Template:Other", "mw.title.new():getContent"),
    ]
    assert [p.prefix for p in scan.prefixes] == ["Template:Lang-"]
    assert [d.how for d in scan.dynamic] == ["mw.title.new():getContent"]
    assert "templatestyles" in scan.tags


def test_wikidata_and_commons_data_are_not_portable() -> None:
    refs = find_references("local e = mw.wikibase.getEntity()\nlocal t = mw.ext.data.get('X.tab')")
    assert [r.kind for r in refs] == [ReferenceKind.WIKIBASE, ReferenceKind.COMMONS_DATA]
    scan = scan_page("Module:W", "return mw.wikibase.getEntity()", "Scribunto", DEFAULT)
    assert scan.foreign == ["line 1: reads Wikidata (mw.wikibase)"]


def test_wikitext_calls_styles_functions_tags_and_redirects() -> None:
    text = (
        "{{sfn|A|2000}} {{#invoke:Footnotes|sfn}} {{#if:x|{{Only here}}}} {{#len:abc}}"
        ' <templatestyles src="Sfn/styles.css" /> <ref>x</ref> <!-- {{Hidden}} -->'
        " {{{{{1}}}}} <noinclude>{{Documentation}}</noinclude> <b>bold</b>"
    )
    scan = scan_page("Template:T", text, "wikitext", DEFAULT)
    assert [(r.target, r.how) for r in scan.references] == [
        ("Template:Sfn", "transclusion"),
        ("Module:Footnotes", "#invoke"),
        ("Template:Only here", "transclusion"),
        ("Template:Sfn/styles.css", "<templatestyles>"),
    ]
    assert {"invoke", "if", "len"} <= scan.functions
    assert scan.tags == {"ref", "templatestyles"}
    assert len(scan.dynamic) == 1
    whole = scan_page("Article", text, "wikitext", DEFAULT, transcluded=False)
    assert "Template:Documentation" in {r.target for r in whole.references}
    redirect = scan_page(
        "Template:Harvnb", "#REDIRECT [[Template:Harvard citation]]", "wikitext", DEFAULT
    )
    assert redirect.redirect == "Template:Harvard citation"
    assert [(r.target, r.how) for r in redirect.references] == [
        ("Template:Harvard citation", "redirect")
    ]


@pytest.mark.parametrize(
    ("title", "partial"),
    [
        ("Module:Foo/doc", True),
        ("Module:Foo/sandbox", True),
        ("Module:Foo/sandbox/data", True),
        ("Template:Foo/testcases", True),
        ("Module:Foo/documentation", False),
        ("Module:Sandboxed", False),
    ],
)
def test_partial_pages(title: str, partial: bool) -> None:
    assert is_partial_page(title) is partial
