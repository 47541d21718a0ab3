"""``wikitools infobox``: convert, render, list, validate (exit codes 0, 1, 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.infobox import default_registry

from .helpers import REPO

SEED = (REPO / "examples" / "joseph_stalin.wiki").read_text("utf-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "Joseph_Stalin.wiki"
    path.write_bytes(SEED.encode("utf-8"))
    return path


def test_convert_writes_in_place(runner: CliRunner, page: Path) -> None:
    result = runner.invoke(app, ["infobox", "convert", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text("utf-8")
    assert "| birth_date       = 18 December 1878" in text
    assert "converted" in result.stderr and "Infobox officeholder -> officeholder" in result.stderr
    assert not list(page.parent.glob(".*.tmp"))
    again = runner.invoke(app, ["infobox", "convert", str(page), "--check"])
    assert again.exit_code == 0
    assert page.read_text("utf-8") == text


def test_diff_and_check_write_nothing(runner: CliRunner, page: Path) -> None:
    diff = runner.invoke(app, ["infobox", "convert", str(page), "--diff"])
    assert diff.exit_code == 0
    assert "-| birth_date       = {{birth date|1878|12|18|df=y}}" in diff.stdout
    assert "+| birth_date       = 18 December 1878" in diff.stdout
    check = runner.invoke(app, ["infobox", "convert", str(page), "--check"])
    assert check.exit_code == 1
    assert "would convert" in check.stderr
    assert page.read_text("utf-8") == SEED


def test_to_and_json_findings(runner: CliRunner, page: Path) -> None:
    result = runner.invoke(
        app, ["infobox", "convert", str(page), "--to", "person", "--diff", "--format", "json"]
    )
    assert result.exit_code == 0
    records = json.loads(result.stdout[result.stdout.index("[\n") :])
    codes = {r["code"] for r in records}
    assert {"IB001", "IB002"} <= codes
    moved = [r for r in records if r["code"] == "IB002"]
    assert all(r["line"] >= 1 and r["column"] >= 1 for r in moved)
    assert any("'office' has no place in 'person'" in r["message"] for r in moved)


def test_stdin_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["infobox", "convert", "-"], input="{{Infobox person|born={{birth date|1900|1|2}}}}"
    )
    assert result.exit_code == 0
    assert result.stdout == "{{Infobox person|birth_date=January 2, 1900}}"


def test_errors_are_one_line_with_exit_2(runner: CliRunner, page: Path, tmp_path: Path) -> None:
    cases = [
        (["infobox", "convert", str(page), "--to", "nope"], "no template schema named 'nope'"),
        (["infobox", "convert", str(tmp_path / "missing.wiki")], "no such file or directory"),
        (["infobox", "convert", str(page), "--date-format", "ymd"], "unknown date format"),
        (["infobox", "render", "officeholder", "--flavor", "lua"], "unknown flavor 'lua'"),
        (["infobox", "list", "--templates", str(tmp_path / "none")], "not a folder"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], args
    assert page.read_text("utf-8") == SEED


def test_render_flavors(runner: CliRunner) -> None:
    classic = runner.invoke(app, ["infobox", "render", "officeholder"])
    assert classic.exit_code == 0 and classic.stdout.startswith('<table class="infobox"')
    portable = runner.invoke(app, ["infobox", "render", "person", "--flavor", "portable"])
    root = etree.fromstring(portable.stdout.split("<noinclude>")[0].encode("utf-8"))
    assert root.tag == "infobox"
    data = runner.invoke(app, ["infobox", "render", "generic", "--flavor", "templatedata"])
    assert "label1" in json.loads(data.stdout)["params"]


def test_list_and_user_templates(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "ship.toml").write_text(
        'name = "ship"\ntemplate = "Infobox ship"\nsources = ["Infobox vessel"]\n'
        '[[sections]]\nid = "top"\nparams = [{ name = "name", display = "title" },'
        ' { name = "launched", label = "Launched", type = "date" }]\n',
        "utf-8",
    )
    listed = runner.invoke(app, ["infobox", "list", "--templates", str(tmp_path)])
    assert listed.exit_code == 0
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == sorted([*default_registry().names(), "ship"])
    assert {"generic", "officeholder", "person", "settlement", "country"} <= set(names)
    page = tmp_path / "HMS Example.wiki"
    page.write_text("{{Infobox vessel|name=HMS Example|launched={{start date|1900|5|6}}}}\n")
    converted = runner.invoke(app, ["infobox", "convert", str(page), "--templates", str(tmp_path)])
    assert converted.exit_code == 0
    assert page.read_text() == "{{Infobox ship|name=HMS Example|launched=May 6, 1900}}\n"


def test_validate(runner: CliRunner, tmp_path: Path) -> None:
    good = runner.invoke(app, ["infobox", "validate", str(REPO / "templates" / "person.toml")])
    assert good.exit_code == 0 and "ok (person, {{Infobox person}})" in good.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\ntemplate = "X"\n[[sections]]\nid = "a"\nparams = [{ nam = 1 }]')
    result = runner.invoke(app, ["infobox", "validate", str(bad)])
    assert result.exit_code == 2
    assert "bad.toml: sections[0].params[0].nam: unknown key" in result.stderr


def test_site_silences_nested_templates_it_has(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "a.wiki"
    page.write_text("{{Infobox person|name=A|caption=x{{sfn|S|2000}}}}\n")
    bare = runner.invoke(app, ["infobox", "convert", str(page), "--check"])
    assert "IB003 {{sfn}} in 'caption' was kept" in bare.stdout  # findings on stdout
    inventory = tmp_path / "site.txt"
    inventory.write_text("Template:Sfn\n")
    known = runner.invoke(
        app, ["infobox", "convert", str(page), "--check", "--site", str(inventory)]
    )
    assert known.exit_code == 0 and "IB003" not in known.output
