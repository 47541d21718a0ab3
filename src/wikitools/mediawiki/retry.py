"""When and how long to wait before retrying a request the wiki could not answer now."""

from __future__ import annotations

import email.utils
import math
from dataclasses import dataclass

#: HTTP statuses worth retrying: too many requests, and server-side failures.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

#: API error codes that mean "try again later", not "your request is wrong".
RETRY_CODES = frozenset({"maxlag", "readonly", "ratelimited", "internal_api_error_DBQueryError"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often to retry and how long to wait (after pywikibot's and mwclient's defaults).

    The n-th retry (0-based) waits ``min(max_delay, base_delay * factor**n)`` seconds,
    unless the server names a wait in ``Retry-After``; that is honoured up to ``max_delay``.
    A run gives up after ``max_retries`` retries or once ``max_total`` seconds were spent
    waiting, whichever comes first.
    """

    max_retries: int = 8
    base_delay: float = 5.0
    factor: float = 2.0
    max_delay: float = 120.0
    max_total: float = 900.0
    retry_codes: frozenset[str] = RETRY_CODES
    """The API error codes retried (:data:`RETRY_CODES` unless a run must stop at once)."""

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.base_delay < 0 or self.max_delay < 0 or self.factor < 1:
            raise ValueError("retry policy values must be non-negative (factor >= 1)")

    def backoff(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (0-based) when the server names none."""
        return min(self.max_delay, self.base_delay * self.factor**attempt)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The wait before retry ``attempt``: the server's ``Retry-After``, else backoff."""
        if retry_after is not None:
            return min(self.max_delay, max(0.0, retry_after))
        return self.backoff(attempt)


#: For command-line runs: a read-only wiki stops the run at once with one clear line
#: (:class:`~wikitools.errors.ReadOnlyError`) instead of waiting up to ``max_total``;
#: maxlag, rate limits and 5xx answers are still retried.
STOP_ON_READ_ONLY = RetryPolicy(retry_codes=RETRY_CODES - {"readonly"})


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date).

    ``now`` is the current Unix time (injected, so tests need no real clock). Returns
    None when the header is absent or unreadable.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)
