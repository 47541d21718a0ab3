"""Fix quality over whole corpora, judged by MediaWiki's own rendering (the render oracle).

For every dump in the corpus folder (default ../shared/corpus next to the checkout), every
wikitext page is linted with the dump as the site and fixed with the default configuration
(safe tier), then once more per rule with that rule alone. A sandbox wiki holding the dump's
templates, modules and messages renders the old and the new text of each page a rule's fix
changed (renders are cached by text hash), and :meth:`wikitools.verify.RenderOracle.judge_fix`
says whether readers lost anything but the artifact the fix removed.

Then, for each kind of injected break (:mod:`wikitools.verify.inject`), ``--per-kind`` breaks
go into clean pages drawn from the corpora in turn (seeded): found (any finding), right
position (a finding at the opener or the inserted text), and repaired (``fix --unsafe-fixes``
gives a page that renders as the unbroken one) or left alone (no fix offered).

Usage::

    python benchmarks/fix_quality.py [CORPUS_DIR] [--per-kind 10] [--seed 0] [--examples 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wikitools.config import Config
from wikitools.dumps import DumpReader
from wikitools.dumps.process import lintable
from wikitools.dumps.support import RENDER_SETTINGS, import_support
from wikitools.lint.fixloop import FixResult
from wikitools.lint.runner import Linter
from wikitools.sandbox import SandboxWiki
from wikitools.site import XmlExportSite
from wikitools.verify import RenderOracle
from wikitools.verify.attribution import RuleFixer
from wikitools.verify.inject import BreakKind, clean_pages, draw, evaluate

#: ../shared/corpus next to the checkout, or next to a parent of it (a git worktree).
DEFAULT = next(
    (
        parent / "shared" / "corpus"
        for parent in Path(__file__).resolve().parents[1:]
        if (parent / "shared" / "corpus").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "corpus",
)


@dataclass
class RuleStats:
    """Counts for one rule over all corpora."""

    findings: int = 0
    fixes: int = 0
    pages: int = 0
    verified: int = 0
    losing: int = 0
    losing_code: int = 0
    corpora: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


@dataclass
class BreakStats:
    """Counts for one kind of injected break."""

    injected: int = 0
    found: int = 0
    right: int = 0
    fixed: int = 0
    repaired: int = 0
    left_alone: int = 0
    examples: list[str] = field(default_factory=list)


class Lab:
    """One sandbox wiki per corpus, started on first use.

    MediaWiki works in a thread of its own (:attr:`renders`): the import of a corpus's
    templates and every render queue there, while this process lints and fixes the next
    pages, so PHP and Python run side by side. Renders are cached by the oracle, and
    :meth:`judge` waits for the renders a judgement needs.
    """

    def __init__(self) -> None:
        self.wikis: dict[Path, SandboxWiki] = {}
        self.oracles: dict[Path, RenderOracle] = {}
        self.imports: dict[Path, Future[None]] = {}
        self.renders = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediawiki")

    def oracle(self, path: Path) -> RenderOracle:
        """The oracle of the wiki holding ``path``'s templates, modules and messages."""
        if path not in self.oracles:
            wiki = SandboxWiki(extra_settings=RENDER_SETTINGS).start()
            self.wikis[path] = wiki
            self.oracles[path] = RenderOracle(wiki.render)
            self.imports[path] = self.renders.submit(self._import, wiki, path)
        return self.oracles[path]

    def ready(self, path: Path) -> RenderOracle:
        """The oracle of ``path``, once its wiki holds the corpus's pages (to render here)."""
        oracle = self.oracle(path)
        self.imports[path].result()
        return oracle

    @staticmethod
    def _import(wiki: SandboxWiki, path: Path) -> None:
        started = time.monotonic()
        count = import_support(wiki, path)
        note(f"  {path.name}: imported {count} pages in {time.monotonic() - started:.0f} s")

    def prefetch(self, path: Path, title: str, *texts: str) -> Future[None]:
        """Render ``texts`` in the MediaWiki thread (into the oracle's cache)."""
        oracle = self.oracle(path)

        def render() -> None:
            for text in texts:
                oracle.render(text, title)

        return self.renders.submit(render)

    def close(self) -> None:
        """Stop every wiki."""
        self.renders.shutdown(wait=True)
        for wiki in self.wikis.values():
            wiki.stop()


def note(message: str) -> None:
    """Progress, on stderr (the table goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


def short(path: Path) -> str:
    """The corpus's name without the dump suffixes."""
    return path.name.split(".xml")[0]


