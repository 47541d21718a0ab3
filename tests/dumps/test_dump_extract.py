"""``dump extract``: dump pages become files in the pull layout, and stay the same pages."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from dump_factory import Pg, Rev, Site, make_dump, sample_pages
from tests.corpus import CORPUS_FILES, corpus_file
from typer.testing import CliRunner

from wikitools.api import Linter
from wikitools.cli.app import app
from wikitools.config import Config
from wikitools.contentmodel import SCRIBUNTO, WIKITEXT
from wikitools.dumps import DumpReader
from wikitools.dumps.extract import (
    NO_TEXT,
    OLDER_COPY,
    OTHER_NAMESPACE,
    extract_dump,
    newest_revision,
)
from wikitools.dumps.process import lint_dump
from wikitools.errors import OutputError
from wikitools.layout import MANIFEST, Manifest, text_sha1
from wikitools.sources import LocalPage, read_pages
from wikitools.titles import Namespaces

runner = CliRunner()
STRAY = "Shown.}} Text.\n"
#: Every dump of ../shared/corpus (see its README).


def _dump(tmp_path: Path, pages: list[Pg], site: Site | None = None) -> Path:
    path = tmp_path / "dump.xml"
    path.write_text(make_dump("0.10", pages, site), encoding="utf-8")
    return path


def _by_title(pages: list[LocalPage]) -> dict[str, tuple[int, str, str]]:
    return {page.title or "": (page.namespace, page.model, page.text) for page in pages}


def _expected(dump: Path) -> tuple[Namespaces, dict[str, tuple[int, str, str]]]:
    """The dump's namespaces and, per page with text, its namespace, model and newest text."""
    with DumpReader(dump) as reader:
        namespaces = reader.siteinfo.to_namespaces()
        expected: dict[str, tuple[int, str, str]] = {}
        for page in reader:
            revision = newest_revision(page)
            if revision is not None and revision.text is not None:
                expected[page.title] = (page.ns, page.model, revision.text)
    return namespaces, expected


def test_pages_map_back_to_titles_namespaces_and_models(tmp_path: Path) -> None:
    pages = [
        Pg("Article", 0, 1, [Rev(1, STRAY)]),
        Pg("Module:Lua", 828, 2, [Rev(2, "return {}}", model="Scribunto")]),
        Pg("Module:Lua/doc", 828, 3, [Rev(3, STRAY)]),
        Pg("MediaWiki:Gadget-x.js", 8, 4, [Rev(4, "x}}", model="javascript")]),
        Pg("Data table", 0, 6, [Rev(6, '{"a": "}}"}', model="json")]),
        Pg("Template:Box/a:b*c?", 10, 7, [Rev(7, "<div>{{{1}}}</div>")]),
        *sample_pages(),
    ]
    dump = _dump(tmp_path, pages, Site())
    out = tmp_path / "pages"
    result = extract_dump(dump, out)
    namespaces, expected = _expected(dump)
    assert result.skipped == Counter({NO_TEXT: 1})  # "Hidden": its newest text was deleted
    assert "Hidden" not in expected
    assert _by_title(read_pages([out], namespaces)) == expected
    # Without the dump's namespaces the manifest still says what each file is.
    assert _by_title(read_pages([out])) == expected
    manifest = Manifest.load(out)
    lua = manifest.pages[manifest.path_of("Module:Lua") or ""]
    assert (lua.ns, lua.model, lua.revid) == (828, SCRIBUNTO, 2)
    assert manifest.path_of("Template:Box/a:b*c?") == "Template/Box%2Fa%3Ab%2Ac%3F.wiki"
    main = manifest.pages[manifest.path_of("Main Page") or ""]
    assert (main.revid, main.timestamp) == (11, "2021-05-06T07:08:09Z")
    assert main.sha1 == text_sha1(expected["Main Page"][2])
    assert manifest.wiki == "http://example.org/wiki/Main_Page"


def test_lint_on_the_folder_finds_what_dump_lint_finds(tmp_path: Path) -> None:
    pages = [
        Pg("Article", 0, 1, [Rev(1, STRAY)]),
        Pg("Module:Lua", 828, 2, [Rev(2, STRAY, model="Scribunto")]),
        Pg("Data table", 0, 6, [Rev(6, STRAY, model="json")]),
        Pg("Template:Box", 10, 7, [Rev(7, STRAY)]),
    ]
    dump = _dump(tmp_path, pages, Site())
    extract_dump(dump, tmp_path / "pages")
    with DumpReader(dump) as reader:
        in_dump = {f.title: [i.diagnostic.code for i in f.located] for f in lint_dump(reader)}
    linter = Linter(Config())
    local = read_pages([tmp_path / "pages"])
    in_folder = {
        p.title: [d.code for d in linter.check(p.document())] for p in local if p.is_wikitext
    }
    assert in_folder == in_dump == {"Article": ["B101"], "Template:Box": []}


def test_translated_namespaces_and_case_collisions(tmp_path: Path) -> None:
    site = Site(namespaces={0: "", 10: "Vorlage", 828: "Modul"}, sensitive=frozenset({0}))
    pages = [
        Pg("Vorlage:Box", 10, 1, [Rev(1, "box")]),
        Pg("Modul:Daten", 828, 2, [Rev(2, "return 1", model="Scribunto")]),
        Pg("iPhone", 0, 3, [Rev(3, "lower")]),
        Pg("IPhone", 0, 4, [Rev(4, "upper")]),
    ]
    dump = _dump(tmp_path, pages, site)
    out = tmp_path / "pages"
    extract_dump(dump, out)
    namespaces, expected = _expected(dump)
    assert _by_title(read_pages([out], namespaces)) == expected
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.wiki"))
    assert files == [
        "(Main)/IPhone~2.wiki",
        "(Main)/iPhone.wiki",
        "Modul/Daten.wiki",
        "Vorlage/Box.wiki",
    ]


