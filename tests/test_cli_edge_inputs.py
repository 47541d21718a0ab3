"""CLI on awkward files: BOMs, tabs, form feeds and U+2028 survive fixes and their diffs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.reporting.formatters import unified_diff

runner = CliRunner()

BOM = "\ufeff".encode()


def _apply_with_patch(original: Path, diff: bytes, tmp_path: Path) -> bytes:
    """Apply ``diff`` to a copy of ``original`` with GNU patch; the patched bytes."""
    if shutil.which("patch") is None:
        pytest.fail("GNU patch is needed to check that diffs apply")
    copy = tmp_path / "patched.wiki"
    copy.write_bytes(original.read_bytes())
    done = subprocess.run(["patch", "-s", str(copy)], input=diff, capture_output=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return copy.read_bytes()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            BOM + b"Hi }} there\nline2 {{x}}\n", BOM + b"Hi  there\nline2 {{x}}\n", id="bom"
        ),
        pytest.param(b"\tTab\t}} x\n", b"\tTab\t x\n", id="tabs"),
        pytest.param(
            b"a\x0cb }} c\nline\xe2\x80\xa8two }}\n",
            b"a\x0cb  c\nline\xe2\x80\xa8two \n",
            id="formfeed-and-u2028",
        ),
        pytest.param(
            b"x {{a|b\r\ny\r\n\r\n}} z }}\r\n", b"x {{a|b\r\ny\r\n\r\n}} z \r\n", id="crlf"
        ),
        pytest.param(b"no newline }}", b"no newline ", id="no-final-newline"),
    ],
)
def test_fix_diff_applies_with_patch_and_matches_fix(
    raw: bytes, expected: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "page.wiki"
    source.write_bytes(raw)
    shown = runner.invoke(app, ["fix", "--diff", str(source)])
    assert shown.exit_code == 0, shown.output
    assert source.read_bytes() == raw  # --diff writes nothing
    patched = _apply_with_patch(source, shown.stdout_bytes, tmp_path)
    fixed = runner.invoke(app, ["fix", str(source)])
    assert fixed.exit_code == 0, fixed.output
    assert source.read_bytes() == patched
    assert patched == expected


def test_fix_keeps_byte_order_mark(tmp_path: Path) -> None:
    source = tmp_path / "page.wiki"
    source.write_bytes(BOM + b"Hi }} there\n")
    assert runner.invoke(app, ["fix", str(source)]).exit_code == 0
    assert source.read_bytes() == BOM + b"Hi  there\n"


def test_fix_diff_keeps_tabs() -> None:
    result = runner.invoke(app, ["fix", "--diff", "-"], input="\tTab\t}} x\n")
    assert "-\tTab\t}} x\n+\tTab\t x\n" in result.stdout


def test_unified_diff_breaks_lines_only_at_newlines() -> None:
    diff = unified_diff("p", "a\x0cb }}\nc\u2028d\n", "a\x0cb \nc\u2028d\n")
    assert diff.split("\n")[3:] == ["-a\x0cb }}", "+a\x0cb ", " c\u2028d", ""]
    assert "No newline" not in diff
