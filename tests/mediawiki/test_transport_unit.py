"""Parameter encoding, request records and Lua error parsing (pure functions, no wiki)."""

from __future__ import annotations

from wikitools.mediawiki.parse import modules_named, parse_result
from wikitools.mediawiki.transport import (
    RequestRecord,
    RequestStats,
    encode_params,
    is_secret_param,
)
from wikitools.titles import DEFAULT


def test_encode_params() -> None:
    assert encode_params(
        {
            "titles": ["A", "B c"],
            "flag": True,
            "off": False,
            "none": None,
            "n": 5,
            "text": "x|y",
        }
    ) == {"titles": "A|B c", "flag": "1", "n": "5", "text": "x|y"}
    # A value holding '|' switches the whole list to the U+001F separator.
    assert encode_params({"titles": ["A|B", "C"]}) == {"titles": "\x1fA|B\x1fC"}


def test_secret_params() -> None:
    assert is_secret_param("lgpassword") and is_secret_param("token")
    assert is_secret_param("lgtoken") and not is_secret_param("titles")


def test_request_stats_count_by_action_and_module() -> None:
    stats = RequestStats(
        [
            RequestRecord("GET", "query", ("revisions",), 0),
            RequestRecord("GET", "query", ("revisions",), 1),
            RequestRecord("POST", "edit", (), 0),
            RequestRecord("GET", "query", ("tokens",), 0),
        ]
    )
    assert stats.total == 4
    assert stats.retries == 1
    assert stats.writes == 1
    assert stats.count(module="revisions") == 2
    assert stats.count("query") == 3


def test_modules_named_in_lua_errors() -> None:
    assert modules_named(
        "Lua error in package.lua at line 80: module 'Module:Footnotes/anchor_id_list' not found.",
        DEFAULT,
    ) == ("Module:Footnotes/anchor id list",)
    assert modules_named("Lua error in Module:Citation/CS1 at line 4: x.", DEFAULT) == (
        "Module:Citation/CS1",
    )
    assert modules_named('Script error: No such module "sfn".', DEFAULT) == ("Module:Sfn",)
    assert modules_named("Lua error: Internal error: The interpreter exited.", DEFAULT) == ()


def test_parse_result_from_an_answer() -> None:
    answer = {
        "parse": {
            "title": "T",
            "text": "<div><p>a }} b <code>{{x}}</code></p>"
            '<strong class="error">Expression error</strong>'
            '<span class="error mw-ext-cite-error">Cite error: x</span></div>',
            "templates": [
                {"ns": 10, "title": "Template:A", "exists": False},
                {"ns": 828, "title": "Module:B", "exists": False},
                {"ns": 10, "title": "Template:C", "exists": True},
            ],
            "categories": [{"category": "Pages_with_reference_errors"}, {"category": "X_y"}],
        }
    }
    result = parse_result(answer, DEFAULT, {"Pages with reference errors"})
    assert result.missing_templates == ("Template:A",)
    assert result.missing_modules == ("Module:B",)
    assert result.other_errors == ("Expression error",)
    assert result.cite_errors == ("Cite error: x",)
    assert result.categories == ("Pages with reference errors", "X y")
    assert result.tracking_categories == ("Pages with reference errors",)
    assert result.stray_braces == 1
