"""Round trips through MediaWiki itself: dumpBackup.php → read, fix, write → importDump.php.

The checks are MediaWiki's own: after import, every page's title and text are asked from the
wiki's API. A second scenario imports ``dump fix --only-changed`` output into a wiki that already
holds the original dump: untouched pages must keep exactly their revisions, fixed pages must
show the fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

pytest.importorskip("wikitools.sandbox", reason="the MediaWiki test harness is not available")

from wikitools.cli.app import app
from wikitools.dumps import DumpReader, iter_pages

# Pages of the source wiki. Broken ones get fixed; the others must come back untouched,
# including the Lua module and the CSS page, which hold wikitext-like braces that are not
# wikitext and must be left alone.
BROKEN = {
    "Stray braces": "Intro text}} with a stray closer.\n\n== Section ==\nMore text.",
    "Stray brackets": "See [[Main Page]]]] for more.\n\n{{Box|x}}",
    "Talk:Stray braces": "A comment}} by someone. ~~~~",
}
FIXED = {
    "Stray braces": "Intro text with a stray closer.\n\n== Section ==\nMore text.",
    "Stray brackets": "See [[Main Page]] for more.\n\n{{Box|x}}",
    "Talk:Stray braces": None,  # signature expanded on save; checked against the export
}
CLEAN = {
    "Template:Box": '<div class="box">{{{1|}}}</div><noinclude>Docs & more</noinclude>',
    "Module:Util": "local p = {}\nfunction p.f() return '}}' end\nreturn p",
    "MediaWiki:Common.css": ".box { border: 1px solid #ccc; } /* }} */",
    "Ünïcødé ☃ 日本": "Text with <b>markup</b>, &amp; entities &lt; and 😀 emoji.",
    "Old title": "#REDIRECT [[Stray braces]]",
    "Category:Things": "Pages about things.",
}


def _query_all(wiki: Any, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    request = dict(params)
    while True:
        result = wiki.api(request)
        yield result
        if "continue" not in result:
            return
        request = {**params, **result["continue"]}


def all_titles(wiki: Any) -> set[str]:
    """Every page title on the wiki, all namespaces."""
    namespaces = wiki.api({"action": "query", "meta": "siteinfo", "siprop": "namespaces"})
    titles: set[str] = set()
    for ns in namespaces["query"]["namespaces"].values():
        if ns["id"] < 0:
            continue
        for result in _query_all(
            wiki, {"action": "query", "list": "allpages", "apnamespace": ns["id"], "aplimit": "max"}
        ):
            titles.update(page["title"] for page in result["query"]["allpages"])
    return titles


def page_state(wiki: Any, title: str) -> tuple[str | None, list[int]]:
    """The current text of a page and the ids of all its revisions (oldest first)."""
    result = wiki.api(
        {
            "action": "query",
            "prop": "revisions",
            "titles": title,
            "rvprop": "ids",
            "rvlimit": "max",
            "rvdir": "newer",
        }
    )
    page = result["query"]["pages"][0]
    revisions = [rev["revid"] for rev in page.get("revisions", [])]
    return wiki.page_text(title), revisions


@pytest.fixture(scope="module")
def source_dumps(
    tmp_path_factory: pytest.TempPathFactory, mediawiki_install: Any
) -> dict[str, Path]:
    """Dumps of a wiki holding the pages above (some edited twice): ``full`` (schema 0.11,
    every revision) and ``0.10`` (current revisions in the older schema)."""
    from wikitools.sandbox import SandboxWiki

    directory = tmp_path_factory.mktemp("source")
    with SandboxWiki(mediawiki=mediawiki_install, sitename="Source") as wiki:
        wiki.edit_many({"Stray braces": "First version, clean."})
        wiki.edit_many(BROKEN)
        wiki.edit_many(CLEAN)
        old = directory / "current-0.10.xml"
        wiki.run_maintenance(
            "dumpBackup", "--current", "--quiet", "--schema-version=0.10", f"--output=file:{old}"
        )
        return {"full": wiki.export_dump(directory / "source.xml", full=True), "0.10": old}


@pytest.fixture(scope="module")
def source_dump(source_dumps: dict[str, Path]) -> Path:
    """The full-history 0.11 dump."""
    return source_dumps["full"]


def test_schema_010_export_reads_like_011(source_dumps: dict[str, Path]) -> None:
    with DumpReader(source_dumps["0.10"]) as reader:
        assert reader.version == "0.10"
        old = {page.title: page for page in reader}
    new = {page.title: page for page in iter_pages(source_dumps["full"])}
    assert set(old) == set(new)
    for title, page in old.items():
        assert page.ns == new[title].ns and page.id == new[title].id
        assert page.redirect == new[title].redirect
        assert len(page.revisions) == 1
        current, latest = page.revisions[0], new[title].revisions[-1]
        assert (current.id, current.text, current.sha1, current.model, current.format) == (
            latest.id,
            latest.text,
            latest.sha1,
            latest.model,
            latest.format,
        )


def _fix(source: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(app, ["dump", "fix", str(source), "-o", str(out), *args])
    assert result.exit_code == 0, result.stderr


def test_export_fix_import_into_a_fresh_wiki(
    source_dump: Path, make_wiki: Any, tmp_path: Path
) -> None:
    with DumpReader(source_dump) as reader:
        assert reader.version == "0.11"  # what dumpBackup.php of MediaWiki 1.39 writes
        original = {page.title: page for page in reader}
    assert set(BROKEN) | set(CLEAN) <= set(original)
    assert len(original["Stray braces"].revisions) == 2
    for page in original.values():
        for revision in page.revisions:
            assert revision.sha1 == revision.computed_sha1(), page.title
    fixed_dump = tmp_path / "fixed.xml.gz"  # Debian PHP has zlib, not bz2
    _fix(source_dump, fixed_dump, "--workers", "2")
    fixed = {page.title: page for page in iter_pages(fixed_dump)}
    assert list(fixed) == list(original)

    target = make_wiki(sitename="Target")
    before = all_titles(target)
    target.import_dump(fixed_dump)
    assert all_titles(target) == before | set(original)
    for title, page in fixed.items():
        text, revisions = page_state(target, title)
        assert text == page.text, title
        assert len(revisions) >= len(original[title].revisions), title
        if title in FIXED and FIXED[title] is not None:
            assert text == FIXED[title]
        elif title in CLEAN:
            assert text == CLEAN[title] == original[title].text
    talk = fixed["Talk:Stray braces"].text or ""
    assert "}}" not in talk and "A comment by someone." in talk


def test_action_import_accepts_the_written_dump(
    source_dump: Path, make_wiki: Any, tmp_path: Path
) -> None:
    fixed_dump = tmp_path / "fixed.xml"
    _fix(source_dump, fixed_dump, "--only-changed")
    target = make_wiki(sitename="Upload target")
    session = target.admin
    response = session.http.post(
        target.api_url,
        data={
            "action": "import",
            "format": "json",
            "formatversion": "2",
            "interwikiprefix": "src",
            "token": session.csrf_token(),
        },
        files={"xml": ("fixed.xml", fixed_dump.read_bytes(), "application/xml")},
        timeout=120,
    )
    body = response.json()
    assert "error" not in body, body
    imported = {item["title"] for item in body["import"]}
    assert imported == set(BROKEN)
    for title in BROKEN:
        assert target.page_text(title) == next(
            p.text for p in iter_pages(fixed_dump) if p.title == title
        )


@pytest.mark.parametrize("mode", ["replace", "new-revision"])
def test_only_changed_into_a_wiki_holding_the_original(
    source_dump: Path, make_wiki: Any, tmp_path: Path, mode: str
) -> None:
    target = make_wiki(sitename="Mirror")
    target.import_dump(source_dump)
    original = {page.title: page for page in iter_pages(source_dump)}
    before = {title: page_state(target, title) for title in original}
    for title, page in original.items():
        assert before[title][0] == page.text, title

    changes = tmp_path / "changes.xml.gz"
    extra = ["--as-new-revision", "--summary", "Fix markup"] if mode == "new-revision" else []
    _fix(source_dump, changes, "--only-changed", *extra)
    changed = {page.title: page for page in iter_pages(changes)}
    assert set(changed) == set(BROKEN)
    target.import_dump(changes)

    for title in original:
        text, revisions = page_state(target, title)
        if title in changed:
            assert text == changed[title].text, title
            assert revisions[: len(before[title][1])] == before[title][1], "history kept"
            assert len(revisions) == len(before[title][1]) + 1, title
        else:
            assert (text, revisions) == before[title], f"{title} must be untouched"
    if mode == "new-revision":
        result = target.api(
            {"action": "query", "prop": "revisions", "titles": "Stray braces", "rvprop": "comment"}
        )
        assert result["query"]["pages"][0]["revisions"][0]["comment"] == "Fix markup"
