"""``wikitools sandbox start|status|stop`` against a real local MediaWiki."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.sandbox import SandboxWiki, read_credentials
from wikitools.sandbox.server import port_in_use


def _login(api: str, username: str, password: str) -> str:
    with requests.Session() as http:
        http.trust_env = False
        token = http.get(
            api, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"}
        ).json()["query"]["tokens"]["logintoken"]
        result = http.post(
            api,
            data={
                "action": "login",
                "lgname": username,
                "lgpassword": password,
                "lgtoken": token,
                "format": "json",
            },
        ).json()["login"]
        return str(result["result"])


@pytest.mark.mediawiki
def test_start_import_status_stop(tmp_path: Path, sandbox_wiki: SandboxWiki) -> None:
    runner = CliRunner()
    directory = tmp_path / "sandbox"
    try:
        started = runner.invoke(app, ["sandbox", "start", "--dir", str(directory)])
        assert started.exit_code == 0, started.output
        api_url = re.search(r"API URL:\s+(\S+)", started.output)
        assert api_url is not None
        api = api_url.group(1)
        port = int(re.search(r":(\d+)/api\.php", api).group(1))  # type: ignore[union-attr]
        assert "Admin user:  Admin" in started.output
        assert f"Credentials: {directory / 'credentials'}" in started.output

        credentials_file = directory / "credentials"
        assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
        credentials = read_credentials(credentials_file)
        for secret in (
            credentials["WIKITOOLS_PASSWORD"],
            credentials["WIKITOOLS_SANDBOX_ADMIN_PASSWORD"],
        ):
            assert secret not in started.output
        assert credentials["WIKITOOLS_SANDBOX_API_URL"] == api
        # The saved bot password logs in: the sandbox is ready for a rehearsal bot run.
        assert credentials["WIKITOOLS_USERNAME"] == "Admin@wikitools"
        assert _login(api, "Admin@wikitools", credentials["WIKITOOLS_PASSWORD"]) == "Success"

        # Pages exported from another wiki come in with `sandbox import`.
        sandbox_wiki.edit("CLI import page", "imported through the CLI")
        dump = sandbox_wiki.export_dump(tmp_path / "pages.xml", titles=["CLI import page"])
        imported = runner.invoke(app, ["sandbox", "import", str(dump), "--dir", str(directory)])
        assert imported.exit_code == 0, imported.output
        assert SandboxWiki.attach(directory).page_text("CLI import page") == (
            "imported through the CLI"
        )

        again = runner.invoke(app, ["sandbox", "start", "--dir", str(directory)])
        assert again.exit_code == 0
        assert "already running" in again.output and api in again.output

        status = runner.invoke(app, ["sandbox", "status", "--dir", str(directory)])
        assert status.exit_code == 0
        assert "is running" in status.output and api in status.output

        stopped = runner.invoke(app, ["sandbox", "stop", "--dir", str(directory)])
        assert stopped.exit_code == 0
        assert "Stopped" in stopped.output
        assert not port_in_use(port)

        status = runner.invoke(app, ["sandbox", "status", "--dir", str(directory)])
        assert status.exit_code == 1
        assert "not running" in status.output
    finally:
        SandboxWiki.attach(directory).stop()


def test_status_of_a_directory_without_wiki(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sandbox", "status", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "no sandbox wiki here" in result.output
