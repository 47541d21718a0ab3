"""Linting and fixing whole dumps, in one process and across workers."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from dump_factory import Pg, Rev, Site, make_dump

from wikitools.config import Config, config_from_mapping
from wikitools.dumps import DumpReader, iter_pages, sha1_base36
from wikitools.dumps.parallel import ordered_map
from wikitools.dumps.process import (
    NewRevision,
    fix_dump,
    fix_summary_comment,
    lint_dump,
    next_timestamp,
    portable_config,
    restore_config,
)
from wikitools.errors import WorkerError

BROKEN = "Intro}} text\n{{Foo|a=1}}\n[[Link]]]] end\n"
FIXED = "Intro text\n{{Foo|a=1}}\n[[Link]] end\n"


def broken_pages() -> list[Pg]:
    pages = [
        Pg("Clean", 0, 1, [Rev(1, "All '''fine''' here.\n")]),
        Pg("Broken", 0, 2, [Rev(2, "old"), Rev(3, BROKEN, parent=2)]),
        Pg("Module:Lua", 828, 3, [Rev(4, "return {}}}", model="Scribunto", format="text/plain")]),
        Pg("MediaWiki:Common.css", 8, 4, [Rev(5, "a {}}", model="css", format="text/css")]),
        Pg("Gone", 0, 5, [Rev(6, None, text_deleted=True)]),
    ]
    # Enough clean pages to make several batches for the workers.
    pages += [
        Pg(f"Filler {i}", 0, 100 + i, [Rev(100 + i, f"Line {i}}}}}\n" if i % 7 == 0 else "ok\n")])
        for i in range(300)
    ]
    return pages


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "dump.xml"
    path.write_text(make_dump("0.10", broken_pages(), Site()), encoding="utf-8")
    return path


def test_lint_reports_positions_and_skips_non_wikitext(dump: Path) -> None:
    with DumpReader(dump) as reader:
        findings = list(lint_dump(reader, records=True))
    titles = [f.title for f in findings]
    assert "Module:Lua" not in titles and "MediaWiki:Common.css" not in titles
    assert "Gone" not in titles
    assert len(findings) == 2 + 300
    broken = next(f for f in findings if f.title == "Broken")
    assert broken.revision_id == 3 and broken.page_id == 2
    positions = [(i.diagnostic.code, i.line, i.column) for i in broken.located]
    assert positions == [("B101", 1, 6), ("B103", 3, 9)]
    assert [r["code"] for r in broken.records] == ["B101", "B103"]
    assert next(f for f in findings if f.title == "Clean").located == ()


def test_workers_give_the_same_findings_in_the_same_order(dump: Path) -> None:
    def run(workers: int) -> list[tuple[str, tuple[tuple[str, int, int], ...]]]:
        with DumpReader(dump) as reader:
            return [
                (f.title, tuple((i.diagnostic.code, i.line, i.column) for i in f.located))
                for f in lint_dump(reader, workers=workers)
            ]

    one = run(1)
    assert run(2) == one
    assert sum(1 for _, found in one if found) == 1 + len(range(0, 300, 7))


def test_fix_dump_rewrites_changed_pages_only(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.xml.bz2"
    with DumpReader(dump) as reader:
        summary = fix_dump(reader, out)
    assert summary.pages == 305 and summary.written == 305
    assert summary.checked == 302
    assert summary.changed == 1 + len(range(0, 300, 7))
    assert summary.applied["B101"] == 1 + len(range(0, 300, 7))
    assert summary.applied["B103"] == 1
    before = {p.title: p for p in iter_pages(dump)}
    after = {p.title: p for p in iter_pages(out)}
    assert list(after) == list(before)
    broken = after["Broken"]
    assert [r.id for r in broken.revisions] == [2, 3]
    assert broken.revisions[0].text == "old"
    assert broken.text == FIXED
    assert broken.revisions[1].sha1 == sha1_base36(FIXED)
    assert broken.revisions[1].text_bytes == len(FIXED.encode())
    for title in ("Clean", "Module:Lua", "MediaWiki:Common.css", "Gone", "Filler 1"):
        texts = [(r.text, r.sha1, r.text_deleted) for r in after[title].revisions]
        assert texts == [(r.text, r.sha1, r.text_deleted) for r in before[title].revisions]


def test_only_changed_and_identical_output_with_workers(dump: Path, tmp_path: Path) -> None:
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"changed-{workers}.xml"
        with DumpReader(dump) as reader:
            summary = fix_dump(reader, out, only_changed=True, workers=workers)
        assert summary.written == summary.changed == 1 + len(range(0, 300, 7))
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    titles = [p.title for p in iter_pages(tmp_path / "changed-1.xml")]
    assert titles[0] == "Broken" and "Clean" not in titles


def test_fix_as_new_revision_keeps_history(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.xml"
    with DumpReader(dump) as reader:
        fix_dump(
            reader,
            out,
            only_changed=True,
            new_revision=NewRevision(username="FixBot", timestamp="2030-02-03T04:05:06Z"),
        )
    broken = next(p for p in iter_pages(out) if p.title == "Broken")
    assert [r.text for r in broken.revisions] == ["old", BROKEN, FIXED]
    new = broken.revisions[-1]
    assert new.contributor.username == "FixBot"
    assert new.comment == "wikitools: fixed B101, B103"
    assert new.timestamp == "2030-02-03T04:05:06Z"
    assert new.parent_id == 3 and new.id is None
    assert new.sha1 == sha1_base36(FIXED)


def test_selected_rules_reach_the_workers(dump: Path, tmp_path: Path) -> None:
    config = config_from_mapping({"select": ["B103"], "templates": {"Ka icon": {"a": [1]}}})
    out = tmp_path / "fixed.xml"
    with DumpReader(dump) as reader:
        summary = fix_dump(reader, out, config=config, workers=2, only_changed=True)
    assert dict(summary.applied) == {"B103": 1}
    (page,) = iter_pages(out)
    assert page.text == "Intro}} text\n{{Foo|a=1}}\n[[Link]] end\n"


def test_config_survives_pickling() -> None:
    config = config_from_mapping(
        {"select": ["B"], "unsafe-fixes": True, "templates": {"Ka icon": {"action": "remove"}}}
    )
    restored = restore_config(pickle.loads(pickle.dumps(portable_config(config))))
    assert restored == config
    assert restore_config(portable_config(Config())) == Config()


def test_next_timestamp_is_after_the_previous_revision() -> None:
    assert next_timestamp("2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z") == "2030-01-01T00:00:00Z"
    assert next_timestamp("2020-01-01T00:00:00Z", "2019-01-01T00:00:00Z") == "2020-01-01T00:00:01Z"
    assert next_timestamp("2999-12-31T23:59:59Z") == "3000-01-01T00:00:00Z"
    now = next_timestamp("2000-01-01T00:00:00Z")
    assert now > "2024" and now.endswith("Z")


def test_summary_comment() -> None:
    assert fix_summary_comment(["B101", "B103", "B101"]) == "wikitools: fixed B101 ×2, B103"
    assert fix_summary_comment([]) == "wikitools: fixes"


def _die(payload: int) -> int:
    if payload == 3:
        os._exit(9)  # what an out-of-memory kill looks like from the parent
    return payload * 2


def test_ordered_map_keeps_order_and_reports_dead_workers() -> None:
    jobs = [(n, n) for n in range(20)]
    assert list(ordered_map(_double, jobs, workers=2, max_pending=3)) == [
        (n, n * 2) for n in range(20)
    ]
    assert list(ordered_map(_double, jobs, workers=1)) == [(n, n * 2) for n in range(20)]
    with pytest.raises(WorkerError, match="worker process died"):
        list(ordered_map(_die, jobs, workers=2))


def _double(payload: int) -> int:
    return payload * 2
