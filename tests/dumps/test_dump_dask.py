"""Partitioned dumps and the Dask engine: the same findings and output as the default engine.

The multistream dump and its index are built here from the corpus sample, as Wikimedia
writes them (siteinfo alone in the first bz2 stream, then streams of 100 pages); every fifth
page gets a stray ``}}`` and two unclosed constructs, so that every stream has findings and
fixes. Partitions are made small (one stream each) so that a run has several.
"""

from __future__ import annotations

import bz2
import dataclasses
import json
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from multistream import write_multistream
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.dumps.partitioned import (
    FixOptions,
    completed_part,
    fix_partition,
    lint_partition,
    part_path,
    sidecar_path,
)
from wikitools.dumps.partitions import open_partition, plan_partitions, read_index
from wikitools.dumps.process import lint_dump
from wikitools.dumps.reader import DumpReader
from wikitools.errors import DumpError

pytestmark = pytest.mark.corpus

#: Well under one compressed stream of the sample (~0.5 MB): one partition per stream.
PARTITION_MB = "0.3"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def multistream(tmp_path_factory: pytest.TempPathFactory, corpus_dump: Path) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("multistream")
    dump = folder / "sample-multistream.xml.bz2"
    index = folder / "sample-multistream-index.txt.bz2"
    streams = write_multistream(corpus_dump, dump, index, damage_every=5)
    assert streams == 3  # 206 pages
    return dump, index


# -- planning and reading partitions ----------------------------------------------------------


def test_the_index_lists_streams_and_partitions_cover_them(multistream: tuple[Path, Path]) -> None:
    dump, index = multistream
    streams = read_index(index)
    assert [pages for _, pages in streams] == [100, 100, 6]
    parts = plan_partitions(dump, index, target_bytes=300_000)
    assert [(p.start, p.pages) for p in parts] == streams
    assert [p.end for p in parts] == [offset for offset, _ in streams[1:]] + [None]
    assert all(p.header.lstrip().startswith(b"<mediawiki") for p in parts)
    assert b"<siteinfo>" in parts[0].header and b"<page>" not in parts[0].header
    assert pickle.loads(pickle.dumps(parts)) == parts
    # One big partition when the target is large; the index is found by its Wikimedia name.
    assert [(p.start, p.end, p.pages) for p in plan_partitions(dump)] == [
        (streams[0][0], None, 206)
    ]


def test_partitions_read_exactly_the_pages_of_the_dump(multistream: tuple[Path, Path]) -> None:
    dump, index = multistream
    with DumpReader(dump) as reader:
        expected = list(reader)
        siteinfo = reader.siteinfo
    got = []
    for part in plan_partitions(dump, index, target_bytes=300_000):
        with open_partition(part) as reader:
            assert reader.siteinfo == siteinfo
            got += list(reader)
    assert got == expected and len(got) == 206


def test_uncompressed_xml_is_cut_at_page_boundaries(tmp_path: Path, corpus_dump: Path) -> None:
    plain = tmp_path / "sample.xml"
    plain.write_bytes(bz2.decompress(corpus_dump.read_bytes()))
    parts = plan_partitions(plain, target_bytes=1_000_000)
    assert len(parts) >= 5 and all(p.kind == "range" for p in parts)
    data = plain.read_bytes()
    assert all(data[p.start : p.start + 6] == b"<page>" for p in parts)
    got = []
    for part in parts:
        with open_partition(part) as reader:
            got += list(reader)
    with DumpReader(plain) as reader:
        assert got == list(reader)


def test_split_dumps_are_one_partition_per_file(tmp_path: Path, corpus_dump: Path) -> None:
    files = [tmp_path / "pages1.xml-p1p10.bz2", tmp_path / "pages2.xml-p11p20.bz2"]
    for path in files:
        path.write_bytes(corpus_dump.read_bytes())
    parts = plan_partitions(files)
    assert [(p.number, Path(p.path).name, p.kind) for p in parts] == [
        (0, "pages1.xml-p1p10.bz2", "file"),
        (1, "pages2.xml-p11p20.bz2", "file"),
    ]


