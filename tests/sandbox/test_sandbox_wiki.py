"""The sandbox wiki harness against a real local MediaWiki (no mocks)."""

from __future__ import annotations

import pytest

from wikitools.sandbox import SandboxWiki

pytestmark = pytest.mark.mediawiki


def test_wiki_answers_siteinfo_with_extensions(sandbox_wiki: SandboxWiki) -> None:
    info = sandbox_wiki.api(
        {"action": "query", "meta": "siteinfo", "siprop": "general|extensions"}
    )["query"]
    assert info["general"]["generator"].startswith("MediaWiki 1.39")
    assert info["general"]["server"] == sandbox_wiki.server_url
    names = {ext["name"] for ext in info["extensions"]}
    assert {"Scribunto", "ParserFunctions", "Cite", "TemplateData"} <= names
