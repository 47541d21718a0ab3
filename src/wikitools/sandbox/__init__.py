"""Local throwaway MediaWiki wikis for tests and for rehearsing bot runs.

:func:`ensure_mediawiki` finds (or, as root, installs) Debian's MediaWiki 1.39 with PHP and
Lua 5.1; :class:`SandboxWiki` creates a wiki in a directory and serves it on a loopback port.
The pytest fixtures live in :mod:`wikitools.sandbox.pytest_plugin`.
"""

from __future__ import annotations

from wikitools.sandbox.install import (
    EXTENSIONS,
    PACKAGES,
    MediaWikiInstall,
    ensure_mediawiki,
    install_command,
    missing_packages,
)
from wikitools.sandbox.session import AdminSession
from wikitools.sandbox.wiki import (
    DEFAULT_GRANTS,
    SandboxWiki,
    read_credentials,
)

__all__ = [
    "DEFAULT_GRANTS",
    "EXTENSIONS",
    "PACKAGES",
    "AdminSession",
    "MediaWikiInstall",
    "SandboxWiki",
    "ensure_mediawiki",
    "install_command",
    "missing_packages",
    "read_credentials",
]
