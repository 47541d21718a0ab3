"""Credentials go only to the wiki they are for; no secret in a URL is printed or stored.

Against the real sandbox wiki and a loopback listener that records every request it gets.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from livewiki import UA, BotAccount
from typer.testing import Result

from wikitools.errors import ConfigError, HttpError
from wikitools.layout import MANIFEST
from wikitools.mediawiki import Credentials, Wiki


class Listener:
    """A loopback HTTP server recording each request (method, path, body); answers 200 ``{}``.

    With ``redirect`` set, it answers every request with a 307 to that URL instead.
    """

    def __init__(self, redirect: str | None = None) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, body))
                if redirect is not None:
                    self.send_response(307)
                    self.send_header("Location", redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                payload = b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/api.php"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def passwords(self) -> list[bytes]:
        """Bodies of requests that carried a login password."""
        return [body for _, _, body in self.requests if b"lgpassword" in body]


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


def _pulled(run: Callable[..., Result], api: str, directory: Path, title: str) -> Path:
    result = run("pull", "--wiki", api, title, "-o", str(directory))
    assert result.exit_code == 0, result.output
    return directory


def test_a_manifest_pointed_elsewhere_receives_no_password(
    run: Callable[..., Result],
    sandbox_wiki: Any,
    client: Wiki,
    listener: Listener,
    unique: Callable[[str], str],
    tmp_path: Path,
) -> None:
    title = unique("Bound")
    client.edit(title, "Original.", summary="setup")
    pulled = _pulled(run, sandbox_wiki.api_url, tmp_path / "pages", title)
    manifest = pulled / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["wiki"] = listener.api_url  # another loopback port: another wiki
    manifest.write_text(json.dumps(data), encoding="utf-8")
    page_file = next(pulled.glob("*/*.wiki"))
    page_file.write_text("Edited locally.", encoding="utf-8")
    for args in ([], ["--diff"], ["--summary", "s", "--apply"]):
        result = run("push", str(pulled), *args)
        assert result.exit_code == 2, result.output
        assert (
            f"error: the manifest {manifest} names {listener.api_url}; credentials are for "
            "the wikis named with --wiki or a profile's api; "
            f"pass --wiki {listener.api_url} to use them there"
        ) in " ".join(result.output.split())
    # Naming another wiki than the manifest's is refused before connecting anywhere.
    result = run("push", str(pulled), "--wiki", sandbox_wiki.api_url)
    assert result.exit_code == 2
    assert f"was pulled from {listener.api_url}, not {sandbox_wiki.api_url}" in result.output
    assert listener.passwords() == []
    assert listener.requests == []  # stopped before any request at all
    # Anonymous (no credentials at all), a dry run may still read the manifest's wiki.
    result = run("push", str(pulled), login=False)
    assert listener.requests and listener.passwords() == []
    assert client.read_page(title).text == "Original."


def test_a_profile_for_another_wiki_is_not_used(
    sandbox_wiki: Any, bot: BotAccount, listener: Listener, tmp_path: Path
) -> None:
    creds = tmp_path / "credentials.toml"
    creds.write_text(
        f'[profiles.home]\napi = "{sandbox_wiki.api_url}"\n'
        f'username = "{bot.credentials.username}"\npassword = "{bot.credentials.password}"\n',
        encoding="utf-8",
    )
    creds.chmod(0o600)
    env = {"WIKITOOLS_CREDENTIALS": str(creds)}
    with pytest.raises(ConfigError, match=r"the profile 'home' is for .*, not http://127.0.0.1"):
        Wiki.connect(listener.api_url, profile="home", environ=env, user_agent=UA)
    assert listener.requests == []
    # The manifest's wiki gets the credentials of the profile that names it.
    wiki = Wiki.connect(sandbox_wiki.api_url, origin="the manifest x", environ=env, user_agent=UA)
    assert wiki.logged_in


def test_post_requests_are_never_redirected(bot: BotAccount, listener: Listener) -> None:
    bouncer = Listener(redirect=listener.api_url)
    bouncer.thread.start()
    try:
        wiki = Wiki(bouncer.api_url, user_agent=UA)
        with pytest.raises(HttpError, match=r"redirects to http://127.0.0.1:.*never redirected"):
            wiki.request({"action": "login", "lgname": "x", "lgpassword": "p"}, post=True)
    finally:
        bouncer.server.shutdown()
        bouncer.server.server_close()
    assert [method for method, _, _ in bouncer.requests] == ["POST"]
    assert listener.requests == []


def test_plain_http_login_off_loopback_is_refused_before_any_request() -> None:
    wiki = Wiki("http://wiki.example.invalid/w/api.php", user_agent=UA)
    with pytest.raises(ConfigError, match=r"plain http:// to another machine.*--allow-insecure"):
        wiki.login(Credentials("U@b", "hunter2-secret"))
    assert wiki.stats.total == 0


def test_plain_http_cli_login_is_refused(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run(
        "pull", "--wiki", "http://wiki.example.invalid/w/api.php", "X", "-o", str(tmp_path)
    )
    assert result.exit_code == 2
    assert "refusing to log in" in result.output and "--allow-insecure-login" in result.output


def _wikitools(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from wikitools.cli.app import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_a_secret_in_the_url_is_never_printed_or_stored(
    sandbox_wiki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = sandbox_wiki.api_url.split(":")[2].split("/")[0]
    url = f"http://user:s3cr3t-in-url@127.0.0.1:{port}/api.php"
    out = tmp_path / "pages"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "WIKITOOLS_CREDENTIALS": str(tmp_path / "none.toml"),
        "WIKITOOLS_USER_AGENT": "wikitools-tests/0.1 (cli tests)",
    }
    for verbosity in ("-v", "-vv", "-vvv"):
        done = _wikitools(verbosity, "pull", "--wiki", url, "Main Page", "-o", str(out), env=env)
        assert done.returncode == 2, done.stderr
        assert "s3cr3t" not in done.stdout + done.stderr
        assert "http://***@127.0.0.1" in done.stderr
        assert "credentials go in WIKITOOLS_USERNAME" in done.stderr
    assert not (out / MANIFEST).exists()
    # A manifest edited to hold one is refused, without echoing it.
    pulled = tmp_path / "good"
    done = _wikitools(
        "pull", "--wiki", sandbox_wiki.api_url, "Main Page", "-o", str(pulled), env=env
    )
    assert done.returncode == 0, done.stderr
    manifest = pulled / MANIFEST
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("http://", "http://user:s3cr3t-in-url@"),
        encoding="utf-8",
    )
    done = _wikitools("-vv", "push", str(pulled), env=env)
    assert done.returncode == 2
    assert "s3cr3t" not in done.stdout + done.stderr
    assert "holds a user name or password" in done.stderr
