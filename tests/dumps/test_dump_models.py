"""Dumps: a page's ``<model>`` decides whether it is linted; without one, its title does."""

from __future__ import annotations

from pathlib import Path

import pytest
from dump_factory import Pg, Rev, Site, make_dump

from wikitools.dumps import DumpReader
from wikitools.dumps.process import fix_dump, lint_dump

STRAY = "Shown.}} Text.\n"


def pages(model: bool) -> list[Pg]:
    """Pages with a stray '}}'; ``model``: the dump states each page's content model."""

    def rev(n: int, stated: str) -> Rev:
        return Rev(n, STRAY, model=stated if model else "wikitext")

    return [
        Pg("Article", 0, 1, [rev(1, "wikitext")]),
        Pg("Module:Lua", 828, 2, [rev(2, "Scribunto")]),
        Pg("Module:Lua/doc", 828, 3, [rev(3, "wikitext")]),
        Pg("MediaWiki:Gadget-x.js", 8, 4, [rev(4, "javascript")]),
        Pg("User:Me/skin.css", 2, 5, [rev(5, "css")]),
        # A page whose model was changed on the wiki: only the dump can tell.
        Pg("Data table", 0, 6, [rev(6, "json")]),
        Pg("Template:Box", 10, 7, [rev(7, "wikitext")]),
        Pg("Help:Box", 12, 8, [rev(8, "wikitext")]),
    ]


def linted(path: Path) -> dict[str, list[str]]:
    with DumpReader(path) as reader:
        return {f.title: [item.diagnostic.code for item in f.located] for f in lint_dump(reader)}


def test_stated_model_decides(tmp_path: Path) -> None:
    path = tmp_path / "dump.xml"
    path.write_text(make_dump("0.10", pages(model=True), Site()), encoding="utf-8")
    found = linted(path)
    # Lua, JavaScript, CSS and JSON pages are not linted at all; the template and the
    # module's doc page get no content rule; articles and help pages are checked.
    assert found == {
        "Article": ["B101"],
        "Module:Lua/doc": [],
        "Template:Box": [],
        "Help:Box": ["B101"],
    }


def test_stated_wikitext_wins_over_the_title(tmp_path: Path) -> None:
    # Dumps say "wikitext" for every page here (an old wiki, before content models).
    path = tmp_path / "dump.xml"
    path.write_text(make_dump("0.10", pages(model=False), Site()), encoding="utf-8")
    found = linted(path)
    assert found["User:Me/skin.css"] == ["B101"]
    assert found["MediaWiki:Gadget-x.js"] == []  # wikitext, but an interface message
    assert found["Module:Lua"] == []  # wikitext, but in the Module namespace


@pytest.mark.parametrize("version", ["0.5", "0.7"])
def test_without_model_the_title_decides(tmp_path: Path, version: str) -> None:
    path = tmp_path / "dump.xml"
    path.write_text(make_dump(version, pages(model=True), Site()), encoding="utf-8")
    found = linted(path)
    # No <model> in these schema versions: the title's default model applies, so the
    # page that became JSON on the wiki is linted as the wikitext its title says it is.
    assert found == {
        "Article": ["B101"],
        "Module:Lua/doc": [],
        "Data table": ["B101"],
        "Template:Box": [],
        "Help:Box": ["B101"],
    }


def test_fix_dump_changes_no_code_page(tmp_path: Path) -> None:
    source = tmp_path / "dump.xml"
    source.write_text(make_dump("0.10", pages(model=True), Site()), encoding="utf-8")
    target = tmp_path / "fixed.xml"
    with DumpReader(source) as reader:
        fix_dump(reader, target)
    with DumpReader(target) as reader:
        texts = {page.title: page.text for page in reader}
    fixed = "Shown. Text.\n"
    assert {title for title, text in texts.items() if text != STRAY} == {"Article", "Help:Box"}
    assert texts["Article"] == fixed
