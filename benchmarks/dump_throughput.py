"""Throughput and memory of reading, linting and fixing dumps, against a bare baseline.

Runs on the enwiki sample (``../shared/corpus/enwiki-sample.xml.bz2``, fetched from the
gensim 4.4.0 wheel when absent) and on an uncompressed copy replicated to at least 100 MB,
generated in a temporary directory. Every measurement runs in its own child process, so the
peak RSS reported is that measurement's alone (main process, and worker processes apart).

Measured, each timed in the same run:

- ``bare read``: lxml iterparse of title and text with elements cleared (no wikitools);
- ``read``: :class:`wikitools.dumps.DumpReader`, every field of every page;
- ``bare parse``: the bare lxml loop plus ``mwparserfromhell.parse`` of each text, the
  baseline a linter that fully parses pages would run at;
- ``dump lint`` and ``dump fix`` (fix writes an uncompressed dump), with 1 and 2 workers.

Usage::

    python benchmarks/dump_throughput.py [--corpus PATH] [--size-mb 100] [--skip-big]
"""

from __future__ import annotations

import argparse
import bz2
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

CORPUS_NAME = "enwiki-sample.xml.bz2"
GENSIM_MEMBER = (
    "gensim/test/test_data/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
)
KINDS = ("bare-read", "read", "bare-parse", "lint", "fix")


# -- measurements (run in a child process) -------------------------------------------------------


def _bare_pages(path: Path) -> Any:
    from lxml import etree

    opener = bz2.open if path.suffix == ".bz2" else open
    with opener(path, "rb") as handle:
        context = etree.iterparse(
            handle, events=("end",), tag="{*}page", resolve_entities=False, huge_tree=True
        )
        for _, element in context:
            ns = element.tag[: -len("page")]
            title = element.findtext(ns + "title")
            text = ""
            for revision in element.iterfind(ns + "revision"):
                text = revision.findtext(ns + "text") or ""
            yield title, text
            element.clear(keep_tail=True)
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]


def measure(kind: str, path: Path, workers: int, out_dir: Path) -> dict[str, Any]:
    """Run one measurement; returns pages, characters of wikitext and seconds.

    Modules are imported before the clock starts: interpreter start-up is not what is
    compared. Starting worker processes is part of the measured time.
    """
    import mwparserfromhell

    from wikitools.dumps import DumpReader
    from wikitools.dumps.process import fix_dump, lint_dump

    pages = chars = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    if kind == "bare-read":
        for _, text in _bare_pages(path):
            pages += 1
            chars += len(text)
    elif kind == "bare-parse":
        for _, text in _bare_pages(path):
            mwparserfromhell.parse(text)
            pages += 1
            chars += len(text)
    elif kind == "read":
        with DumpReader(path) as reader:
            for page in reader:
                pages += 1
                chars += len(page.text or "")
    elif kind == "lint":
        with DumpReader(path) as reader:
            problems = 0
            for findings in lint_dump(reader, workers=workers, records=True):
                problems += len(findings.located)
            pages = reader.pages_read
    elif kind == "fix":
        output = out_dir / f"fixed-{os.getpid()}.xml"
        with DumpReader(path) as reader:
            fix_dump(reader, output, workers=workers)
            pages = reader.pages_read
        output.unlink()
    else:
        raise SystemExit(f"unknown measurement {kind}")
    seconds = time.perf_counter() - start
    return {
        "pages": pages,
        "chars": chars,
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu_start,
        "rss_kb": own_peak_kb(),
    }


