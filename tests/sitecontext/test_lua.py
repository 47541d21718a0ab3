"""The Lua scanner finds require/loadData calls and nothing in comments or strings."""

import pytest

from wikitools.deps.lua import LoadKind, find_dependencies, is_builtin_library, tokenize


def names(source: str) -> list[str | None]:
    return [d.name for d in find_dependencies(source)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("local a = require('Module:Arguments')", ["Module:Arguments"]),
        ('local a = require("Module:Arguments")', ["Module:Arguments"]),
        ("local a = require 'Module:Arguments'", ["Module:Arguments"]),
        ('local a = require "Module:Arguments"', ["Module:Arguments"]),
        ("local a = require [[Module:Arguments]]", ["Module:Arguments"]),
        ("local a = require [==[Module:Arguments]==]", ["Module:Arguments"]),
        ("local a = require ( 'Module:Arguments' ) .getArgs", ["Module:Arguments"]),
        (
            "local d = mw.loadData('Module:Footnotes/anchor_id_list')",
            ["Module:Footnotes/anchor_id_list"],
        ),
        ("local d = mw.loadJsonData('Module:X/data.json')", ["Module:X/data.json"]),
        ("local x = require('Module:A\\/B')", ["Module:A/B"]),
        ("local x = require('Module:\\65')", ["Module:A"]),
        ("local x = require('Module:\\x41')", ["Module:A"]),
    ],
)
def test_call_forms(source: str, expected: list[str]) -> None:
    assert names(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "-- require('Module:X')",
        "--[[ require('Module:X') ]]",
        "--[==[ require('Module:X') ]] still comment ]==]",
        "local s = \"require('Module:X')\"",
        "local s = [[ require('Module:X') ]]",
        "local s = 'it''s' .. \"require('Module:X')\"",
        "t.require('Module:X')",
        "t:require('Module:X')",
        "local t = { require = 1 }",
        "local f = mw.loadDataX('Module:X')",
    ],
)
def test_no_false_positives(source: str) -> None:
    assert names(source) == []


def test_dynamic_optional_and_scope() -> None:
    source = """
local ok, opt = pcall(require, 'Module:Optional')
local ok2, data = pcall(mw.loadData, 'Module:OptionalData')
local dyn = require('Module:Lang/' .. code)
local byname = require(name)
local p = {}
function p.main(frame)
    if frame then
        local inner = require('Module:Inner')
    end
    return mw.loadData('Module:InnerData')
end
local after = require('Module:After')
return p
"""
    deps = find_dependencies(source)
    summary = [(d.kind, d.name, d.optional, d.in_function, d.line) for d in deps]
    assert summary == [
        (LoadKind.REQUIRE, "Module:Optional", True, False, 2),
        (LoadKind.LOAD_DATA, "Module:OptionalData", True, False, 3),
        (LoadKind.REQUIRE, None, False, False, 4),
        (LoadKind.REQUIRE, None, False, False, 5),
        (LoadKind.REQUIRE, "Module:Inner", False, True, 9),
        (LoadKind.LOAD_DATA, "Module:InnerData", False, True, 11),
        (LoadKind.REQUIRE, "Module:After", False, False, 13),
    ]


def test_blocks_close_correctly() -> None:
    source = """
for i = 1, 3 do local x = i end
while false do end
repeat local y = 1 until true
local f = function() return 1 end
local top = require('Module:Top')
"""
    assert [(d.name, d.in_function) for d in find_dependencies(source)] == [("Module:Top", False)]


def test_tokenizer_survives_junk() -> None:
    tokens = list(tokenize("local s = 'unterminated\nlocal x = [[never closed"))
    assert tokens[-1].kind.value == "string"
    assert list(tokenize("--[[ open comment")) == []


def test_builtin_libraries() -> None:
    assert is_builtin_library("libraryUtil")
    assert is_builtin_library("strict")
    assert not is_builtin_library("Module:Arguments")
