"""The sandbox wiki harness against a real local MediaWiki (no mocks)."""

from __future__ import annotations

import html
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from wikitools.errors import SandboxError
from wikitools.sandbox import MediaWikiInstall, SandboxWiki
from wikitools.sandbox.pytest_plugin import BotLogin, MakeWiki, WikiPair
from wikitools.sandbox.server import port_in_use

pytestmark = pytest.mark.mediawiki


def test_wiki_answers_siteinfo_with_extensions(sandbox_wiki: SandboxWiki) -> None:
    info = sandbox_wiki.api(
        {"action": "query", "meta": "siteinfo", "siprop": "general|extensions"}
    )["query"]
    assert info["general"]["generator"].startswith("MediaWiki 1.39")
    assert info["general"]["server"] == sandbox_wiki.server_url
    names = {ext["name"] for ext in info["extensions"]}
    assert {"Scribunto", "ParserFunctions", "Cite", "TemplateData"} <= names


def test_admin_is_sysop_and_bot(sandbox_wiki: SandboxWiki) -> None:
    info = sandbox_wiki.api({"action": "query", "meta": "userinfo", "uiprop": "groups|rights"})
    user = info["query"]["userinfo"]
    assert user["name"] == "Admin"
    assert {"sysop", "bot"} <= set(user["groups"])
    assert {"importupload", "import", "apihighlimits"} <= set(user["rights"])


def test_lua_module_parser_functions_and_cite_render(sandbox_wiki: SandboxWiki) -> None:
    sandbox_wiki.edit(
        "Module:Harness greeting",
        "local p = {}\n"
        "function p.hello(frame)\n"
        "  return 'Hello, ' .. frame.args[1] .. ' from Lua ' .. _VERSION\n"
        "end\n"
        "return p\n",
    )
    rendered = sandbox_wiki.render(
        "{{#invoke:Harness greeting|hello|world}} {{#if: x | IF-TRUE | IF-FALSE}}"
        "<ref>A citation</ref><references/>"
    )
    assert "Hello, world from Lua Lua 5.1" in rendered
    assert "IF-TRUE" in rendered and "IF-FALSE" not in rendered
    assert 'class="references"' in rendered and "A citation" in rendered


def test_missing_require_renders_the_script_error(sandbox_wiki: SandboxWiki) -> None:
    sandbox_wiki.edit(
        "Module:Harness footnotes",
        "local ids = require('Module:Harness footnotes/anchor_id_list')\n"
        "return { run = function() return 'unreachable' end }\n",
    )
    parsed = sandbox_wiki.parse("Text {{#invoke:Harness footnotes|run}}", title="Harness page")
    text = html.unescape(parsed["text"])
    assert '<strong class="error"><span class="scribunto-error"' in text
    assert (
        "Lua error in package.lua at line 80: module "
        "'Module:Harness footnotes/anchor_id_list' not found." in text
    )
    assert "Pages_with_script_errors" in {c["category"] for c in parsed["categories"]}
    templates = {t["title"]: t["exists"] for t in parsed["templates"]}
    assert templates["Module:Harness footnotes"] is True
    assert templates["Module:Harness footnotes/anchor id list"] is False


def test_two_wikis_run_side_by_side(wiki_pair: WikiPair) -> None:
    source, target = wiki_pair
    assert source.port != target.port
    assert source.directory != target.directory
    source.edit("Only on source", "source text")
    assert source.page_text("Only on source") == "source text"
    assert target.page_text("Only on source") is None
    names = [
        wiki.api({"action": "query", "meta": "siteinfo"})["query"]["general"]["sitename"]
        for wiki in wiki_pair
    ]
    assert names == ["Source Wiki", "Target Wiki"]
    # Each wiki has its own admin password.
    assert source.admin_password != target.admin_password


def test_stop_frees_the_port_and_deletes_the_temporary_wiki(make_wiki: MakeWiki) -> None:
    wiki = make_wiki()
    port, directory = wiki.port, wiki.directory
    assert port_in_use(port) and directory.is_dir()
    wiki.stop()
    assert not wiki.running
    assert not port_in_use(port)
    assert not directory.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/api.php", timeout=2)


