"""Lint time against input size: one page of 1, 2, 4, 8 and 16 MB, and as many pages.

Usage: python benchmarks/lint_scaling.py [DUMP.xml.bz2] [--sizes 1,2,4,8,16] [--pages]
       [--cases] [--repeat N]

The page is built by joining the dump's article texts (the Wikipedia sample next to the
checkout by default) until it reaches the size; without the dump, a generated page of
paragraphs, templates, references, tables and a few breaks stands in. ``--cases`` joins the
rule test cases instead (tests/rules: every kind of break, many times over, the worst case
for per-finding work). ``--pages`` lints the same text as the separate pages it came from.
Each size prints the time (CPU seconds of this process, so that other load on the machine
counts less) and its ratio to the previous size: linear lint doubles (ratio
~2.0); the target is at most 2.5 from 8 to 16 MB.
"""

from __future__ import annotations

import argparse
import bz2
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from wikitools.api import Linter
from wikitools.document import Document

_SAMPLE = Path("shared") / "corpus" / "enwiki-sample.xml.bz2"
#: ../shared/corpus next to the checkout, or next to a parent of it (a git worktree).
DEFAULT = next(
    (up / _SAMPLE for up in Path(__file__).resolve().parents if (up / _SAMPLE).is_file()),
    Path(__file__).resolve().parents[2] / _SAMPLE,
)

#: One generated section: the shapes lint looks at, with a stray close and an unclosed ref.
SECTION = """== Section {n} ==
'''Item {n}''' is described in {{{{cite web|url=https://example.org/{n}|title=Item {n}}}}}
and [[Link {n}|a link]].<ref name="r{n}">Source {n}.</ref> Again.<ref name="r{n}" />

{{| class="wikitable"
|-
! Head !! Value
|-
| {n} || {{{{formatnum:{n}}}}}
|}}
<!-- a comment {n} --> Text}} with a stray close and <ref>an open note
{{{{Infobox thing
| name = Item {n}
| value = <ref>inner</ref>
}}}}
"""


def article_texts(path: Path) -> list[str]:
    """The wikitext of the dump's pages that are not redirects."""
    from lxml import etree

    texts = []
    with bz2.open(path) as handle:
        for _event, element in etree.iterparse(handle, events=("end",), resolve_entities=False):
            if element.tag.rsplit("}", 1)[-1] == "text":
                text = element.text or ""
                if not text.lstrip().lower().startswith("#redirect"):
                    texts.append(text)
                element.clear()
    return texts


def generated_texts() -> list[str]:
    """Pages of generated sections, about 50 kB each (when no dump is at hand)."""
    return ["".join(SECTION.format(n=100 * page + i) for i in range(100)) for page in range(40)]


def case_texts() -> list[str]:
    """The texts of the rule test cases (every ``text`` in tests/rules/**/*.toml), but those
    that leave a comment open (it would hide everything after it)."""
    import tomllib

    def found(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                yield node["text"]
            for value in node.values():
                yield from found(value)
        elif isinstance(node, list):
            for value in node:
                yield from found(value)

    root = Path(__file__).resolve().parents[1] / "tests" / "rules"
    texts = []
    for path in sorted(root.glob("**/*.toml")):
        for text in found(tomllib.loads(path.read_text(encoding="utf-8"))):
            if text.count("<!--") <= text.count("-->"):
                texts.append(text + "\n\n")
    return texts


def take(texts: list[str], megabytes: float) -> list[str]:
    """Pages from ``texts`` (cycled) until their UTF-8 size reaches ``megabytes``."""
    wanted = int(megabytes * 1_000_000)
    chosen: list[str] = []
    size = 0
    while size < wanted:
        for text in texts:
            chosen.append(text)
            size += len(text.encode("utf-8"))
            if size >= wanted:
                break
    return chosen


def timed(linter: Linter, pages: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in pages:
            linter.check(Document(text))
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dump", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--sizes", default="1,2,4,8,16", help="megabytes, comma-separated")
    parser.add_argument("--pages", action="store_true", help="separate pages, not one page")
    parser.add_argument("--cases", action="store_true", help="join the rule test cases")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if args.cases:
        texts, source = case_texts(), "the rule test cases"
    elif args.dump.is_file():
        texts, source = article_texts(args.dump), args.dump.name
    else:
        texts, source = generated_texts(), "generated sections"
    linter = Linter()
    linter.check(Document("warm-up}}"))
    shape = "separate pages" if args.pages else "one page"
    print(f"lint of {shape} from {source}, CPU seconds, best of {args.repeat}")
    previous: float | None = None
    for megabytes in (float(size) for size in args.sizes.split(",")):
        pages = take(texts, megabytes)
        if not args.pages:
            pages = ["\n".join(pages)]
        seconds = timed(linter, pages, args.repeat)
        ratio = f"{seconds / previous:5.2f}x previous" if previous else ""
        print(f"{megabytes:7.3f} MB {seconds:8.2f} s {megabytes / seconds:7.2f} MB/s  {ratio}")
        previous = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())
