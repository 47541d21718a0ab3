"""Local throwaway MediaWiki wikis for tests and for rehearsing bot runs.

:func:`ensure_mediawiki` finds (or, as root, installs) Debian's MediaWiki 1.39 with PHP and
Lua 5.1; :class:`SandboxWiki` creates a wiki in a directory and serves it on a loopback port.
The pytest fixtures live in :mod:`wikitools.sandbox.pytest_plugin`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wikitools._lazy import exports

if TYPE_CHECKING:
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

_EXPORTS = {
    "AdminSession": "wikitools.sandbox.session",
    "DEFAULT_GRANTS": "wikitools.sandbox.wiki",
    "EXTENSIONS": "wikitools.sandbox.install",
    "MediaWikiInstall": "wikitools.sandbox.install",
    "PACKAGES": "wikitools.sandbox.install",
    "SandboxWiki": "wikitools.sandbox.wiki",
    "ensure_mediawiki": "wikitools.sandbox.install",
    "install_command": "wikitools.sandbox.install",
    "missing_packages": "wikitools.sandbox.install",
    "read_credentials": "wikitools.sandbox.wiki",
}

__getattr__, __dir__ = exports(__name__, _EXPORTS)

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
