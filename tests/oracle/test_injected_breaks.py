"""Breaks injected into real clean pages are found where they are, and repaired or left alone.

Pages that lint clean (default rules, no site; articles, not templates, modules or interface
messages) are drawn from the corpora, seeded, taking the corpora in turn so that several wikis
contribute to every kind of break. Each gets one break (:mod:`wikitools.verify.inject`). The
break must be found by a finding that starts at the opener of the construct that lost its
closer, or at the inserted text. ``fix --unsafe-fixes`` must then either leave the page alone
or give a page that MediaWiki renders exactly as it rendered the unbroken one.
"""

from __future__ import annotations

import random

import pytest

from tests.corpus import CORPUS_FILES
from tests.oracle.conftest import CorpusLab
from wikitools.api import Linter
from wikitools.config import Config
from wikitools.verify.inject import BreakKind, InjectionOutcome, clean_pages, draw, evaluate

pytestmark = [pytest.mark.mediawiki, pytest.mark.corpus]

#: Breaks per kind.
PER_KIND = 4
#: Clean pages drawn per corpus and kind.
POOL = 25


def describe(name: str, title: str, outcome: InjectionOutcome) -> str:
    """One failure, with where the break is and what the rules made of it."""
    line, column = outcome.injection.position()
    found = ", ".join(f"{code}@{ln}:{col}" for code, ln, col in outcome.findings) or "nothing"
    text = f"{name.split('.xml')[0]}: {title!r} {outcome.injection.changed!r} at {line}:{column}"
    if not outcome.at_position:
        return f"{text}: not found there (found: {found})"
    return (
        f"{text}: the unsafe fix changed the render: "
        f"lost {outcome.lost[:200]!r}; gained {outcome.gained[:200]!r}"
    )


@pytest.mark.parametrize("kind", list(BreakKind), ids=lambda k: k.name.lower())
def test_injected_break_is_found_and_repaired(corpus_lab: CorpusLab, kind: BreakKind) -> None:
    linter = Linter(Config())
    pools = {}
    for name in CORPUS_FILES:
        corpus = corpus_lab.corpus(name)
        pages = [(p.title, p.ns, p.text or "") for p in corpus.pages]
        pools[name] = clean_pages(pages, linter, random.Random(f"{kind.name}:{name}"), POOL)
    chosen = draw(pools, kind, PER_KIND, random.Random(f"injected:{kind.name}"))
    assert len(chosen) == PER_KIND, f"only {len(chosen)} places for {kind.value} in the corpora"
    assert len({name for name, _, _ in chosen}) > 1, "all breaks came from one corpus"
    failures = []
    for name, (title, ns, _text), injection in chosen:
        oracle = corpus_lab.wiki(name).prepare([injection.original, injection.text])
        outcome = evaluate(injection, title, ns, oracle, linter)
        if not outcome.ok:
            failures.append(describe(name, title, outcome))
    assert not failures, f"{kind.value}: {len(failures)} of {len(chosen)} breaks:\n" + "\n".join(
        f[:500] for f in failures
    )
