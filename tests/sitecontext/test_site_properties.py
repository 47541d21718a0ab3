"""Property tests for the site rules: on any wikitext, against the example site, lint and fix
never crash, never lose text outside their edits, and a second fix pass changes nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikitools import Config, fix_text, lint_text
from wikitools.fixes.model import apply_edits
from wikitools.site import load_site

SITE = load_site(Path(__file__).resolve().parents[2] / "examples" / "site")
PIECES = [
    "{{sfn|Service|2004|p=1}}",
    "{{sfn|Service|2004|p=1}}",
    "{{sfnp|A|B|2001|pp=2–3}}",
    "{{harvnb|A|2001}}",
    "{{efn|Note {{sfn|X|1999}}}}",
    "{{Ka icon}}",
    "{{lang-ka|x}}",
    "{{Reflist}}",
    "{{ubl|a|b}}",
    "{{#invoke:Footnotes|sfn}}",
    "{{#invoke:Nowhere|f}}",
    "{{#if:x|{{Ka icon}}}}",
    "{{PAGENAME}}",
    "{{",
    "}}",
    "|",
    "=",
    "<ref>",
    "</ref>",
    '<ref name="FOOTNOTEService20041">other</ref>',
    "<references />",
    "<!--",
    "-->",
    "<nowiki>",
    "</nowiki>",
    "\n== References ==\n",
    "[[Category:X]]",
    "\n",
    " text. ",
]
wikitext = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
UNSAFE = Config(unsafe_fixes=True, select=("T", "M"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wikitext)
def test_site_rules_never_crash_and_fixes_are_confined_and_idempotent(text: str) -> None:
    lint_text(text, UNSAFE, SITE)
    result = fix_text(text, UNSAFE, SITE)
    assert apply_edits(text, result.edits) == result.text
    # only a page the wikitext parser cannot reproduce may be left alone
    assert {p.code for p in result.problems} <= {"W001"}
    if result.problems:
        assert result.text == text
        return
    again = fix_text(result.text, UNSAFE, SITE)
    assert again.text == result.text
