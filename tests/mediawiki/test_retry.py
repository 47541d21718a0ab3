"""Retry policy arithmetic and Retry-After parsing (pure functions)."""

from __future__ import annotations

import email.utils

import pytest

from wikitools.mediawiki.retry import RetryPolicy, parse_retry_after

NOW = 1_700_000_000.0


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=5, factor=2, max_delay=30)
    assert [policy.backoff(n) for n in range(5)] == [5, 10, 20, 30, 30]


def test_server_wait_wins_over_backoff_but_is_capped() -> None:
    policy = RetryPolicy(base_delay=5, max_delay=60)
    assert policy.delay(0, 12.0) == 12.0
    assert policy.delay(3, 3600.0) == 60.0
    assert policy.delay(2, None) == 20.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        (email.utils.formatdate(NOW + 42, usegmt=True), 42.0),
        (email.utils.formatdate(NOW - 42, usegmt=True), 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("-3", None),
        ("nan", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, NOW) == expected


def test_invalid_policy_is_refused() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)
