"""Injected breaks in real pages: remove one closer, repair with the unsafe fixes, compare renders.

Used by tests/rules/test_closer_placement.py (a fixed, seeded sample) and runnable as a
script over larger samples::

    python -m tests.rules.injection --pages 60 --seed 9

A trial is *repaired* when ``fix --unsafe-fixes`` gives back the original text, or a text
that the real MediaWiki renders exactly as it rendered the original; *abstained* when no
fix was applied; *wrong* otherwise (the page readers would see differs from the original).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.corpus import CORPUS
from wikitools import Config, fix_text, iter_pages, lint_text
from wikitools.document import Document
from wikitools.lint.scope import CONTENT
from wikitools.sandbox import SandboxWiki
from wikitools.verify.inject import BreakKind, inject

#: What a break removes: the closer of a matched template call or link, nested or not.
KINDS = {"}}": BreakKind.REMOVE_TEMPLATE_CLOSE, "]]": BreakKind.REMOVE_LINK_CLOSE}

UNSAFE = Config(unsafe_fixes=True)


@dataclass(frozen=True)
class Trial:
    """One injected break and what the unsafe fixes made of it."""

    corpus: str
    title: str
    kind: str
    offset: int
    opener: int
    """Offset of the opener whose closer was removed: where the break should be reported."""
    original: str
    broken: str
    fixed: str
    codes: tuple[str, ...]

    @property
    def abstained(self) -> bool:
        """No fix changed the broken page."""
        return self.fixed == self.broken


def corpus_files() -> list[Path]:
    """Every dump in the shared corpus folder."""
    return sorted(CORPUS.parent.glob("*.xml.bz2"))


def iter_clean_pages(path: Path) -> Iterator[tuple[str, str]]:
    """(title, text) of wikitext pages of a dump that no rule would change or flag as broken."""
    for page in iter_pages(path):
        text = page.text
        if not text or page.redirect or not page.is_wikitext:
            continue
        document = Document(text, page.title)
        if not document.is_wikitext or not CONTENT.includes(document.namespace):
            continue  # the bracket rules check content pages only (not templates, messages)
        if "{{" not in text and "[[" not in text:
            continue
        found = lint_text(text, UNSAFE, title=page.title)
        if any(d.code.startswith("B") or d.fix is not None for d in found):
            continue
        yield page.title, text


def run_trials(
    pages_per_corpus: int, seed: int, closers: tuple[str, ...] = ("}}", "]]")
) -> list[Trial]:
    """Break ``pages_per_corpus`` seeded clean pages of every corpus once per closer kind."""
    trials: list[Trial] = []
    for path in corpus_files():
        rng = random.Random(f"{seed}:{path.name}")
        pages = list(iter_clean_pages(path))
        rng.shuffle(pages)
        for closer in closers:
            taken = 0
            for title, text in pages:
                if taken >= pages_per_corpus:
                    break
                injected = inject(text, KINDS[closer], rng, nested=True)
                if injected is None:
                    continue
                opener, offset, broken = injected.expected, injected.at, injected.text
                taken += 1
                result = fix_text(broken, UNSAFE, title=title)
                codes = tuple(sorted({d.code for d in result.applied}))
                trials.append(
                    Trial(
                        path.name, title, closer, offset, opener, text, broken, result.text, codes
                    )
                )
    return trials


#: A template that shows every argument it gets, so a closer in the wrong place (one that
#: moves text into or out of an argument) shows in the render even where the wiki's own
#: template would hide it. Every template a changed region touches becomes one.
ECHO_MODULE = """local p = {}
function p.main(frame)
  local parent = frame:getParent()
  local items = {}
  for k, v in pairs(parent.args) do items[#items + 1] = tostring(k) .. '=' .. v end
  table.sort(items)
  return '[' .. parent:getTitle() .. '|' .. table.concat(items, '|') .. ']'
end
return p
"""
ECHO_CALL = "{{#invoke:Echo|main}}"


def changed_templates(original: str, fixed: str) -> set[str]:
    """Names of the template calls whose span touches the part where the texts differ."""
    start = 0
    limit = min(len(original), len(fixed))
    while start < limit and original[start] == fixed[start]:
        start += 1
    tail = 0
    while tail < limit - start and original[-1 - tail] == fixed[-1 - tail]:
        tail += 1
    names: set[str] = set()
    for text in (original, fixed):
        end = len(text) - tail
        for node, node_start, node_end in Document(text).iter_templates():
            if node_start <= end and start <= node_end:
                name = str(node.name).strip()
                if name and not set("{}[]|#:<>\n").intersection(name):
                    names.add(name[0].upper() + name[1:].replace("_", " "))
    return names


def judge(trials: list[Trial], render: Callable[[str, str], str]) -> list[tuple[Trial, str]]:
    """Each trial with its verdict: "repaired", "abstained" or "wrong"."""
    verdicts: list[tuple[Trial, str]] = []
    for trial in trials:
        if trial.fixed == trial.original:
            verdict = "repaired"
        elif trial.abstained:
            verdict = "abstained"
        elif render(trial.fixed, trial.title) == render(trial.original, trial.title):
            verdict = "repaired"
        else:
            verdict = "wrong"
        verdicts.append((trial, verdict))
    return verdicts


def judge_on(wiki: SandboxWiki, trials: list[Trial]) -> list[tuple[Trial, str]]:
    """:func:`judge` with ``wiki``'s renders; templates near each change echo their arguments."""
    echoes: set[str] = set()
    cache: dict[tuple[str, str], str] = {}
    wiki.edit("Module:Echo", ECHO_MODULE)
    for trial in trials:
        if trial.fixed != trial.original and not trial.abstained:
            for name in changed_templates(trial.original, trial.fixed) - echoes:
                wiki.edit(f"Template:{name}", ECHO_CALL)
                echoes.add(name)

    def render(text: str, title: str) -> str:
        if (text, title) not in cache:
            cache[text, title] = wiki.render(text, title=title)
        return cache[text, title]

    return judge(trials, render)


def reported_at_opener(trial: Trial) -> bool:
    """True when a B102/B104 finding on the broken page points at the opener that lost
    its closer (the line:col a person would look at)."""
    found = lint_text(trial.broken, title=trial.title)
    return any(d.code in ("B102", "B104") and d.start == trial.opener for d in found)


def summary(verdicts: list[tuple[Trial, str]]) -> str:
    """A small table: per corpus and closer kind, how many were repaired/abstained/wrong."""
    counts: Counter[tuple[str, str, str]] = Counter(
        (t.corpus.split(".")[0], t.kind, v) for t, v in verdicts
    )
    rows = sorted({(c, k) for c, k, _ in counts})
    lines = [f"{'corpus':45} kind repaired abstained wrong"]
    for corpus, kind in rows:
        r, a, w = (counts[corpus, kind, v] for v in ("repaired", "abstained", "wrong"))
        lines.append(f"{corpus:45} {kind:4} {r:8} {a:9} {w:5}")
    for kind in sorted({k for _, k in rows}):
        r, a, w = (
            sum(n for (_, k, v), n in counts.items() if k == kind and v == verdict)
            for verdict in ("repaired", "abstained", "wrong")
        )
        total = r + a + w
        at_opener = sum(1 for t, _ in verdicts if t.kind == kind and reported_at_opener(t))
        lines.append(f"{'ALL':45} {kind:4} reported at the opener: {at_opener}/{total}")
        lines.append(
            f"{'ALL':45} {kind:4} {r:8} {a:9} {w:5}   repaired {r / max(total, 1):.0%}"
            f", not wrong {(r + a) / max(total, 1):.0%}"
        )
    return "\n".join(lines)


def main() -> None:
    """Run trials over the corpora and print the verdicts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--show", choices=("wrong", "abstained", "all"), default=None)
    args = parser.parse_args()
    trials = run_trials(args.pages, args.seed)
    with SandboxWiki() as wiki:
        verdicts = judge_on(wiki, trials)
    for trial, verdict in verdicts:
        if args.show in (verdict, "all"):
            print(f"--- {verdict}: {trial.corpus} {trial.title!r} {trial.kind} at {trial.offset}")
            _show(trial)
    print(summary(verdicts))


def _show(trial: Trial) -> None:
    import difflib

    at = trial.offset
    print("original:", repr(trial.original[max(0, at - 150) : at + 80]))
    diff = difflib.unified_diff(
        trial.original.splitlines(), trial.fixed.splitlines(), lineterm="", n=1
    )
    print("\n".join(list(diff)[2:14]), "codes:", trial.codes)


if __name__ == "__main__":
    main()
