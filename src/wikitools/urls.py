"""The URL policy: which wiki URLs wikitools accepts, how it shows them, where it logs in.

One place for the rules the client (:class:`wikitools.mediawiki.Wiki`), its transport's
messages and logs, ``pull``/``push`` and the pulled-folder manifest all follow:

- **No credentials in a URL.** A URL with a user-info part (``https://user:secret@host/``)
  is refused by :func:`check_api_url`, with a line saying where credentials go instead
  (``WIKITOOLS_USERNAME``/``WIKITOOLS_PASSWORD`` or a profile). Refusing rather than
  redacting because such a URL cannot be used safely at all: the HTTP library would send
  the user info as a Basic ``Authorization`` header with every request (in clear text over
  ``http://``), and a redacted copy stored in a manifest would name another URL than the
  one used. :func:`display_url` still masks user info wherever a URL is shown, so not even
  the refusal repeats the secret.
- **Same wiki** (:func:`same_wiki`): credentials bound to one ``api.php`` go to that one
  only; scheme and host compare case-insensitively, default ports and a trailing ``/``
  do not matter, anything else does (another port is another wiki).
- **Plain HTTP logins only to loopback** (:func:`insecure_login_reason`): a password sent
  over ``http://`` to another machine crosses the network unencrypted.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

from wikitools.errors import ConfigError

_MASK = "***"
_DEFAULT_PORTS = {"http": 80, "https": 443}

#: Where credentials belong (said by every refusal).
CREDENTIALS_HINT = (
    "credentials go in WIKITOOLS_USERNAME/WIKITOOLS_PASSWORD or a profile in the "
    "credentials file, never in the URL"
)


def display_url(url: str) -> str:
    """``url`` with any ``user:password@`` part replaced by ``***@`` (for messages and logs)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _mask_userinfo_text(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{_MASK}@{host}").geturl()


def display_host(url: str) -> str:
    """The ``host[:port]`` of ``url``, never its user info."""
    try:
        return urlsplit(url).netloc.rpartition("@")[2]
    except ValueError:
        return _mask_userinfo_text(url)


def has_userinfo(url: str) -> bool:
    """True when ``url`` carries a user name or password (``user:secret@host``)."""
    try:
        return "@" in urlsplit(url).netloc
    except ValueError:
        return "@" in url


def check_api_url(url: str) -> str:
    """``url`` if it is an ``http(s)`` URL without user info; else :class:`ConfigError`.

    The error line shows the URL with its user info masked.
    """
    shown = display_url(url)
    if has_userinfo(url):
        raise ConfigError(
            f"{shown}: the URL holds a user name or password; {CREDENTIALS_HINT} "
            "(give the URL without 'user:password@')"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{shown!r} is not an http(s) URL; give the wiki's api.php, "
            "e.g. https://example.org/w/api.php"
        )
    return url


def same_wiki(first: str, second: str) -> bool:
    """Whether two ``api.php`` URLs name the same endpoint (see the module docstring)."""
    return _canonical(first) == _canonical(second)


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is this machine (127.0.0.0/8, ::1 or ``localhost``)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def insecure_login_reason(url: str) -> str | None:
    """Why logging in to ``url`` would expose the password, or None when it is safe.

    ``https://`` is safe; so is ``http://`` to loopback (the password never leaves the
    machine). Anything else sends the password unencrypted over the network.
    """
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        scheme = ""
    if scheme == "https" or is_loopback(url):
        return None
    return (
        f"{display_url(url)} is plain http:// to another machine: the password would cross "
        "the network unencrypted"
    )


def _canonical(url: str) -> tuple[str, str, int | None, str, str] | str:
    try:
        parts: SplitResult = urlsplit(url.strip())
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    return (parts.scheme.lower(), host, port, parts.path.rstrip("/"), parts.query)


def _mask_userinfo_text(text: str) -> str:
    """Last resort for unparsable URLs: mask everything between ``//`` and ``@``."""
    start = text.find("//")
    at = text.find("@", start + 2 if start >= 0 else 0)
    if start < 0 or at < 0:
        return text
    return f"{text[: start + 2]}{_MASK}{text[at:]}"
