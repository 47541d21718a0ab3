"""Files on disk: symlinks, modes, unreadable folders and files, read-only folders."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.permissions import as_unprivileged
from wikitools.cli.app import app
from wikitools.errors import InputError, OutputError
from wikitools.fileio import WriteError, write_text_atomic
from wikitools.sources import SourceError, read_pages

runner = CliRunner()
BROKEN = "Georgian: ჯუღაშვილი}}; born\n"
FIXED = "Georgian: ჯუღაშვილი; born\n"


def _write(path: Path, text: str = BROKEN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths whose permissions a test takes away; given back afterwards so tmp can be removed."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        os.chmod(path, 0o755)


def test_fix_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    target = _write(tmp_path / "real" / "page.wiki")
    target.chmod(0o640)
    link = tmp_path / "pages" / "page.wiki"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "real" / "page.wiki")
    result = runner.invoke(app, ["fix", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "real" / "page.wiki")
    assert target.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in link.parent.iterdir()) == ["page.wiki"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.wiki"]


def test_a_folder_of_symlinks_is_fixed_through_them(tmp_path: Path) -> None:
    target = _write(tmp_path / "store" / "a.wiki")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.wiki").symlink_to(target)
    assert runner.invoke(app, ["fix", str(folder)]).exit_code == 2  # issue 11: refused
    assert target.read_text(encoding="utf-8") == BROKEN
    assert runner.invoke(app, ["fix", "--follow-symlinks", str(folder)]).exit_code == 0
    assert (folder / "a.wiki").is_symlink()
    assert target.read_text(encoding="utf-8") == FIXED


def test_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "out.wiki"
    link.symlink_to(tmp_path / "made.wiki")
    write_text_atomic(link, "text\n")
    assert link.is_symlink()
    assert (tmp_path / "made.wiki").read_text(encoding="utf-8") == "text\n"


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664, 0o755])
def test_rewrite_keeps_the_file_mode(tmp_path: Path, mode: int) -> None:
    page = _write(tmp_path / "page.wiki")
    page.chmod(mode)
    assert runner.invoke(app, ["fix", str(page)]).exit_code == 0
    assert page.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(page.stat().st_mode) == mode


def test_fix_in_a_read_only_folder_is_one_line_and_loses_nothing(
    tmp_path: Path, locked: list[Path]
) -> None:
    folder = tmp_path / "ro"
    page = _write(folder / "page.wiki")
    folder.chmod(0o555)
    locked.append(folder)

    def step() -> tuple[int, str]:
        result = runner.invoke(app, ["fix", str(page)])
        return result.exit_code, result.output

    code, output = as_unprivileged(step)
    assert code == 2, output
    assert "Traceback" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {page}: cannot write (Permission")
    assert page.read_text(encoding="utf-8") == BROKEN
    assert [p.name for p in folder.iterdir()] == ["page.wiki"]  # no temporary file left


def test_write_error_is_an_output_error_and_an_os_error(tmp_path: Path, locked: list[Path]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    locked.append(folder)

    def step() -> str:
        try:
            write_text_atomic(folder / "new.wiki", "x")
        except WriteError as exc:
            assert isinstance(exc, OutputError) and isinstance(exc, OSError)
            return str(exc)
        return "written"

    assert "cannot write (Permission denied" in as_unprivileged(step)
    assert list(folder.iterdir()) == []


def test_unreadable_folder_is_reported_and_fails_the_run(
    tmp_path: Path, locked: list[Path]
) -> None:
    _write(tmp_path / "ok" / "page.wiki", "Clean text.\n")
    secret = tmp_path / "secret"
    _write(secret / "hidden.wiki")
    secret.chmod(0o000)
    locked.append(secret)

    def step() -> tuple[int, str, list[SourceError], str]:
        errors: list[SourceError] = []
        pages = read_pages([tmp_path], errors=errors)
        result = runner.invoke(app, ["lint", str(tmp_path)])
        try:
            read_pages([tmp_path])
        except InputError as exc:
            strict = str(exc)
        else:
            strict = "no error"
        return result.exit_code, result.output, errors, strict + f" ({len(pages)} page)"

    code, output, errors, strict = as_unprivileged(step)
    assert [(e.path, e.reason) for e in errors] == [(secret, "Permission denied")]
    assert code == 1, output
    assert f"error: {secret}: cannot read (Permission denied); skipped" in output
    assert "No problems found in 1 file(s)." in output  # the readable page was still linted
    assert strict == f"{secret}: cannot read (Permission denied) (1 page)"


def test_unreadable_file_is_reported_and_others_are_fixed(
    tmp_path: Path, locked: list[Path]
) -> None:
    good = _write(tmp_path / "a.wiki")
    bad = _write(tmp_path / "b.wiki")
    bad.chmod(0o000)
    locked.append(bad)

    def step() -> tuple[int, str]:
        result = runner.invoke(app, ["fix", str(tmp_path)])
        return result.exit_code, result.output

    code, output = as_unprivileged(step)
    assert code == 1, output
    assert f"error: {bad}: cannot read (Permission denied); skipped" in output
    assert good.read_text(encoding="utf-8") == FIXED
    bad.chmod(0o644)
    assert bad.read_text(encoding="utf-8") == BROKEN


def test_unreadable_folder_of_a_site_directory_is_an_error(
    tmp_path: Path, locked: list[Path]
) -> None:
    from wikitools.errors import SiteError
    from wikitools.site.pagedir import DirectorySite

    _write(tmp_path / "site" / "Template" / "Sfn.wiki", "sfn")
    modules = tmp_path / "site" / "Module"
    _write(modules / "Footnotes.lua", "return {}")
    modules.chmod(0o000)
    locked.append(modules)

    def step() -> str:
        try:
            DirectorySite.from_directory(tmp_path / "site")
        except SiteError as exc:
            return str(exc)
        return "read in part"

    assert as_unprivileged(step) == f"{modules}: cannot read (Permission denied)"
