"""Golden before/after folders: `wikitools fix` output must match after.wiki exactly.

Regenerate with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wikitools import fix_text, lint_text, load_config
from wikitools.fixes.model import apply_edits

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "before.wiki").is_file())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path, request: pytest.FixtureRequest) -> None:
    config_file = case / "wikitools.toml"
    config = load_config(config_file if config_file.is_file() else None, start=case)
    before = (case / "before.wiki").read_text(encoding="utf-8")
    result = fix_text(before, config)
    after_path = case / "after.wiki"
    if request.config.getoption("--update-golden"):
        after_path.write_text(result.text, encoding="utf-8")
    assert result.text == after_path.read_text(encoding="utf-8")
    assert result.changed and not result.problems
    assert apply_edits(before, result.edits) == result.text
    assert not fix_text(result.text, config).changed
    fixed_codes = {d.code for d in result.applied}
    assert not fixed_codes & {d.code for d in lint_text(result.text, config) if d.fix}
