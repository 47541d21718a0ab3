"""The seed article and its example wiki, and how to read what a wiki renders for it.

Shared by the offline-repair rendering test (tests/sitecontext) and the live end-to-end
test (tests/live/test_seed_live.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from wikitools.site import load_site
from wikitools.site.memory import MemorySite

ROOT = Path(__file__).resolve().parents[1]
SITE_DIR = ROOT / "examples" / "site"
SEED_FILE = ROOT / "examples" / "joseph_stalin.wiki"
TITLE = "Joseph Stalin"
SEPARATOR = "\u2402"  # a visible "STX" symbol never used in the article
SCRIPT_ERRORS = "Pages_with_script_errors"


def example_site() -> MemorySite:
    """The example wiki (examples/site) read as a site."""
    site = load_site(SITE_DIR)
    assert isinstance(site, MemorySite)
    return site


def example_pages() -> dict[str, str]:
    """Every page of the example wiki: title → wikitext (redirects included)."""
    return {title: page.text or "" for title, page in example_site().pages.items()}


def seed_text() -> str:
    """The seed article's wikitext."""
    return SEED_FILE.read_text("utf-8")


def _tree(html: str) -> Any:
    return lxml_html.fromstring(f"<div>{html}</div>")


def _cut(doc: Any, xpath: str) -> int:
    """Remove matching elements, leaving a fragment separator; returns how many.

    An element inside another matching one is not counted on its own.
    """
    matched = doc.xpath(xpath)
    inside = set(matched)
    found = [e for e in matched if not any(a in inside for a in e.iterancestors())]
    for element in found:
        element.tail = SEPARATOR + (element.tail or "")
        element.drop_tree()
    return len(found)


def normalize(text: str) -> str:
    """Collapse whitespace (non-breaking spaces included) to single spaces."""
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
        normalize(item.text_content())
        for item in doc.xpath(
            "//ol[contains(@class,'references')]/li//span[contains(@class,'reference-text')]"
        )
    ]


def fragments(text: str) -> list[str]:
    """The sentences of a visible text, split at breakage separators and stray ``}}``."""
    pieces = []
    for chunk in text.replace("}}", SEPARATOR).split(SEPARATOR):
        for piece in re.split(r"(?<=[.;!?])\s+", normalize(chunk)):
            if piece.strip(" ;,"):
                pieces.append(piece.strip())
    return pieces