def test_plain_compressed_dumps_are_one_partition(corpus_dump: Path) -> None:
    (part,) = plan_partitions(corpus_dump)
    assert part.kind == "file" and part.end is None


def test_an_index_of_another_dump_is_refused_with_the_partition(
    tmp_path: Path, multistream: tuple[Path, Path]
) -> None:
    dump, _ = multistream
    wrong = tmp_path / "wrong-index.txt"
    wrong.write_text("1000:1:A\n2000:2:B\n")
    (first, *_rest) = plan_partitions(dump, wrong, target_bytes=1)
    with pytest.raises(DumpError, match="does the index belong to this dump"):
        lint_partition(first)
    garbage = tmp_path / "garbage-index.txt"
    garbage.write_text("638:1:A\nnot an index line\n")
    with pytest.raises(DumpError, match="line 2 is not 'offset:page_id:title'"):
        read_index(garbage)
    code, _, stderr = run("dump", "lint", str(dump), "--engine", "dask", "--index", str(garbage))
    assert code == 2 and stderr.startswith("error: ") and "line 2" in stderr
    # Found by a worker: raised in the driver as one line, with no worker log or traceback.
    code, _, stderr = run(
        "dump", "lint", str(dump), "--engine", "dask", "--index", str(wrong),
        "--partition-mb", "0.001",
    )  # fmt: skip
    assert code == 2 and stderr.splitlines() == [
        f"error: {dump}: cannot decompress part-00000 (from byte 1000 to the end): "
        "Invalid data stream; does the index belong to this dump?"
    ]


def test_lint_partition_equals_the_default_engine(multistream: tuple[Path, Path]) -> None:
    dump, index = multistream
    with DumpReader(dump) as reader:
        expected = list(lint_dump(reader, records=True))
    got = [
        findings
        for part in plan_partitions(dump, index, target_bytes=300_000)
        for findings in lint_partition(part, records=True)
    ]
    assert got == expected
    assert sum(len(f.located) for f in got) >= 40  # the damage is found on every stream


# -- the CLI on a local Dask cluster ----------------------------------------------------------


def _dask_lint(dump: Path, index: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        "dump", "lint", str(dump), "--index", str(index), "--engine", "dask",
        "--partition-mb", PARTITION_MB, *extra,
    )  # fmt: skip


@pytest.mark.parametrize("form", ["text", "jsonl"])
def test_dump_lint_on_dask_gives_the_default_engines_findings(
    multistream: tuple[Path, Path], form: str
) -> None:
    dump, index = multistream
    code, expected, expected_err = run("dump", "lint", str(dump), "--format", form)
    assert code == 1 and len(expected.splitlines()) >= 40
    code, got, stderr = _dask_lint(dump, index, "-j", "2", "--format", form)
    assert code == 1
    assert got == expected
    assert "3 partition(s) linted on Dask" in stderr
    assert expected_err.splitlines()[-1] in stderr  # the same summary line


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("fixed.xml", []),
        ("fixed.xml.bz2", []),
        (
            "changes.xml",
            ["--only-changed", "--as-new-revision", "--timestamp", "2030-01-02T03:04:05Z"],
        ),
    ],
)
def test_dump_fix_on_dask_equals_the_default_engine_byte_for_byte(
    tmp_path: Path, multistream: tuple[Path, Path], name: str, options: list[str]
) -> None:
    dump, index = multistream
    (tmp_path / "ref").mkdir()
    reference = tmp_path / "ref" / name
    code, ref_out, _ = run("dump", "fix", str(dump), "-o", str(reference), *options)
    assert code == 1  # unfixable problems remain
    output = tmp_path / name
    code, out, stderr = run(
        "dump", "fix", str(dump), "-o", str(output), "--index", str(index),
        "--engine", "dask", "-j", "2", "--partition-mb", PARTITION_MB, *options,
    )  # fmt: skip
    assert code == 1, stderr
    assert output.read_bytes() == reference.read_bytes()
    assert out == ref_out  # the problems left, in the same order
    assert "3 partition(s) fixed on Dask" in stderr
    assert not (tmp_path / f"{name}.parts").exists()  # parts removed after the join
    with DumpReader(output) as reader:
        texts = [page.text or "" for page in reader]
    assert sum("Some text  here." in text for text in texts) >= 40  # the stray }} went


