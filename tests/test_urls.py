"""The URL policy (wikitools.urls) and the binding of credentials to wikis (auth)."""

from __future__ import annotations

import pytest

from wikitools.errors import ConfigError
from wikitools.mediawiki.auth import Credentials, Profile, bound_credentials
from wikitools.urls import (
    check_api_url,
    display_host,
    display_url,
    insecure_login_reason,
    is_loopback,
    same_wiki,
)

ENV = {"WIKITOOLS_USERNAME": "Env@bot", "WIKITOOLS_PASSWORD": "env-password-1"}


def test_user_info_is_masked_wherever_a_url_is_shown() -> None:
    assert display_url("http://user:secret@127.0.0.1:8080/api.php") == (
        "http://***@127.0.0.1:8080/api.php"
    )
    assert display_url("https://token@wiki.example/w/api.php?x=1") == (
        "https://***@wiki.example/w/api.php?x=1"
    )
    assert display_url("https://wiki.example/w/api.php") == "https://wiki.example/w/api.php"
    assert display_host("http://u:p@[::1]:9/api.php") == "[::1]:9"
    assert "secret" not in display_url("http://user:secret@[bad/api.php")


@pytest.mark.parametrize(
    "url",
    ["http://user:secret@127.0.0.1/api.php", "https://secret@wiki.example/w/api.php"],
)
def test_urls_with_credentials_are_refused_without_echoing_them(url: str) -> None:
    with pytest.raises(ConfigError) as raised:
        check_api_url(url)
    message = str(raised.value)
    assert "secret" not in message
    assert "***@" in message and "WIKITOOLS_USERNAME/WIKITOOLS_PASSWORD" in message


def test_only_http_urls_with_a_host_are_api_urls() -> None:
    assert check_api_url("https://wiki.example/w/api.php") == "https://wiki.example/w/api.php"
    for bad in ("ftp://wiki.example/api.php", "wiki.example/api.php", "http:///api.php"):
        with pytest.raises(ConfigError, match="not an http"):
            check_api_url(bad)


def test_same_wiki_ignores_only_what_does_not_change_the_endpoint() -> None:
    assert same_wiki("https://Wiki.Example/w/api.php", "https://wiki.example:443/w/api.php/")
    assert same_wiki("http://127.0.0.1/api.php", "http://127.0.0.1:80/api.php")
    assert not same_wiki("http://127.0.0.1:8080/api.php", "http://127.0.0.1:8081/api.php")
    assert not same_wiki("http://wiki.example/w/api.php", "https://wiki.example/w/api.php")
    assert not same_wiki("https://wiki.example/w/api.php", "https://wiki.example.evil/w/api.php")


def test_plain_http_is_safe_only_to_loopback() -> None:
    for url in (
        "http://127.0.0.1:8080/api.php",
        "http://127.5.6.7/api.php",
        "http://[::1]:80/api.php",
        "http://localhost/api.php",
    ):
        assert is_loopback(url) and insecure_login_reason(url) is None
    assert insecure_login_reason("https://wiki.example/w/api.php") is None
    for url in ("http://wiki.example/w/api.php", "http://10.0.0.1/api.php", "http://128.0.0.1/"):
        reason = insecure_login_reason(url)
        assert reason is not None and "unencrypted" in reason
    assert not is_loopback("http://localhost.evil.example/api.php")


def test_environment_credentials_go_only_to_a_named_wiki_or_one_a_profile_names() -> None:
    url = "http://127.0.0.1:8080/api.php"
    assert bound_credentials(url, environ=ENV) == Credentials("Env@bot", "env-password-1")
    with pytest.raises(ConfigError) as raised:
        bound_credentials(url, origin="the manifest d/wikitools-pull.json", environ=ENV)
    assert str(raised.value) == (
        f"the manifest d/wikitools-pull.json names {url}; credentials are for the wikis named "
        f"with --wiki or a profile's api; pass --wiki {url} to use them there"
    )
    naming = Profile("local", api=url + "/")
    assert bound_credentials(url, naming, origin="the manifest", environ=ENV) is not None
    # A profile without api binds nothing: its credentials follow --wiki only.
    loose = Profile("loose", credentials=Credentials("P@bot", "profile-password-1"))
    assert bound_credentials(url, loose, environ={}) == loose.credentials
    with pytest.raises(ConfigError, match="the manifest names"):
        bound_credentials(url, loose, origin="the manifest", environ={})
    # No credentials at all: nothing to bind, an anonymous session is fine anywhere.
    assert bound_credentials(url, origin="the manifest", environ={}) is None


def test_a_profile_for_another_wiki_refuses_before_any_request() -> None:
    home = Profile("home", "https://home.example/w/api.php", Credentials("H@b", "home-pass-1"))
    with pytest.raises(ConfigError, match=r"the profile 'home' is for https://home\.example"):
        bound_credentials("http://127.0.0.1:9/api.php", home, environ={})
