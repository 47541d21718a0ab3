"""No page file or folder outside the folder: links inside folders of pages are refused.

``lint``/``fix`` on folders (unless ``--follow-symlinks``), ``--site DIR`` and ``dump
extract`` share one check (:func:`wikitools.fileio.safe_path` and
:func:`~wikitools.fileio.walk_page_folder`); push and pull are tested on a real wiki in
tests/live/test_symlinks_live.py, dump extract in
tests/dumps/test_dump_symlinks.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.fileio import UnsafePathError, safe_path
from wikitools.layout import Manifest, PulledPage, text_sha1
from wikitools.sources import read_pages

runner = CliRunner()
BROKEN = "Georgian: ჯუღაშვილი}}; born\n"
FIXED = "Georgian: ჯუღაშვილი; born\n"


def _write(path: Path, text: str = BROKEN) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _one_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: "), output
    return lines[0]


def test_safe_path_accepts_what_stays_inside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    page = _write(root / "Template" / "X.wiki")
    assert safe_path(root, page) == page
    assert safe_path(root, root / "New" / "Y.wiki") == root / "New" / "Y.wiki"  # not there yet
    linked_root = tmp_path / "named"
    linked_root.symlink_to(root)  # the folder the user names may be a link
    assert safe_path(linked_root, linked_root / "Template" / "X.wiki")


def test_safe_path_refuses_links_and_escapes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "file.wiki").symlink_to("/etc/passwd")
    (root / "dangling.wiki").symlink_to(tmp_path / "nowhere")
    (root / "Template").symlink_to(tmp_path)
    for path in (root / "file.wiki", root / "dangling.wiki", root / "Template" / "X.wiki"):
        with pytest.raises(UnsafePathError, match="a symbolic link"):
            safe_path(root, path)
    with pytest.raises(UnsafePathError, match="outside the folder"):
        safe_path(root, root / ".." / "x.wiki")
    with pytest.raises(UnsafePathError, match="outside the folder"):
        safe_path(root, tmp_path / "x.wiki")


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_lint_and_fix_refuse_a_linked_page_file_in_a_folder(tmp_path: Path, command: str) -> None:
    secret = _write(tmp_path / "private" / "secret.wiki")
    folder = tmp_path / "pages"
    _write(folder / "ok.wiki", "Fine.\n")
    link = folder / "a.wiki"
    link.symlink_to(secret)
    result = runner.invoke(app, [command, str(folder)])
    assert result.exit_code == 2, result.output
    line = _one_error(result.output)
    assert f"{link}: a symbolic link (to {secret})" in line and "--follow-symlinks" in line
    assert secret.read_text(encoding="utf-8") == BROKEN
    assert (folder / "ok.wiki").read_text(encoding="utf-8") == "Fine.\n"


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_lint_and_fix_refuse_a_linked_folder(tmp_path: Path, command: str) -> None:
    elsewhere = _write(tmp_path / "elsewhere" / "b.wiki").parent
    folder = tmp_path / "pages"
    _write(folder / "ok.wiki", "Fine.\n")
    (folder / "Template").symlink_to(elsewhere)
    result = runner.invoke(app, [command, str(folder)])
    assert result.exit_code == 2, result.output
    assert f"{folder / 'Template'}: a symbolic link" in _one_error(result.output)
    assert (elsewhere / "b.wiki").read_text(encoding="utf-8") == BROKEN


def test_follow_symlinks_lints_and_fixes_through_links_in_a_folder(tmp_path: Path) -> None:
    target = _write(tmp_path / "store" / "a.wiki")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.wiki").symlink_to(target)
    linted = runner.invoke(app, ["lint", "--follow-symlinks", str(folder)])
    assert linted.exit_code == 1, linted.output
    assert f"{folder / 'a.wiki'}:1:" in linted.output
    assert runner.invoke(app, ["fix", "--follow-symlinks", str(folder)]).exit_code == 0
    assert (folder / "a.wiki").is_symlink()
    assert target.read_text(encoding="utf-8") == FIXED
    assert [p.path for p in read_pages([folder], follow_symlinks=True)] == [folder / "a.wiki"]


def test_a_linked_file_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    target = _write(tmp_path / "store" / "a.wiki")
    link = tmp_path / "a.wiki"
    link.symlink_to(target)
    linted = runner.invoke(app, ["lint", str(link)])
    assert linted.exit_code == 1, linted.output
    assert f"{link}:1:" in linted.output


def test_hidden_links_and_links_that_are_no_page_files_are_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    _write(folder / "ok.wiki", "Fine.\n")
    (folder / ".git").symlink_to(tmp_path)
    (folder / "README.md").symlink_to("/etc/passwd")
    (folder / ".hidden.wiki").symlink_to("/etc/passwd")
    assert [p.path for p in read_pages([folder])] == [folder / "ok.wiki"]


def test_site_directory_refuses_links(tmp_path: Path) -> None:
    page = _write(tmp_path / "page.wiki", "{{Box}}\n")
    site = tmp_path / "site"
    _write(site / "Template" / "Other.wiki", "x")
    box = site / "Template" / "Box.wiki"
    box.symlink_to(_write(tmp_path / "private" / "Box.wiki", "secret"))
    result = runner.invoke(app, ["lint", "--site", str(site), str(page)])
    assert result.exit_code == 2, result.output
    assert f"{box}: a symbolic link" in _one_error(result.output)
    box.unlink()
    (site / "siteinfo.json").symlink_to(tmp_path / "private" / "Box.wiki")
    result = runner.invoke(app, ["lint", "--site", str(site), str(page)])
    assert result.exit_code == 2, result.output
    assert f"{site / 'siteinfo.json'}: a symbolic link" in _one_error(result.output)
    (site / "siteinfo.json").unlink()
    assert runner.invoke(app, ["lint", "--site", str(site), str(page)]).exit_code in (0, 1)


def test_infobox_convert_refuses_a_link_in_a_folder(tmp_path: Path) -> None:
    secret = _write(tmp_path / "private" / "a.wiki", "{{Infobox person|name=X}}\n")
    folder = tmp_path / "pages"
    _write(folder / "ok.wiki", "Fine.\n")
    (folder / "a.wiki").symlink_to(secret)
    result = runner.invoke(app, ["infobox", "convert", str(folder)])
    assert result.exit_code == 2, result.output
    assert f"{folder / 'a.wiki'}: a symbolic link" in _one_error(result.output)
    assert secret.read_text(encoding="utf-8") == "{{Infobox person|name=X}}\n"


def test_push_refuses_a_link_before_it_connects(tmp_path: Path) -> None:
    """Nothing listens on port 9: the refusal comes before any connection or login."""
    folder = tmp_path / "pages"
    manifest = Manifest(folder, "http://127.0.0.1:9/api.php")
    page = _write(folder / "(Main)" / "Page.wiki", "Text.\n")
    manifest.record(
        "(Main)/Page.wiki",
        PulledPage("Page", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", text_sha1("Text.\n")),
    )
    manifest.save()
    page.unlink()
    page.symlink_to("/etc/passwd")
    for mode in ("--apply", "--diff"):
        result = runner.invoke(app, ["push", str(folder), "--summary", "s", mode])
        assert result.exit_code == 2, result.output
        line = _one_error(result.output)
        assert f"{page}: a symbolic link (to /etc/passwd)" in line and "push never" in line
