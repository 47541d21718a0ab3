"""Login with bot passwords, tokens, and keeping secrets out of output, logs and exceptions."""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from livewiki import UA, BotAccount, Fault, FaultProxy

from wikitools.errors import ApiError, ConfigError, LoginError
from wikitools.mediawiki import Credentials, Wiki, credentials_from_env, find_profile

BADTOKEN = {"error": {"code": "badtoken", "info": "Invalid CSRF token."}}
SESSION_LOST = {"error": {"code": "assertuserfailed", "info": "You are no longer logged in."}}


def test_login_with_bot_password(sandbox_wiki: Any, bot: BotAccount) -> None:
    wiki = Wiki(sandbox_wiki.api_url, user_agent=UA)
    wiki.login(bot.credentials)
    assert wiki.logged_in
    assert wiki.userinfo.name == "Admin"
    assert not wiki.userinfo.anonymous
    assert wiki.batch_size == 500


def test_low_limits_account_reads_fifty_per_request(sandbox_wiki: Any, lowbot: BotAccount) -> None:
    wiki = Wiki(sandbox_wiki.api_url, user_agent=UA)
    wiki.login(lowbot.credentials)
    assert wiki.batch_size == 50


def test_wrong_password_is_a_login_error_without_the_password(
    sandbox_wiki: Any, bot: BotAccount
) -> None:
    wrong = "0123456789abcdefghijklmnopqrstuv"
    wiki = Wiki(sandbox_wiki.api_url, user_agent=UA)
    with pytest.raises(LoginError) as caught:
        wiki.login(Credentials(bot.credentials.username, wrong))
    text = "".join(traceback.format_exception(caught.value))
    assert bot.credentials.username in str(caught.value)
    assert "Incorrect username or password" in str(caught.value)
    assert wrong not in text
    assert not wiki.logged_in


def test_credentials_never_show_the_password() -> None:
    creds = Credentials("Me@bot", "s3cret-value-123")
    assert "s3cret" not in repr(creds)
    assert "s3cret" not in str(creds)
    assert "s3cret" not in repr([creds])


def test_credentials_from_environment() -> None:
    env = {"WIKITOOLS_USERNAME": "Me@bot", "WIKITOOLS_PASSWORD": "pw-123"}
    assert credentials_from_env(env) == Credentials("Me@bot", "pw-123")
    assert credentials_from_env({}) is None
    with pytest.raises(ConfigError, match="WIKITOOLS_PASSWORD is not set"):
        credentials_from_env({"WIKITOOLS_USERNAME": "Me@bot"})


