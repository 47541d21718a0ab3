"""The seed article, repaired offline, renders clean on a real MediaWiki 1.39.

The example site (examples/site) is installed on a fresh local wiki. The original article
must show the three breakages there; the fixed article must render with no script error,
no red template link, no visible ``{{``/``}}``, every sentence of the original, and exactly
the citations the templates print when their module chain is complete.
"""

from __future__ import annotations

from tests.seedpage import (
    SCRIPT_ERRORS,
    TITLE,
    example_site,
    fragments,
    normalize,
    references,
    seed_text,
    visible_text,
)
from wikitools import fix_text


def test_seed_repair_on_real_mediawiki(make_wiki) -> None:  # type: ignore[no-untyped-def]
    site = example_site()
    original = seed_text()
    result = fix_text(original, site=site, title=TITLE)
    assert result.changed and result.remaining == () and result.problems == ()

    wiki = make_wiki()
    wiki.edit_many({title: page.text or "" for title, page in site.pages.items()})

    before = wiki.parse(original, TITLE)
    after = wiki.parse(result.text, TITLE)

    # The original shows all three breakages on this wiki (the test can see them).
    before_text, breakage = visible_text(before["text"], cut_breakage=True)
    assert breakage["errors"] >= 6 and breakage["red"] == 1
    assert "}}" in before_text
    assert SCRIPT_ERRORS in {c["category"] for c in before["categories"]}
    assert {t["title"] for t in before["templates"] if not t["exists"]} == {
        "Template:Ka icon",
        "Module:Footnotes/anchor id list",
    }

    # The fixed article: no script error, no red template link, no visible braces.
    after_html = after["text"]
    assert "scribunto-error" not in after_html and "Lua error" not in after_html
    assert SCRIPT_ERRORS not in {c["category"] for c in after["categories"]}
    assert [t["title"] for t in after["templates"] if not t["exists"]] == []
    after_text, after_breakage = visible_text(after_html, cut_breakage=True)
    assert after_breakage == {"errors": 0, "red": 0}
    assert "{{" not in after_text and "}}" not in after_text
    assert "(in Georgian)" in after_text

    # Every sentence (fragment between breakages) of the original is still there.
    shown = normalize(after_text)
    missing = [piece for piece in fragments(before_text) if piece not in shown]
    assert missing == []
    # ... and so is the infobox.
    assert after_html.count('class="infobox') == 1 and "Personal details" in after_text

    # The citations read exactly as the templates print them once the chain is complete.
    wiki.edit_many({"Module:Footnotes/anchor_id_list": "return {}"})
    working = wiki.parse(original, TITLE)
    assert "scribunto-error" not in working["text"]
    expected = references(working["text"])
    assert "Service 2004, p. 259." in expected and "Service (2004), pp. 440–441." in expected
    assert references(after_html) == expected