def measure_rules(path: Path, lab: Lab, stats: dict[str, RuleStats], examples: int) -> None:
    """Lint and fix every page of one dump; judge each rule's changes by rendering."""
    started = time.monotonic()
    with DumpReader(path) as reader:
        namespaces = reader.siteinfo.to_namespaces()
        pages = [page for page in reader if lintable(page)]
    fixer = RuleFixer(site=XmlExportSite.from_file(path), namespaces=namespaces)
    jobs: list[tuple[str, str, str, FixResult, Future[None]]] = []
    for page in pages:
        text = page.text or ""
        diagnostics = fixer.lint(text, page.title, page.ns)
        for diagnostic in diagnostics:
            stats[diagnostic.code].findings += 1
        codes = fixer.fixable_codes(diagnostics)
        if not codes:
            continue
        full = fixer.fix(text, page.title, page.ns)
        for diagnostic in full.applied:
            stats[diagnostic.code].fixes += 1
        applied = {d.code for d in full.applied}
        if len(codes) == 1 and applied <= codes:
            by_rule = {next(iter(codes)): full}  # that rule alone made the whole fix
        else:
            by_rule = fixer.fix_each(text, page.title, page.ns, codes)
        for code, result in by_rule.items():
            if result.changed:
                future = lab.prefetch(path, page.title, text, result.text)
                jobs.append((code, page.title, text, result, future))
    for code, title, text, result, future in jobs:
        future.result()
        rule = stats[code]
        rule.pages += 1
        verdict = lab.oracle(path).judge_fix(title, text, result.text, result.edits)
        if verdict.accepted:
            rule.verified += 1
            continue
        rule.losing += 1
        rule.corpora[short(path)] += 1
        if verdict.lost_code:
            rule.losing_code += 1
        if sum(1 for e in rule.examples if e.startswith(short(path))) < examples:
            rule.examples.append(f"{short(path)}: {title!r}: {verdict.reason[:300]}")
    note(f"  {path.name}: {len(pages)} pages in {time.monotonic() - started:.0f} s")


def measure_breaks(
    paths: list[Path], lab: Lab, per_kind: int, seed: int, examples: int
) -> dict[BreakKind, BreakStats]:
    """Inject ``per_kind`` breaks of each kind into clean pages and see what the rules do."""
    linter = Linter(Config())
    corpora: dict[str, list[tuple[str, int, str]]] = {}
    by_name = {short(p): p for p in paths}
    for path in paths:
        with DumpReader(path) as reader:
            corpora[short(path)] = [(p.title, p.ns, p.text or "") for p in reader if lintable(p)]
    results: dict[BreakKind, BreakStats] = {}
    for kind in BreakKind:
        stats = results[kind] = BreakStats()
        pools = {
            name: clean_pages(pages, linter, random.Random(f"{seed}:{kind.name}:{name}"), 60)
            for name, pages in corpora.items()
        }
        chosen = draw(pools, kind, per_kind, random.Random(f"{seed}:{kind.name}"))
        for name, (title, ns, _text), injection in chosen:
            outcome = evaluate(injection, title, ns, lab.ready(by_name[name]), linter)
            stats.injected += 1
            stats.found += outcome.found
            stats.right += outcome.at_position
            stats.fixed += outcome.fixed
            stats.repaired += bool(outcome.repaired)
            stats.left_alone += not outcome.fixed
            if not outcome.ok and len(stats.examples) < examples:
                line, column = injection.position()
                found = ",".join(f"{c}@{ln}:{col}" for c, ln, col in outcome.findings) or "-"
                stats.examples.append(
                    f"{name}: {title!r} at {line}:{column}: found {found}; "
                    f"fixed={outcome.fixed} lost {outcome.lost[:120]!r} gained "
                    f"{outcome.gained[:120]!r}"
                )
    return results


def print_tables(
    stats: dict[str, RuleStats], breaks: dict[BreakKind, BreakStats], elapsed: float
) -> None:
    """The one table: rules, then injected breaks, then examples of losses and misses."""
    print(
        f"{'rule':<6} {'findings':>8} {'fixes':>6} {'pages':>6} {'verified':>8} "
        f"{'losing':>6} {'code':>5}  losing on"
    )
    for code in sorted(stats):
        s = stats[code]
        where = ", ".join(f"{name} {n}" for name, n in s.corpora.most_common())
        print(
            f"{code:<6} {s.findings:>8} {s.fixes:>6} {s.pages:>6} {s.verified:>8} "
            f"{s.losing:>6} {s.losing_code:>5}  {where}"
        )
    print()
    print(
        f"{'injected break':<18} {'injected':>8} {'found':>6} {'right pos':>9} "
        f"{'fixed':>6} {'repaired':>8} {'left alone':>10}"
    )
    for kind, b in breaks.items():
        print(
            f"{kind.value:<18} {b.injected:>8} {b.found:>6} {b.right:>9} "
            f"{b.fixed:>6} {b.repaired:>8} {b.left_alone:>10}"
        )
    print()
    print("columns: fixes = diagnostics fixed by the default (safe) fix; pages = pages the")
    print("rule's fix alone changes; verified = of those, the oracle accepts; losing = readers")
    print("lose other text; code = of those, code is lost.")
    for code in sorted(stats):
        for example in stats[code].examples:
            print(f"  {code} {example}")
    for kind, b in breaks.items():
        for example in b.examples:
            print(f"  [{kind.value}] {example}")
    print(f"\n{elapsed:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--per-kind", type=int, default=10, help="injected breaks per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=3, help="examples per rule and corpus")
    args = parser.parse_args()
    paths = sorted(args.corpus.glob("*.xml.bz2"))
    if not paths:
        print(f"no *.xml.bz2 dumps in {args.corpus}", file=sys.stderr)
        return 2
    started = time.monotonic()
    lab = Lab()
    try:
        stats: dict[str, RuleStats] = defaultdict(RuleStats)
        for path in paths:
            measure_rules(path, lab, stats, args.examples)
        breaks = measure_breaks(paths, lab, args.per_kind, args.seed, args.examples)
    finally:
        lab.close()
    print_tables(stats, breaks, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
