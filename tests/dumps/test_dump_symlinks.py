"""``dump extract`` never writes through a symbolic link inside its target folder."""

from __future__ import annotations

import os
from pathlib import Path

from dump_factory import Pg, Rev, Site, make_dump
from typer.testing import CliRunner

from wikitools.cli.app import app

runner = CliRunner()


def _one_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: "), output
    return lines[0]


def test_dump_extract_never_writes_through_a_link(tmp_path: Path) -> None:
    dump = tmp_path / "dump.xml"
    pages = [Pg("Article", 0, 1, [Rev(1, "text")]), Pg("Template:Box", 10, 2, [Rev(2, "box")])]
    dump.write_text(make_dump("0.10", pages, Site()), encoding="utf-8")
    out = tmp_path / "pages"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "Template").symlink_to(outside)
    result = runner.invoke(app, ["dump", "extract", str(dump), str(out), "--force"])
    assert result.exit_code == 2, result.output
    assert f"{out / 'Template'}: a symbolic link" in _one_error(result.output)
    assert os.listdir(outside) == []
    (out / "Template").unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    article = out / "(Main)" / "Article.wiki"
    article.unlink()  # written by the first run, before it met the link
    article.symlink_to(victim)
    result = runner.invoke(app, ["dump", "extract", str(dump), str(out), "--force"])
    assert result.exit_code == 2, result.output
    assert victim.read_text(encoding="utf-8") == "keep me\n"
