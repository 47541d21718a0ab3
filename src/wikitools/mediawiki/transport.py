"""One HTTP session to one ``api.php``: encoding, retries, errors, counting.

Every request carries ``format=json``, ``formatversion=2`` and ``maxlag``; requests that
hold a token or a password always go as POST bodies, so no secret ever appears in a URL,
a log line or an exception message, and POSTs are never redirected. The ``api_url``
follows the URL policy (:mod:`wikitools.urls`): no user info in it, shown without it.
Waits before retries go through injectable ``sleep`` and ``clock`` functions so tests
run instantly.
"""

from __future__ import annotations

import json
import logging
import platform
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlencode, urlsplit

import requests

from wikitools.errors import ConfigError, HttpError
from wikitools.mediawiki.apierrors import api_error
from wikitools.mediawiki.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after
from wikitools.urls import check_api_url, display_host, display_url

logger = logging.getLogger(__name__)

#: A parameter value: lists are joined with ``|`` (or U+001F when a value holds ``|``);
#: True becomes ``1``; False and None leave the parameter out.
ParamValue = str | int | float | bool | Sequence[str] | None
Params = Mapping[str, ParamValue]

#: GET URLs longer than this go as POST instead (servers cut long URLs).
_MAX_GET_LENGTH = 2000

_SECRET_MARK = "***"


def default_user_agent(contact: str | None = None) -> str:
    """A User-Agent after Wikimedia's policy: tool/version (contact) library/version.

    ``contact`` should be a URL or e-mail address where the operator can be reached.
    """
    from wikitools.version import __version__

    who = contact.strip() if contact and contact.strip() else "https://pypi.org/project/wikitools"
    return (
        f"wikitools/{__version__} ({who}) python-requests/{requests.__version__} "
        f"Python/{platform.python_version()}"
    )


