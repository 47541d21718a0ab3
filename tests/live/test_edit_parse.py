"""Edits that never overwrite, and rendering with problems as values, on a real wiki."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wikitools.errors import ApiError, EditConflictError
from wikitools.mediawiki import Wiki


def test_edit_conflict_is_an_error_and_the_other_edit_survives(
    client: Wiki, other_editor: Wiki, unique: Callable[[str], str]
) -> None:
    title = unique("Conflict")
    client.edit(title, "Line one.\nLine two.", summary="setup")
    mine = client.read_page(title)
    theirs = other_editor.edit(title, "Line one, improved by someone.\nLine two.", summary="x")
    with pytest.raises(EditConflictError) as caught:
        client.edit(
            title,
            "Line one, fixed by the bot.\nLine two.",
            summary="bot",
            basetimestamp=mine.timestamp,
            starttimestamp=mine.read_at,
            baserevid=mine.revid,
            nocreate=True,
        )
    assert caught.value.code == "editconflict"
    now = client.read_page(title)
    assert now.revid == theirs.revid
    assert now.text == "Line one, improved by someone.\nLine two."


def test_edits_to_other_lines_are_merged_keeping_both(
    client: Wiki, other_editor: Wiki, unique: Callable[[str], str]
) -> None:
    title = unique("Merge")
    client.edit(title, "Line one.\nLine two.\nLine three.", summary="setup")
    mine = client.read_page(title)
    other_editor.edit(title, "Line one.\nLine two.\nLine three, theirs.", summary="x")
    result = client.edit(
        title,
        "Line one, mine.\nLine two.\nLine three.",
        summary="bot",
        starttimestamp=mine.read_at,
        baserevid=mine.revid,
        nocreate=True,
    )
    assert result.saved
    assert client.read_page(title).text == "Line one, mine.\nLine two.\nLine three, theirs."


def test_a_conflict_with_oneself_is_a_conflict_too(
    client: Wiki, unique: Callable[[str], str]
) -> None:
    title = unique("Self")
    client.edit(title, "Text.", summary="setup")
    mine = client.read_page(title)
    client.edit(title, "Text, edited in a browser by the same account.", summary="x")
    with pytest.raises(EditConflictError):
        client.edit(
            title,
            "Text, by the bot.",
            summary="bot",
            basetimestamp=mine.timestamp,
            starttimestamp=mine.read_at,
            baserevid=mine.revid,
        )
    assert client.read_page(title).text == "Text, edited in a browser by the same account."


def test_nochange_nocreate_and_flags(client: Wiki, unique: Callable[[str], str]) -> None:
    title = unique("Flags")
    first = client.edit(title, "Text.", summary="create", createonly=True)
    assert first.saved and first.created and first.revid
    same = client.edit(title, "Text.", summary="again")
    assert same.nochange and same.revid is None
    minor = client.edit(title, "Text 2.", summary="minor one", minor=True, bot=True, tags=())
    assert minor.saved and minor.old_revid == first.revid
    revision = client.request(
        {
            "action": "query",
            "prop": "revisions",
            "titles": title,
            "rvprop": "flags|comment|user",
        }
    )["query"]["pages"][0]["revisions"][0]
    assert revision["minor"] is True
    assert revision["comment"] == "minor one"
    assert revision["user"] == "Admin"
    with pytest.raises(ApiError) as caught:
        client.edit(unique("Never created"), "x", summary="fix", nocreate=True)
    assert caught.value.code == "missingtitle"
    with pytest.raises(ApiError) as caught:
        client.edit(title, "x", summary="create", createonly=True)
    assert caught.value.code == "articleexists"


def test_assert_user_stops_anonymous_edits(
    sandbox_wiki: object, unique: Callable[[str], str]
) -> None:
    anonymous = Wiki(sandbox_wiki.api_url, user_agent="t/1 (t)")  # type: ignore[attr-defined]
    with pytest.raises(ApiError) as caught:
        anonymous.edit(unique("Anon"), "x", summary="t", assertion="user")
    assert caught.value.code == "assertuserfailed"


SEED_LIKE = (
    "Hello {{Ka icon}} {{#invoke:Footnotes|f}} {{#invoke:Nope|f}} "
    "<ref>a</ref> <ref name=x/> {{#expr: 1+}} }}\n<pre>{{ literal }}</pre>\n[[Category:Foo]]"
)


def test_parse_reports_rendered_problems(client: Wiki, unique: Callable[[str], str]) -> None:
    footnotes = unique("Footnotes")
    client.edit(
        f"Module:{footnotes}",
        "local ids = require('Module:" + footnotes + "/anchor_id_list')\n"
        "return { f = function() return 'x' end }",
        summary="setup",
    )
    text = SEED_LIKE.replace("Footnotes", footnotes)
    title = unique("Seed like")
    result = client.parse_text(text, title)
    assert [e.modules for e in result.script_errors] == [
        (f"Module:{footnotes}/anchor id list",),
        ("Module:Nope",),
    ]
    assert "not found" in result.script_errors[0].message
    assert result.missing_templates == ("Template:Ka icon",)
    assert result.missing_modules == (f"Module:{footnotes}/anchor id list", "Module:Nope")
    assert len(result.cite_errors) == 1 and "Cite error" in result.cite_errors[0]
    assert result.other_errors == ("Expression error: Missing operand for +.",)
    assert set(result.tracking_categories) == {
        "Pages with script errors",
        "Pages with reference errors",
    }
    assert "Foo" in result.categories and "Foo" not in result.tracking_categories
    assert result.stray_braces == 1  # the }} in prose, not the one in <pre>
    assert result.error_count == 2 + 1 + 2 + 1 + 1 + 1

    client.edit(title, text, summary="save it")
    saved = client.parse_page(title)
    assert saved.counts() == result.counts()
    clean = client.parse_text("Just prose, [[a link]] and '''bold'''.", title)
    assert clean.error_count == 0
    assert clean.worse_than(saved) == []
    assert saved.worse_than(clean) == [
        "script-errors 0 -> 2",
        "missing-templates 0 -> 1",
        "missing-modules 0 -> 2",
        "cite-errors 0 -> 1",
        "other-errors 0 -> 1",
        "stray-braces 0 -> 1",
    ]
