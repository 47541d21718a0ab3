"""``wikitools dump stats | lint | fix`` end to end, including rejected input."""

from __future__ import annotations

import bz2
import json
import re
from pathlib import Path

import pytest
from dump_factory import Pg, Rev, Site, make_dump
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.dumps import iter_pages

BROKEN = "Intro}} text\n[[Link]]]] end\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    pages = [
        Pg("Clean", 0, 1, [Rev(1, "Fine {{Cite web|url=x}}.\n")]),
        Pg("Broken", 0, 2, [Rev(2, BROKEN)]),
        Pg("Template:Cite web", 10, 3, [Rev(3, "<cite>{{{url}}}</cite>")]),
    ]
    path = tmp_path / "dump.xml.bz2"
    path.write_bytes(bz2.compress(make_dump("0.9", pages, Site()).encode()))
    return path


def test_stats_text_and_json(dump: Path) -> None:
    code, stdout, _ = run("dump", "stats", str(dump))
    assert code == 0
    assert "3 pages (0 redirects), 3 revisions" in stdout
    assert "Template:Cite web" in stdout
    code, stdout, _ = run("dump", "stats", str(dump), "--format", "json")
    data = json.loads(stdout)
    assert data["pages"] == 3 and data["site"]["schema"] == "0.9"
    assert data["templates"]["top"][0] == {"title": "Template:Cite web", "calls": 1, "pages": 1}


def test_lint_text(dump: Path) -> None:
    code, stdout, stderr = run("dump", "lint", str(dump))
    assert code == 1
    # Diagnostics on stdout, the summary alone on stderr (they were all on stderr).
    lines = stdout.splitlines()
    assert lines[0].startswith("Broken:1:6: B101 ")
    assert any(line.startswith("Broken:2:9: B103 ") for line in lines)
    assert stderr.splitlines() == [
        "2 problem(s) in 1 of 3 page(s) checked; 2 fixable with `wikitools dump fix`."
    ]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_lint_json_and_jsonl(dump: Path, workers: str) -> None:
    code, stdout, _ = run("dump", "lint", str(dump), "--format", "json", "--workers", workers)
    assert code == 1
    records = json.loads(stdout)
    assert [(r["page"], r["line"], r["column"], r["code"]) for r in records] == [
        ("Broken", 1, 6, "B101"),
        ("Broken", 2, 9, "B103"),
    ]
    assert records[0]["page_id"] == 2 and records[0]["revision_id"] == 2
    assert records[0]["fix"]["edits"] == [
        {
            "start": 5,
            "end": 7,
            "replacement": "",
            "line": 1,
            "column": 6,
            "end_line": 1,
            "end_column": 8,
        }
    ]
    code, stdout, _ = run("dump", "lint", str(dump), "--format", "jsonl", "-j", workers)
    assert [json.loads(line) for line in stdout.splitlines()] == records


def test_lint_clean_dump_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "clean.xml"
    path.write_text(make_dump("0.11", [Pg("A", 0, 1, [Rev(1, "fine")])]), encoding="utf-8")
    code, stdout, stderr = run("dump", "lint", str(path), "--format", "json")
    assert code == 0 and json.loads(stdout) == []
    code, _, stderr = run("dump", "lint", str(path))
    assert code == 0 and "No problems found in 1 page(s)." in stderr


