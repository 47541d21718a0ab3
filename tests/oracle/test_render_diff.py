"""The render oracle over every corpus: safe fixes lose nothing readers see but the artifact.

For each of the seven dumps, a fixed, seeded sample: pages (up to :data:`SCAN` of them, in a
seeded order) are linted with the dump as the site; of those with a safe fix, up to
:data:`PER_RULE` per rule and :data:`CAP` in all are taken, plus :data:`RANDOM` other pages.
Each is fixed with the default configuration (safe tier) and, to put any loss down to a rule,
with each of its rules alone. MediaWiki renders the old and the new text on a sandbox wiki
holding the corpus's templates, modules and messages, and the oracle must accept every change.
"""

from __future__ import annotations

import random

import pytest

from tests.corpus import CORPUS_FILES
from tests.oracle.conftest import Corpus, CorpusLab
from wikitools.dumps import Page
from wikitools.lint.fixloop import FixResult
from wikitools.verify import RenderOracle

pytestmark = [pytest.mark.mediawiki, pytest.mark.corpus]

#: Pages linted per corpus, in seeded order.
SCAN = 600
#: Pages with safe fixes taken per rule, and in all, per corpus.
PER_RULE = 3
CAP = 12
#: Pages taken at random besides.
RANDOM = 2


def sample(corpus: Corpus) -> list[tuple[Page, set[str]]]:
    """The seeded sample of ``corpus``: pages with the codes of their safe fixes."""
    rng = random.Random(f"render-diff:{corpus.name}")
    order = list(corpus.pages)
    rng.shuffle(order)
    fixable: list[tuple[Page, set[str]]] = []
    others: list[Page] = []
    for page in order[:SCAN]:
        text = page.text or ""
        codes = corpus.fixer.fixable_codes(corpus.fixer.lint(text, page.title, page.ns))
        if codes:
            fixable.append((page, codes))
        else:
            others.append(page)
    chosen: list[tuple[Page, set[str]]] = []
    taken: dict[str, int] = {}
    for page, codes in fixable:
        if any(taken.get(code, 0) < PER_RULE for code in codes) and len(chosen) < CAP:
            chosen.append((page, codes))
            for code in codes:
                taken[code] = taken.get(code, 0) + 1
    for page, codes in fixable:
        if len(chosen) >= CAP:
            break
        if all(page is not p for p, _ in chosen):
            chosen.append((page, codes))
    chosen.extend((page, set()) for page in others[:RANDOM])
    return chosen


def _loss(corpus: Corpus, page: Page, what: str, result: FixResult, oracle: RenderOracle) -> str:
    verdict = oracle.judge_fix(page.title, page.text or "", result.text, result.edits)
    if verdict.accepted:
        return ""
    return f"{corpus.short}: {page.title!r} [{what}]: {verdict.reason}"


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_safe_fixes_keep_what_readers_see(corpus_lab: CorpusLab, name: str) -> None:
    corpus = corpus_lab.corpus(name)
    fixer = corpus.fixer
    chosen = sample(corpus)
    jobs: list[tuple[Page, str, FixResult]] = []
    for page, codes in chosen:
        text = page.text or ""
        full = fixer.fix(text, page.title, page.ns)
        if not full.changed:
            continue
        applied = {d.code for d in full.applied}
        for code, result in fixer.fix_each(text, page.title, page.ns, codes | applied).items():
            if result.changed:
                jobs.append((page, code, result))
        if len(applied) > 1:
            jobs.append((page, "combined " + "+".join(sorted(applied)), full))
    if not jobs:
        return  # nothing in this corpus's sample has a safe fix: nothing to render
    texts = [page.text or "" for page, _, _ in jobs] + [result.text for _, _, result in jobs]
    oracle = corpus_lab.wiki(name).prepare(texts)
    failures = [
        message
        for page, what, result in jobs
        if (message := _loss(corpus, page, what, result, oracle))
    ]
    assert not failures, (
        f"{len(failures)} of {len(jobs)} safe fixes on {corpus.short} change what readers see:\n"
        + "\n".join(f[:400] for f in failures[:30])
    )
