"""Real Wikipedia content (../shared/corpus): the export as a site, and real {{sfn}} pages
repaired against the example site."""

import bz2
import re
from pathlib import Path

import pytest
from lxml import etree

from tests.corpus import corpus_path
from wikitools import fix_text, lint_text
from wikitools.parsing.tree import parse
from wikitools.site import XmlExportSite, load_site

pytestmark = pytest.mark.corpus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SITE = ROOT / "examples" / "site"


def article(title: str) -> str:
    with bz2.open(corpus_path()) as stream:
        for _event, elem in etree.iterparse(stream, tag="{*}page"):
            if elem.findtext("{*}title") == title:
                return str(elem.findtext(".//{*}text"))
            elem.clear()
    raise AssertionError(f"{title} is not in the corpus")


def test_export_of_real_wiki_reads_as_site() -> None:
    site = load_site(corpus_path())
    assert isinstance(site, XmlExportSite)
    assert len(site) == 206
    assert sum(1 for page in site.pages.values() if page.redirect_target) == 100
    info = site.page_info(["AccessibleComputing"])["AccessibleComputing"]
    assert info.exists and info.redirect_target == "Computer accessibility"


@pytest.mark.parametrize("title", ["Albert Einstein", "Aardvark"])
def test_real_citation_pages_are_repaired(title: str) -> None:
    text = article(title)
    site = load_site(EXAMPLE_SITE)
    before = [d for d in lint_text(text, site=site, title=title) if d.code == "M102"]
    result = fix_text(text, site=site, title=title)
    assert result.problems == ()
    assert str(parse(result.text)) == result.text
    after = [d for d in lint_text(result.text, site=site, title=title) if d.code == "M102"]
    assert before and not after
    assert not re.search(
        r"\{\{\s*(sfn|sfnp|sfnm|harvnb|harvtxt|harv|efn|refn)\s*\|", result.text, re.I
    )
    assert fix_text(result.text, site=site, title=title).text == result.text