def test_fix_writes_a_dump(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.xml.gz"
    code, _, stderr = run("dump", "fix", str(dump), "-o", str(out))
    assert code == 0, stderr
    assert "fixed 2 problem(s) in 1 of 3 page(s) checked; 0 problem(s) remain" in stderr
    pages = {p.title: p for p in iter_pages(out)}
    assert pages["Broken"].text == "Intro text\n[[Link]] end\n"
    assert list(pages) == ["Clean", "Broken", "Template:Cite web"]


def test_fix_only_changed_as_new_revision(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.xml"
    code, _, stderr = run(
        "dump",
        "fix",
        str(dump),
        "-o",
        str(out),
        "--only-changed",
        "--as-new-revision",
        "--summary",
        "Repair markup",
        "--user",
        "Maintenance bot",
    )
    assert code == 0, stderr
    (page,) = iter_pages(out)
    assert page.title == "Broken"
    assert [r.text for r in page.revisions] == [BROKEN, "Intro text\n[[Link]] end\n"]
    assert page.revisions[1].comment == "Repair markup"
    assert page.revisions[1].contributor.username == "Maintenance bot"


def test_fix_option_errors(dump: Path, tmp_path: Path) -> None:
    code, _, stderr = run("dump", "fix", str(dump), "-o", str(tmp_path / "o.xml"), "--summary", "x")
    assert code == 2 and "only apply with --as-new-revision" in stderr
    code, _, stderr = run("dump", "fix", str(dump), "-o", str(dump))
    assert code == 2 and "must not be the input" in stderr
    code, _, stderr = run(
        "dump",
        "fix",
        str(dump),
        "-o",
        str(tmp_path / "o.xml"),
        "--as-new-revision",
        "--timestamp",
        "yesterday",
    )
    assert code == 2 and "not an ISO 8601 time" in stderr
    code, _, stderr = run("dump", "lint", str(dump), "--format", "xml")
    assert code == 2 and "unknown format" in stderr


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    pages = [
        Pg(f"Page {i}", 0, i + 1, [Rev(i + 1, " ".join(str(i * k) for k in range(2000)))])
        for i in range(60)
    ]
    text = make_dump("0.10", pages)
    data = bz2.compress(text.encode(), compresslevel=1)
    files = {
        "truncated bz2": ("cut.xml.bz2", data[: len(data) // 2]),
        "cut mid-page": ("cut.xml", text[: text.index("<title>Page 30")].encode()),
        "entity bomb": (
            "bomb.xml",
            (
                '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n <!ENTITY a "aaaaaaaaaa">\n'
                ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
                ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
                + make_dump("0.10", [Pg("A", 0, 1, [Rev(1, "&c;")])]).replace("&amp;c;", "&c;")
            ).encode(),
        ),
        "external entity": (
            "xxe.xml",
            (
                '<!DOCTYPE mediawiki [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
                + make_dump("0.10", [Pg("A", 0, 1, [Rev(1, "&x;")])]).replace("&amp;x;", "&x;")
            ).encode(),
        ),
    }
    paths = {}
    for kind, (name, payload) in files.items():
        path = tmp_path / name
        path.write_bytes(payload)
        paths[kind] = path
    return paths


@pytest.mark.parametrize(
    "kind", ["truncated bz2", "cut mid-page", "entity bomb", "external entity"]
)
@pytest.mark.parametrize("command", ["stats", "lint", "fix"])
def test_bad_input_exits_2_with_one_line_naming_the_position(
    tmp_path: Path, kind: str, command: str
) -> None:
    source = _bad_inputs(tmp_path)[kind]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    args = ["dump", command, str(source)]
    if command == "fix":
        args += ["-o", str(out_dir / "fixed.xml.bz2"), "--workers", "2"]
    code, _, stderr = run(*args)
    assert code == 2
    assert stderr.count("\n") == 1 and stderr.startswith("error: ")
    assert re.search(r"at line \d+, column \d+$", stderr.strip()), stderr
    assert "Traceback" not in stderr
    assert list(out_dir.iterdir()) == [], "no output file may be left behind"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_site_enables_rules_that_need_the_wiki(tmp_path: Path, workers: str) -> None:
    pages = [
        Pg("Article", 0, 1, [Rev(1, "Hello {{Exists}} and {{Ka icon}}.\n")]),
        Pg("Template:Exists", 10, 2, [Rev(2, "fine")]),
    ]
    dump = tmp_path / "dump.xml"
    dump.write_text(make_dump("0.11", pages), encoding="utf-8")
    code, _, stderr = run("dump", "lint", str(dump), "-j", workers)
    assert code == 0, "without --site nothing is known about what exists"
    # The dump itself serves as the site: Template:Exists is there, Template:Ka icon is not.
    code, stdout, _ = run(
        "dump", "lint", str(dump), "--site", str(dump), "--format", "jsonl", "-j", workers
    )
    assert code == 1
    (record,) = [json.loads(line) for line in stdout.splitlines()]
    assert (record["page"], record["code"], record["column"]) == ("Article", "T101", 22)
    inventory = tmp_path / "titles.txt"
    inventory.write_text("Template:Exists\nTemplate:Ka icon\n", encoding="utf-8")
    code, _, _ = run("dump", "lint", str(dump), "--site", str(inventory), "-j", workers)
    assert code == 0
    code, _, stderr = run("dump", "lint", str(dump), "--site", str(tmp_path / "missing"))
    assert code == 2 and "no such file" in stderr
