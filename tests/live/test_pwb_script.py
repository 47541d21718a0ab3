"""``pwb wikitools_fix`` for real: pywikibot's own launcher, against the sandbox wiki.

Every run is a subprocess of the installed ``pwb`` console script, as a pywikibot user
types it, with no user-config.py (``PYWIKIBOT_NO_USER_CONFIG``): the site is a family
file made by pywikibot's ``generate_family_file`` from the wiki's URL, the login a bot
password in a pywikibot password file (``-passwordfile:``). pywikibot keeps its files
(families, cookies, throttle, logs) in its base directory, which without a user-config
is the working directory: each run works in a temporary one, with ``HOME`` there too, so
nothing lands in the user's home.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from livewiki import Fault, FaultProxy

from wikitools.mediawiki import Wiki

PWB = Path(sys.executable).with_name("pwb")
SUMMARY = "wikitools: fix broken wikitext (B101)"


class PwbHome(NamedTuple):
    """pywikibot's base directory for the runs, and what it knows."""

    directory: Path
    user: str
    password: str


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str

    def outcomes(self) -> dict[str, str]:
        """``{title: "changed (B101)"}`` from the script's per-page lines."""
        found = {}
        for line in self.stdout.splitlines():
            match = re.match(
                r"^(.+?): (changed|would change|unchanged|skipped|conflict|refused)"
                r"(?: \((.*)\))?$",
                line,
            )
            if match:
                title, status, detail = match.groups()
                found[title] = status + (f" ({detail})" if detail else "")
        return found