def test_namespace_filter_and_newest_copy_of_a_page_listed_twice(tmp_path: Path) -> None:
    pages = [
        Pg("A", 0, 1, [Rev(2, "new", timestamp="2022-01-01T00:00:00Z")]),
        Pg("Template:T", 10, 2, [Rev(3, "t")]),
        Pg("A", 0, 1, [Rev(1, "old", timestamp="2020-01-01T00:00:00Z")]),
        Pg("B", 0, 3, [Rev(5, "b1", timestamp="2020-01-01T00:00:00Z")]),
        Pg("B", 0, 3, [Rev(6, "b2", timestamp="2021-01-01T00:00:00Z")]),
    ]
    dump = _dump(tmp_path, pages, Site())
    out = tmp_path / "pages"
    result = extract_dump(dump, out, only={0})
    assert result.skipped == Counter({OTHER_NAMESPACE: 1, OLDER_COPY: 1})
    assert [(p.title, p.text) for p in read_pages([out])] == [("A", "new"), ("B", "b2")]
    assert [page.title for page in result.written] == ["A", "B"]


def test_refuses_a_non_empty_directory_unless_forced(tmp_path: Path) -> None:
    dump = _dump(tmp_path, [Pg("A", 0, 1, [Rev(1, "text")])], Site())
    out = tmp_path / "pages"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(OutputError, match="not empty"):
        extract_dump(dump, out)
    assert not (out / MANIFEST).exists()
    extract_dump(dump, out, overwrite=True)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (out / "(Main)" / "A.wiki").read_text(encoding="utf-8") == "text"
    with pytest.raises(OutputError, match="not a directory"):
        extract_dump(dump, out / "notes.txt")


def test_cli_extract_then_fix_round_trips(tmp_path: Path) -> None:
    pages = [
        Pg("Article", 0, 1, [Rev(1, STRAY)]),
        Pg("Module:Lua", 828, 2, [Rev(2, STRAY, model="Scribunto")]),
        Pg("Template:Box", 10, 3, [Rev(3, "<div>{{{1}}}</div>")]),
    ]
    dump = _dump(tmp_path, pages, Site())
    out = tmp_path / "pages"
    result = runner.invoke(app, ["dump", "extract", str(dump), str(out), "-n", "0", "-n", "828"])
    assert result.exit_code == 0, result.output
    assert f"2 page(s) extracted to {out}; skipped: 1 namespace not selected" in result.output
    again = runner.invoke(app, ["dump", "extract", str(dump), str(out)])
    assert again.exit_code == 2
    assert again.output.strip().splitlines() == [
        f"error: {out}: not empty; extract into a new or empty directory, "
        "or pass --force to write over the files in it"
    ]
    before = _by_title(read_pages([out]))
    fixed = runner.invoke(app, ["fix", str(out)])
    assert fixed.exit_code == 0, fixed.output
    after = _by_title(read_pages([out]))
    assert after == {
        "Article": (0, WIKITEXT, "Shown. Text.\n"),
        "Module:Lua": before["Module:Lua"],  # Lua is never linted or changed
    }
    # push would send the fixed page and only it: its file no longer has the pulled hash.
    manifest = Manifest.load(out)
    edited = [e.title for rel, e in manifest if text_sha1(manifest.file(rel).read_text()) != e.sha1]
    assert edited == ["Article"]


def test_cli_wiki_option_is_recorded_for_push(tmp_path: Path) -> None:
    dump = _dump(tmp_path, [Pg("A", 0, 1, [Rev(1, "text")])], Site())
    out = tmp_path / "pages"
    url = "https://wiki.example.org/w/api.php"
    assert (
        runner.invoke(app, ["dump", "extract", str(dump), str(out), "--wiki", url]).exit_code == 0
    )
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["wiki"] == url


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_extract_and_fix_keep_every_page(tmp_path: Path, name: str) -> None:
    dump = corpus_file(name)
    out = tmp_path / "pages"
    result = extract_dump(dump, out)
    namespaces, expected = _expected(dump)
    assert len(result.written) == len(expected) > 0
    local = read_pages([out], namespaces)
    assert _by_title(local) == expected
    # lint on the folder finds exactly what dump lint finds, page by page.
    with DumpReader(dump) as reader:
        in_dump = {
            f.title: Counter(i.diagnostic.code for i in f.located) for f in lint_dump(reader)
        }
    linter = Linter(Config())
    in_folder = {
        p.title: Counter(d.code for d in linter.check(p.document())) for p in local if p.is_wikitext
    }
    assert in_folder == in_dump
    # fix on the folder: every file is still the same page (title, namespace, model).
    fixed = runner.invoke(app, ["fix", str(out)])
    assert fixed.exit_code in (0, 1), fixed.output
    after = _by_title(read_pages([out], namespaces))
    assert {t: v[:2] for t, v in after.items()} == {t: v[:2] for t, v in expected.items()}
    changed = {t for t in expected if after[t][2] != expected[t][2]}
    assert all(expected[t][1] == WIKITEXT for t in changed)


def test_cli_extract_into_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    from tests.permissions import as_unprivileged

    dump = _dump(tmp_path, [Pg("A", 0, 1, [Rev(1, "text")])], Site())
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)

    def step() -> tuple[int, str]:
        result = runner.invoke(app, ["dump", "extract", str(dump), str(parent / "pages")])
        return result.exit_code, result.output

    try:
        code, output = as_unprivileged(step)
    finally:
        parent.chmod(0o755)
    assert code == 2
    assert output.strip().splitlines() == [
        f"error: {parent / 'pages'}: cannot create (Permission denied)"
    ]
    assert list(parent.iterdir()) == []
