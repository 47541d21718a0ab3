"""``--candidates-from DUMP``: choose the pages of a live run by linting a dump offline.

As pywikibot's ``replace.py -xml`` does, the dump only picks candidates: each live page
is then read and fixed from its current text, and a candidate whose live text no longer
has the problem is reported so (:data:`wikitools.bot.botrun.GONE_SINCE_DUMP`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from wikitools.config import Config
from wikitools.dumps.process import lint_dump
from wikitools.dumps.reader import DumpReader
from wikitools.lint.fixloop import is_applied


def dump_candidates(path: Path, config: Config, *, workers: int = 1) -> Iterator[str]:
    """Titles of the dump's pages with at least one finding the run's settings would fix."""
    with DumpReader(path) as reader:
        for findings in lint_dump(reader, config=config, workers=workers):
            if any(is_applied(item.diagnostic, config) for item in findings.located):
                yield findings.title
