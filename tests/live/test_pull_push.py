"""pull and push against a real wiki: request counts, no needless writes, conflicts kept."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

from livewiki import Fault, FaultProxy, bulk_create

from wikitools.bot.outcome import Status
from wikitools.bot.pull import pull
from wikitools.bot.push import PushOptions, push
from wikitools.layout import MANIFEST
from wikitools.mediawiki import Wiki
from wikitools.mediawiki.sources import prefixed

N = 120


def statuses(outcomes: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {o.title: o.status.value for o in outcomes}


def test_pull_counts_requests_and_push_writes_only_changes(
    client: Wiki, lowclient: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    stem = unique("Pulled")
    pages = {f"{stem}/{i:03d}": f"Page {i}.\nSecond line." for i in range(N)}
    bulk_create(client, pages)  # its own pages: this test edits some of them

    before = lowclient.stats.total
    titles = list(prefixed(lowclient, stem))
    results = pull(lowclient, titles, tmp_path)
    content = lowclient.stats.count(module="revisions")
    assert content == math.ceil(N / 50) == 3
    assert lowclient.stats.total - before <= content + 3  # + listing, siteinfo, userinfo
    assert [r.status for r in results] == ["written"] * N
    first = tmp_path / "(Main)" / f"{stem.replace(' ', '_')}%2F000.wiki"
    assert first.read_text(encoding="utf-8") == "Page 0.\nSecond line."
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    entry = manifest["pages"][f"(Main)/{stem.replace(' ', '_')}%2F000.wiki"]
    assert entry["title"] == f"{stem}/000"
    assert entry["revid"] > 0 and entry["timestamp"].endswith("Z")

    # Nothing edited: push sends no request at all.
    before = lowclient.stats.total
    outcomes = push(lowclient, tmp_path, PushOptions(summary="s", apply=True))
    assert {o.status for o in outcomes} == {Status.UNCHANGED}
    assert lowclient.stats.total == before

    # An editor adding a final newline or CRLFs changes nothing either.
    first.write_bytes(b"Page 0.\r\nSecond line.\r\n")
    assert {o.status for o in push(lowclient, tmp_path, PushOptions(summary="s"))} == {
        Status.UNCHANGED
    }
    assert lowclient.stats.total == before

    # Two edited files: a dry run reads them (one batch) and writes nothing.
    edited = {f"{stem}/001": "Page 1, edited.", f"{stem}/002": "Page 2, edited."}
    for title, text in edited.items():
        (tmp_path / "(Main)" / f"{title.replace(' ', '_').replace('/', '%2F')}.wiki").write_text(
            text, encoding="utf-8"
        )
    outcomes = push(lowclient, tmp_path, PushOptions(summary="edit"))
    changed = {o.title: o for o in outcomes if o.status is not Status.UNCHANGED}
    assert {t: o.status for t, o in changed.items()} == dict.fromkeys(edited, Status.WOULD_CHANGE)
    assert changed[f"{stem}/001"].old_text == "Page 1.\nSecond line."
    assert changed[f"{stem}/001"].new_text == "Page 1, edited."
    assert lowclient.stats.writes == 0
    assert lowclient.stats.total - before == 1
    assert client.read_page(f"{stem}/001").text == "Page 1.\nSecond line."

    outcomes = push(lowclient, tmp_path, PushOptions(summary="edit", apply=True))
    assert lowclient.stats.writes == 2
    assert sum(o.status is Status.CHANGED for o in outcomes) == 2
    for title, text in edited.items():
        assert client.read_page(title).text == text

    # The manifest now records the new revisions: pushing again sends nothing.
    before = lowclient.stats.total
    assert {o.status for o in push(lowclient, tmp_path, PushOptions("s", apply=True))} == {
        Status.UNCHANGED
    }
    assert lowclient.stats.total == before


def test_edits_on_the_wiki_since_the_pull_are_conflicts_and_survive(
    client: Wiki, other_editor: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    title = unique("Shared")
    client.edit(title, "Original text.", summary="setup")
    pull(client, [title], tmp_path)
    theirs = "Original text, improved by someone else."
    other_editor.edit(title, theirs, summary="their edit")
    file = next((tmp_path / "(Main)").iterdir())
    file.write_text("Original text, changed locally.", encoding="utf-8")

    outcomes = push(client, tmp_path, PushOptions(summary="mine", apply=True))
    assert [o.status for o in outcomes] == [Status.CONFLICT]
    assert "edited on the wiki since the pull" in outcomes[0].reason
    assert client.read_page(title).text == theirs
    assert file.read_text(encoding="utf-8") == "Original text, changed locally."

    # Pulling again does not overwrite the local edit...
    again = pull(client, [title], tmp_path)
    assert again[0].status == "skipped" and "edited locally" in again[0].reason
    assert file.read_text(encoding="utf-8") == "Original text, changed locally."
    # ...unless forced.
    assert pull(client, [title], tmp_path, force=True)[0].status == "written"
    assert file.read_text(encoding="utf-8") == theirs


def test_an_edit_racing_the_push_is_a_conflict_and_survives(
    proxied: Callable[..., Wiki],
    proxy: FaultProxy,
    other_editor: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    wiki = proxied()
    title = unique("Race")
    wiki.edit(title, "Base text.", summary="setup")
    pull(wiki, [title], tmp_path)
    next((tmp_path / "(Main)").iterdir()).write_text("Base text, mine.", encoding="utf-8")
    theirs = "Base text, theirs."
    # Someone saves right after push checked the revision, just before its edit arrives.
    proxy.inject(
        Fault(when_action="edit", before=lambda: other_editor.edit(title, theirs, summary="x"))
    )
    outcomes = push(wiki, tmp_path, PushOptions(summary="mine", apply=True))
    assert [o.status for o in outcomes] == [Status.CONFLICT]
    assert "while pushing" in outcomes[0].reason
    assert wiki.read_page(title).text == theirs


def test_pages_missing_or_deleted_locally(
    client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    title = unique("Kept")
    client.edit(title, "x", summary="setup")
    results = pull(client, [title, unique("Absent"), "Bad|title"], tmp_path)
    assert [r.status for r in results] == ["written", "missing", "skipped"]
    next((tmp_path / "(Main)").iterdir()).unlink()
    outcomes = push(client, tmp_path, PushOptions(summary="s", apply=True))
    assert [(o.status, o.reason) for o in outcomes] == [
        (Status.SKIPPED, "file deleted; push never deletes")
    ]
    assert client.read_page(title).text == "x"
