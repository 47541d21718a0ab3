"""Peak memory of a bot run: 100 pages against 1,000 pages on a local wiki (flat, we claim).

Creates a throwaway sandbox wiki (``wikitools.sandbox``), imports ``--small`` + ``--large``
broken pages (a stray ``}}`` each), then runs ``wikitools fix-wiki --prefix ... --apply
--journal J --report R --throttle 0`` in a child process for each set and reads that child's
peak RSS (``wait4``'s ``ru_maxrss``). Every page is read, fixed, journaled and saved for
real. Printed: pages, edits, seconds, edits per minute, peak RSS, and the difference in peak
RSS between the two runs (the run is "flat" when that stays within a few MB).

Usage::

    python benchmarks/bot_memory.py [--small 100] [--large 1000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from wikitools.sandbox import SandboxWiki

TEXT = "Page {i} of the memory run.}}}}\n\n" + "Some filler text for the page. " * 40


def export_xml(titles: list[str]) -> str:
    pages = "".join(
        f"<page><title>{escape(title)}</title><ns>0</ns><revision>"
        "<timestamp>2024-01-01T00:00:00Z</timestamp>"
        "<contributor><username>Importer</username></contributor>"
        "<model>wikitext</model><format>text/x-wiki</format>"
        f'<text xml:space="preserve">{escape(TEXT.format(i=i))}</text></revision></page>'
        for i, title in enumerate(titles)
    )
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
        f'xml:lang="en">{pages}</mediawiki>'
    )


def run(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Seconds, peak RSS in KiB, and stdout of one child process."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        stdout = out.read()
    if process.returncode != 0:
        assert process.stderr is not None
        raise SystemExit(f"{command[1:3]} failed: {process.stderr.read()[-2000:]}")
    return seconds, usage.ru_maxrss, stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "wikitools"
    base = [str(script)] if script.is_file() else [sys.executable, "-m", "wikitools.cli.app"]
    with SandboxWiki() as wiki, tempfile.TemporaryDirectory() as scratch:
        wiki.configure("$wgRateLimits = [];")
        user, password = wiki.create_bot_password("membench")
        sets = {n: [f"Mem{n}/{i:05d}" for i in range(n)] for n in (args.small, args.large)}
        dump = Path(scratch) / "pages.xml"
        dump.write_text(export_xml([t for titles in sets.values() for t in titles]), "utf-8")
        wiki.import_dump(dump)
        env = {
            **os.environ,
            "WIKITOOLS_USERNAME": user,
            "WIKITOOLS_PASSWORD": password,
            "WIKITOOLS_CREDENTIALS": str(Path(scratch) / "none.toml"),
            "XDG_CACHE_HOME": str(Path(scratch) / "cache"),
        }
        rows = []
        for n, titles in sets.items():
            command = [
                *base,
                "fix-wiki",
                "--wiki",
                wiki.api_url,
                "--prefix",
                f"Mem{n}/",
                "--apply",
                "--summary",
                "memory benchmark",
                "--journal",
                str(Path(scratch) / f"{n}.journal"),
                "--report",
                str(Path(scratch) / f"{n}.jsonl"),
                "--throttle",
                "0",
                "--ignore-talk-messages",
            ]
            seconds, peak, stdout = run(command, env)
            edits = stdout.count(": changed")
            if edits != len(titles):
                raise SystemExit(f"{n} pages: {edits} edits, expected {len(titles)}")
            rows.append((n, edits, seconds, peak))
    print(f"{'pages':>6} {'edits':>6} {'seconds':>8} {'edits/min':>10} {'peak RSS MB':>12}")
    for n, edits, seconds, peak in rows:
        print(
            f"{n:>6} {edits:>6} {seconds:>8.1f} {edits / seconds * 60:>10.0f} {peak / 1024:>12.1f}"
        )
    (small, *_), (large, *_) = rows
    delta = (rows[1][3] - rows[0][3]) / 1024
    print(f"peak RSS {large} pages - {small} pages: {delta:+.1f} MB")


if __name__ == "__main__":
    main()
