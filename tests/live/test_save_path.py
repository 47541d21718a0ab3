"""The one save path against a real wiki: blocks and read-only stop a run, conflicts and
blanking are never saved, nothing is saved twice, protected pages are skipped."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from livewiki import UA, Fault, FaultProxy, SleepRecorder, bulk_create
from typer.testing import CliRunner, Result

from wikitools.bot.outcome import Status
from wikitools.bot.pipeline import FixOptions, engine_fixer, fix_pages
from wikitools.bot.pull import pull
from wikitools.bot.push import PushOptions, push
from wikitools.cli.app import app
from wikitools.errors import BlockedError, ReadOnlyError, SessionLostError
from wikitools.layout import MANIFEST
from wikitools.lint.fixloop import FixResult
from wikitools.mediawiki import Credentials, Wiki
from wikitools.mediawiki.save import (
    BaseRevision,
    SavePolicy,
    SaveStatus,
    WikiSink,
    save_page,
)
from wikitools.site.context import SiteContext


def make_editor(sandbox: Any, name: str) -> Credentials:
    """A new ordinary (not sysop) account with a bot password on ``sandbox``."""
    sandbox.run_maintenance("createAndPromote", name, secrets.token_urlsafe(16))
    output = sandbox.run_maintenance(
        "createBotPassword",
        "--appid=savetests",
        "--grants=basic,highvolume,editpage,createeditmovepage,editprotected",
        name,
    )
    match = re.search(r"username:'([^']+)' and password:'([^']+)'", output)
    assert match is not None, output
    return Credentials(match.group(1), match.group(2))


def login(sandbox: Any, credentials: Credentials) -> Wiki:
    wiki = Wiki(sandbox.api_url, user_agent=UA)
    wiki.login(credentials)
    return wiki


def cli(credentials: Credentials, tmp_path: Path, *args: str) -> Result:
    env = {
        "WIKITOOLS_USERNAME": credentials.username,
        "WIKITOOLS_PASSWORD": credentials.password,
        "WIKITOOLS_CREDENTIALS": str(tmp_path / "no-credentials.toml"),
        "WIKITOOLS_USER_AGENT": UA,
    }
    result = CliRunner(env=env).invoke(app, list(args))
    assert credentials.password not in result.output
    return result


def edit_files(directory: Path, texts: dict[str, str]) -> None:
    for title, text in texts.items():
        name = title.replace(" ", "_").replace("/", "%2F")
        (directory / "(Main)" / f"{name}.wiki").write_text(text, encoding="utf-8")


def block(sandbox: Any, user: str) -> None:
    admin = sandbox.admin
    admin.api(
        {
            "action": "block",
            "user": user,
            "expiry": "infinite",
            "reason": "wikitools test",
            "token": admin.csrf_token(),
        },
        post=True,
    )


def test_a_blocked_account_stops_push_and_fix_after_the_first_refusal(
    sandbox_wiki: Any, client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    name = "Blocked " + secrets.token_hex(3)
    editor = make_editor(sandbox_wiki, name)
    stem = unique("Blocked push")
    pages = {f"{stem}/{i}": f"Page {i}, some text.}}}}" for i in range(3)}
    bulk_create(client, pages)
    wiki = login(sandbox_wiki, editor)
    pull(wiki, list(pages), tmp_path)
    edit_files(tmp_path, {t: f"{t}: edited locally." for t in pages})
    block(sandbox_wiki, name)

    writes = wiki.stats.writes
    with pytest.raises(BlockedError) as raised:
        push(wiki, tmp_path, PushOptions("edit", apply=True))
    assert raised.value.code == "blocked"
    assert "the account is blocked" in str(raised.value)
    assert wiki.stats.writes - writes == 1  # the first refusal stops the run

    push_args = ("push", str(tmp_path), "--wiki", sandbox_wiki.api_url)
    result = cli(editor, tmp_path, *push_args, "--summary", "edit", "--apply")
    assert result.exit_code == 2, result.output
    assert "0 pages before the run stopped" not in result.output
    assert "error: stopped: blocked:" in result.output
    assert "the account is blocked" in result.output
    assert result.output.count("changed") == 0

    writes = wiki.stats.writes
    with pytest.raises(BlockedError):
        fix_pages(wiki, list(pages), engine_fixer(), FixOptions(apply=True))
    assert wiki.stats.writes - writes == 1
    result = cli(editor, tmp_path, "fix", "--wiki", sandbox_wiki.api_url, *pages, "--apply")
    assert result.exit_code == 2, result.output
    assert "error: stopped: blocked:" in result.output
    for title, text in pages.items():
        assert client.read_page(title).text == text


def test_a_read_only_wiki_stops_the_run(
    make_wiki: Callable[..., Any],
    fake_sleep: SleepRecorder,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    sandbox = make_wiki()
    user, password = sandbox.create_bot_password("readonly")
    credentials = Credentials(user, password)
    # "readonly" may be a short maintenance: the transport retries it (with backoff; here
    # without the waits), then gives up and the run stops.
    wiki = Wiki(sandbox.api_url, user_agent=UA, sleep=fake_sleep)
    wiki.login(credentials)

    def edits_sent() -> int:
        return wiki.stats.writes - wiki.stats.retries

    pages = {f"Read only {i}": f"Text {i}.}}}}" for i in range(3)}
    bulk_create(wiki, pages)
    pull(wiki, list(pages), tmp_path)
    edit_files(tmp_path, {t: f"{t}: edited." for t in pages})
    sandbox.configure("$wgReadOnly = 'Database maintenance for a test';")

    sent = edits_sent()
    with pytest.raises(ReadOnlyError) as raised:
        push(wiki, tmp_path, PushOptions("edit", apply=True))
    assert "Database maintenance for a test" in str(raised.value)
    assert "the wiki is read-only" in str(raised.value)
    assert edits_sent() - sent == 1  # the first page's edit (and its retries) only
    with pytest.raises(ReadOnlyError):
        fix_pages(wiki, list(pages), engine_fixer(), FixOptions(apply=True))
    assert edits_sent() - sent == 2
    for title, text in pages.items():
        assert wiki.read_page(title).text == text

    sandbox.configure("")  # writable again: the same push now saves everything
    outcomes = push(wiki, tmp_path, PushOptions("edit", apply=True))
    assert [o.status for o in outcomes] == [Status.CHANGED] * 3


def test_a_protected_page_is_refused_and_the_run_goes_on(
    sandbox_wiki: Any, client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    editor = make_editor(sandbox_wiki, "Editor " + secrets.token_hex(3))
    protected, free = unique("Protected"), unique("Free")
    bulk_create(client, {protected: "Protected text.}}", free: "Free text.}}"})
    admin = sandbox_wiki.admin
    admin.api(
        {
            "action": "protect",
            "title": protected,
            "protections": "edit=sysop",
            "token": admin.csrf_token(),
        },
        post=True,
    )
    wiki = login(sandbox_wiki, editor)
    outcomes = fix_pages(wiki, [protected, free], engine_fixer(), FixOptions(apply=True))
    assert [o.status for o in outcomes] == [Status.REFUSED, Status.CHANGED]
    assert "protectedpage" in outcomes[0].reason
    assert client.read_page(protected).text == "Protected text.}}"
    assert client.read_page(free).text == "Free text."


def test_a_conflict_between_read_and_save_is_not_overwritten(
    client: Wiki, other_editor: Wiki, unique: Callable[[str], str]
) -> None:
    title = unique("Read then save")
    client.edit(title, "Line one.\nLine two.", summary="setup")
    base = BaseRevision.of(client.read_page(title))
    theirs = "Line one, theirs.\nLine two."
    other_editor.edit(title, theirs, summary="their edit")
    result = save_page(
        WikiSink(client),
        base,
        "Line one, mine.\nLine two.",
        summary="mine",
        policy=SavePolicy(apply=True),
    )
    assert result.status is SaveStatus.CONFLICT
    assert result.code == "editconflict"
    assert client.read_page(title).text == theirs


def test_a_page_that_would_be_blanked_is_refused(
    client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    title = unique("Blanked")
    text = "A page with a good deal of text on it.\n" * 5
    client.edit(title, text, summary="setup")
    pull(client, [title], tmp_path)
    file = next((tmp_path / "(Main)").iterdir())
    writes = client.stats.writes
    for emptied in ("", "\n\n", "A page.\n"):
        file.write_text(emptied, encoding="utf-8")
        [outcome] = push(client, tmp_path, PushOptions("shorten", apply=True))
        assert outcome.status is Status.REFUSED, outcome
        assert "would blank" in outcome.reason or "would remove" in outcome.reason
    assert client.stats.writes == writes
    assert client.read_page(title).text == text.rstrip()
    # Allowed explicitly, the same edit is saved.
    [outcome] = push(client, tmp_path, PushOptions("shorten", apply=True, allow_blanking=True))
    assert outcome.status is Status.CHANGED
    assert client.read_page(title).text == "A page."

    def blank(text: str, title: str, site: SiteContext) -> FixResult:
        return FixResult(original=text, text="")

    other = unique("Blanked by a fix")
    client.edit(other, "Some text.", summary="setup")
    [outcome] = fix_pages(client, [other], blank, FixOptions(apply=True))
    assert outcome.status is Status.REFUSED
    assert client.read_page(other).text == "Some text."


def test_rerunning_push_makes_no_second_edit(
    client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    title = unique("Pushed once")
    client.edit(title, "Before.", summary="setup")
    pull(client, [title], tmp_path)
    pulled_manifest = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    next((tmp_path / "(Main)").iterdir()).write_text("After.", encoding="utf-8")
    [outcome] = push(client, tmp_path, PushOptions("edit", apply=True))
    assert outcome.status is Status.CHANGED
    writes = client.stats.writes
    # As if the first push died after its save, before it recorded the new revision:
    (tmp_path / MANIFEST).write_text(pulled_manifest, encoding="utf-8")
    [outcome] = push(client, tmp_path, PushOptions("edit", apply=True))
    assert (outcome.status, outcome.reason) == (Status.UNCHANGED, "the wiki already has this text")
    assert client.stats.writes == writes
    # ...and the manifest now knows the saved revision: nothing is even read again.
    before = client.stats.total
    [outcome] = push(client, tmp_path, PushOptions("edit", apply=True))
    assert outcome.status is Status.UNCHANGED
    assert client.stats.total == before


def test_new_files_are_reported_and_created_only_with_create(
    run: Callable[..., Result],
    client: Wiki,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    kept = unique("Kept page")
    client.edit(kept, "Kept.", summary="setup")
    pull(client, [kept], tmp_path)
    new, taken = unique("Brand new"), unique("Taken")
    client.edit(taken, "Already here.", summary="setup")
    edit_files(tmp_path, {new: "A new page.", taken: "Mine."})
    (tmp_path / "stray.wiki").write_text("No title.", encoding="utf-8")

    result = run("push", str(tmp_path), "--wiki", client.api_url)
    assert result.exit_code == 1, result.output
    assert f"{new}: skipped (new file" in result.output
    assert "pass --create" in result.output
    assert "stray.wiki: skipped (new file: its name does not say the page title)" in result.output

    result = run(
        "push",
        str(tmp_path),
        "--wiki",
        client.api_url,
        "--create",
        "--summary",
        "Create",
        "--apply",
    )
    assert f"{new}: changed (created)" in result.output, result.output
    assert f"{taken}: conflict (a new file, but the page exists on the wiki" in result.output
    assert client.read_page(new).text == "A new page."
    assert client.read_page(taken).text == "Already here."
    writes = client.stats.writes
    # The created page is in the manifest now: a second push sends nothing for it.
    outcomes = push(client, tmp_path, PushOptions("Create", apply=True, create=True))
    assert {o.title: o.status for o in outcomes}[new] is Status.UNCHANGED
    assert client.stats.writes == writes


def test_a_session_lost_for_good_stops_the_run(
    proxied: Callable[..., Wiki],
    proxy: FaultProxy,
    unique: Callable[[str], str],
) -> None:
    # The real server cannot be told to drop our session twice in a row; the proxy answers
    # as MediaWiki does (a failed assert=user) for two edits, across one fresh login.
    wiki = proxied()
    titles = [unique("Session"), unique("Session")]
    bulk_create(wiki, dict.fromkeys(titles, "Text.}}"))
    lost = {"error": {"code": "assertuserfailed", "info": "You are no longer logged in."}}
    proxy.inject(*[Fault(when_action="edit", body=lost) for _ in range(2)])
    writes = wiki.stats.writes
    with pytest.raises(SessionLostError) as raised:
        fix_pages(wiki, titles, engine_fixer(), FixOptions(apply=True))
    assert "the login was lost" in str(raised.value)
    assert wiki.stats.writes - writes == 2  # the edit, and its retry after logging in again
    assert wiki.read_page(titles[1]).text == "Text.}}"


def test_https_to_a_plain_http_server_says_so(sandbox_wiki: Any) -> None:
    from wikitools.errors import HttpError

    port = sandbox_wiki.port
    wiki = Wiki(f"https://127.0.0.1:{port}/api.php", user_agent=UA)
    with pytest.raises(HttpError) as raised:
        wiki.read_page("Main Page")
    message = str(raised.value)
    assert f"does not speak TLS on https://127.0.0.1:{port}" in message
    assert "certificate" not in message
