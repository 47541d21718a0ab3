"""Finding MediaWiki, and what happens when it is missing (skip locally, fail in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wikitools.errors import MediaWikiMissingError
from wikitools.sandbox import install
from wikitools.sandbox.install import MediaWikiInstall, ensure_mediawiki, missing_packages


@pytest.mark.mediawiki
def test_everything_is_installed(mediawiki_install: MediaWikiInstall) -> None:
    assert missing_packages() == []
    assert mediawiki_install.version.startswith("1.39.")
    assert (mediawiki_install.maintenance / "install.php").is_file()
    assert mediawiki_install.lua.name == "lua5.1"


def test_missing_mediawiki_without_root_names_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: pretend we are not root; tmp_path holds no MediaWiki.
    monkeypatch.setattr(install, "_is_root", lambda: False)
    with pytest.raises(MediaWikiMissingError) as caught:
        ensure_mediawiki(root=tmp_path)
    assert "mediawiki" in caught.value.missing
    command = caught.value.command
    assert command.startswith("sudo apt-get update && sudo apt-get install -y ")
    assert "--no-install-recommends" in command and "mediawiki" in command
    assert command in str(caught.value)


_INNER_CONFTEST = """
import wikitools.sandbox.install as install

# Fault injection: MediaWiki looks missing and we are not root.
install._is_root = lambda: False
install.missing_packages = lambda root=install.MEDIAWIKI_ROOT: ["lua5.1"]

pytest_plugins = ["wikitools.sandbox.pytest_plugin"]
"""

_INNER_TEST = """
def test_needs_a_wiki(sandbox_wiki):
    assert sandbox_wiki.running
"""


def test_fixtures_skip_when_mediawiki_is_missing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest(_INNER_CONFTEST)
    pytester.makepyfile(_INNER_TEST)
    result = pytester.runpytest_subprocess("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*apt-get install -y --no-install-recommends lua5.1*"])


def test_fixtures_fail_in_ci_when_mediawiki_is_missing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makeconftest(_INNER_CONFTEST)
    pytester.makepyfile(_INNER_TEST)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*CI=true but MediaWiki is unavailable*lua5.1*"])
