"""Every local command sees the same pages: code pages are never linted, fixed or converted."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from wikitools.cli.app import app

REPO = Path(__file__).resolve().parents[1]
SEED = (REPO / "examples" / "joseph_stalin.wiki").read_text("utf-8")
LUA = "local rows = {{1, 2}}\nreturn frame.args[keys[1]]\n"

runner = CliRunner()


def _site(tmp_path: Path) -> dict[str, Path]:
    """A site directory holding the seed article as a module, a gadget and a template too."""
    files = {
        "lua": tmp_path / "site" / "Module" / "Rows.lua",
        "seed as module": tmp_path / "site" / "Module" / "Seed.wiki",
        "gadget": tmp_path / "site" / "MediaWiki%3AGadget-x.js.wiki",
        "template": tmp_path / "site" / "Template" / "Seed.wiki",
        "article": tmp_path / "site" / "Joseph_Stalin.wiki",
    }
    for key, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LUA if key == "lua" else SEED, encoding="utf-8")
    return files


def test_lint_and_fix_skip_code_and_template_pages(tmp_path: Path) -> None:
    files = _site(tmp_path)
    before = {key: path.read_bytes() for key, path in files.items()}
    listed = [str(p) for p in files.values()]
    result = runner.invoke(app, ["lint", *listed, "--format", "json"])
    assert result.exit_code == 1, result.output
    assert {Path(d["path"]) for d in json.loads(result.stdout)} == {files["article"]}

    result = runner.invoke(app, ["fix", *listed])
    changed = {key for key, path in files.items() if path.read_bytes() != before[key]}
    assert changed == {"article"}, result.output


def test_infobox_convert_skips_pages_that_are_not_wikitext(tmp_path: Path) -> None:
    files = _site(tmp_path)
    module, article = files["seed as module"], files["article"]
    result = runner.invoke(app, ["infobox", "convert", str(module), str(article)])
    assert result.exit_code == 0, result.output
    assert module.read_text("utf-8") == SEED
    assert article.read_text("utf-8") != SEED


def test_rules_show_where_they_apply() -> None:
    listing = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    scopes = {rule["code"]: rule["applies_to"]["label"] for rule in listing}
    assert scopes["B105"] == "content" and scopes["A103"] == "articles"
    assert "on content" in runner.invoke(app, ["rules"]).stdout
    doc = runner.invoke(app, ["rule", "B101"]).stdout
    assert "Applies to: content pages: every namespace but Template, MediaWiki and Module" in doc
