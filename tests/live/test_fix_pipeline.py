"""The live fix pipeline with the real repair engine on a real wiki."""

from __future__ import annotations

from collections.abc import Callable

from livewiki import Fault, FaultProxy, bulk_create

from wikitools.bot.outcome import Status
from wikitools.bot.pipeline import FixOptions, engine_fixer, fix_pages
from wikitools.lint.fixloop import FixResult
from wikitools.mediawiki import Wiki
from wikitools.site.context import SiteContext


def test_dry_run_then_apply_writes_only_changed_pages(
    client: Wiki, unique: Callable[[str], str]
) -> None:
    stem = unique("Fixme")
    pages = {
        f"{stem} broken 1": "Some text.}}\n\nMore text.",
        f"{stem} broken 2": "Intro.\n\nA paragraph.}}",
        f"{stem} clean 1": "Nothing wrong here.",
        f"{stem} clean 2": "Nor here, with a {{tl}} call.",
    }
    bulk_create(client, pages)
    titles = [*pages, f"{stem} absent", "Bad|title", f"Module:{stem}"]
    client.edit(f"Module:{stem}", "return {} -- }}", summary="setup")
    client.userinfo  # noqa: B018
    fixer = engine_fixer()

    before = client.stats.total
    writes = client.stats.writes
    dry = fix_pages(client, titles, fixer, FixOptions())
    assert [(o.title, o.status) for o in dry] == [
        (f"{stem} broken 1", Status.WOULD_CHANGE),
        (f"{stem} broken 2", Status.WOULD_CHANGE),
        (f"{stem} clean 1", Status.UNCHANGED),
        (f"{stem} clean 2", Status.UNCHANGED),
        (f"{stem} absent", Status.SKIPPED),
        ("Bad|title", Status.SKIPPED),
        (f"Module:{stem}", Status.SKIPPED),
    ]
    assert dry[0].new_text == "Some text.\n\nMore text."
    assert dry[0].fixes == ("B101",)
    assert dry[0].reason == "1 fix: B101"
    assert dry[-1].reason == "content model Scribunto"
    assert client.stats.writes == writes
    assert client.stats.count(module="revisions") >= 1
    read_requests = [r for r in client.stats.records[before:] if r.modules == ("revisions",)]
    assert len(read_requests) == 1  # one batch for all seven titles

    applied = fix_pages(client, titles, fixer, FixOptions(apply=True, summary="Fix braces"))
    assert [o.status for o in applied[:4]] == [Status.CHANGED] * 2 + [Status.UNCHANGED] * 2
    assert client.stats.writes - writes == 2  # unchanged pages: no write request
    assert client.read_page(f"{stem} broken 2").text == "Intro.\n\nA paragraph."
    assert client.read_page(f"{stem} clean 1").text == "Nothing wrong here."
    comment = client.request(
        {"action": "query", "prop": "revisions", "titles": f"{stem} broken 1", "rvprop": "comment"}
    )["query"]["pages"][0]["revisions"][0]["comment"]
    assert comment == "Fix braces"

    again = fix_pages(client, titles[:4], fixer, FixOptions(apply=True))
    assert {o.status for o in again} == {Status.UNCHANGED}
    assert client.stats.writes - writes == 2


def test_conflict_during_fix_is_rebased_keeping_the_other_edit(
    proxied: Callable[..., Wiki],
    proxy: FaultProxy,
    other_editor: Wiki,
    unique: Callable[[str], str],
) -> None:
    wiki = proxied()
    title = unique("Busy page")
    wiki.edit(title, "Intro.}}\nMiddle.\nEnd.", summary="setup")
    theirs = "Intro, edited by someone.}}\nMiddle.\nEnd."
    proxy.inject(
        Fault(when_action="edit", before=lambda: other_editor.edit(title, theirs, summary="x"))
    )
    [outcome] = fix_pages(wiki, [title], engine_fixer(), FixOptions(apply=True))
    assert outcome.status is Status.CHANGED
    assert outcome.rebased
    assert "rebased" in outcome.line()
    assert wiki.read_page(title).text == "Intro, edited by someone.\nMiddle.\nEnd."


def test_repeated_conflicts_are_reported_and_nothing_is_overwritten(
    proxied: Callable[..., Wiki],
    proxy: FaultProxy,
    other_editor: Wiki,
    unique: Callable[[str], str],
) -> None:
    wiki = proxied()
    title = unique("Very busy page")
    wiki.edit(title, "Intro.}}\nEnd.", summary="setup")
    edits = iter(["Intro, first.}}\nEnd.", "Intro, second.}}\nEnd."])
    proxy.inject(
        *[
            Fault(
                when_action="edit",
                before=lambda: other_editor.edit(title, next(edits), summary="x"),
            )
            for _ in range(2)
        ]
    )
    [outcome] = fix_pages(wiki, [title], engine_fixer(), FixOptions(apply=True))
    assert outcome.status is Status.CONFLICT
    assert "edited again meanwhile" in outcome.reason
    assert wiki.read_page(title).text == "Intro, second.}}\nEnd."


def test_conflicting_edit_that_already_fixed_the_page(
    proxied: Callable[..., Wiki],
    proxy: FaultProxy,
    other_editor: Wiki,
    unique: Callable[[str], str],
) -> None:
    wiki = proxied()
    title = unique("Fixed by hand")
    wiki.edit(title, "Intro.}}\nEnd.", summary="setup")
    theirs = "Intro, fixed by hand.\nEnd."
    proxy.inject(
        Fault(when_action="edit", before=lambda: other_editor.edit(title, theirs, summary="x"))
    )
    [outcome] = fix_pages(wiki, [title], engine_fixer(), FixOptions(apply=True))
    assert outcome.status is Status.UNCHANGED
    assert "left nothing to fix" in outcome.reason
    assert wiki.read_page(title).text == theirs


def add_missing_template(text: str, title: str, site: SiteContext) -> FixResult:
    """A deliberately harmful fixer: it makes the page call a template that does not exist."""
    return FixResult(original=text, text=text + " {{No such template anywhere}}")


def test_verify_refuses_saves_that_render_worse_and_allows_better(
    client: Wiki, unique: Callable[[str], str]
) -> None:
    harmful = unique("Verify harmful")
    helpful = unique("Verify helpful")
    client.edit(harmful, "Fine text.", summary="setup")
    client.edit(helpful, "Text with stray braces.}}", summary="setup")
    writes = client.stats.writes
    [refused] = fix_pages(
        client, [harmful], add_missing_template, FixOptions(apply=True, verify=True)
    )
    assert refused.status is Status.SKIPPED
    assert refused.reason == ("verify: rendered problems would increase (missing-templates 0 -> 1)")
    assert client.stats.writes == writes
    assert client.read_page(harmful).text == "Fine text."

    [saved] = fix_pages(client, [helpful], engine_fixer(), FixOptions(apply=True, verify=True))
    assert saved.status is Status.CHANGED
    assert client.read_page(helpful).text == "Text with stray braces."
    assert client.parse_page(helpful).stray_braces == 0