def test_kept_wiki_restarts_with_its_pages(tmp_path: Path) -> None:
    directory = tmp_path / "kept"
    with SandboxWiki(directory) as wiki:
        wiki.edit("Kept page", "still here")
        password = wiki.admin_password
    assert (directory / "LocalSettings.php").is_file()
    assert stat.S_IMODE((directory / "credentials").stat().st_mode) == 0o600
    assert stat.S_IMODE((directory / "LocalSettings.php").stat().st_mode) == 0o600
    with SandboxWiki(directory) as again:
        assert again.admin_password == password
        assert again.page_text("Kept page") == "still here"
    assert directory.is_dir()


def test_bot_password_login(sandbox_wiki: SandboxWiki, sandbox_bot: BotLogin) -> None:
    username, password = sandbox_bot
    assert username == "Admin@sessionbot"
    assert len(password) == 32
    with requests.Session() as http:
        http.trust_env = False
        api = sandbox_wiki.api_url
        token = http.get(
            api,
            params={"action": "query", "meta": "tokens", "type": "login", "format": "json"},
        ).json()["query"]["tokens"]["logintoken"]
        login = http.post(
            api,
            data={
                "action": "login",
                "lgname": username,
                "lgpassword": password,
                "lgtoken": token,
                "format": "json",
            },
        ).json()["login"]
        assert login["result"] == "Success"
        assert login["lgusername"] == "Admin"
        # The session is the bot: assert=bot passes and it holds the granted rights.
        who = http.get(
            api,
            params={
                "action": "query",
                "meta": "userinfo",
                "uiprop": "rights",
                "assert": "bot",
                "format": "json",
            },
        ).json()
        assert "error" not in who
        rights = who["query"]["userinfo"]["rights"]
        assert {"edit", "apihighlimits", "import"} <= set(rights)
        assert "editinterface" not in rights  # not granted to the bot password
        bad = http.post(
            api,
            data={
                "action": "login",
                "lgname": username,
                "lgpassword": "x" * 32,
                "lgtoken": token,
                "format": "json",
            },
        ).json()["login"]
        assert bad["result"] != "Success"
    with pytest.raises(SandboxError, match="sessionbot"):
        sandbox_wiki.create_bot_password("sessionbot")  # the name is taken


def test_dump_export_import_round_trip(wiki_pair: WikiPair, tmp_path: Path) -> None:
    source, target = wiki_pair
    pages = {
        "Round trip": "Some '''text''' with {{Round trip box|x=1}} and ü ✓.\n\n== Section ==\n",
        "Template:Round trip box": "<div>box {{{x}}}</div>",
    }
    source.edit_many(pages)
    dump = source.export_dump(tmp_path / "dump.xml", titles=list(pages))
    xml = dump.read_text(encoding="utf-8")
    assert "export-0.11" in xml
    assert xml.count("<page>") == 2
    report = target.import_dump(dump)
    assert report.startswith("Done!")
    for title, text in pages.items():
        assert target.page_text(title) == text.rstrip("\n")
    assert "box 1" in target.render("{{Round trip box|x=1}}")


def test_configure_changes_settings_while_running(sandbox_wiki: SandboxWiki) -> None:
    def general() -> dict[str, object]:
        query = sandbox_wiki.api({"action": "query", "meta": "siteinfo"})["query"]
        return dict(query["general"])

    assert general()["readonly"] is False
    sandbox_wiki.configure("$wgReadOnly = 'Harness maintenance';")
    try:
        settings = general()
        assert settings["readonly"] is True
        assert settings["readonlyreason"] == "Harness maintenance"
    finally:
        sandbox_wiki.configure("")
    assert general()["readonly"] is False


def test_server_dies_with_a_killed_test_process(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from wikitools.sandbox import SandboxWiki\n"
        "wiki = SandboxWiki(sys.argv[1]).start()\n"
        "print(wiki.port, flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "orphan")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        assert port_in_use(port)
    finally:
        child.kill()  # SIGKILL: no teardown, no atexit
        child.wait()
    deadline = time.monotonic() + 10
    while port_in_use(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not port_in_use(port)


def test_busy_port_is_a_clear_error_and_leaves_nothing_behind(
    mediawiki_install: MediaWikiInstall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SandboxError, match=f"port {port} .* already in use"):
            SandboxWiki(port=port, mediawiki=mediawiki_install).start()
    assert list(tmp_path.iterdir()) == []


def test_refuses_a_directory_that_holds_something_else(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SandboxError, match="not empty"):
        SandboxWiki(tmp_path).create()
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