def test_an_interrupted_dask_fix_resumes_keeping_complete_parts(
    tmp_path: Path, multistream: tuple[Path, Path]
) -> None:
    dump, index = multistream
    (tmp_path / "ref").mkdir()
    reference = tmp_path / "ref" / "out.xml"
    _, ref_out, ref_err = run("dump", "fix", str(dump), "-o", str(reference))
    parts = plan_partitions(dump, index, target_bytes=300_000)
    parts_dir = tmp_path / "out.xml.parts"
    # What a run killed during partition 2 leaves: parts 0 and 1 complete, 2 half written
    # (its sidecar comes only after the part file), and part 1 made stale by a corruption
    # that its sidecar's checksum catches.
    options = FixOptions()
    for part in parts:
        fix_partition(part, None, parts_dir, options=options)
    sidecar_path(parts[2], parts_dir).unlink()
    stale = part_path(parts[1], parts_dir)
    stale.write_bytes(stale.read_bytes().replace(b"<title>", b"<title>X", 1))
    assert completed_part(parts[1], None, parts_dir, options) is None
    kept = part_path(parts[0], parts_dir).stat().st_mtime_ns
    time.sleep(0.01)
    output = tmp_path / "out.xml"
    code, _, stderr = run(
        "dump", "fix", str(dump), "-o", str(output), "--index", str(index), "--engine", "dask",
        "-j", "2", "--partition-mb", PARTITION_MB, "--keep-parts",
    )  # fmt: skip
    assert code == 1, stderr
    assert "3 partition(s) fixed on Dask, 1 kept from an earlier run" in stderr
    assert part_path(parts[0], parts_dir).stat().st_mtime_ns == kept
    assert output.read_bytes() == reference.read_bytes()
    # A rerun now keeps all three, and writes the same output again; the problems left
    # and the summary come from the sidecars, as the first run printed them.
    code, out, stderr = run(
        "dump", "fix", str(dump), "-o", str(output), "--index", str(index), "--engine", "dask",
        "--partition-mb", PARTITION_MB,
    )  # fmt: skip
    assert "3 kept from an earlier run" in stderr
    assert output.read_bytes() == reference.read_bytes()
    summary = ref_err.splitlines()[-1].replace(str(reference), str(output))
    assert out == ref_out and stderr.splitlines()[-1] == summary
    assert not parts_dir.exists()


def test_local_workers_read_their_own_partitions_with_the_same_findings(
    tmp_path: Path, multistream: tuple[Path, Path]
) -> None:
    dump, index = multistream
    plain = tmp_path / "sample.xml"
    plain.write_bytes(b"".join(_xml_of(dump)))
    assert len(plan_partitions(plain, target_bytes=1 << 20)) >= 5
    code, expected, _ = run("dump", "lint", str(plain), "--format", "jsonl")
    assert code == 1
    for source, extra in ((plain, []), (dump, ["--index", str(index)])):
        code, got, _ = run("dump", "lint", str(source), "-j", "2", "--format", "jsonl", *extra)
        assert code == 1 and got == expected
    # dump fix -j 2 too: part files, joined; byte for byte what one process writes.
    (tmp_path / "one").mkdir()
    code, expected, _ = run("dump", "fix", str(plain), "-o", str(tmp_path / "one" / "out.xml"))
    code, got, stderr = run("dump", "fix", str(plain), "-o", str(tmp_path / "out.xml"), "-j", "2")
    assert code == 1 and got == expected
    assert "partition(s) fixed by local workers" in stderr
    assert (tmp_path / "out.xml").read_bytes() == (tmp_path / "one" / "out.xml").read_bytes()
    assert not (tmp_path / "out.xml.parts").exists()


