"""Bot-password credentials: from the environment or a profile file, never from argv.

Credentials are looked up in this order:

1. the environment variables ``WIKITOOLS_USERNAME`` and ``WIKITOOLS_PASSWORD``;
2. a profile in the credentials file (``$WIKITOOLS_CREDENTIALS``, else
   ``$XDG_CONFIG_HOME/wikitools/credentials.toml``, else
   ``~/.config/wikitools/credentials.toml``), chosen by name or by its ``api`` URL::

       [profiles.mywiki]
       api = "https://wiki.example.org/w/api.php"
       username = "Admin@wikitools"        # bot password: User@AppId
       password_file = "~/.secrets/mywiki"  # or: password = "..."
       user_agent = "MyWikiBot/1.0 (https://wiki.example.org/wiki/User:Admin)"

Credentials are bound to a wiki (:func:`bound_credentials`): those of a profile with an
``api`` go to that wiki only; environment credentials (and those of a profile without
``api``) go only to a wiki the caller named itself, or to one a profile names. A URL read
from a file (a pulled folder's manifest) gets none unless a profile names it.

The password never appears in ``repr``, logs or exception messages.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wikitools.errors import ConfigError
from wikitools.urls import display_url, same_wiki

logger = logging.getLogger(__name__)

ENV_USERNAME = "WIKITOOLS_USERNAME"
ENV_PASSWORD = "WIKITOOLS_PASSWORD"
ENV_CREDENTIALS_FILE = "WIKITOOLS_CREDENTIALS"
ENV_ALLOW_INSECURE_LOGIN = "WIKITOOLS_ALLOW_INSECURE_LOGIN"
"""Set to ``1`` to allow logging in over plain ``http://`` to a machine other than loopback."""


def insecure_login_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``WIKITOOLS_ALLOW_INSECURE_LOGIN`` is set to a true value (``1``, ``yes``)."""
    env = os.environ if environ is None else environ
    return env.get(ENV_ALLOW_INSECURE_LOGIN, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name (``User@AppId`` for bot passwords) and its password."""

    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=***)"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Profile:
    """One entry of the credentials file."""

    name: str
    api: str | None = None
    credentials: Credentials | None = None
    user_agent: str | None = None


def credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials from ``WIKITOOLS_USERNAME``/``WIKITOOLS_PASSWORD``, or None if unset.

    Raises :class:`ConfigError` when only one of the two is set.
    """
    env = os.environ if environ is None else environ
    username = env.get(ENV_USERNAME, "").strip()
    password = env.get(ENV_PASSWORD, "")
    if not username and not password:
        return None
    if not username or not password:
        missing = ENV_USERNAME if not username else ENV_PASSWORD
        raise ConfigError(f"{missing} is not set; set both {ENV_USERNAME} and {ENV_PASSWORD}")
    return Credentials(username, password)


def default_credentials_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the credentials file is looked for."""
    env = os.environ if environ is None else environ
    explicit = env.get(ENV_CREDENTIALS_FILE)
    if explicit:
        return Path(explicit).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "wikitools" / "credentials.toml"


def load_profiles(path: Path) -> dict[str, Profile]:
    """Read every profile of a credentials file (an absent file holds none)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    _warn_if_shared(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # The TOML error names a line and column only, never the content.
        raise ConfigError(f"{path}: not valid TOML ({_position_only(exc)})") from None
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: [profiles] must be a table of [profiles.NAME] tables")
    return {name: _profile(path, name, entry) for name, entry in profiles.items()}


def find_profile(
    name: str | None = None,
    api_url: str | None = None,
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Profile | None:
    """The profile called ``name``, else the one whose ``api`` equals ``api_url``, else None.

    Raises :class:`ConfigError` when a named profile does not exist.
    """
    file = path or default_credentials_path(environ)
    profiles = load_profiles(file)
    if name is not None:
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"{file}: no profile {name!r} (profiles: {known})")
        return profiles[name]
    if api_url is not None:
        for profile in profiles.values():
            if profile.api is not None and same_wiki(profile.api, api_url):
                return profile
    return None


def resolve_credentials(
    profile: Profile | None = None, environ: Mapping[str, str] | None = None
) -> Credentials | None:
    """Credentials from the environment first, else from ``profile``; None when neither has any."""
    return credentials_from_env(environ) or (profile.credentials if profile else None)


def bound_credentials(
    api_url: str,
    profile: Profile | None = None,
    *,
    origin: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credentials | None:
    """The credentials that may be sent to ``api_url``, or None when there are none.

    ``origin`` is None when the caller named ``api_url`` itself (``--wiki``); else it says
    where the URL was read (``"the manifest DIR/wikitools-pull.json"``). Raises
    :class:`ConfigError`, before any request, when credentials exist but are not for
    ``api_url``: a profile whose ``api`` is another wiki, or a URL from ``origin`` that no
    profile names.
    """
    shown = display_url(api_url)
    if profile is not None and profile.api is not None and not same_wiki(profile.api, api_url):
        raise ConfigError(
            f"the profile {profile.name!r} is for {display_url(profile.api)}, not {shown}; "
            "its credentials go to its own wiki only (choose that wiki, or another profile)"
        )
    credentials = resolve_credentials(profile, environ)
    if credentials is None or origin is None:
        return credentials
    if profile is not None and profile.api is not None:
        return credentials  # the profile names this very wiki
    raise ConfigError(
        f"{origin} names {shown}; credentials are for the wikis named with --wiki or a "
        f"profile's api; pass --wiki {shown} to use them there"
    )


def _profile(path: Path, name: str, entry: Any) -> Profile:
    where = f"{path}: [profiles.{name}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a table")
    known = {"api", "username", "password", "password_file", "user_agent"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    for key in known & set(entry):
        if not isinstance(entry[key], str):
            raise ConfigError(f"{where}: {key} must be a string")
    username = entry.get("username")
    password = entry.get("password")
    password_file = entry.get("password_file")
    if password is not None and password_file is not None:
        raise ConfigError(f"{where}: give password or password_file, not both")
    if password_file is not None:
        password = _read_password_file(where, Path(password_file).expanduser())
    credentials = None
    if username or password:
        if not username or not password:
            raise ConfigError(f"{where}: needs both username and a password")
        credentials = Credentials(username, password)
    return Profile(name, entry.get("api"), credentials, entry.get("user_agent"))


def _read_password_file(where: str, file: Path) -> str:
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read password_file {file} ({exc.strerror})") from None
    _warn_if_shared(file)
    password = text.strip()
    if not password:
        raise ConfigError(f"{where}: password_file {file} is empty")
    return password


def _warn_if_shared(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        logger.warning("%s is readable by other users; run: chmod 600 %s", path, path)


def _position_only(exc: ValueError) -> str:
    message = str(exc)
    start = message.rfind("(at ")
    return message[start + 1 : -1] if start >= 0 and message.endswith(")") else "syntax error"
