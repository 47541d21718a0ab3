"""Pages whose fix renders worse or no worse, for the ``--verify`` tests.

The unsafe closer of B102 closes a call that makes up its whole line at the line end. Where
the template does not exist, the closed call renders a red link to a missing template: worse
than before, when MediaWiki showed the unclosed call as text. Where the template exists, the
closed call renders it.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.sandbox import install

UNCLOSED = "Intro.\n{{Infobox person|name=Ann\n\nMore prose here.\n"
CLOSED = "Intro.\n{{Infobox person|name=Ann}}\n\nMore prose here.\n"
TEMPLATE = '<div class="infobox">{{{name}}}</div>'
STRAY = "Text with stray braces.}}\n"
STRAY_FIXED = "Text with stray braces.\n"
REFUSED_REASON = "refused by verify: rendered problems would increase (missing-templates 0 -> 1)"


def run(*args: str) -> tuple[int, str, str]:
    """Run the CLI; exit code, stdout and stderr."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def pretend_mediawiki_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection, and only this: MediaWiki looks missing and we are not root."""
    monkeypatch.setattr(install, "_is_root", lambda: False)
    monkeypatch.setattr(install, "_found", None)
    monkeypatch.setattr(install, "missing_packages", lambda root=install.MEDIAWIKI_ROOT: ["lua5.1"])
