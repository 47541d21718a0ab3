"""Lint throughput on wiki dumps, against a bare mwparserfromhell.parse loop.

Usage: python benchmarks/lint_corpus.py [DUMP.xml.bz2 ...] [--all] [--repeat N]

Both loops run in this process over the same page texts (every revision's text); the
ratio (parse-loop time / lint time) is what counts (the target is lint >= 7x the parse
loop). Times are CPU time of this process (``time.process_time``), best of ``--repeat``
runs, with the parse and lint runs taking turns so load on the machine hits both alike.
The corpus defaults to ../shared/corpus/enwiki-sample.xml.bz2 next to the checkout;
``--all`` takes every dump in that folder. With several dumps there is a row per dump and
a total over all of them (the sum of each loop's best times).
"""

from __future__ import annotations

import argparse
import bz2
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mwparserfromhell
from lxml import etree

from wikitools import lint_text
from wikitools.api import Linter
from wikitools.document import Document

_CORPUS = Path("shared") / "corpus"
#: ../shared/corpus next to the checkout, or next to a parent of it (a git worktree).
CORPUS = next(
    (up / _CORPUS for up in Path(__file__).resolve().parents if (up / _CORPUS).is_dir()),
    Path(__file__).resolve().parents[2] / _CORPUS,
)
DEFAULT = CORPUS / "enwiki-sample.xml.bz2"


def load_texts(path: Path) -> list[str]:
    """The text of every revision in a ``.bz2`` dump, in dump order."""
    texts = []
    with bz2.open(path) as handle:
        for _event, element in etree.iterparse(handle, events=("end",), resolve_entities=False):
            if element.tag.rsplit("}", 1)[-1] == "text":
                texts.append(element.text or "")
                element.clear()
    return texts


def cpu_time(texts: list[str], work: Callable[[str], object]) -> float:
    """CPU seconds this process spends running ``work`` over ``texts`` once."""
    start = time.process_time()
    for text in texts:
        work(text)
    return time.process_time() - start


@dataclass
class Row:
    """One corpus: its size and the best time of each loop."""

    name: str
    pages: int
    megabytes: float
    parse: float
    lint: float

    def show(self) -> str:
        return (
            f"{self.name:<48} {self.pages:6d} {self.megabytes:7.2f}"
            f" {self.megabytes / self.parse:8.2f} {self.megabytes / self.lint:8.2f}"
            f"  {self.parse / self.lint:6.2f}x"
        )


def measure(name: str, texts: list[str], linter: Linter, repeat: int) -> Row:
    """Best-of-``repeat`` CPU times of the parse loop and the lint loop, taking turns."""
    parse_best = lint_best = float("inf")
    for _ in range(repeat):
        parse_best = min(parse_best, cpu_time(texts, mwparserfromhell.parse))
        lint_best = min(lint_best, cpu_time(texts, lambda t: linter.check(Document(t))))
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return Row(name, len(texts), megabytes, parse_best, lint_best)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dumps", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help=f"every dump in {CORPUS}")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dumps: list[Path] = list(args.dumps)
    if args.all:
        dumps += sorted(CORPUS.glob("*.xml.bz2"))
    dumps = dumps or [DEFAULT]
    for dump in dumps:
        if not dump.is_file():
            print(f"error: corpus not found: {dump}", file=sys.stderr)
            return 2
    linter = Linter()
    lint_text("warm-up}}")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"CPU time, best of {args.repeat}; MB/s of wikitext (UTF-8)")
    print(f"{'corpus':<48} {'pages':>6} {'MB':>7} {'parse':>8} {'lint':>8}  ratio")
    rows = []
    for dump in dumps:
        row = measure(dump.name, load_texts(dump), linter, args.repeat)
        rows.append(row)
        print(row.show(), flush=True)
    if len(rows) > 1:
        total = Row(
            "all corpora",
            sum(r.pages for r in rows),
            sum(r.megabytes for r in rows),
            sum(r.parse for r in rows),
            sum(r.lint for r in rows),
        )
        print(total.show())
    print(f"load average at end:   {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