def is_secret_param(name: str) -> bool:
    """True for parameters that carry credentials or tokens."""
    return name.endswith("token") or name.endswith("password")


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One HTTP request sent to the wiki (retries are separate records)."""

    method: str
    action: str
    modules: tuple[str, ...]
    """Query submodules (``prop``, ``list``, ``meta``, ``generator`` values) or ``()``."""
    attempt: int
    """0 for the first try, 1 for the first retry, ..."""

    @property
    def is_write(self) -> bool:
        """True for requests that change the wiki (edit, import and the like)."""
        return self.action in WRITE_ACTIONS


#: Actions that change something on the wiki.
WRITE_ACTIONS = frozenset(
    {"edit", "import", "move", "delete", "undelete", "protect", "upload", "purge", "rollback"}
)


@dataclass
class RequestStats:
    """Every request a transport sent, so tests and reports can count them."""

    records: list[RequestRecord] = field(default_factory=list)

    @property
    def total(self) -> int:
        """All HTTP requests sent, retries included."""
        return len(self.records)

    @property
    def writes(self) -> int:
        """Requests that change the wiki (edits, imports), retries included."""
        return sum(1 for r in self.records if r.is_write)

    @property
    def retries(self) -> int:
        """Requests that were retries of an earlier one."""
        return sum(1 for r in self.records if r.attempt > 0)

    def count(self, action: str | None = None, module: str | None = None) -> int:
        """Requests with this action and/or query submodule (e.g. ``module="revisions"``)."""
        return sum(
            1
            for r in self.records
            if (action is None or r.action == action) and (module is None or module in r.modules)
        )


def encode_params(params: Params) -> dict[str, str]:
    """Encode parameter values the way the Action API expects them."""
    encoded: dict[str, str] = {}
    for name, value in params.items():
        if value is None or value is False:
            continue
        if value is True:
            encoded[name] = "1"
        elif isinstance(value, str):
            encoded[name] = value
        elif isinstance(value, int | float):
            encoded[name] = str(value)
        else:
            items = [str(v) for v in value]
            if any("|" in v for v in items):
                encoded[name] = "\x1f" + "\x1f".join(items)
            else:
                encoded[name] = "|".join(items)
    return encoded


class Transport:
    """Sends Action API requests with retries, typed errors and a request log.

    ``api_url`` is the wiki's ``api.php``. ``user_agent`` is required: Wikimedia and
    many other wikis block generic agents; say who runs the tool and how to reach them.
    ``sleep`` and ``clock`` (Unix time) are injectable for tests; ``ca_bundle`` may name a
    certificate file, but TLS verification cannot be turned off.
    """

    def __init__(
        self,
        api_url: str,
        *,
        user_agent: str,
        maxlag: int | None = 5,
        retry: RetryPolicy | None = None,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        ca_bundle: str | None = None,
    ) -> None:
        check_api_url(api_url)  # the URL policy: http(s), no credentials in it
        if not user_agent or not user_agent.strip() or user_agent.startswith("python-requests"):
            raise ConfigError(
                "a descriptive User-Agent is required (tool name, version and contact), "
                "e.g. 'MyBot/1.0 (https://example.org/wiki/User:Me)'"
            )
        self.api_url = api_url
        self.host = display_host(api_url)
        self.user_agent = user_agent
        self.maxlag = maxlag
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.sleep = sleep
        self.clock = clock
        self.stats = RequestStats()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.verify = ca_bundle if ca_bundle else True
        self._secrets: set[str] = set()
        self._reached = False

    def __repr__(self) -> str:
        return f"Transport({self.api_url!r})"

    # -- secrets ---------------------------------------------------------------------------

    def add_secret(self, value: str) -> None:
        """Remember a secret so it is masked in every message this transport produces."""
        if value:
            self._secrets.add(value)

    def redact(self, text: str) -> str:
        """``text`` with every known secret replaced by ``***``."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, _SECRET_MARK)
        return text

    # -- requests --------------------------------------------------------------------------

    def call(
        self,
        params: Params,
        *,
        post: bool = False,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> dict[str, Any]:
        """Send one API request and return the decoded JSON answer.

        Retries on connection errors, HTTP 429/5xx and ``maxlag``-like API errors,
        waiting ``Retry-After`` or a growing backoff. Raises :class:`ApiError` (or
        :class:`EditConflictError`) for API errors and :class:`HttpError` when the wiki
        cannot be reached or keeps failing.
        """
        response = self._send(params, post=post, files=files, raw=False)
        assert isinstance(response, dict)
        return response

    def call_raw(self, params: Params, *, post: bool = False) -> bytes:
        """Send one request whose answer is not JSON (e.g. ``exportnowrap``); return its bytes."""
        response = self._send(params, post=post, files=None, raw=True)
        assert isinstance(response, bytes)
        return response

    def _send(
        self,
        params: Params,
        *,
        post: bool,
        files: Mapping[str, tuple[str, bytes, str]] | None,
        raw: bool,
    ) -> dict[str, Any] | bytes:
        data = encode_params(params)
        if not raw:
            data["format"] = "json"
            data["formatversion"] = "2"
        if self.maxlag is not None:
            data["maxlag"] = str(self.maxlag)
        secret = any(is_secret_param(name) for name in data)
        post = post or bool(files) or secret or len(urlencode(data)) > _MAX_GET_LENGTH
        action = data.get("action", "")
        modules = _modules_of(data)
        waited = 0.0
        attempt = 0
        while True:
            self.stats.records.append(
                RequestRecord("POST" if post else "GET", action, modules, attempt)
            )
            logger.debug("%s %s %s", "POST" if post else "GET", action, "|".join(modules))
            outcome, retry_after = self._attempt(data, post=post, files=files, raw=raw)
            if not isinstance(outcome, _Retry):
                return outcome
            reason = outcome
            if attempt >= self.retry.max_retries:
                raise self._give_up(reason, attempt)
            delay = self.retry.delay(attempt, retry_after)
            if waited + delay > self.retry.max_total:
                raise self._give_up(reason, attempt)
            logger.warning(
                "%s: %s; waiting %.1f s before retry %d of %d",
                self.host,
                reason.message,
                delay,
                attempt + 1,
                self.retry.max_retries,
            )
            self.sleep(delay)
            waited += delay
            attempt += 1

    def _attempt(
        self,
        data: dict[str, str],
        *,
        post: bool,
        files: Mapping[str, tuple[str, bytes, str]] | None,
        raw: bool,
    ) -> tuple[dict[str, Any] | bytes | _Retry, float | None]:
        """One try: the answer, or the reason to retry and the server's requested wait."""
        try:
            if post:
                # Never redirected: a POST may carry a password or a token, and a redirect
                # would hand it to whatever URL the server names.
                response = self.session.post(
                    self.api_url,
                    data=data,
                    files=files,
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            else:
                response = self.session.get(self.api_url, params=data, timeout=self.timeout)
        except requests.exceptions.SSLError as exc:
            raise self._tls_error(exc) from None
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            timeout = isinstance(exc, requests.Timeout)
            if not self._reached and not timeout:
                # Never reached at all: a wrong URL, not a hiccup. Fail fast.
                raise HttpError(
                    f"cannot connect to {self.host}; check the --wiki URL and your network"
                ) from None
            return _Retry("timed out" if timeout else "connection failed", None), None
        except requests.RequestException as exc:
            raise HttpError(
                f"{self.host}: request failed ({type(exc).__name__}); check --wiki"
            ) from None
        self._reached = True
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.clock())
        if response.status_code in RETRY_STATUSES:
            return _Retry(f"HTTP {response.status_code}", None, response.status_code), retry_after
        if post and response.is_redirect:
            target = display_url(response.headers.get("Location", "?"))
            raise HttpError(
                f"{self.api_url}: HTTP {response.status_code} redirects to {target}; requests "
                "that may carry a password or token are never redirected: give the wiki's "
                "final api.php URL"
            )
        if response.status_code != 200:
            raise HttpError(
                f"{self.api_url}: HTTP {response.status_code} {response.reason}; "
                "is this the wiki's api.php?"
            )
        if raw:
            content_type = response.headers.get("Content-Type", "")
            if "json" in content_type:
                self._raise_for_error(_decode_json(response, self.api_url))
            return response.content, None
        body = _decode_json(response, self.api_url)
        error = body.get("error")
        if isinstance(error, dict):
            code = str(error.get("code", "unknown"))
            if code in self.retry.retry_codes:
                lag = error.get("lag")
                info = f"API error {code}" + (f" (lag {lag} s)" if lag is not None else "")
                if retry_after is None and code == "maxlag":
                    retry_after = float(self.maxlag or 5)
                return _Retry(info, code, None, _error_info(error), error), retry_after
            self._raise_for_error(body)
        for module, warning in (body.get("warnings") or {}).items():
            logger.info("%s: API warning from %s: %s", self.host, module, self.redact(str(warning)))
        return body, None

    def _raise_for_error(self, body: Mapping[str, Any]) -> None:
        error = body.get("error")
        if not isinstance(error, dict):
            return
        code = str(error.get("code", "unknown"))
        raise api_error(code, self.redact(_error_info(error)), error)

    def _give_up(self, reason: _Retry, attempt: int) -> Exception:
        tries = f"after {attempt + 1} attempt{'s' if attempt else ''}"
        if reason.code is not None:
            info = f"{self.redact(reason.info)} (gave up {tries})"
            return api_error(reason.code, info, reason.details)
        return HttpError(f"{self.host}: {reason.message}; gave up {tries}")

    def _tls_error(self, exc: requests.exceptions.SSLError) -> HttpError:
        """A clear message for a failed TLS handshake: bad certificate, or no TLS at all."""
        parts = urlsplit(self.api_url)
        where = f"https://{parts.hostname}:{parts.port or 443}"
        if _caused_by(exc, ssl.SSLCertVerificationError):
            return HttpError(
                f"{self.host}: TLS certificate verification failed; if the wiki uses a private "
                "CA, point REQUESTS_CA_BUNDLE at its certificate (verification stays on)"
            )
        text = str(exc).lower()
        if any(sign in text for sign in _NOT_TLS_SIGNS) or self._answers_plain_http(parts):
            return HttpError(
                f"the server does not speak TLS on {where}: it answers plain HTTP there; "
                "use an http:// URL if the wiki really has no TLS, or the wiki's https port"
            )
        return HttpError(f"{self.host}: the TLS handshake with {where} failed ({exc})")

    def _answers_plain_http(self, parts: SplitResult) -> bool:
        """Whether ``host:port`` of an https URL answers a plain HTTP request (one probe)."""
        port = parts.port or 443
        try:
            self.session.head(
                f"http://{parts.netloc}/", timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException:
            return False
        logger.debug("%s: port %d answers plain HTTP", self.host, port)
        return True


@dataclass(frozen=True, slots=True)
class _Retry:
    message: str
    code: str | None = None
    status: int | None = None
    info: str = ""
    details: Mapping[str, Any] | None = None
    """The API's whole error object (``readonlyreason``, ``blockinfo``...)."""


#: How OpenSSL words "the other side answered, but not in TLS" (versions differ).
_NOT_TLS_SIGNS = (
    "wrong version number",
    "wrong_version_number",
    "unknown protocol",
    "http request",
    "packet length too long",
    "record layer failure",
)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is in the cause/context chain (or the args) of ``exc``."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, kind):
            return True
        todo.extend(a for a in item.args if isinstance(a, BaseException))
        reason = getattr(item, "reason", None)
        if isinstance(reason, BaseException):
            todo.append(reason)
        todo.extend(e for e in (item.__cause__, item.__context__) if e is not None)
    return False


def _error_info(error: Mapping[str, Any]) -> str:
    text = error.get("info", error.get("text", ""))
    return str(text)


def _decode_json(response: requests.Response, url: str) -> dict[str, Any]:
    try:
        body = json.loads(response.content)
    except ValueError:
        raise HttpError(
            f"{url}: the answer is not JSON; is this the wiki's api.php "
            "(e.g. https://example.org/w/api.php)?"
        ) from None
    if not isinstance(body, dict):
        raise HttpError(f"{url}: unexpected answer; is this the wiki's api.php?")
    return body


def _modules_of(data: Mapping[str, str]) -> tuple[str, ...]:
    names: list[str] = []
    for key in ("prop", "list", "meta", "generator"):
        value = data.get(key)
        if value:
            names.extend(_split_multi(value))
    if "export" in data:
        names.append("export")
    return tuple(names)


def _split_multi(value: str) -> Iterable[str]:
    if value.startswith("\x1f"):
        return value[1:].split("\x1f")
    return value.split("|")
