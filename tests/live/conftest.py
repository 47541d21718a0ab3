"""Fixtures for tests against a real local MediaWiki: clients, users, a fault-injecting proxy."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from livewiki import UA, BotAccount, FaultProxy, SleepRecorder
from typer.testing import CliRunner, Result

from wikitools.cli.app import app
from wikitools.mediawiki import Credentials, RetryPolicy, Wiki

_COUNTER = itertools.count(1)


@pytest.fixture
def unique() -> Callable[[str], str]:
    """A title maker: ``unique("Page")`` → ``Page 17a3``, unique for the session."""
    run = secrets.token_hex(2)

    def make(base: str) -> str:
        return f"{base} {run}{next(_COUNTER)}"

    return make


@pytest.fixture(scope="session")
def bot(sandbox_wiki: Any) -> BotAccount:
    """A bot password with ``highvolume`` (apihighlimits: 500 titles a request)."""
    user, password = sandbox_wiki.create_bot_password("apitests")
    return BotAccount(Credentials(user, password), True)


@pytest.fixture(scope="session")
def lowbot(sandbox_wiki: Any) -> BotAccount:
    """A bot password without ``highvolume``: 50 titles a request."""
    user, password = sandbox_wiki.create_bot_password(
        "apitestslow", ("basic", "editpage", "createeditmovepage")
    )
    return BotAccount(Credentials(user, password), False)


@pytest.fixture
def fake_sleep() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def client(sandbox_wiki: Any, bot: BotAccount, fake_sleep: SleepRecorder) -> Wiki:
    """A logged-in client (high limits) with instant retries."""
    wiki = Wiki(sandbox_wiki.api_url, user_agent=UA, sleep=fake_sleep)
    wiki.login(bot.credentials)
    return wiki


@pytest.fixture
def lowclient(sandbox_wiki: Any, lowbot: BotAccount, fake_sleep: SleepRecorder) -> Wiki:
    """A logged-in client limited to 50 titles a request."""
    wiki = Wiki(sandbox_wiki.api_url, user_agent=UA, sleep=fake_sleep)
    wiki.login(lowbot.credentials)
    return wiki


@pytest.fixture
def other_editor(sandbox_wiki: Any) -> Wiki:
    """Someone else: an anonymous editor (MediaWiki never reports a conflict with oneself)."""
    return Wiki(sandbox_wiki.api_url, user_agent="someone-else/1.0 (tests)")


# --------------------------------------------------------------------------------------------
# A real HTTP proxy in front of the real wiki that can inject faults.


@pytest.fixture
def proxy(sandbox_wiki: Any) -> Iterator[FaultProxy]:
    server = FaultProxy(sandbox_wiki.api_url)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def proxied(proxy: FaultProxy, bot: BotAccount, fake_sleep: SleepRecorder) -> Callable[..., Wiki]:
    """A client factory talking to the wiki through the fault proxy, with fake sleep."""

    def make(*, login: bool = True, retry: RetryPolicy | None = None, **options: Any) -> Wiki:
        wiki = Wiki(
            proxy.api_url,
            user_agent=UA,
            sleep=fake_sleep,
            clock=lambda: 1_700_000_000.0,
            retry=retry or RetryPolicy(max_retries=3, base_delay=1.0, max_delay=60.0),
            **options,
        )
        if login:
            wiki.login(bot.credentials)
        return wiki

    return make


@pytest.fixture(scope="session")
def shared_pages(sandbox_wiki: Any, bot: BotAccount) -> dict[str, str]:
    """120 main-namespace pages created once per session (read-only: do not edit them)."""
    from livewiki import bulk_create

    wiki = Wiki(sandbox_wiki.api_url, user_agent=UA)
    wiki.login(bot.credentials)
    stem = "Shared batch " + secrets.token_hex(2)
    pages = {f"{stem}/{i:03d}": f"Page {i}.\nSecond line." for i in range(120)}
    bulk_create(wiki, pages)
    return pages


@pytest.fixture
def run(bot: BotAccount, tmp_path: Path) -> Callable[..., Result]:
    """Run the CLI with credentials in the environment (as users are told to); the bot
    password must never show in its output."""
    env = {
        "WIKITOOLS_USERNAME": bot.credentials.username,
        "WIKITOOLS_PASSWORD": bot.credentials.password,
        "WIKITOOLS_CREDENTIALS": str(tmp_path / "no-credentials.toml"),
        "WIKITOOLS_USER_AGENT": "wikitools-tests/0.1 (cli tests)",
    }

    def invoke(*args: str, login: bool = True) -> Result:
        used = env if login else {**env, "WIKITOOLS_USERNAME": "", "WIKITOOLS_PASSWORD": ""}
        result = CliRunner(env=used).invoke(app, list(args))
        assert bot.credentials.password not in result.output
        return result

    return invoke
