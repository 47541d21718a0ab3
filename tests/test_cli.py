"""The CLI: exit codes, formats, in-place atomic writes, --diff/--check, stdin, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wikitools.cli.app import app

runner = CliRunner()
BROKEN = "Georgian: ჯუღაშვილი}}; born\n"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.wiki"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_lint_reports_position_and_exit_1(page: Path) -> None:
    result = runner.invoke(app, ["lint", str(page)])
    assert result.exit_code == 1
    assert f"{page}:1:20: B101" in result.output
    assert "help: Remove the stray '}}'" in result.output


def test_lint_json_fields(page: Path) -> None:
    result = runner.invoke(app, ["lint", str(page), "--format", "json"])
    record = json.loads(result.stdout)[0]
    assert {k: record[k] for k in ("line", "column", "end_line", "end_column", "code")} == {
        "line": 1,
        "column": 20,
        "end_line": 1,
        "end_column": 22,
        "code": "B101",
    }
    assert record["path"] == str(page)
    assert record["name"] == "stray-template-close"
    assert record["fixable"] is True and record["fix_applicability"] == "safe"


def test_lint_github_format(page: Path) -> None:
    result = runner.invoke(app, ["lint", str(page), "--format", "github"])
    assert result.stdout.startswith(f"::error file={page},line=1,col=20,")


def test_fix_in_place_then_clean(page: Path) -> None:
    assert runner.invoke(app, ["fix", str(page)]).exit_code == 0
    assert page.read_text(encoding="utf-8") == "Georgian: ჯუღაშვილი; born\n"
    assert runner.invoke(app, ["lint", str(page)]).exit_code == 0
    assert not list(page.parent.glob(".*.tmp"))


def test_fix_diff_and_check_write_nothing(page: Path) -> None:
    diff = runner.invoke(app, ["fix", str(page), "--diff"])
    assert "-Georgian: ჯუღაშვილი}}; born" in diff.stdout
    assert "+Georgian: ჯუღაშვილი; born" in diff.stdout
    check = runner.invoke(app, ["fix", str(page), "--check"])
    assert check.exit_code == 1
    assert page.read_text(encoding="utf-8") == BROKEN


def test_fix_stdin_to_stdout() -> None:
    result = runner.invoke(app, ["fix", "-"], input=BROKEN)
    assert result.exit_code == 0
    assert result.stdout == "Georgian: ჯუღაშვილი; born\n"


def test_directory_recursion_and_select(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.mediawiki").write_text("x}}", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x}}", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(tmp_path), "--format", "json"])
    assert [r["path"] for r in json.loads(result.stdout)] == [str(tmp_path / "sub" / "a.mediawiki")]
    assert runner.invoke(app, ["lint", str(tmp_path), "--ignore", "B"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "/nonexistent/x.wiki"], "no such file"),
        (["lint", "-", "--select", "Z999"], "unknown rule selector"),
        (["lint", "-", "--format", "xml"], "unknown format"),
        (["rule", "NOPE"], "no rule"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args, input="x")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_invalid_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.wiki"
    path.write_bytes(b"ok \xff\xfe broken")
    result = runner.invoke(app, ["fix", str(path)])
    assert result.exit_code == 2
    assert "not valid UTF-8 at byte 3" in result.output
    assert path.read_bytes() == b"ok \xff\xfe broken"


def test_config_file_and_unknown_key(tmp_path: Path, page: Path) -> None:
    good = tmp_path / "wikitools.toml"
    good.write_text('ignore = ["B101"]\n', encoding="utf-8")
    assert runner.invoke(app, ["lint", str(page), "--config", str(good)]).exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text("selct = []\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(page), "--config", str(bad)])
    assert result.exit_code == 2
    assert "unknown setting 'selct'" in result.output


def test_pyproject_table_is_picked_up(
    tmp_path: Path, page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.wikitools]\nselect = ["R"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["lint", str(page)]).exit_code == 0


def test_rules_and_rule_docs() -> None:
    listing = runner.invoke(app, ["rules"])
    assert "B101  stray-template-close" in listing.stdout
    doc = runner.invoke(app, ["rule", "stray-template-close"])
    assert doc.exit_code == 0
    for section in ("What it does:", "Why it matters:", "Example:", "Use instead:", "Fix safety:"):
        assert section in doc.stdout