def test_profiles_by_name_and_by_api_url(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret_file = tmp_path / "pw"
    secret_file.write_text("from-a-file-987\n")
    secret_file.chmod(0o600)
    creds = tmp_path / "credentials.toml"
    creds.write_text(
        f"""
[profiles.local]
api = "http://127.0.0.1:1/api.php"
username = "Admin@local"
password_file = "{secret_file}"
user_agent = "LocalBot/1.0 (me@example.org)"

[profiles.other]
username = "Other@bot"
password = "inline-secret-555"
"""
    )
    creds.chmod(0o644)
    env = {"WIKITOOLS_CREDENTIALS": str(creds)}
    with caplog.at_level(logging.WARNING):
        by_url = find_profile(api_url="http://127.0.0.1:1/api.php", environ=env)
    assert by_url is not None and by_url.credentials is not None
    assert by_url.name == "local"
    assert by_url.credentials.password == "from-a-file-987"
    assert by_url.user_agent == "LocalBot/1.0 (me@example.org)"
    assert any("chmod 600" in r.getMessage() for r in caplog.records)
    by_name = find_profile("other", environ=env)
    assert by_name is not None and by_name.credentials == Credentials(
        "Other@bot", "inline-secret-555"
    )
    assert "inline-secret-555" not in repr(by_name)
    assert find_profile(api_url="https://elsewhere.example/w/api.php", environ=env) is None
    with pytest.raises(ConfigError, match=r"no profile 'nope' \(profiles: local, other\)"):
        find_profile("nope", environ=env)


def test_bad_profile_files_are_clear_and_never_echo_secrets(tmp_path: Path) -> None:
    creds = tmp_path / "credentials.toml"
    creds.write_text('[profiles.x]\nusername = "U@b"\npassword = "leaky-secret-1" oops\n')
    env = {"WIKITOOLS_CREDENTIALS": str(creds)}
    with pytest.raises(ConfigError) as caught:
        find_profile("x", environ=env)
    assert "not valid TOML" in str(caught.value)
    assert "leaky-secret-1" not in str(caught.value)
    creds.write_text('[profiles.x]\nusername = "U@b"\npasswd = "leaky-secret-2"\n')
    with pytest.raises(ConfigError, match="unknown key 'passwd'") as caught:
        find_profile("x", environ=env)
    assert "leaky-secret-2" not in str(caught.value)


def test_connect_logs_in_from_environment(sandbox_wiki: Any, bot: BotAccount) -> None:
    env = {
        "WIKITOOLS_USERNAME": bot.credentials.username,
        "WIKITOOLS_PASSWORD": bot.credentials.password,
        "WIKITOOLS_CREDENTIALS": os.devnull + ".absent",
    }
    wiki = Wiki.connect(sandbox_wiki.api_url, environ=env, user_agent=UA)
    assert wiki.logged_in
    assert wiki.userinfo.name == "Admin"
    assert bot.credentials.password not in repr(wiki)


def test_badtoken_is_retried_once_with_a_fresh_token(
    proxied: Callable[..., Wiki], proxy: FaultProxy, unique: Callable[[str], str]
) -> None:
    wiki = proxied()
    title = unique("Badtoken")
    proxy.inject(Fault(body=BADTOKEN, when_action="edit"))
    result = wiki.edit(title, "saved after a token refresh", summary="t")
    assert result.saved and result.created
    assert wiki.stats.count("query", "tokens") == 3  # login token, csrf, fresh csrf
    assert wiki.stats.count("edit") == 2

    proxy.inject(Fault(body=BADTOKEN, when_action="edit"), Fault(body=BADTOKEN, when_action="edit"))
    with pytest.raises(ApiError) as caught:
        wiki.edit(title, "never saved", summary="t")
    assert caught.value.code == "badtoken"
    assert wiki.stats.count("edit") == 4  # one retry only


def test_lost_session_logs_in_again(
    proxied: Callable[..., Wiki], proxy: FaultProxy, unique: Callable[[str], str]
) -> None:
    wiki = proxied()
    proxy.inject(Fault(body=SESSION_LOST, when_action="edit"))
    result = wiki.edit(unique("Relogin"), "text", summary="t")
    assert result.saved
    assert wiki.stats.count("login") == 2


def test_secrets_never_reach_logs_output_or_exceptions(
    proxied: Callable[..., Wiki],
    proxy: FaultProxy,
    bot: BotAccount,
    unique: Callable[[str], str],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    messages: list[str] = []
    wrong = "wrong-password-" + "value-xyz"
    with caplog.at_level(logging.DEBUG):
        wiki = proxied()
        token = wiki.token()
        proxy.inject(Fault(body=BADTOKEN, when_action="edit"))
        wiki.edit(unique("Secret"), "text", summary="t")
        fresh = wiki.token()
        try:
            wiki.login(Credentials(bot.credentials.username, wrong))
        except LoginError as exc:
            messages.append("".join(traceback.format_exception(exc)))
        proxy.inject(*[Fault(body=BADTOKEN, when_action="edit")] * 2)
        try:
            wiki.edit(unique("Secret"), "text", summary="t")
        except ApiError as exc:
            messages.append("".join(traceback.format_exception(exc)))
    captured = capsys.readouterr()
    haystack = "\n".join(
        [*(r.getMessage() for r in caplog.records), *messages, captured.out, captured.err]
    )
    haystack += repr(wiki) + repr(wiki.transport)
    assert len(caplog.records) > 10  # debug logging was really on
    assert len(messages) == 2
    for secret in (bot.credentials.password, wrong, token, fresh):
        assert len(secret) > 8
        assert secret not in haystack
    # Secrets travel only in POST bodies, never in URLs.
    for seen in proxy.seen:
        if any(k.endswith(("token", "password")) for k in seen.params):
            assert seen.method == "POST"
