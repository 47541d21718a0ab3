"""The bracket family on the real wikis of ../shared/corpus, judged by MediaWiki's render.

Every stray closer B101/B103/B107 reports (with the dump as the site) must be visible on
the rendered page, and pages whose ``|}`` closes a table opened by a template (PokéClicker's
``{{ItemPrice/head}}``) must get no B107 and render without a literal ``|}``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from tests.corpus import corpus_file
from wikitools import Config, lint_text
from wikitools.dumps.reader import DumpReader
from wikitools.lint.diagnostic import Diagnostic
from wikitools.sandbox import SandboxWiki
from wikitools.sandbox.pytest_plugin import MakeWiki
from wikitools.site import load_site
from wikitools.site.context import SiteContext

pytestmark = pytest.mark.corpus

DUMPS = (
    "pokeclicker-miraheze-assembled-20221218.xml.bz2",
    "sponsorblock_wiki_current_revisions.xml.bz2",
    "dantewiki-minimal-initial-contents.xml.bz2",
    "ahrensburg-docs.xml.bz2",
    "pmq-wiki-20220119.xml.bz2",
    "freecad-templates-ns10.xml.bz2",
    "enwiki-sample.xml.bz2",
)
STRAYS = Config(select=("B101", "B103", "B107"))


def wikitext_pages(path: Path) -> Iterator[tuple[str, int, str]]:
    with DumpReader(path) as reader:
        for page in reader:
            if page.is_wikitext and page.text is not None:
                yield page.title, page.ns, page.text


def stray_findings(path: Path, site: SiteContext) -> dict[str, tuple[str, list[Diagnostic]]]:
    found = {}
    for title, ns, text in wikitext_pages(path):
        diagnostics = lint_text(text, STRAYS, site, title=title, namespace=ns)
        if diagnostics:
            found[title] = (text, diagnostics)
    return found


_CALL = re.compile(r"\{\{\s*([^{}|#<\n]+?)\s*[|}]")


def install_templates(wiki: SandboxWiki, path: Path, site: SiteContext, texts: list[str]) -> None:
    """Save the templates ``texts`` use, directly or through other templates."""
    templates = {
        site.normalize(title): text
        for title, _ns, text in wikitext_pages(path)
        if title.startswith(("Template:", "Module:"))
    }
    wanted: dict[str, str] = {}
    todo = list(texts)
    while todo:
        for name in _CALL.findall(todo.pop()):
            title = site.normalize(name, 10)
            if title in templates and title not in wanted:
                wanted[title] = templates[title]
                todo.append(templates[title])
    if wanted:
        wiki.edit_many(wanted)


def visible(html: str) -> str:
    return str(lxml.html.fromstring(html).text_content())


@pytest.mark.parametrize("name", DUMPS)
def test_reported_stray_closers_are_visible(name: str, make_wiki: MakeWiki) -> None:
    path = corpus_file(name)
    site = load_site(path)
    findings = stray_findings(path, site)
    if not findings:
        return  # nothing reported: nothing that could be a false alarm
    sample = sorted(findings)
    random.Random(9).shuffle(sample)
    sample = sample[:8]
    wiki = make_wiki()
    install_templates(wiki, path, site, [findings[title][0] for title in sample])
    for title in sample:
        text, diagnostics = findings[title]
        shown = visible(wiki.render(text, title))
        for diagnostic in diagnostics:
            closer = text[diagnostic.start : diagnostic.end]
            assert closer in shown, f"{name}: {title}: {diagnostic.code} {closer!r} is not visible"


def test_tables_opened_by_templates_close_on_the_page(make_wiki: MakeWiki) -> None:
    path = corpus_file(DUMPS[0])
    site = load_site(path)
    candidates = [
        (title, ns, text)
        for title, ns, text in wikitext_pages(path)
        if "/head" in text and "\n|}" in text and not title.startswith("Translations:")
    ]
    assert candidates
    random.Random(9).shuffle(candidates)
    sample = candidates[:12]
    for title, ns, text in sample:
        for scope_site in (site, None):  # known wiki, and judged by names only
            codes = {d.code for d in lint_text(text, Config(select=("B1",)), scope_site, title, ns)}
            assert not codes & {"B106", "B107"}, f"{title}: {sorted(codes)}"
    wiki = make_wiki()
    install_templates(wiki, path, site, [text for _title, _ns, text in sample])
    for title, _ns, text in sample:
        assert "|}" not in visible(wiki.render(text, title)), title