def pwb(
    home: PwbHome,
    *args: str,
    stdin: str | None = None,
    timeout: float = 300,
    pywikibot_tracebacks: bool = False,
) -> Run:
    """``pwb ARGS`` in ``home`` (no user-config, no terminal, HOME there); ``stdin`` is
    what the user types (none: standard input is closed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYWIKIBOT")}
    env.update(HOME=str(home.directory), PYWIKIBOT_NO_USER_CONFIG="2")
    done = subprocess.run(
        [str(PWB), *args],
        cwd=home.directory,
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    run = Run(done.returncode, done.stdout, done.stderr)
    assert home.password not in run.stdout + run.stderr
    if not pywikibot_tracebacks:  # pywikibot logs its retries of lost connections with them
        assert "Traceback" not in run.stderr, run.stderr
    return run


def add_family(home: PwbHome, name: str, api_url: str) -> None:
    """pywikibot's own ``generate_family_file`` for ``api_url`` (no interwiki, verify TLS)."""
    done = pwb(home, "generate_family_file", api_url, name, "n", "n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (home.directory / "families" / f"{name}_family.py").is_file()


@pytest.fixture(scope="module")
def home(sandbox_wiki: Any, tmp_path_factory: pytest.TempPathFactory) -> PwbHome:
    """A base directory with a family for the sandbox wiki and a bot password file."""
    directory = tmp_path_factory.mktemp("pwbhome")
    username, password = sandbox_wiki.create_bot_password("pwbscript")
    user, appid = username.split("@", 1)
    passwords = directory / "passwords"
    passwords.write_text(f"({user!r}, BotPassword({appid!r}, {password!r}))\n", "utf-8")
    passwords.chmod(0o600)
    made = PwbHome(directory, user, password)
    add_family(made, "wtsandbox", sandbox_wiki.api_url)
    return made


def fix(home: PwbHome, *args: str, family: str = "wtsandbox", stdin: str | None = None) -> Run:
    """``pwb wikitools_fix`` on the sandbox, logged in with the bot password, no throttle."""
    return pwb(
        home,
        "wikitools_fix",
        f"-site:{family}:en",
        f"-user:{home.user}",
        "-passwordfile:passwords",
        "-pt:0",
        *args,
        stdin=stdin,
    )


def history(wiki: Any, title: str) -> list[dict[str, Any]]:
    """The page's revisions, newest first (ids, user, comment, text)."""
    answer = wiki.api(
        {
            "action": "query",
            "prop": "revisions",
            "titles": title,
            "rvlimit": "max",
            "rvprop": "ids|user|comment|content",
            "rvslots": "main",
        }
    )
    (page,) = answer["query"]["pages"]
    return [
        {
            "revid": r["revid"],
            "parentid": r["parentid"],
            "user": r["user"],
            "comment": r["comment"],
            "text": r["slots"]["main"]["content"],
        }
        for r in page.get("revisions", [])
    ]


def make_category(
    wiki: Any, unique: Callable[[str], str], **pages: str
) -> tuple[str, dict[str, str]]:
    """A new category holding pages ``{key: text}``; returns it and ``{key: title}``."""
    category = unique("Pwb cat")
    titles = {key: unique(f"Pwb {key}") for key in pages}
    for key, text in pages.items():
        wiki.edit(titles[key], f"{text}\n[[Category:{category}]]")
    return category, titles


@pytest.mark.parametrize("where", ["after", "before"])
def test_simulate_saves_nothing_and_says_would_change(
    home: PwbHome, sandbox_wiki: Any, unique: Callable[[str], str], where: str
) -> None:
    category, titles = make_category(
        sandbox_wiki, unique, broken="Text.}}\nMore.", also="Other.}}", clean="Clean."
    )
    before = {key: history(sandbox_wiki, title) for key, title in titles.items()}
    if where == "after":  # the global option after the script name: handle_args must see it
        run = fix(home, f"-cat:{category}", "-always", "-simulate")
    else:  # before it: pwb's own handle_args reads it
        run = pwb(
            home,
            "-simulate",
            "-site:wtsandbox:en",
            "wikitools_fix",
            f"-user:{home.user}",
            "-passwordfile:passwords",
            "-pt:0",
            f"-cat:{category}",
            "-always",
        )
    assert run.returncode == 0, run.stdout + run.stderr
    for key, title in titles.items():
        assert history(sandbox_wiki, title) == before[key]  # no revision at all
    assert run.outcomes() == {
        titles["broken"]: "would change (B101)",
        titles["also"]: "would change (B101)",
        titles["clean"]: "unchanged",
    }
    assert "wikitools_fix: 2 would change, 1 unchanged" in run.stderr
    assert "changed (" not in run.stdout.replace("would change (", "")
    assert "write operation" not in run.stderr  # pywikibot's own counter: nothing written


def test_always_saves_and_counts_only_what_was_saved(
    home: PwbHome, sandbox_wiki: Any, unique: Callable[[str], str]
) -> None:
    category, titles = make_category(
        sandbox_wiki, unique, one="A.}}\nB.", two="C.}}", three="D.}}\n{{nobots}}", clean="E."
    )
    before = {key: history(sandbox_wiki, title) for key, title in titles.items()}
    run = fix(home, f"-cat:{category}", "-always")
    assert run.returncode == 0, run.stdout + run.stderr
    outcomes = run.outcomes()
    assert outcomes[titles["one"]] == "changed (B101)"
    assert outcomes[titles["two"]] == "changed (B101)"
    assert outcomes[titles["clean"]] == "unchanged"
    # {{nobots}} is honoured (pywikibot's botMayEdit): skipped, nothing sent.
    assert (
        outcomes[titles["three"]] == "skipped ({{bots}}/{{nobots}} on the page excludes this bot)"
    )
    for key in ("one", "two"):
        revisions = history(sandbox_wiki, titles[key])
        assert len(revisions) == len(before[key]) + 1
        assert revisions[0]["user"] == home.user
        assert revisions[0]["comment"] == SUMMARY  # the i18n message of wikitools_pwb.i18n
        assert revisions[0]["parentid"] == before[key][0]["revid"]
        assert "}}" not in revisions[0]["text"].split("\n[[")[0]
    for key in ("three", "clean"):
        assert history(sandbox_wiki, titles[key]) == before[key]
    # Counted when the saves were done (after pywikibot's put queue ran), not when queued.
    assert "wikitools_fix: 2 changed, 1 unchanged, 1 skipped" in run.stderr
    assert "2 write operations" in run.stderr


def test_a_page_given_by_title_and_a_second_run_changes_nothing(
    home: PwbHome, sandbox_wiki: Any, unique: Callable[[str], str]
) -> None:
    title = unique("Pwb single")
    sandbox_wiki.edit(title, "Alone.}}")
    first = fix(home, f"-page:{title}", "-always", "-summary:a bot test run")
    assert first.outcomes() == {title: "changed (B101)"}
    revisions = history(sandbox_wiki, title)
    assert revisions[0]["comment"] == "a bot test run"
    again = fix(home, f"-page:{title}", "-always")
    assert again.outcomes() == {title: "unchanged"}
    assert history(sandbox_wiki, title) == revisions


@pytest.fixture
def proxy_family(
    home: PwbHome, sandbox_wiki: Any, proxy: FaultProxy, unique: Callable[[str], str]
) -> str:
    """A family for the wiki behind the fault proxy: the sandbox's family file with the
    proxy's address (generate_family_file insists on the address the wiki calls its own)."""
    name = "wtproxy" + unique("x").split()[-1]
    families = home.directory / "families"
    text = (families / "wtsandbox_family.py").read_text("utf-8")
    wiki_host = sandbox_wiki.api_url.split("//", 1)[1].split("/", 1)[0]
    proxy_host = proxy.api_url.split("//", 1)[1].split("/", 1)[0]
    assert f"'{wiki_host}'" in text and "name = 'wtsandbox'" in text
    text = text.replace(f"'{wiki_host}'", f"'{proxy_host}'")
    (families / f"{name}_family.py").write_text(
        text.replace("name = 'wtsandbox'", f"name = {name!r}"), "utf-8"
    )
    return name


def test_a_concurrent_human_edit_is_never_overwritten(
    home: PwbHome,
    sandbox_wiki: Any,
    proxy: FaultProxy,
    proxy_family: str,
    other_editor: Wiki,
    unique: Callable[[str], str],
) -> None:
    rebased, fixed_by_hand = unique("Pwb busy"), unique("Pwb fixed meanwhile")
    sandbox_wiki.edit(rebased, "Intro.}}\nEnd.")
    sandbox_wiki.edit(fixed_by_hand, "Their intro.}}\nEnd.")
    # Just before each of the bot's saves reaches the wiki, someone edits the same line.
    proxy.inject(
        Fault(
            when_action="edit",
            before=lambda: other_editor.edit(rebased, "Intro, theirs.}}\nEnd.", summary="x"),
        )
    )
    run = fix(home, f"-page:{rebased}", "-always", family=proxy_family)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.outcomes() == {rebased: "changed (rebased onto the latest revision; B101)"}
    latest, theirs, _ = history(sandbox_wiki, rebased)
    assert latest["text"] == "Intro, theirs.\nEnd."  # their words stay, our fix on top
    assert latest["parentid"] == theirs["revid"] and theirs["user"] != home.user

    proxy.inject(
        Fault(
            when_action="edit",
            before=lambda: other_editor.edit(
                fixed_by_hand, "Their intro, fixed by hand.\nEnd.", summary="y"
            ),
        )
    )
    run = fix(home, f"-page:{fixed_by_hand}", "-always", family=proxy_family)
    assert run.outcomes() == {fixed_by_hand: "unchanged (someone else's edit left nothing to fix)"}
    latest, _ = history(sandbox_wiki, fixed_by_hand)
    assert latest["text"] == "Their intro, fixed by hand.\nEnd." and latest["user"] != home.user
    assert "wikitools_fix: 1 unchanged" in run.stderr


def test_a_read_only_wiki_stops_the_run_with_one_line(
    home: PwbHome, sandbox_wiki: Any, unique: Callable[[str], str]
) -> None:
    category, titles = make_category(sandbox_wiki, unique, a="A.}}", b="B.}}")
    before = {key: history(sandbox_wiki, title) for key, title in titles.items()}
    sandbox_wiki.configure("$wgReadOnly = 'Maintenance for a pwb test';")
    try:
        # pywikibot waits and retries on a read-only wiki: once, without waiting, here.
        run = fix(
            home, f"-cat:{category}", "-always", "-max_retries:1", "-retry_wait:0", "-retry_max:0"
        )
    finally:
        sandbox_wiki.configure("")
    assert run.returncode == 1, run.stdout + run.stderr
    for key, title in titles.items():
        assert history(sandbox_wiki, title) == before[key]
    assert "the run stopped:" in run.stderr
    assert "changed" not in run.stdout.replace("unchanged", "")


def test_usage_errors_exit_2(home: PwbHome, sandbox_wiki: Any) -> None:
    run = fix(home, "-bogus")
    assert run.returncode == 2
    assert 'Unknown parameter "-bogus"' in run.stdout + run.stderr


def test_simulate_sends_no_write_request_at_all(
    home: PwbHome,
    sandbox_wiki: Any,
    proxy: FaultProxy,
    proxy_family: str,
    unique: Callable[[str], str],
) -> None:
    category, titles = make_category(sandbox_wiki, unique, broken="Text.}}", clean="Clean.")
    run = fix(home, f"-cat:{category}", "-always", "-simulate", family=proxy_family)
    assert run.outcomes() == {titles["broken"]: "would change (B101)", titles["clean"]: "unchanged"}
    actions = [seen.params.get("action") for seen in proxy.seen]
    assert "query" in actions  # the run did read through the proxy...
    assert "edit" not in actions  # ...and never tried to save
    assert all(seen.params.get("type") != "csrf" for seen in proxy.seen)  # nor asked to


def test_without_always_pywikibot_asks_for_each_page(
    home: PwbHome, sandbox_wiki: Any, unique: Callable[[str], str]
) -> None:
    category, titles = make_category(sandbox_wiki, unique, a="A.}}", b="B.}}", c="C.}}")
    before = {key: history(sandbox_wiki, title) for key, title in titles.items()}
    # "n" for the first page (in category order: a, b, c), then "a" (all) for the rest.
    run = fix(home, f"-cat:{category}", stdin="n\na\n")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.outcomes() == {
        titles["a"]: "skipped (declined)",
        titles["b"]: "changed (B101)",
        titles["c"]: "changed (B101)",
    }
    assert history(sandbox_wiki, titles["a"]) == before["a"]
    for key in ("b", "c"):
        assert len(history(sandbox_wiki, titles[key])) == len(before[key]) + 1


def test_without_always_and_nobody_to_answer_nothing_is_saved(
    home: PwbHome, sandbox_wiki: Any, unique: Callable[[str], str]
) -> None:
    title = unique("Pwb unattended")
    sandbox_wiki.edit(title, "A.}}")
    before = history(sandbox_wiki, title)
    run = fix(home, f"-page:{title}")  # stdin is closed
    assert run.returncode == 2
    assert "give -always to save without asking" in run.stderr
    assert history(sandbox_wiki, title) == before


def test_an_unreachable_wiki_is_one_error_line_and_exit_2(home: PwbHome) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    families = home.directory / "families"
    text = (families / "wtsandbox_family.py").read_text("utf-8")
    text = re.sub(r"'127\.0\.0\.1:\d+'", f"'127.0.0.1:{port}'", text)
    (families / "wtgone_family.py").write_text(text.replace("'wtsandbox'", "'wtgone'"), "utf-8")
    run = pwb(
        home,
        "wikitools_fix",
        "-site:wtgone:en",
        "-page:Anything",
        "-max_retries:1",
        "-retry_wait:0",
        "-retry_max:0",
        pywikibot_tracebacks=True,
    )
    assert run.returncode == 2
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ERROR: cannot start: ") and "pywikibot gave up retrying" in last
    assert "CRITICAL: Exiting due to uncaught exception" not in run.stderr


def test_without_an_account_only_a_simulated_run_goes_on(
    home: PwbHome, sandbox_wiki: Any, unique: Callable[[str], str]
) -> None:
    title = unique("Pwb anonymous")
    sandbox_wiki.edit(title, "A.}}")
    before = history(sandbox_wiki, title)
    base = ("wikitools_fix", "-site:wtsandbox:en", f"-page:{title}", "-pt:0")
    saving = pwb(home, *base, "-always")  # no -user: nobody to log in as
    assert saving.returncode == 2
    assert saving.stderr.strip().splitlines()[-1].startswith("ERROR: cannot start: username")
    dry = pwb(home, *base, "-simulate")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert dry.outcomes() == {title: "would change (B101)"}
    assert "the simulated run reads anonymously" in dry.stderr
    assert history(sandbox_wiki, title) == before


def test_a_queued_save_that_fails_is_not_counted(
    home: PwbHome,
    sandbox_wiki: Any,
    proxy: FaultProxy,
    proxy_family: str,
    unique: Callable[[str], str],
) -> None:
    """With -always the saves run later, on pywikibot's put queue; a save the wiki refuses
    there (an edit filter: this wiki has none, so the proxy answers as AbuseFilter does)
    is reported as refused, and neither count says it was written."""
    category, titles = make_category(sandbox_wiki, unique, a="A.}}", b="B.}}")
    before = {key: history(sandbox_wiki, title) for key, title in titles.items()}
    proxy.inject(
        Fault(
            when_action="edit",
            body={
                "error": {
                    "code": "abusefilter-disallowed",
                    "info": "This action has been automatically identified as harmful.",
                }
            },
        )
    )
    run = fix(home, f"-cat:{category}", "-always", family=proxy_family)
    assert run.returncode == 0, run.stdout + run.stderr
    outcomes = run.outcomes()
    assert outcomes[titles["a"]].startswith("refused (the wiki refused the edit (")
    assert "automatically identified as harmful" in outcomes[titles["a"]]
    assert outcomes[titles["b"]] == "changed (B101)"
    assert history(sandbox_wiki, titles["a"]) == before["a"]
    assert len(history(sandbox_wiki, titles["b"])) == len(before["b"]) + 1
    assert "wikitools_fix: 1 changed, 1 refused" in run.stderr
    assert "1 write operation\n" in run.stderr  # pywikibot's own counter agrees
