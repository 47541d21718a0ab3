"""Record or compare every finding lint gives on a set of dumps (a guard for speed work).

Usage:
    python benchmarks/lint_golden.py record OUT.jsonl [DUMP ...]
    python benchmarks/lint_golden.py compare GOLDEN.jsonl [DUMP ...]

For every revision text of every dump (default: all corpora in ../shared/corpus), it
records what lint finds in three settings: the bare text (as ``benchmarks/lint_corpus.py``
lints it), the text with its page's title, namespace and content model, and the same with
the dump itself as the site (so the rules that need a site run too), plus what
``fix_text`` makes of the page. Each finding is kept whole: code, name, message, span,
line:col, severity, subject and the fix with all its edits. ``compare`` exits 1 and names
the first pages that differ. Golden files are large; keep them out of git.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from wikitools import fix_text
from wikitools.api import Linter
from wikitools.document import Document
from wikitools.lint.diagnostic import Diagnostic
from wikitools.site.context import SiteContext
from wikitools.site.xmlexport import XmlExportSite, open_maybe_compressed

_CORPUS = Path("shared") / "corpus"
#: ../shared/corpus next to the checkout, or next to a parent of it (a git worktree).
CORPUS = next(
    (up / _CORPUS for up in Path(__file__).resolve().parents if (up / _CORPUS).is_dir()),
    Path(__file__).resolve().parents[2] / _CORPUS,
)


def default_dumps() -> list[Path]:
    """Every ``.xml.bz2`` of the shared corpus, sorted by name."""
    return sorted(CORPUS.glob("*.xml.bz2"))


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def iter_revisions(path: Path) -> Iterator[tuple[str, int, str | None, str]]:
    """(title, namespace, model, text) of every revision in the dump, in dump order."""
    with open_maybe_compressed(path) as handle:
        for _event, page in etree.iterparse(handle, events=("end",), resolve_entities=False):
            if _local(page.tag) != "page":
                continue
            title, namespace = "", 0
            for child in page:
                name = _local(child.tag)
                if name == "title":
                    title = child.text or ""
                elif name == "ns":
                    namespace = int(child.text or 0)
                elif name == "revision":
                    model = None
                    text = ""
                    for part in child:
                        if _local(part.tag) == "model":
                            model = part.text
                        elif _local(part.tag) == "text":
                            text = part.text or ""
                    yield title, namespace, model, text
            page.clear()


def _finding(document: Document, diagnostic: Diagnostic) -> list[Any]:
    fix = diagnostic.fix
    return [
        diagnostic.code,
        diagnostic.name,
        diagnostic.message,
        diagnostic.start,
        diagnostic.end,
        document.position(diagnostic.start),
        diagnostic.severity.value,
        diagnostic.subject,
        None
        if fix is None
        else [
            fix.title,
            fix.applicability.value,
            [[e.start, e.end, e.replacement] for e in fix.edits],
        ],
    ]


def _lint(linter: Linter, document: Document) -> list[list[Any]]:
    return [_finding(document, d) for d in linter.check(document)]


def page_records(path: Path) -> Iterator[dict[str, Any]]:
    """One record per revision of the dump: its findings in each setting and its fix."""
    site: SiteContext = XmlExportSite.from_file(path)
    bare, plain, with_site = Linter(), Linter(), Linter(site=site)
    for index, (title, namespace, model, text) in enumerate(iter_revisions(path)):
        fixed = fix_text(text, title=title, namespace=namespace, model=model, linter=plain)
        yield {
            "dump": path.name,
            "index": index,
            "title": title,
            "bare": _lint(bare, Document(text)),
            "titled": _lint(plain, Document(text, title, namespace, model=model)),
            "site": _lint(with_site, Document(text, title, namespace, model=model)),
            "fix": [
                hashlib.sha256(fixed.text.encode("utf-8")).hexdigest(),
                fixed.passes,
                [[e.start, e.end, e.replacement] for e in fixed.edits],
                [[d.code, d.start, d.end, d.message] for d in fixed.applied],
                [[d.code, d.start, d.end, d.message] for d in fixed.remaining],
                [[d.code, d.message] for d in fixed.problems],
            ],
        }


def _lines(dumps: list[Path]) -> Iterator[str]:
    for dump in dumps:
        for record in page_records(dump):
            yield json.dumps(record, ensure_ascii=False, sort_keys=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("golden", type=Path)
    parser.add_argument("dumps", nargs="*", type=Path)
    args = parser.parse_args()
    dumps = args.dumps or default_dumps()
    if not dumps:
        print(f"error: no dumps given and none found in {CORPUS}", file=sys.stderr)
        return 2
    if args.mode == "record":
        with args.golden.open("w", encoding="utf-8") as out:
            count = 0
            for line in _lines(dumps):
                out.write(line + "\n")
                count += 1
        print(f"recorded {count} revisions of {len(dumps)} dumps in {args.golden}")
        return 0
    with args.golden.open(encoding="utf-8") as golden:
        expected = [line.rstrip("\n") for line in golden]
    actual = list(_lines(dumps))
    differ = [i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b]
    if len(expected) != len(actual):
        print(f"revision counts differ: golden {len(expected)}, now {len(actual)}")
    for i in differ[:10]:
        record = json.loads(expected[i])
        print(f"differs: {record['dump']} #{record['index']} {record['title']!r}")
    findings = sum(
        len(r["bare"]) + len(r["titled"]) + len(r["site"]) for r in map(json.loads, actual)
    )
    if differ or len(expected) != len(actual):
        print(f"{len(differ)} of {len(actual)} revisions differ")
        return 1
    print(f"identical: {len(actual)} revisions, {findings} findings, {len(dumps)} dumps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
