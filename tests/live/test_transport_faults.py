"""Retries, maxlag, 429 and Retry-After, with faults injected by a real proxy before a real wiki."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Callable

import pytest
from livewiki import UA, Fault, FaultProxy, SleepRecorder

from wikitools.errors import ApiError, ConfigError, HttpError
from wikitools.mediawiki import RetryPolicy, Wiki

MAXLAG = {
    "error": {
        "code": "maxlag",
        "info": "Waiting for 10.0.0.1: 7 seconds lagged.",
        "host": "10.0.0.1",
        "lag": 7,
        "type": "db",
    }
}


def siteinfo_name(wiki: Wiki) -> str:
    return wiki.siteinfo.sitename


def test_every_request_carries_agent_format_and_maxlag(
    proxied: Callable[..., Wiki], proxy: FaultProxy
) -> None:
    wiki = proxied(login=False)
    assert siteinfo_name(wiki)
    seen = proxy.seen[-1]
    assert seen.headers["User-Agent"] == UA
    assert seen.params["format"] == "json"
    assert seen.params["formatversion"] == "2"
    assert seen.params["maxlag"] == "5"


def test_maxlag_waits_retry_after_then_succeeds(
    proxied: Callable[..., Wiki],
    proxy: FaultProxy,
    fake_sleep: SleepRecorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wiki = proxied(login=False)
    proxy.inject(
        Fault(body=MAXLAG, headers={"Retry-After": "5", "X-Database-Lag": "7"}),
        Fault(body=MAXLAG, headers={"Retry-After": "5"}),
    )
    with caplog.at_level(logging.WARNING, logger="wikitools"):
        assert siteinfo_name(wiki)
    assert fake_sleep.waits == [5.0, 5.0]
    assert wiki.stats.total == 3
    assert wiki.stats.retries == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "maxlag" in warnings[0]
    assert "lag 7" in warnings[0]
    assert "waiting 5.0 s before retry 1 of 3" in warnings[0]


def test_http_429_honours_retry_after_seconds_and_dates(
    proxied: Callable[..., Wiki], proxy: FaultProxy, fake_sleep: SleepRecorder
) -> None:
    wiki = proxied(login=False)
    later = email.utils.formatdate(1_700_000_000 + 30, usegmt=True)
    proxy.inject(
        Fault(status=429, headers={"Retry-After": "12"}),
        Fault(status=429, headers={"Retry-After": later}),
    )
    assert siteinfo_name(wiki)
    assert fake_sleep.waits == [12.0, 30.0]


def test_server_errors_and_dropped_connections_back_off(
    proxied: Callable[..., Wiki], proxy: FaultProxy, fake_sleep: SleepRecorder
) -> None:
    wiki = proxied(login=False)
    proxy.inject(Fault(status=503), Fault(drop=True), Fault(status=502))
    assert siteinfo_name(wiki)
    assert fake_sleep.waits == [1.0, 2.0, 4.0]
    assert wiki.stats.total == 4


def test_gives_up_after_max_retries_with_typed_errors(
    proxied: Callable[..., Wiki], proxy: FaultProxy, fake_sleep: SleepRecorder
) -> None:
    wiki = proxied(login=False)
    proxy.inject(*[Fault(status=503, headers={"Retry-After": "1"})] * 4)
    with pytest.raises(HttpError, match=r"HTTP 503; gave up after 4 attempts"):
        wiki.request({"action": "query", "meta": "siteinfo"})
    assert fake_sleep.waits == [1.0, 1.0, 1.0]

    proxy.inject(*[Fault(body=MAXLAG)] * 4)
    with pytest.raises(ApiError) as caught:
        wiki.request({"action": "query", "meta": "siteinfo"})
    assert caught.value.code == "maxlag"
    assert "7 seconds lagged" in caught.value.info


def test_total_wait_budget_stops_retries_early(
    proxied: Callable[..., Wiki], proxy: FaultProxy, fake_sleep: SleepRecorder
) -> None:
    wiki = proxied(login=False, retry=RetryPolicy(max_retries=10, max_delay=100, max_total=50))
    proxy.inject(*[Fault(status=429, headers={"Retry-After": "30"})] * 5)
    with pytest.raises(HttpError, match="HTTP 429"):
        wiki.request({"action": "query", "meta": "siteinfo"})
    assert fake_sleep.waits == [30.0]
    proxy.faults.clear()


def test_api_errors_keep_code_and_info(proxied: Callable[..., Wiki]) -> None:
    wiki = proxied(login=False)
    with pytest.raises(ApiError) as caught:
        wiki.request({"action": "nosuchaction"})
    assert caught.value.code == "badvalue"
    assert "nosuchaction" in caught.value.info
    assert wiki.stats.retries == 0


def test_not_an_api_url_is_a_clear_error(sandbox_wiki: object) -> None:
    api_url: str = sandbox_wiki.api_url  # type: ignore[attr-defined]
    wiki = Wiki(api_url.replace("api.php", "index.php"), user_agent=UA)
    with pytest.raises(HttpError, match=r"index\.php: .*is this the wiki's api\.php"):
        wiki.request({"action": "query", "meta": "siteinfo"})


def test_html_instead_of_json_is_a_clear_error(
    proxied: Callable[..., Wiki], proxy: FaultProxy
) -> None:
    wiki = proxied(login=False)
    proxy.inject(Fault(raw=b"<html><body>Login to the captive portal</body></html>"))
    with pytest.raises(HttpError, match=r"not JSON; is this the wiki's api\.php"):
        wiki.request({"action": "query", "meta": "siteinfo"})


def test_user_agent_is_required_and_tls_stays_verified() -> None:
    with pytest.raises(ConfigError, match="User-Agent"):
        Wiki("https://example.org/w/api.php", user_agent=" ")
    with pytest.raises(ConfigError, match="User-Agent"):
        Wiki("https://example.org/w/api.php", user_agent="python-requests/2.31")
    with pytest.raises(ConfigError, match="not an http"):
        Wiki("example.org/w/api.php", user_agent=UA)
    wiki = Wiki("https://example.org/w/api.php", contact="ops@example.org")
    assert wiki.transport.session.verify is True
    assert "wikitools/" in wiki.transport.user_agent
    assert "ops@example.org" in wiki.transport.user_agent


def test_an_unreachable_wiki_fails_fast(fake_sleep: SleepRecorder) -> None:
    wiki = Wiki("http://127.0.0.1:9/api.php", user_agent=UA, sleep=fake_sleep)
    with pytest.raises(HttpError, match=r"cannot connect to 127\.0\.0\.1:9"):
        wiki.request({"action": "query", "meta": "siteinfo"})
    assert fake_sleep.waits == []
