"""The seed article, repaired offline, renders clean on a real MediaWiki 1.39.

The example site (examples/site) is installed on a fresh local wiki. The original article
must show the three breakages there; the fixed article must render with no script error,
no red template link, no visible ``{{``/``}}``, every sentence of the original, and exactly
the citations the templates print when their module chain is complete.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from wikitools import fix_text
from wikitools.site import load_site

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Joseph Stalin"
SEPARATOR = "\u2402"  # a visible "STX" symbol never used in the article
SCRIPT_ERRORS = "Pages_with_script_errors"


def _tree(html: str) -> Any:
    return lxml_html.fromstring(f"<div>{html}</div>")


def _cut(doc: Any, xpath: str) -> int:
    """Remove matching elements, leaving a fragment separator; returns how many."""
    found = doc.xpath(xpath)
    for element in found:
        element.tail = SEPARATOR + (element.tail or "")
        element.drop_tree()
    return len(found)


def _normalize(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", text).strip()


def visible_text(html: str, *, cut_breakage: bool = False) -> tuple[str, dict[str, int]]:
    """The page's reading text without footnote markers and the references list.

    With ``cut_breakage``, script errors and red template links are cut out (and
    counted), leaving fragment separators.
    """
    doc = _tree(html)
    counts = {}
    _cut(
        doc,
        "//style|//script|//sup[contains(@class,'reference')]|//ol[contains(@class,'references')]",
    )
    if cut_breakage:
        counts["errors"] = _cut(
            doc, "//*[contains(@class,'scribunto-error')]|//strong[contains(@class,'error')]"
        )
        counts["red"] = _cut(doc, "//a[contains(@class,'new') and starts-with(@title,'Template:')]")
    return doc.text_content(), counts


def references(html: str) -> list[str]:
    """The texts of the references list items, in order."""
    doc = _tree(html)
    return [
        _normalize(item.text_content())
        for item in doc.xpath(
            "//ol[contains(@class,'references')]/li//span[contains(@class,'reference-text')]"
        )
    ]


def fragments(text: str) -> list[str]:
    pieces = []
    for chunk in text.replace("}}", SEPARATOR).split(SEPARATOR):
        for piece in re.split(r"(?<=[.;!?])\s+", _normalize(chunk)):
            if piece.strip(" ;,"):
                pieces.append(piece.strip())
    return pieces


def test_seed_repair_on_real_mediawiki(make_wiki) -> None:  # type: ignore[no-untyped-def]
    site = load_site(ROOT / "examples" / "site")
    original = (ROOT / "examples" / "joseph_stalin.wiki").read_text("utf-8")
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
    shown = _normalize(after_text)
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
