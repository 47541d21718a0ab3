"""Bot runs against the real sandbox wiki: kill -9 and resume, stop page, limit, nobots, tags,
talk-page messages, blocks, read-only, faults, page sources and dump candidates."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from livewiki import UA, BotAccount, Fault, FaultProxy
from typer.testing import CliRunner, Result

from wikitools.bot.journal import Journal
from wikitools.cli.app import app
from wikitools.mediawiki import Credentials, Wiki

BROKEN = "Page {i} of a bot run, with a stray brace.}}}}\n\nMore text here."
SUMMARY = "botrun test {stem}"


def wikitools_command() -> list[str]:
    script = Path(sys.executable).parent / "wikitools"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from wikitools.cli.app import main; main()"]


def env_for(credentials: Credentials, tmp_path: Path) -> dict[str, str]:
    return {
        "WIKITOOLS_USERNAME": credentials.username,
        "WIKITOOLS_PASSWORD": credentials.password,
        "WIKITOOLS_CREDENTIALS": str(tmp_path / "no-credentials.toml"),
        "WIKITOOLS_USER_AGENT": UA,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def cli(credentials: Credentials, tmp_path: Path, *args: str) -> Result:
    result = CliRunner(env=env_for(credentials, tmp_path)).invoke(app, list(args))
    assert credentials.password not in result.output
    return result


def make_broken(sandbox: Any, stem: str, count: int, category: str | None = None) -> list[str]:
    """``count`` pages with a stray ``}}`` (saved by the admin), optionally in a category."""
    suffix = f"\n[[Category:{category}]]" if category else ""
    pages = {f"{stem}/{i:02d}": BROKEN.format(i=i) + suffix for i in range(count)}
    sandbox.edit_many(pages)
    return list(pages)


def history(wiki: Wiki, title: str) -> list[dict[str, Any]]:
    revisions: list[dict[str, Any]] = []
    for answer in wiki.query(
        {"prop": "revisions", "titles": title, "rvprop": "ids|user|comment|tags", "rvlimit": "max"}
    ):
        for page in answer["query"]["pages"]:
            revisions.extend(page.get("revisions", []))
    return revisions


def bot_edits(wiki: Wiki, title: str, summary: str) -> int:
    return sum(1 for rev in history(wiki, title) if rev.get("comment") == summary)


def assert_fixed_once(wiki: Wiki, titles: list[str], summary: str) -> None:
    for title in titles:
        text = wiki.read_page(title).text or ""
        assert "}}" not in text, (title, text)
        assert bot_edits(wiki, title, summary) == 1, (title, history(wiki, title))


# -- kill -9 and resume ------------------------------------------------------------------------


def test_kill_9_partway_then_resume_fixes_every_page_with_one_edit_each(
    sandbox_wiki: Any, bot: BotAccount, client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    stem = unique("Kill run")
    category = stem.replace("/", " ") + " cat"
    titles = make_broken(sandbox_wiki, stem, 60, category)
    summary = SUMMARY.format(stem=stem)
    journal = tmp_path / "run.journal"
    args = [
        *wikitools_command(),
        "fix-wiki",
        "--wiki",
        sandbox_wiki.api_url,
        "--category",
        category,
        "--apply",
        "--summary",
        summary,
        "--journal",
        str(journal),
        "--throttle",
        "0",
    ]
    env = {**os.environ, **env_for(bot.credentials, tmp_path)}
    # Killed three times, each at another point of the run, then left to finish.
    for kill_at in (11, 7, 13):
        process = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert process.stdout is not None
        changed = 0
        for line in process.stdout:
            changed += ": changed" in line
            if changed >= kill_at:
                break
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        assert process.returncode == -signal.SIGKILL
    with Journal(journal, sandbox_wiki.api_url) as opened:
        first = opened.counts()
    assert first.get("changed", 0) >= 31 and sum(first.values()) < 60, first

    rerun = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.count(": already done (") >= 31
    assert "pages read:" in rerun.stderr and "edits per minute:" in rerun.stderr
    assert_fixed_once(client, titles, summary)
    with Journal(journal, sandbox_wiki.api_url) as opened:
        assert opened.counts() == {"changed": 60}


def test_kill_right_after_the_wiki_saved_settles_the_intent_from_history(
    sandbox_wiki: Any,
    bot: BotAccount,
    client: Wiki,
    proxy: FaultProxy,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    stem = unique("Kill after save")
    titles = make_broken(sandbox_wiki, stem, 6)
    summary = SUMMARY.format(stem=stem)
    journal = tmp_path / "run.journal"
    saved = threading.Event()
    release = threading.Event()
    edits = [0]

    def hold_third_edit(params: dict[str, str]) -> None:
        if params.get("action") != "edit":
            return
        edits[0] += 1
        if edits[0] == 3:
            saved.set()  # the wiki has saved it; the answer is held back
            release.wait(60)

    proxy.after_forward = hold_third_edit
    args = [
        *wikitools_command(),
        "fix-wiki",
        "--wiki",
        proxy.api_url,
        *titles,
        "--apply",
        "--summary",
        summary,
        "--journal",
        str(journal),
    ]
    env = {**os.environ, **env_for(bot.credentials, tmp_path)}
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert saved.wait(120), "the third edit never reached the wiki"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        proxy.after_forward = None
        release.set()
    third = titles[2]
    with Journal(journal, proxy.api_url) as opened:
        assert opened.intent(third) is not None and opened.done(third) is None
        assert opened.counts() == {"changed": 2, "intent": 1}
    assert bot_edits(client, third, summary) == 1  # saved, but the run never heard of it

    rerun = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{third}: changed (saved by an interrupted run; found in the page history" in (
        rerun.stdout
    )
    assert_fixed_once(client, titles, summary)
    with Journal(journal, proxy.api_url) as opened:
        assert opened.counts() == {"changed": 6}


# -- faults ------------------------------------------------------------------------------------


MAXLAG = {"error": {"code": "maxlag", "info": "Waiting for a replica: 7 seconds lagged.", "lag": 7}}


def test_faults_mid_run_end_in_a_complete_run_without_duplicate_edits(
    sandbox_wiki: Any,
    bot: BotAccount,
    client: Wiki,
    proxy: FaultProxy,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    stem = unique("Faulty run")
    titles = make_broken(sandbox_wiki, stem, 6)
    summary = SUMMARY.format(stem=stem)
    journal = tmp_path / "run.journal"
    proxy.inject(
        Fault(drop=True, when_action="edit"),  # lost before the wiki saw it
        Fault(status=503, when_action="edit"),
        Fault(body=MAXLAG, headers={"Retry-After": "0"}, when_action="edit"),
        Fault(drop_after=True, when_action="edit"),  # saved, but the answer is lost
        Fault(status=502, when_action="query"),
    )
    args = ("fix-wiki", "--wiki", proxy.api_url, *titles, "--apply", "--summary", summary)
    result = cli(bot.credentials, tmp_path, *args, "--journal", str(journal))
    assert result.exit_code == 0, result.output
    assert not proxy.faults
    assert_fixed_once(client, titles, summary)
    with Journal(journal, proxy.api_url) as opened:
        assert opened.counts() == {"changed": 6}


def make_user(sandbox: Any, name: str) -> Credentials:
    sandbox.run_maintenance("createAndPromote", "--bot", name, secrets.token_urlsafe(16))
    output = sandbox.run_maintenance(
        "createBotPassword",
        "--appid=botrun",
        "--grants=basic,highvolume,editpage,createeditmovepage",
        name,
    )
    match = re.search(r"username:'([^']+)' and password:'([^']+)'", output)
    assert match is not None, output
    return Credentials(match.group(1), match.group(2))


def test_a_block_mid_run_stops_at_once_with_a_consistent_journal(
    sandbox_wiki: Any, client: Wiki, proxy: FaultProxy, unique: Callable[[str], str], tmp_path: Path
) -> None:
    name = "Botrun blocked " + secrets.token_hex(3)
    editor = make_user(sandbox_wiki, name)
    stem = unique("Blocked run")
    titles = make_broken(sandbox_wiki, stem, 5)
    summary = SUMMARY.format(stem=stem)
    edits = [0]

    def block_after_two(params: dict[str, str]) -> None:
        if params.get("action") == "edit":
            edits[0] += 1
            if edits[0] == 2:
                admin = sandbox_wiki.admin
                admin.api(
                    {
                        "action": "block",
                        "user": name,
                        "expiry": "infinite",
                        "reason": "botrun test",
                        "token": admin.csrf_token(),
                    },
                    post=True,
                )

    proxy.after_forward = block_after_two
    journal = tmp_path / "run.journal"
    args = ("fix-wiki", "--wiki", proxy.api_url, *titles, "--apply", "--summary", summary)
    result = cli(editor, tmp_path, *args, "--journal", str(journal))
    proxy.after_forward = None
    assert result.exit_code == 2, result.output
    assert "error: stopped: blocked:" in result.output
    assert result.output.count(": changed") == 2
    assert edits[0] == 2  # the block was seen before a third edit was even sent
    with Journal(journal, proxy.api_url) as opened:
        assert opened.counts() == {"changed": 2}
    assert [bot_edits(client, t, summary) for t in titles] == [1, 1, 0, 0, 0]


def test_a_wiki_gone_read_only_mid_run_stops_it_at_once(
    make_wiki: Callable[..., Any], tmp_path: Path
) -> None:
    sandbox = make_wiki()
    credentials = Credentials(*sandbox.create_bot_password("readonlyrun"))
    titles = make_broken(sandbox, "Read only run", 4)
    proxy = FaultProxy(sandbox.api_url)
    edits = [0]

    def go_read_only(params: dict[str, str]) -> None:
        if params.get("action") == "edit":
            edits[0] += 1
            sandbox.configure("$wgReadOnly = 'Maintenance for the botrun test';")

    proxy.after_forward = go_read_only
    journal = tmp_path / "run.journal"
    started = time.monotonic()
    try:
        result = cli(
            credentials,
            tmp_path,
            *("fix-wiki", "--wiki", proxy.api_url, *titles, "--apply"),
            *("--journal", str(journal)),
        )
    finally:
        proxy.close()
    assert time.monotonic() - started < 60  # seen before the next edit: no retries
    assert result.exit_code == 2, result.output
    assert "error: stopped: readonly:" in result.output
    assert "Maintenance for the botrun test" in result.output
    assert edits[0] == 1 and result.output.count(": changed") == 1
    with Journal(journal, proxy.api_url) as opened:
        assert opened.counts() == {"changed": 1}
    sandbox.configure("")
    assert [("}}" in (sandbox.page_text(t) or "")) for t in titles] == [False, True, True, True]


def test_a_wiki_read_only_from_the_start_stops_the_run_at_once(
    make_wiki: Callable[..., Any], tmp_path: Path
) -> None:
    sandbox = make_wiki()
    credentials = Credentials(*sandbox.create_bot_password("readonlystart"))
    titles = make_broken(sandbox, "Read only start", 2)
    sandbox.configure("$wgReadOnly = 'Closed for the start test';")
    started = time.monotonic()
    try:
        result = cli(
            credentials,
            tmp_path,
            *("fix-wiki", "--wiki", sandbox.api_url, *titles, "--apply"),
            *("--journal", str(tmp_path / "run.journal")),
        )
    finally:
        sandbox.configure("")
    assert time.monotonic() - started < 60  # no backoff: the first readonly answer ends it
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "read-only" in errors[0], result.output
    assert [("}}" in (sandbox.page_text(t) or "")) for t in titles] == [True, True]


# -- stop page, talk messages ------------------------------------------------------------------


def test_stop_page_missing_or_saying_stop_makes_no_edit(
    sandbox_wiki: Any, bot: BotAccount, client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    stem = unique("Stop page")
    titles = make_broken(sandbox_wiki, stem, 2)
    stop = f"User:Admin/{stem} stop"
    base = ("fix-wiki", "--wiki", sandbox_wiki.api_url, *titles, "--apply", "--stop-page", stop)
    result = cli(bot.credentials, tmp_path, *base)
    assert result.exit_code == 2, result.output
    assert "does not exist; create it with the text 'true'" in result.output
    for text in ("false", "stop", "true please", ""):
        sandbox_wiki.edit(stop, text or "<!-- -->")
        result = cli(bot.credentials, tmp_path, *base)
        assert result.exit_code == 2, result.output
        assert "error: stopped: stoppage: the stop page" in result.output
    for title in titles:
        assert "}}" in (client.read_page(title).text or "")
    sandbox_wiki.edit(stop, "  true\n")
    result = cli(bot.credentials, tmp_path, *base)
    assert result.exit_code == 0, result.output
    assert result.output.count(": changed") == 2


def test_stop_page_flipped_during_a_run_allows_at_most_one_more_edit(
    sandbox_wiki: Any,
    bot: BotAccount,
    client: Wiki,
    proxy: FaultProxy,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    stem = unique("Flip stop")
    titles = make_broken(sandbox_wiki, stem, 6)
    stop = f"User:Admin/{stem} stop"
    sandbox_wiki.edit(stop, "true")
    summary = SUMMARY.format(stem=stem)

    def flip(params: dict[str, str]) -> None:
        if params.get("action") == "edit" and params.get("title") == titles[1]:
            sandbox_wiki.edit(stop, "false")

    proxy.after_forward = flip
    args = ("fix-wiki", "--wiki", proxy.api_url, *titles, "--apply", "--summary", summary)
    result = cli(bot.credentials, tmp_path, *args, "--stop-page", stop)
    proxy.after_forward = None
    assert result.exit_code == 2, result.output
    assert "the stop page" in result.output and "says 'false'" in result.output
    made = [bot_edits(client, t, summary) for t in titles]
    assert sum(made) <= 3 and made[:2] == [1, 1], made  # flipped at the 2nd: at most 1 more


def test_a_new_talk_page_message_stops_the_run_unless_ignored(
    make_wiki: Callable[..., Any], tmp_path: Path
) -> None:
    sandbox = make_wiki()
    credentials = Credentials(*sandbox.create_bot_password("hasmsg"))
    titles = make_broken(sandbox, "Talk message", 2)
    Wiki(sandbox.api_url, user_agent="someone-else/1.0").edit(
        "User talk:Admin", "Please stop your bot.", summary="message"
    )
    args = ("fix-wiki", "--wiki", sandbox.api_url, *titles, "--apply")
    result = cli(credentials, tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert "error: stopped: hasmsg: the bot account has a new message" in result.output
    assert all("}}" in (sandbox.page_text(t) or "") for t in titles)
    result = cli(credentials, tmp_path, *args, "--ignore-talk-messages")
    assert result.exit_code == 0, result.output
    assert result.output.count(": changed") == 2


# -- limit, nobots, tags -----------------------------------------------------------------------


def test_limit_makes_exactly_that_many_edits_and_nobots_pages_are_left_alone(
    sandbox_wiki: Any, bot: BotAccount, client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    stem = unique("Limit")
    titles = make_broken(sandbox_wiki, stem, 6)
    summary = SUMMARY.format(stem=stem)
    base = ("fix-wiki", "--wiki", sandbox_wiki.api_url, "--apply", "--summary", summary)
    result = cli(bot.credentials, tmp_path, *base, *titles, "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "stopped: the edit limit is reached (3 edits)" in result.output
    assert sum(bot_edits(client, t, summary) for t in titles) == 3

    nobots = {
        f"{stem} nobots": "{{nobots}}\nText.}}",
        f"{stem} deny": "{{bots|deny=Admin}}\nText.}}",
        f"{stem} allow other": "{{bots|allow=SomeOtherBot}}\nText.}}",
        f"{stem} allowed": "{{bots|allow=Admin}}\nText.}}",
    }
    sandbox_wiki.edit_many(nobots)
    result = cli(bot.credentials, tmp_path, *base, *nobots)
    assert result.exit_code == 1, result.output  # skipped pages need a look
    assert result.output.count(": skipped ({{") == 3
    assert "skipped: 3; {{nobots}} excludes all bots: 1;" in result.output  # the statistics
    assert [bot_edits(client, t, summary) for t in nobots] == [0, 0, 0, 1]
    result = cli(bot.credentials, tmp_path, *base, f"{stem} nobots", "--ignore-nobots")
    assert result.exit_code == 0 and bot_edits(client, f"{stem} nobots", summary) == 1


def test_tags_are_checked_before_the_first_save(
    sandbox_wiki: Any, bot: BotAccount, client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    stem = unique("Tagged")
    titles = make_broken(sandbox_wiki, stem, 1)
    tag = "botrun-" + secrets.token_hex(3)
    base = ("fix-wiki", "--wiki", sandbox_wiki.api_url, *titles, "--apply", "--tag", tag)
    writes = client.stats.writes
    result = cli(bot.credentials, tmp_path, *base)
    assert result.exit_code == 2, result.output
    assert f"error: the tag '{tag}' is not defined on" in result.output
    assert "}}" in (client.read_page(titles[0]).text or "")
    admin = sandbox_wiki.admin
    admin.api(
        {
            "action": "managetags",
            "operation": "create",
            "tag": tag,
            "reason": "test",
            "token": admin.csrf_token(),
        },
        post=True,
    )
    result = cli(bot.credentials, tmp_path, *base)
    assert result.exit_code == 0, result.output
    assert tag in history(client, titles[0])[0]["tags"]
    assert client.stats.writes == writes


# -- page sources ------------------------------------------------------------------------------


def test_recent_changes_all_pages_namespaces_and_dump_candidates(
    make_wiki: Callable[..., Any], tmp_path: Path
) -> None:
    sandbox = make_wiki()
    credentials = Credentials(*sandbox.create_bot_password("sources"))
    main = make_broken(sandbox, "Source main", 3)
    help_pages = make_broken(sandbox, "Help:Source help", 2)
    dump = sandbox.export_dump(tmp_path / "dump.xml")
    api = ("fix-wiki", "--wiki", sandbox.api_url)

    result = cli(credentials, tmp_path, *api, "--recent-changes", "1", "--namespace", "12")
    assert result.exit_code == 0, result.output
    assert sorted(re.findall(r"^(Help:[^:]+): would change", result.output, re.M)) == help_pages
    result = cli(credentials, tmp_path, *api, "--all-pages")
    assert sorted(re.findall(r"^(Source main/\d+): would change", result.output, re.M)) == main
    assert "Help:" not in result.output

    sandbox.edit(main[0], "Fixed by hand meanwhile.")
    journal = tmp_path / "dump.journal"
    report = tmp_path / "report.jsonl"
    args = (*api, "--candidates-from", str(dump), "--apply", "--journal", str(journal))
    result = cli(credentials, tmp_path, *args, "--report", str(report))
    assert result.exit_code == 0, result.output
    assert f"{main[0]}: unchanged (the live page no longer has the problem" in result.output
    assert result.output.count(": changed") == 4
    lines = report.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    result = cli(credentials, tmp_path, *args)
    assert result.exit_code == 0, result.output
    assert result.output.count(": already done (") == 5 and "5 already done" in result.output


def test_throttle_paces_the_saves_through_the_shared_files(
    sandbox_wiki: Any, bot: BotAccount, client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    stem = unique("Paced")
    titles = make_broken(sandbox_wiki, stem, 3)
    summary = SUMMARY.format(stem=stem)
    args = ("fix-wiki", "--wiki", sandbox_wiki.api_url, *titles, "--apply", "--summary", summary)
    started = time.monotonic()
    result = cli(bot.credentials, tmp_path, *args, "--throttle", "1.5")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert elapsed >= 3.0  # three saves, 1.5 s apart
    files = sorted(p.suffix for p in (tmp_path / "cache" / "wikitools" / "throttle").iterdir())
    assert files == [".last", ".lock"]
    assert_fixed_once(client, titles, summary)