def _xml_of(dump: Path) -> Iterator[bytes]:
    with bz2.open(dump, "rb") as handle:
        while chunk := handle.read(1 << 20):
            yield chunk


def test_the_driver_holds_only_a_window_of_partitions(multistream: tuple[Path, Path]) -> None:
    from distributed import Client

    from wikitools.dumps.dask_engine import map_ordered

    dump, index = multistream
    parts = plan_partitions(dump, index, target_bytes=1) * 3  # nine tasks
    parts = [dataclasses.replace(part, number=n) for n, part in enumerate(parts)]
    with Client(
        processes=False, n_workers=2, threads_per_worker=1, dashboard_address="127.0.0.1:0"
    ) as client:
        held = []
        got = []
        for result in map_ordered(client, lint_partition, parts, None, window=2):
            time.sleep(0.2)  # a slow consumer: the cluster must not run ahead of it
            held.append(len(client.futures))
            got.append(result)
    # At most the window's partitions are held (submitted, running or waiting), plus the
    # argument scattered once (None is not scattered).
    assert 1 <= max(held) <= 2
    assert got == [lint_partition(part) for part in parts]


def test_dask_options_are_checked(tmp_path: Path, multistream: tuple[Path, Path]) -> None:
    dump, index = multistream
    for args, message in [
        (["--engine", "spark"], "unknown engine 'spark'"),
        (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler applies with --engine dask"),
        (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:9", "-j", "2"], "not both"),
    ]:
        code, _, stderr = run("dump", "lint", str(dump), *args)
        assert code == 2 and stderr == f"error: {stderr[7:]}" and message in stderr
    code, _, stderr = run(
        "dump", "fix", str(dump), "-o", "-", "--engine", "dask", "--index", str(index)
    )
    assert code == 2 and "give --output FILE" in stderr


# -- an existing cluster: scheduler and workers started apart ---------------------------------


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("cluster")
    scheduler_file = folder / "scheduler.json"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", "0", "--dashboard-address", "127.0.0.1:0",
             "--scheduler-file", str(scheduler_file)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        started.append(
            subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address,
                 "--nworkers", "2", "--nthreads", "1", "--host", "127.0.0.1",
                 "--no-dashboard"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
            )
        )  # fmt: skip
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_dump_lint_through_an_existing_scheduler(
    multistream: tuple[Path, Path], scheduler: str
) -> None:
    dump, index = multistream
    code, expected, _ = run("dump", "lint", str(dump))
    assert code == 1
    code, got, stderr = _dask_lint(dump, index, "--scheduler", scheduler)
    assert code == 1, stderr
    assert got == expected
    assert "3 partition(s) linted on Dask" in stderr


def test_dump_fix_through_an_existing_scheduler(
    tmp_path: Path, multistream: tuple[Path, Path], scheduler: str
) -> None:
    dump, index = multistream
    (tmp_path / "ref").mkdir()
    reference = tmp_path / "ref" / "out.xml.gz"  # gzip keeps the file name: the same one
    run("dump", "fix", str(dump), "-o", str(reference))
    output = tmp_path / "out.xml.gz"
    code, _, stderr = run(
        "dump", "fix", str(dump), "-o", str(output), "--index", str(index), "--engine", "dask",
        "--scheduler", scheduler, "--partition-mb", PARTITION_MB,
    )  # fmt: skip
    assert code == 1, stderr
    assert output.read_bytes() == reference.read_bytes()
