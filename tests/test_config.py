"""Config: strict keys and tables, discovery up the directory tree, one-line file errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from wikitools.cli.app import app
from wikitools.config import Config, find_config, load_config
from wikitools.errors import ConfigError

runner = CliRunner()
#: A page with one B101 finding (a stray ``}}``).
BROKEN = "Georgian: ჯუღაშვილი}}; born\n"


def _page(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "page.wiki"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def _one_line_error(result: Result, *needles: str) -> None:
    output = result.output
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], output


def test_non_utf8_config_is_a_one_line_error(tmp_path: Path) -> None:
    page = _page(tmp_path)
    config = tmp_path / "wikitools.toml"
    data = b'select = ["ALL"]\nignore = ["B101"] # caf\xe9\n'
    config.write_bytes(data)
    result = runner.invoke(app, ["lint", str(page)])
    _one_line_error(result, f"{config}:2: not valid UTF-8 at byte {data.index(0xE9)}")


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    page = _page(tmp_path)
    config = tmp_path / "wikitools.toml"
    config.write_text('ignore = ["B101"]\nselect = B\n', encoding="utf-8")
    result = runner.invoke(app, ["lint", str(page), "--config", str(config)])
    _one_line_error(result, f"{config}:2: invalid TOML", "(column 10)")
    config.write_text('ignore = ["B101"]\nselect = [\n"B"\n', encoding="utf-8")
    result = runner.invoke(app, ["lint", str(page), "--config", str(config)])
    _one_line_error(result, f"{config}:3: invalid TOML: Unclosed array (at end of file)")


def test_unknown_table_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "wikitools.toml"
    config.write_text("[bot]\nmax-edits = 5\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(_page(tmp_path))])
    _one_line_error(result, str(config), "unknown table [bot]", "[templates]")


@pytest.mark.parametrize("table", ["modules", "citations", "infobox", "dump", "wiki", "bot"])
def test_tables_nothing_reads_are_rejected(tmp_path: Path, table: str) -> None:
    with pytest.raises(ConfigError, match=rf"unknown table \[{table}\]"):
        load_config(_write(tmp_path / "wikitools.toml", f"[{table}]\nx = 1\n"))


def test_unknown_key_in_a_known_table_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "wikitools.toml"
    config.write_text('[templates."Ka icon"]\naction = "remove"\nsaef = false\n', encoding="utf-8")
    # No --site: the T rules do not run, and the key is still reported.
    result = runner.invoke(app, ["lint", str(_page(tmp_path))])
    _one_line_error(result, str(config), "saef")


def test_unknown_key_in_pyproject_names_its_full_key(tmp_path: Path) -> None:
    pyproject = _write(tmp_path / "pyproject.toml", '[tool.wikitools]\nselct = ["B"]\n')
    with pytest.raises(ConfigError, match=r"unknown setting 'tool\.wikitools\.selct'"):
        load_config(pyproject)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_from_a_subdirectory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _write(tmp_path / "project" / "wikitools.toml", 'ignore = ["B101"]\n')
    page = _page(tmp_path / "project" / "pages" / "Template")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert find_config(page) == config
    assert runner.invoke(app, ["lint", str(page)]).exit_code == 0
    assert runner.invoke(app, ["fix", str(page), "--check"]).exit_code == 0
    # From the current directory when only stdin is read.
    monkeypatch.chdir(page.parent)
    assert runner.invoke(app, ["lint", "-"], input=BROKEN).exit_code == 0


def test_pyproject_tool_table_is_discovered(tmp_path: Path) -> None:
    pyproject = _write(tmp_path / "pyproject.toml", '[tool.wikitools]\nignore = ["B101"]\n')
    page = _page(tmp_path / "sub")
    assert find_config(page) == pyproject
    assert load_config(start=page).ignore == ("B101",)
    assert runner.invoke(app, ["lint", str(page)]).exit_code == 0


def test_discovery_precedence(tmp_path: Path) -> None:
    outer = _write(tmp_path / "wikitools.toml", 'ignore = ["B101"]\n')
    inner = tmp_path / "a" / "b"
    # A pyproject.toml without [tool.wikitools] is passed over.
    _write(inner / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(inner) == outer
    # The nearest directory with a config wins, and its settings are not merged with outer ones.
    near = _write(tmp_path / "a" / "pyproject.toml", '[tool.wikitools]\nselect = ["R"]\n')
    assert find_config(inner) == near
    assert load_config(start=inner) == Config(select=("R",), source=near)
    # In one directory wikitools.toml wins over pyproject.toml.
    local = _write(tmp_path / "a" / "wikitools.toml", 'select = ["A"]\n')
    assert find_config(inner / "page.wiki") == local


def test_explicit_config_wins_over_discovery(tmp_path: Path) -> None:
    _write(tmp_path / "wikitools.toml", "[bot]\nmax-edits = 5\n")
    chosen = _write(tmp_path / "other.toml", 'ignore = ["B101"]\n')
    page = _page(tmp_path)
    assert runner.invoke(app, ["lint", str(page), "--config", str(chosen)]).exit_code == 0
