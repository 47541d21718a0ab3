"""The CLI with --site: the seed example repaired, policies from wikitools.toml, bad sites."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from wikitools.cli.app import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "examples" / "site"
ARTICLE = ROOT / "examples" / "joseph_stalin.wiki"


def test_example_diff_repairs_all_three_breakages() -> None:
    result = runner.invoke(app, ["fix", str(ARTICLE), "--site", str(SITE), "--diff"])
    assert result.exit_code == 0, result.output
    diff = result.stdout
    assert "-| native_name" in diff and "(in Georgian)" in diff
    assert "ჯუღაშვილი}};" in diff and "+'''Joseph" in diff and "ჯუღაშვილი;" in diff
    assert (
        '<ref name="FOOTNOTEService2004259">[[#CITEREFService2004|Service 2004]], p. 259.</ref>'
        in diff
    )
    assert '<ref name="FOOTNOTEService2004259" />' in diff
    assert "+{{sfn" not in diff


def test_lint_with_site_reports_site_rules(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(ARTICLE), "--site", str(SITE)])
    assert result.exit_code == 1
    assert "T101 Template:Ka icon does not exist on this wiki" in result.output
    assert "M102 Template:Sfn needs Module:Footnotes/anchor id list" in result.output
    without = runner.invoke(app, ["lint", str(ARTICLE)])
    assert "T101" not in without.output and "M102" not in without.output


def test_fix_in_place_with_inventory_and_policy(tmp_path: Path) -> None:
    page = tmp_path / "page.wiki"
    page.write_text("Claim.{{Citation needed|date=May 2020}} {{Exists}}\n", "utf-8")
    inventory = tmp_path / "titles.txt"
    inventory.write_text("Template:Exists\n", "utf-8")
    config = tmp_path / "wikitools.toml"
    config.write_text('[templates."Citation needed"]\naction = "remove"\n', "utf-8")
    result = runner.invoke(
        app, ["fix", str(page), "--site", str(inventory), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert page.read_text("utf-8") == "Claim. {{Exists}}\n"


def test_bad_site_and_bad_policy_exit_2(tmp_path: Path) -> None:
    page = tmp_path / "page.wiki"
    page.write_text("{{X}}\n", "utf-8")
    missing = runner.invoke(app, ["lint", str(page), "--site", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "error:" in missing.output and "no such file or directory" in missing.output
    config = tmp_path / "wikitools.toml"
    config.write_text('[templates.X]\naction = "explode"\n', "utf-8")
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    bad = runner.invoke(app, ["lint", str(page), "--site", str(site), "--config", str(config)])
    assert bad.exit_code == 2
    assert 'templates."X".action' in bad.output
    assert "Traceback" not in bad.output