def own_peak_kb() -> int:
    """Peak RSS of this process since it started (VmHWM; ru_maxrss would include the
    parent's memory inherited at fork time, before exec)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) if match else 0


def _descendants(root: int, exclude: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid != exclude]
        found += children
        frontier += children
    return found


def watch_descendants(root: int) -> None:
    """Poll /proc for the descendants of ``root`` (pool workers); on SIGTERM print the peak
    RSS of each as JSON. A separate process, not a thread: the measured process must stay
    single-threaded, as a CLI run is, for its worker pool to start the way it would there."""
    stop = False

    def finish(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, finish)
    peaks: dict[int, int] = {}
    while not stop:
        for pid in _descendants(root, os.getpid()):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks[pid] = max(peaks.get(pid, 0), int(match[1]))
        time.sleep(0.05)
    print(json.dumps(sorted(peaks.values(), reverse=True)), flush=True)


# -- orchestration -------------------------------------------------------------------------------


def run_child(kind: str, path: Path, workers: int, chars: int, out_dir: Path) -> dict[str, Any]:
    """Run a measurement in a fresh interpreter; it reports its own time and peak RSS."""
    command = [
        sys.executable,
        __file__,
        "--measure",
        kind,
        "--file",
        str(path),
        "--workers",
        str(workers),
        "--out-dir",
        str(out_dir),
    ]
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"measurement {kind} failed with exit code {completed.returncode}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    if kind in ("lint", "fix"):
        result["chars"] = chars
    return result


def find_corpus() -> Path:
    """``../shared/corpus/enwiki-sample.xml.bz2`` seen from this checkout or a parent of it."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "corpus" / CORPUS_NAME
        if candidate.is_file():
            return candidate
    return Path("shared") / "corpus" / CORPUS_NAME


