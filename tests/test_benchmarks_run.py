"""The benchmark scripts run (at their smallest sizes): a refactor must not leave one broken.

fix_quality.py is left out: it imports every corpus into a wiki (minutes); the corpus tests
under tests/oracle run its parts.

These check that each script completes and prints its table; they time nothing (the
numbers are the scripts' to print, against baselines run in the same process).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus import corpus_file, corpus_path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

pytestmark = pytest.mark.corpus


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_startup_prints_the_ratios() -> None:
    out = _run("startup.py", "--repeat", "1")
    assert "wikitools lint one.wiki" in out and "x mwparserfromhell+lxml" in out


def test_lint_scaling_prints_each_size() -> None:
    corpus_path()  # the page comes from the corpus sample
    out = _run("lint_scaling.py", "--sizes", "0.05,0.1", "--repeat", "1")
    assert "0.050 MB" in out and "0.100 MB" in out and "x previous" in out


def test_lint_corpus_prints_the_ratio() -> None:
    out = _run("lint_corpus.py", str(corpus_path()), "--repeat", "1")
    assert "x" in out and "pages" in out


def test_lint_corpus_prints_a_row_per_dump_and_the_total() -> None:
    small = [
        corpus_file("pmq-wiki-20220119.xml.bz2"),
        corpus_file("dantewiki-minimal-initial-contents.xml.bz2"),
    ]
    out = _run("lint_corpus.py", *map(str, small), "--repeat", "1")
    assert "pmq-wiki-20220119.xml.bz2" in out and "dantewiki-minimal" in out
    assert "all corpora" in out and "load average" in out


def test_lint_golden_records_then_finds_nothing_changed(tmp_path: Path) -> None:
    dump = str(corpus_file("pmq-wiki-20220119.xml.bz2"))
    golden = tmp_path / "golden.jsonl"
    assert "recorded" in _run("lint_golden.py", "record", str(golden), dump)
    assert golden.read_text(encoding="utf-8").count("\n") > 10
    assert "identical:" in _run("lint_golden.py", "compare", str(golden), dump)
    golden.write_text(golden.read_text(encoding="utf-8").replace('"bare": []', '"bare": [0]', 1))
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "lint_golden.py"), "compare", str(golden), dump],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1 and "differ" in done.stdout


def test_dump_throughput_prints_the_ratios() -> None:
    out = _run(
        "dump_throughput.py",
        "--corpus",
        str(corpus_path()),
        "--size-mb",
        "1",
        "--repeat",
        "1",
        "--skip-big",
    )
    assert "dump lint, 1 worker / bare parse" in out and "dump fix, 1 worker / bare parse" in out


def test_infobox_coverage_prints_the_top_list_and_the_shares() -> None:
    out = _run("infobox_coverage.py", str(corpus_path().parent), "--top", "5")
    assert "Most used infoboxes (top 5)" in out and "enwiki-sample.xml.bz2" in out
    before, after = (
        line
        for line in out.splitlines()
        if line.startswith("coverage") and line.endswith("convert onto a specific schema")
    )
    share = [float(line.rsplit("(", 1)[1].split("%")[0]) for line in (before, after)]
    assert share[1] > share[0]
