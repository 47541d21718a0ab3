"""``deps plan`` / ``deps import`` between two real MediaWikis (a source and a target)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.deps.wikis import (
    ARTICLE,
    ARTICLE_NEW,
    ARTICLE_TEXT,
    LOCAL_ARGUMENTS,
    STYLED,
    edit_count,
    fill,
)
from wikitools.cli.app import app
from wikitools.deps.plan import make_plan
from wikitools.mediawiki import Credentials, Wiki
from wikitools.transwiki.importer import ImportOutcome, ImportStatus, Method, run_import
from wikitools.transwiki.sources import ApiSource, ApiTarget, OfflineSource

UA = "wikitools-tests/0.1 (deps import tests)"


@pytest.fixture
def pair(wiki_pair: Any) -> Any:
    fill(wiki_pair.source, wiki_pair.target)
    return wiki_pair


@pytest.fixture
def bot(pair: Any) -> Credentials:
    username, password = pair.target.create_bot_password("depsbot")
    return Credentials(username, password)


def cli(bot: Credentials, tmp_path: Any, *args: str) -> Result:
    env = {
        "WIKITOOLS_USERNAME": bot.username,
        "WIKITOOLS_PASSWORD": bot.password,
        "WIKITOOLS_CREDENTIALS": str(tmp_path / "no-credentials.toml"),
        "WIKITOOLS_USER_AGENT": UA,
    }
    result = CliRunner(env=env).invoke(app, list(args))
    assert bot.password not in result.output
    return result


def statuses(plan_json: dict[str, Any]) -> dict[str, str]:
    return {page["title"]: page["status"] for page in plan_json["pages"]}


def render(wiki: Any, title: str) -> Any:
    client = Wiki(wiki.api_url, user_agent=UA, maxlag=None)
    return client.parse_page(title)


def test_plan_finds_the_whole_chain_and_keeps_local_versions(
    pair: Any, bot: Credentials, tmp_path: Any
) -> None:
    src, dst = pair.source.api_url, pair.target.api_url
    result = cli(
        bot, tmp_path, "deps", "plan", "--from", src, "--to", dst, ARTICLE, "--format", "json"
    )
    assert result.exit_code == 1, result.output  # a local version needs a person's look
    plan = json.loads(result.stdout)
    found = statuses(plan)
    assert {t for t, s in found.items() if s == "new"} == ARTICLE_NEW
    assert found["Module:Arguments"] == "differs"
    assert found[ARTICLE] == "identical"
    assert "Module:Footnotes/doc" not in found
    # 'Module:Footnotes/config' .. sandbox: resolved by a prefix listing, /sandbox skipped.
    assert "Module:Footnotes/config/sandbox" not in found
    assert any("Module:Footnotes/config/sandbox" in w and "skipped" in w for w in plan["warnings"])
    assert any("'Module:Footnotes/config' .. something" in w for w in plan["warnings"])
    # The whitelist module is only reachable through a branch the source's render did not
    # take: its templatelinks do not have it, the static scan does.
    links = pair.source.api(
        {"action": "query", "prop": "templates", "titles": ARTICLE, "tllimit": "max"}
    )["query"]["pages"][0].get("templates", [])
    linked = {t["title"] for t in links}
    assert "Module:Footnotes/anchor id list" in linked
    assert "Module:Footnotes/whitelist" not in linked
    # deps import without --apply is the same plan and writes nothing.
    edits = edit_count(pair.target)
    dry = cli(bot, tmp_path, "deps", "import", "--from", src, "--to", dst, ARTICLE)
    would = [line for line in dry.stdout.splitlines() if line.startswith("would import: ")]
    assert len(would) == len(ARTICLE_NEW) and edit_count(pair.target) == edits
    assert "dry run: pass --apply to write" in dry.stderr
    # The redirect alias and its target both come.
    page = next(p for p in plan["pages"] if p["title"] == "Template:Harvard citation no brackets")
    assert any("Template:Harvnb (redirect" in why for why in page["needed_by"])


@pytest.mark.parametrize("method", ["import", "edit"])
def test_import_makes_the_article_render_and_a_rerun_writes_nothing(
    pair: Any, bot: Credentials, tmp_path: Any, method: str
) -> None:
    src, dst = pair.source.api_url, pair.target.api_url
    before = render(pair.target, ARTICLE)
    assert before.missing_templates  # the target lacks the chain
    result = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        src,
        "--to",
        dst,
        ARTICLE,
        "--apply",
        "--method",
        method,
    )
    assert result.exit_code == 1, result.output  # Module:Arguments differs: reported
    imported = [line for line in result.stdout.splitlines() if line.startswith("imported: ")]
    assert {line.split(": ", 1)[1].split(" (")[0] for line in imported} == ARTICLE_NEW
    assert "differs: Module:Arguments" in result.stdout
    after = render(pair.target, ARTICLE)
    assert after.script_errors == ()
    assert after.missing_templates == () and after.missing_modules == ()
    assert "Smith 2000" in after.html
    assert f"rendered {ARTICLE}: 0 script error(s), 0 red" in result.stdout
    assert pair.target.page_text(ARTICLE) == ARTICLE_TEXT.rstrip("\n")
    assert pair.target.page_text("Module:Arguments") == LOCAL_ARGUMENTS.rstrip("\n")
    # Modules came with their content model.
    info = pair.target.api(
        {"action": "query", "prop": "info", "titles": "Module:Footnotes/anchor id list"}
    )["query"]["pages"][0]
    assert info["contentmodel"] == "Scribunto"
    user = pair.target.api(
        {
            "action": "query",
            "prop": "revisions",
            "titles": "Module:Footnotes",
            "rvprop": "user",
            "rvdir": "newer",
            "rvlimit": 1,
        }
    )["query"]["pages"][0]["revisions"][0]["user"]  # the first revision: the source's
    assert user == ("imported>Admin" if method == "import" else "Admin")
    if method == "edit":
        comment = pair.target.api(
            {
                "action": "query",
                "prop": "revisions",
                "titles": "Module:Footnotes",
                "rvprop": "comment",
            }
        )["query"]["pages"][0]["revisions"][0]["comment"]
        assert "Module:Footnotes" in comment and "revision" in comment and "CC BY-SA" in comment
    edits = edit_count(pair.target)
    again = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        src,
        "--to",
        dst,
        ARTICLE,
        "--apply",
        "--method",
        method,
    )
    assert "imported: " not in again.stdout
    assert edit_count(pair.target) == edits
    assert "new" not in statuses_from_text(again.stdout)


def statuses_from_text(stdout: str) -> set[str]:
    return {line.split(": ", 1)[0] for line in stdout.splitlines() if ": " in line}


@pytest.mark.parametrize("method", [Method.IMPORT, Method.EDIT])
def test_an_interrupted_import_is_completed_by_a_rerun(
    pair: Any, bot: Credentials, tmp_path: Any, method: Method
) -> None:
    source = ApiSource(Wiki(pair.source.api_url, user_agent=UA, maxlag=None))
    client = Wiki(pair.target.api_url, user_agent=UA, maxlag=None)
    client.login(bot)
    target = ApiTarget(client)
    plan = make_plan(source, target, [ARTICLE])
    done: list[ImportOutcome] = []

    def interrupt(outcome: ImportOutcome) -> None:
        done.append(outcome)
        if len(done) == 3:
            raise KeyboardInterrupt  # Ctrl-C halfway

    with pytest.raises(KeyboardInterrupt):
        run_import(plan, target, source, apply=True, method=method, batch_size=2, on_page=interrupt)
    assert all(o.status is ImportStatus.IMPORTED for o in done)
    remaining = {e.target_title for e in make_plan(source, ApiTarget(client), [ARTICLE]).to_import}
    assert remaining and remaining < ARTICLE_NEW  # stopped halfway
    result = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        pair.source.api_url,
        "--to",
        pair.target.api_url,
        ARTICLE,
        "--apply",
        "--method",
        method.value,
    )
    imported = [line for line in result.stdout.splitlines() if line.startswith("imported: ")]
    assert {line.split(": ", 1)[1].split(" (")[0] for line in imported} == remaining
    after = render(pair.target, ARTICLE)
    assert (
        after.script_errors == () and after.missing_templates == () and after.missing_modules == ()
    )
    final = make_plan(source, ApiTarget(client), [ARTICLE])
    assert final.to_import == []


def test_a_missing_prerequisite_is_reported_before_any_write(
    pair: Any, bot: Credentials, tmp_path: Any
) -> None:
    src, dst = pair.source.api_url, pair.target.api_url
    edits = edit_count(pair.target)
    result = cli(
        bot, tmp_path, "deps", "plan", "--from", src, "--to", dst, "--category", "Styled pages"
    )
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("missing on target: the <templatestyles> tag (TemplateStyles)")
    assert "Template:Styled box" in lines[0] and STYLED in lines[0]
    assert edit_count(pair.target) == edits
    applied = cli(bot, tmp_path, "deps", "import", "--from", src, "--to", dst, STYLED, "--apply")
    out = applied.stdout.splitlines()
    first_write = next(i for i, line in enumerate(out) if line.startswith("imported: "))
    prerequisite = next(i for i, line in enumerate(out) if line.startswith("missing on target:"))
    assert prerequisite < first_write


def test_fix_wiki_import_from_imports_instead_of_rewriting(
    pair: Any, bot: Credentials, tmp_path: Any
) -> None:
    src, dst = pair.source.api_url, pair.target.api_url
    plain = cli(bot, tmp_path, "fix-wiki", "--wiki", dst, ARTICLE, "--unsafe-fixes", "--diff")
    # Without a source, the repair rewrites the calls around the gap.
    assert f"{ARTICLE}: would change" in plain.stdout
    assert "-His name in Georgian {{Ka icon}} is known." in plain.stdout
    dry = cli(
        bot,
        tmp_path,
        "fix-wiki",
        "--wiki",
        dst,
        ARTICLE,
        "--unsafe-fixes",
        "--diff",
        "--import-from",
        src,
    )
    assert dry.exit_code == 0, dry.output
    assert f"{ARTICLE}: unchanged" in dry.stdout
    assert "import new: Template:Ka icon" in dry.stderr
    assert pair.target.page_text("Template:Ka icon") is None  # a dry run writes nothing
    applied = cli(
        bot,
        tmp_path,
        "fix-wiki",
        "--wiki",
        dst,
        ARTICLE,
        "--unsafe-fixes",
        "--apply",
        "--summary",
        "fix",
        "--import-from",
        src,
    )
    assert applied.exit_code == 0, applied.output
    assert pair.target.page_text("Template:Ka icon") == "<span>(in Georgian)</span>"
    assert pair.target.page_text(ARTICLE) == ARTICLE_TEXT.rstrip("\n")


def test_an_offline_dump_is_a_source_and_a_plan_exports_as_xml(
    pair: Any, bot: Credentials, tmp_path: Any
) -> None:
    dump = pair.source.export_dump(tmp_path / "source.xml")
    offline = OfflineSource.open(dump)
    styles = offline.read(["Template:Styled box/styles.css", "Module:Footnotes"])
    assert styles["Template:Styled box/styles.css"].model == "wikitext"  # as the dump says
    assert styles["Module:Footnotes"].model == "Scribunto"
    assert styles["Module:Footnotes"].user == "Admin" and styles["Module:Footnotes"].revid
    dst = pair.target.api_url
    exported = tmp_path / "plan.xml"
    edits = edit_count(pair.target)
    result = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        str(dump),
        "--to",
        dst,
        ARTICLE,
        "--export-xml",
        str(exported),
    )
    assert result.exit_code == 1, result.output  # Module:Arguments differs
    assert edit_count(pair.target) == edits
    assert pair.target.page_text("Module:Footnotes") is None  # only written to the file
    pair.target.import_dump(exported)  # what an admin does with Special:Import
    after = cli(bot, tmp_path, "deps", "plan", "--from", str(dump), "--to", dst, ARTICLE)
    assert "new: " not in after.stdout
    applied = cli(
        bot, tmp_path, "deps", "import", "--from", str(dump), "--to", dst, ARTICLE, "--apply"
    )
    assert "imported: " not in applied.stdout
    assert f"rendered {ARTICLE}: 0 script error(s), 0 red" in applied.stdout


def test_auto_uses_edits_without_the_import_right_and_diff_shows_local_versions(
    pair: Any, tmp_path: Any
) -> None:
    username, password = pair.target.create_bot_password(
        "noimport", ["basic", "editpage", "createeditmovepage"]
    )
    bot = Credentials(username, password)
    src, dst = pair.source.api_url, pair.target.api_url
    shown = cli(bot, tmp_path, "deps", "plan", "--from", src, "--to", dst, ARTICLE, "--diff")
    assert "+++ b/Module:Arguments" in shown.stdout
    assert "--- local copy, adapted for this wiki" in shown.stdout  # the target's line, removed
    result = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        src,
        "--to",
        dst,
        ARTICLE,
        "--apply",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert data["method"] == "edit"
    assert {r["title"] for r in data["results"] if r["status"] == "imported"} == ARTICLE_NEW
    assert data["render"][0]["script_errors"] == 0
    assert data["render"][0]["missing_templates"] == []


def test_a_parser_function_the_target_lacks_is_reported_and_seen_after_import(
    make_wiki: Any, tmp_path: Any
) -> None:
    source = make_wiki(sitename="Source Wiki", extra_settings="$wgPFEnableStringFunctions = true;")
    target = make_wiki(sitename="Target Wiki")
    source.edit_many({"Template:Length": "{{#len:{{{1}}}}}", "Counted": "Length: {{Length|abcd}}"})
    target.edit("Counted", "Length: {{Length|abcd}}")
    assert "4" in source.render("{{Length|abcd}}")
    username, password = target.create_bot_password("depsbot")
    bot = Credentials(username, password)
    result = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        source.api_url,
        "--to",
        target.api_url,
        "Counted",
        "--apply",
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "missing on target: the parser function #len (ParserFunctions (string functions))"
    )
    assert "imported: Template:Length" in result.stdout
    assert "rendered Counted: 0 script error(s), 0 red template/module link(s), 1 '{{#'" in (
        result.stdout
    )
    assert "  missing on target: the parser function #len" in result.stdout  # the reason


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deps", "plan", "--to", "http://127.0.0.1:9/api.php", "X"], "--from is required"),
        (["deps", "plan", "--from", "http://127.0.0.1:9/api.php", "X"], "--to is required"),
        (
            [
                "deps",
                "plan",
                "--from",
                "/nonexistent/dump.xml",
                "--to",
                "http://127.0.0.1:9/api.php",
                "X",
            ],
            "no such file",
        ),
        (["deps", "plan", "--from", "a", "--to", "b", "X", "--format", "yaml"], "unknown format"),
        (
            ["deps", "import", "--from", "a", "--to", "b", "X", "--method", "magic"],
            "unknown method",
        ),
    ],
)
def test_bad_input_is_one_error_line(tmp_path: Any, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.output
    assert "Traceback" not in result.output


def test_a_block_halfway_stops_the_run_and_a_rerun_completes(
    pair: Any, bot: Credentials, tmp_path: Any
) -> None:
    from tests.deps.block_proxy import BlockedAfter

    proxy = BlockedAfter(pair.target.api_url, writes=3)
    try:
        stopped = cli(
            bot,
            tmp_path,
            "deps",
            "import",
            "--from",
            pair.source.api_url,
            "--to",
            proxy.api_url,
            ARTICLE,
            "--apply",
            "--method",
            "edit",
        )
    finally:
        proxy.close()
    assert stopped.exit_code == 2, stopped.output
    assert "error: stopped:" in stopped.stderr and "blocked" in stopped.stderr
    first = [line for line in stopped.stdout.splitlines() if line.startswith("imported: ")]
    assert len(first) == 3 and proxy.refused == 1
    rerun = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        pair.source.api_url,
        "--to",
        pair.target.api_url,
        ARTICLE,
        "--apply",
        "--method",
        "edit",
    )
    second = [line for line in rerun.stdout.splitlines() if line.startswith("imported: ")]
    names = {line.split(": ", 1)[1].split(" (")[0] for line in first + second}
    assert len(second) == len(ARTICLE_NEW) - 3 and names == ARTICLE_NEW
    assert f"rendered {ARTICLE}: 0 script error(s), 0 red" in rerun.stdout


def test_localized_namespace_names_on_the_source_map_to_the_target(
    make_wiki: Any, tmp_path: Any
) -> None:
    from tests.deps.wikis import SOURCE_PAGES

    source = make_wiki(sitename="Quellwiki", extra_settings="$wgLanguageCode = 'de';")
    target = make_wiki(sitename="Target Wiki")
    german = {
        title.replace("Template:", "Vorlage:").replace("Module:", "Modul:"): text.replace(
            "require('Module:Arguments')", "require('Modul:Arguments')"
        )
        for title, text in SOURCE_PAGES.items()
        if not title.endswith("/doc")  # German Scribunto documents in "/Doku"
    }
    source.edit_many(german)
    target.edit(ARTICLE, ARTICLE_TEXT)
    names = source.api({"action": "query", "meta": "siteinfo", "siprop": "namespaces"})
    assert names["query"]["namespaces"]["828"]["name"] == "Modul"
    username, password = target.create_bot_password("depsbot")
    bot = Credentials(username, password)
    result = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        source.api_url,
        "--to",
        target.api_url,
        ARTICLE,
        "--apply",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    imported = {r["title"] for r in data["results"] if r["status"] == "imported"}
    assert imported == ARTICLE_NEW | {"Module:Arguments"}
    sources = {p["title"]: p["source_title"] for p in data["pages"]}
    assert sources["Module:Arguments"] == "Modul:Arguments"
    assert sources["Template:Sfn"] == "Vorlage:Sfn"
    # Module:Footnotes says require('Modul:Arguments'): the English target cannot load that
    # name. The plan says so before the import and the render check explains the error.
    assert result.exit_code == 1
    assert any(
        "Modul:Footnotes line 2: require('Modul:Arguments') names a namespace" in item
        for item in data["not_portable"]
    )
    render = data["render"][0]
    assert render["script_errors"] == 1
    assert render["missing_templates"] == []
    assert any("require('Modul:Arguments')" in why for why in render["explanations"])
    # Written with the canonical name, the module works on both wikis.
    source.edit("Modul:Footnotes", german["Modul:Footnotes"].replace("'Modul:", "'Module:"))
    again = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        source.api_url,
        "--to",
        target.api_url,
        ARTICLE,
        "--apply",
        "--format",
        "json",
    )
    data = json.loads(again.stdout)
    assert data["not_portable"] == []
    # The target's copy of Module:Footnotes is now its own (older) version: kept.
    assert {p["title"] for p in data["pages"] if p["status"] == "differs"} == {"Module:Footnotes"}


@pytest.mark.parametrize("method", [Method.IMPORT, Method.EDIT])
def test_a_page_created_on_the_target_after_the_plan_is_left_alone(
    pair: Any, bot: Credentials, method: Method
) -> None:
    source = ApiSource(Wiki(pair.source.api_url, user_agent=UA, maxlag=None))
    client = Wiki(pair.target.api_url, user_agent=UA, maxlag=None)
    client.login(bot)
    target = ApiTarget(client)
    plan = make_plan(source, target, [ARTICLE])
    pair.target.edit("Template:Ka icon", "(ka) made here meanwhile")
    outcomes = run_import(plan, target, source, apply=True, method=method)
    ka = next(o for o in outcomes if o.title == "Template:Ka icon")
    assert ka.status is ImportStatus.SKIPPED and "meanwhile" in ka.detail
    assert pair.target.page_text("Template:Ka icon") == "(ka) made here meanwhile"
    history = pair.target.api(
        {"action": "query", "prop": "revisions", "titles": "Template:Ka icon", "rvlimit": "max"}
    )["query"]["pages"][0]["revisions"]
    assert len(history) == 1  # no history merged into it
    done = {o.title for o in outcomes if o.status is ImportStatus.IMPORTED}
    assert done == ARTICLE_NEW - {"Template:Ka icon"}


def test_a_killed_import_is_completed_by_a_rerun(
    pair: Any, bot: Credentials, tmp_path: Any
) -> None:
    import os
    import signal
    import subprocess
    import sys

    from tests.deps.block_proxy import BlockedAfter

    proxy = BlockedAfter(pair.target.api_url, writes=10**6, delay=1.0)  # a slow target
    command = [
        sys.executable,
        "-c",
        "from wikitools.cli.app import main; main()",
        "deps",
        "import",
        "--from",
        pair.source.api_url,
        "--to",
        proxy.api_url,
        ARTICLE,
        "--apply",
        "--method",
        "edit",
    ]
    env = {
        **os.environ,
        "WIKITOOLS_USERNAME": bot.username,
        "WIKITOOLS_PASSWORD": bot.password,
        "WIKITOOLS_CREDENTIALS": str(tmp_path / "none.toml"),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            if raw.startswith(b"imported: "):
                process.send_signal(signal.SIGKILL)  # killed halfway, no cleanup at all
                break
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        proxy.close()
    assert process.returncode == -signal.SIGKILL
    source = ApiSource(Wiki(pair.source.api_url, user_agent=UA, maxlag=None))
    target = ApiTarget(Wiki(pair.target.api_url, user_agent=UA, maxlag=None))
    remaining = {e.target_title for e in make_plan(source, target, [ARTICLE]).to_import}
    assert remaining and remaining < ARTICLE_NEW
    rerun = cli(
        bot,
        tmp_path,
        "deps",
        "import",
        "--from",
        pair.source.api_url,
        "--to",
        pair.target.api_url,
        ARTICLE,
        "--apply",
        "--method",
        "edit",
    )
    second = [line for line in rerun.stdout.splitlines() if line.startswith("imported: ")]
    assert {line.split(": ", 1)[1].split(" (")[0] for line in second} == remaining
    assert f"rendered {ARTICLE}: 0 script error(s), 0 red" in rerun.stdout