def fetch_corpus(target_dir: Path) -> Path:
    """Download the gensim 4.4.0 wheel and extract the enwiki sample from it."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary",
            ":all:",
            "-d",
            str(target_dir),
            "gensim==4.4.0",
        ],
        check=True,
    )
    (wheel,) = target_dir.glob("gensim-4.4.0-*.whl")
    target = target_dir / "enwiki-sample.xml.bz2"
    with zipfile.ZipFile(wheel) as archive:
        target.write_bytes(archive.read(GENSIM_MEMBER))
    return target


def replicate(corpus: Path, target: Path, size_mb: int) -> int:
    """Write an uncompressed dump of at least ``size_mb`` MB made of copies of ``corpus``.

    Titles get a ``(copy N)`` suffix so that every page is distinct. Returns the copies made.
    """
    xml = bz2.decompress(corpus.read_bytes()).decode("utf-8")
    first = xml.index("  <page>")
    last = xml.rindex("</mediawiki>")
    head, body, tail = xml[:first], xml[first:last], xml[last:]
    copies = -(-size_mb * 1_000_000 // len(body.encode("utf-8")))
    title = re.compile(r"<title>(.*?)</title>")
    with target.open("w", encoding="utf-8") as handle:
        handle.write(head)
        for n in range(copies):
            handle.write(
                body
                if n == 0
                else title.sub(lambda m, n=n: f"<title>{m[1]} (copy {n})</title>", body)
            )
        handle.write(tail)
    return copies


def wikitext_chars(path: Path) -> int:
    return sum(len(text) for _, text in _bare_pages(path))


def report(name: str, path: Path, out_dir: Path, repeat: int) -> dict[str, dict[str, Any]]:
    chars = wikitext_chars(path)
    size = path.stat().st_size
    print(f"\n## {name}: {path.name}, {size / 1e6:.1f} MB on disk, {chars / 1e6:.2f} M chars")
    print("load average before: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    plan = [
        ("bare read", "bare-read", 1),
        ("read", "read", 1),
        ("bare parse", "bare-parse", 1),
        ("dump lint, 1 worker", "lint", 1),
        ("dump lint, 2 workers", "lint", 2),
        ("dump fix, 1 worker", "fix", 1),
        ("dump fix, 2 workers", "fix", 2),
    ]
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in plan}
    for _ in range(repeat):  # rounds, so that every measurement meets the same conditions
        for label, kind, workers in plan:
            runs[label].append(run_child(kind, path, workers, chars, out_dir))
    results: dict[str, dict[str, Any]] = {}
    for label, measured in runs.items():
        best = dict(min(measured, key=lambda r: r["seconds"]))
        best["rss_kb"] = max(r["rss_kb"] for r in measured)
        best["workers_rss_kb"] = max(r["workers_rss_kb"] for r in measured)
        results[label] = best
    print(
        f"{'measurement':<22} {'pages/s':>9} {'MB/s':>7} {'seconds':>8} {'CPU s':>7} "
        f"{'RSS MB':>7} {'worker RSS MB':>14}"
    )
    for label, r in results.items():
        workers_rss = f"{r['workers_rss_kb'] / 1024:.0f}" if r["workers_rss_kb"] else "-"
        print(
            f"{label:<22} {r['pages'] / r['seconds']:>9.0f} "
            f"{r['chars'] / r['seconds'] / 1e6:>7.2f} "
            f"{r['seconds']:>8.2f} {r['cpu_seconds']:>7.2f} "
            f"{r['rss_kb'] / 1024:>7.0f} {workers_rss:>14}"
        )
    print(
        f"(best of {repeat}; MB/s: millions of wikitext characters a second, wall clock; "
        "CPU s: main process; RSS: peak of the measuring process, of its largest worker)"
    )
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    def rate(label: str) -> float:
        r = results[label]
        return float(r["chars"] / r["seconds"])

    def cpu_rate(label: str) -> float:
        r = results[label]
        return float(r["chars"] / r["cpu_seconds"])

    print("ratios (wall clock):")
    print(f"  read / bare read                    {rate('read') / rate('bare read'):.2f}x")
    for what in ("lint", "fix"):
        one, two = rate(f"dump {what}, 1 worker"), rate(f"dump {what}, 2 workers")
        print(f"  dump {what}, 1 worker / bare parse     {one / rate('bare parse'):.2f}x")
        print(f"  dump {what}, 2 workers / bare parse    {two / rate('bare parse'):.2f}x")
        print(f"  dump {what}, 2 workers / 1 worker      {two / one:.2f}x")
    print("ratios (CPU time of one process, insensitive to other load on the machine):")
    print(f"  read / bare read                    {cpu_rate('read') / cpu_rate('bare read'):.2f}x")
    for what in ("lint", "fix"):
        one = cpu_rate(f"dump {what}, 1 worker")
        print(f"  dump {what}, 1 worker / bare parse     {one / cpu_rate('bare parse'):.2f}x")
    return results


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def machine_ceiling(n: int = 20_000_000) -> float:
    """How much faster two processes do pure CPU work than one, on this machine, now.

    Virtual CPUs often do not scale 2x (shared cores, neighbours); the 2-worker ratios are
    best read against this figure, measured in the same run.
    """
    start = time.perf_counter()
    _spin(n)
    _spin(n)
    one = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - start
    return one / two


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=find_corpus())
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of all measurements (fastest run kept)"
    )
    parser.add_argument("--skip-big", action="store_true", help="only the corpus itself")
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--out-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--watch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.watch:
        watch_descendants(args.watch)
        return
    if args.measure:
        watcher = None
        if Path("/proc/self/status").exists():
            watcher = subprocess.Popen(
                [sys.executable, __file__, "--watch", str(os.getpid())],
                stdout=subprocess.PIPE,
                text=True,
            )
        result = measure(args.measure, args.file, args.workers, args.out_dir)
        peaks: list[int] = []
        if watcher is not None:
            watcher.terminate()
            peaks = json.loads(watcher.communicate()[0] or "[]")
        # Largest peak of any descendant (the pool workers; a fork server is smaller).
        result["workers_rss_kb"] = peaks[0] if peaks else 0
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="wikitools-bench-") as tmp:
        tmp_dir = Path(tmp)
        corpus = args.corpus if args.corpus.is_file() else fetch_corpus(tmp_dir)
        print(f"CPUs: {os.cpu_count()}, Python {sys.version.split()[0]}")
        print(
            "machine ceiling: 2 processes of pure CPU work run "
            f"{machine_ceiling():.2f}x as fast as 1 (the best a 2-worker ratio can reach)"
        )
        small = report("corpus", corpus, tmp_dir, args.repeat)
        if args.skip_big:
            return
        big = tmp_dir / "replicated.xml"
        copies = replicate(corpus, big, args.size_mb)
        print(f"\n(replicated {copies} times)")
        large = report(f"{args.size_mb} MB replica", big, tmp_dir, args.repeat)
        print("\npeak RSS, corpus -> replica (MB):")
        for label in large:
            print(
                f"  {label:<22} {small[label]['rss_kb'] / 1024:>5.0f} -> "
                f"{large[label]['rss_kb'] / 1024:>5.0f}"
            )


if __name__ == "__main__":
    main()
