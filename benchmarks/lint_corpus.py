"""Lint throughput on the Wikipedia sample, against a bare mwparserfromhell.parse loop.

Usage: python benchmarks/lint_corpus.py [DUMP.xml.bz2] [--repeat N]

Both loops run in this process over the same page texts; the ratio is what counts
(the target is lint >= 3x the parse loop). The corpus defaults to
../shared/corpus/enwiki-sample.xml.bz2 next to the checkout.
"""

from __future__ import annotations

import argparse
import bz2
import sys
import time
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell
from lxml import etree

from wikitools import lint_text
from wikitools.api import Linter
from wikitools.document import Document

_SAMPLE = Path("shared") / "corpus" / "enwiki-sample.xml.bz2"
#: ../shared/corpus next to the checkout, or next to a parent of it (a git worktree).
DEFAULT = next(
    (up / _SAMPLE for up in Path(__file__).resolve().parents if (up / _SAMPLE).is_file()),
    Path(__file__).resolve().parents[2] / _SAMPLE,
)


def load_texts(path: Path) -> list[str]:
    texts = []
    with bz2.open(path) as handle:
        for _event, element in etree.iterparse(handle, events=("end",), resolve_entities=False):
            if element.tag.rsplit("}", 1)[-1] == "text":
                texts.append(element.text or "")
                element.clear()
    return texts


def timed(texts: list[str], work: Callable[[str], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            work(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dump", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.dump.is_file():
        print(f"error: corpus not found: {args.dump}", file=sys.stderr)
        return 2
    texts = load_texts(args.dump)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    linter = Linter()
    lint_text("warm-up}}")

    results = {
        "mwparserfromhell.parse (baseline)": timed(texts, mwparserfromhell.parse, args.repeat),
        "wikitools lint": timed(texts, lambda t: linter.check(Document(t)), args.repeat),
    }
    baseline = results["mwparserfromhell.parse (baseline)"]
    print(f"{len(texts)} pages, {megabytes:.2f} MB of wikitext, best of {args.repeat}")
    for name, seconds in results.items():
        print(
            f"{name:<36} {len(texts) / seconds:9.1f} pages/s {megabytes / seconds:8.2f} MB/s"
            f"  ratio {baseline / seconds:5.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
