"""Issue 11: files holding secrets are mode 0600 from creation on, never chmod'ed afterwards.

The hooks record the mode of every file the atomic writer creates, at creation and at the
rename, and every chmod it makes; with a umask of 0, a file created with the default mode
would be world-readable, so any window of wider permissions shows.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from wikitools import fileio
from wikitools.fileio import write_text_atomic
from wikitools.sandbox import template
from wikitools.sandbox.wiki import read_credentials, update_credentials


class Observed:
    """Modes seen while files are written."""

    def __init__(self) -> None:
        self.created: list[int] = []
        self.renamed: list[int] = []
        self.chmods: list[int] = []


def _mode(name: str | os.PathLike[str]) -> int:
    return stat.S_IMODE(os.stat(name).st_mode)


@pytest.fixture
def observed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Observed]:
    seen = Observed()
    real_mkstemp, real_replace, real_chmod = tempfile.mkstemp, os.replace, os.chmod

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        seen.created.append(_mode(name))
        return fd, name

    def replace(src: str, dst: str | os.PathLike[str]) -> None:
        seen.renamed.append(_mode(src))
        real_replace(src, dst)

    def chmod(path: str | os.PathLike[str], mode: int, **kwargs: object) -> None:
        seen.chmods.append(mode)
        real_chmod(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fileio.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(fileio.os, "chmod", chmod)
    old = os.umask(0)
    try:
        yield seen
    finally:
        os.umask(old)


def _never_wider(seen: Observed, path: Path) -> None:
    assert seen.created and seen.renamed
    assert set(seen.created) == {0o600}
    assert set(seen.renamed) == {0o600}
    assert all(mode & 0o077 == 0 for mode in seen.chmods), seen.chmods
    assert _mode(path) == 0o600


def test_secret_write_is_0600_throughout(observed: Observed, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    write_text_atomic(path, "password=hunter2\n", secret=True)
    _never_wider(observed, path)
    assert path.read_text("utf-8") == "password=hunter2\n"


def test_secret_write_narrows_an_existing_wide_file(observed: Observed, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("old\n", "utf-8")
    os.chmod(path, 0o644)
    observed.chmods.clear()
    write_text_atomic(path, "new\n", secret=True)
    _never_wider(observed, path)


def test_ordinary_write_keeps_the_umask_mode(observed: Observed, tmp_path: Path) -> None:
    os.umask(0o022)
    path = tmp_path / "page.wiki"
    write_text_atomic(path, "text\n")
    assert _mode(path) == 0o644


def test_sandbox_credentials_file(observed: Observed, tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    update_credentials(path, {"WIKITOOLS_SANDBOX_ADMIN_PASSWORD": "s3cret"})
    _never_wider(observed, path)
    update_credentials(path, {"WIKITOOLS_SANDBOX_BOT_PASSWORD": "b0t"})
    _never_wider(observed, path)
    assert read_credentials(path)["WIKITOOLS_SANDBOX_ADMIN_PASSWORD"] == "s3cret"


def test_sandbox_local_settings(observed: Observed, tmp_path: Path) -> None:
    (tmp_path / template.SETTINGS_IN).write_text(
        "<?php\n$wgSitename = @@SITENAME@@;\n$wgSecretKey = @@SECRET_KEY@@;\n"
        "$wgUpgradeKey = @@UPGRADE_KEY@@;\n",
        "utf-8",
    )
    template.write_settings(tmp_path, "Test wiki")
    settings = tmp_path / template.SETTINGS
    _never_wider(observed, settings)
    assert "@@SECRET_KEY@@" not in settings.read_text("utf-8")


@pytest.mark.mediawiki
def test_sandbox_extra_settings(sandbox_wiki: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from wikitools.sandbox import SandboxWiki

    assert isinstance(sandbox_wiki, SandboxWiki)
    seen: list[int] = []
    real_replace = os.replace

    def replace(src: str, dst: str | os.PathLike[str]) -> None:
        seen.append(_mode(src))
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    try:
        sandbox_wiki.configure("$wgMaxArticleSize = 2048;")
        extra = sandbox_wiki.directory / template.EXTRA_SETTINGS
        assert seen == [0o600] and _mode(extra) == 0o600
    finally:
        sandbox_wiki.configure("")
