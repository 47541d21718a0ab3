"""The seed on a live wiki: ``wikitools fix --wiki … --apply`` repairs it, judged by MediaWiki.

A fresh wiki gets the example site (examples/site: the infobox and citation templates,
Module:Footnotes whose ``require`` of Module:Footnotes/anchor_id_list fails, no
Template:Ka icon) and the seed article (examples/joseph_stalin.wiki) as a page. The real
CLI runs against it through a recording proxy, with credentials from the environment: a
dry run first (no write, same revision), then ``--apply --verify``. The wiki's own
rendering (``action=parse`` asked by the admin session, not by wikitools' client) must then
show no script error, no red template link, no visible braces, every sentence of the
original and every citation's text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from livewiki import FaultProxy
from tests.seedpage import (
    SCRIPT_ERRORS,
    TITLE,
    example_pages,
    example_site,
    fragments,
    normalize,
    references,
    seed_text,
    visible_text,
)
from typer.testing import CliRunner, Result

from wikitools import fix_text, lint_text
from wikitools.cli.app import app
from wikitools.mediawiki import Wiki
from wikitools.mediawiki.live_site import ApiSiteContext
from wikitools.sandbox.pytest_plugin import MakeWiki
from wikitools.sandbox.wiki import SandboxWiki

SUMMARY = "Repair the seed: missing template, stray braces, broken footnote modules"
#: Actions a dry run may send: reading, rendering, logging in (never a write).
READ_ACTIONS = {"query", "parse", "login"}
#: Every shortened footnote of the seed, as Module:Footnotes prints it when its chain works.
CITATIONS = (
    "Service 2004, p. 259.",
    "Kotkin 2014, pp. 423–425.",
    "Montefiore 2007, p. 44.",
    "Service 2004, p. 412.",
    "Service (2004), pp. 440–441.",
)

#: Calls the rules must judge alike from the files and from the live wiki: magic words and
#: parser functions (from siteinfo), name variants, a redirect, other namespaces, branches.
TRICKY_CALLS = """
{{DEFAULTSORT:Stalin, Joseph}} {{PAGENAME}} {{!}} {{lc:ABC}} {{int:mainpage}} {{NAMESPACE}}
{{#tag:span|x}} {{DISPLAYTITLE:Joseph Stalin}} {{padleft:7|3|0}} {{CURRENTYEAR}} {{#expr:1+1}}
{{formatnum:1000}} {{urlencode:a b}} {{msgnw:Lang}} {{safesubst:#if:|a|b}}
{{ka icon}} {{Ka_icon}} {{Template:Ka icon}} {{template:lang|ka|x}} {{ Ubl |a|b}}
{{User:Nobody/box}} {{#if:x|{{Missing in if}}}} {{#invoke:Footnotes|sfn|Service|2004|p=1}}
{{Harvnb|Service|2004|p=5}} {{sfn|Service|2004|loc=ch. 3}} {{ SFN |Kotkin|2014}}
"""


def rendered(wiki: SandboxWiki, **source: Any) -> dict[str, Any]:
    """``action=parse`` (text, templates, categories) as the admin, outside wikitools."""
    params = {"action": "parse", "prop": "text|templates|categories", **source}
    params.setdefault("disableeditsection", True)
    answer: dict[str, Any] = wiki.api(params, post=True)["parse"]
    return answer


def current_revision(wiki: SandboxWiki) -> tuple[int, str, str]:
    """Revision id, text and edit summary of the seed page (read as the admin)."""
    answer = wiki.api(
        {
            "action": "query",
            "prop": "revisions",
            "titles": TITLE,
            "rvprop": "ids|content|comment",
            "rvslots": "main",
        }
    )
    revision = answer["query"]["pages"][0]["revisions"][0]
    return revision["revid"], revision["slots"]["main"]["content"], revision["comment"]


@pytest.fixture
def seed_wiki(make_wiki: MakeWiki) -> SandboxWiki:
    """A fresh wiki holding the example site and the seed article."""
    wiki = make_wiki(sitename="Seed Wiki")
    wiki.edit_many({**example_pages(), TITLE: seed_text()})
    return wiki


@pytest.fixture
def proxy(seed_wiki: SandboxWiki) -> Iterator[FaultProxy]:
    """A recording proxy in front of the seed wiki: the CLI talks through it."""
    server = FaultProxy(seed_wiki.api_url)
    try:
        yield server
    finally:
        server.close()


def test_seed_is_repaired_on_a_live_wiki(
    seed_wiki: SandboxWiki, proxy: FaultProxy, tmp_path: Any
) -> None:
    started = time.monotonic()
    username, password = seed_wiki.create_bot_password("seedfix")
    env = {
        "WIKITOOLS_USERNAME": username,
        "WIKITOOLS_PASSWORD": password,
        "WIKITOOLS_CREDENTIALS": str(tmp_path / "no-credentials.toml"),
        "WIKITOOLS_USER_AGENT": "wikitools-tests/0.1 (seed on a live wiki)",
    }

    def cli(*args: str) -> tuple[Result, list[dict[str, str]]]:
        """Run ``wikitools fix --wiki PROXY TITLE ARGS``; return the result and its requests."""
        seen = len(proxy.seen)
        result = CliRunner(env=env).invoke(app, ["fix", "--wiki", proxy.api_url, TITLE, *args])
        assert password not in result.output
        return result, [request.params for request in proxy.seen[seen:]]

    # -- The breakage is really there. --------------------------------------------------
    revid, original, _ = current_revision(seed_wiki)
    assert original == seed_text().rstrip()  # MediaWiki trims trailing whitespace
    before = rendered(seed_wiki, page=TITLE)
    before_text, breakage = visible_text(before["text"], cut_breakage=True)
    assert breakage["errors"] == 6  # five {{sfn}} and one {{sfnp}}
    assert breakage["red"] == 1  # Template:Ka icon
    assert "scribunto-error" in before["text"]
    assert SCRIPT_ERRORS in {c["category"] for c in before["categories"]}
    assert {t["title"] for t in before["templates"] if not t["exists"]} == {
        "Template:Ka icon",
        "Module:Footnotes/anchor id list",
    }
    assert "}}" in before_text  # the stray braces after the Georgian name

    # -- The rules see the live wiki as they see the same pages as files. -----------------
    live = ApiSiteContext(Wiki(seed_wiki.api_url, user_agent="wikitools-tests/0.1 (seed)"))
    for text in (original, original + TRICKY_CALLS):
        offline_findings = lint_text(text, site=example_site(), title=TITLE)
        live_findings = lint_text(text, site=live, title=TITLE)
        assert [(d.code, d.start, d.end, d.message) for d in live_findings] == [
            (d.code, d.start, d.end, d.message) for d in offline_findings
        ]
    assert {d.code for d in live_findings} == {"T101", "B101", "M102"}
    assert fix_text(original + TRICKY_CALLS, site=live, title=TITLE).text == (
        fix_text(original + TRICKY_CALLS, site=example_site(), title=TITLE).text
    )

    # -- Dry run: the CLI shows the repair and writes nothing. ---------------------------
    dry, requests = cli("--diff", "--summary", SUMMARY)
    assert dry.exit_code == 0, dry.output
    # 8: the two identical {{sfn}} citations share one fix and each counts (engine, 49a5f40).
    assert f"{TITLE}: would change (8 fixes: T101, B101, M102)" in dry.output
    assert "-| native_name" in dry.output and "+| native_name" in dry.output
    assert "dry run: nothing saved; use --apply" in dry.output
    assert {r.get("action") for r in requests} <= READ_ACTIONS
    assert not [r for r in requests if "csrf" in r.get("type", "")]  # no edit token either
    dry_requests = len(requests)
    assert current_revision(seed_wiki)[0] == revid

    # -- Apply, with the wiki's own parser as the judge (--verify). ----------------------
    applied, requests = cli("--apply", "--verify", "--summary", SUMMARY, "--format", "json")
    assert applied.exit_code == 0, applied.output
    [record] = json.loads(applied.stdout)
    assert record["status"] == "changed", record  # --verify would have made it "skipped"
    assert record["fixes"] == ["T101", "B101", "M102"]
    edits = [r for r in requests if r.get("action") == "edit"]
    assert len(edits) == 1  # conflict-safe: based on the revision read, never creating
    assert edits[0]["baserevid"] == str(revid) and edits[0]["starttimestamp"]
    assert edits[0]["nocreate"] and edits[0]["summary"] == SUMMARY
    apply_requests = len(requests)

    new_revid, saved, comment = current_revision(seed_wiki)
    assert new_revid == record["revid"] != revid
    assert comment == SUMMARY
    # The live repair is exactly the offline one against the same pages as files.
    assert saved == fix_text(original, site=example_site(), title=TITLE).text

    # -- Nothing left to do: a second run is a no-op without a write. --------------------
    again, second_requests = cli("--apply", "--summary", SUMMARY)
    assert again.exit_code == 0, again.output
    assert f"{TITLE}: unchanged" in again.output
    assert not [r for r in second_requests if r.get("action") == "edit"]

    # -- The page as readers now see it. -------------------------------------------------
    after = rendered(seed_wiki, page=TITLE)
    html = after["text"]
    assert "scribunto-error" not in html and "Lua error" not in html
    assert SCRIPT_ERRORS not in {c["category"] for c in after["categories"]}
    assert [t["title"] for t in after["templates"] if not t["exists"]] == []
    after_text, after_breakage = visible_text(html, cut_breakage=True)
    assert after_breakage == {"errors": 0, "red": 0}
    assert "{{" not in after_text and "}}" not in after_text
    shown = normalize(after_text)
    missing = [sentence for sentence in fragments(before_text) if sentence not in shown]
    assert missing == []
    cited = references(html)
    for citation in CITATIONS:
        assert citation in cited
    # ... the same citations the templates print once their module chain is complete.
    seed_wiki.edit("Module:Footnotes/anchor_id_list", "return {}")
    working = rendered(seed_wiki, text=original, title=TITLE, contentmodel="wikitext")
    assert "scribunto-error" not in working["text"]
    assert cited == references(working["text"])

    elapsed = time.monotonic() - started
    print(
        f"\nseed on a live wiki: dry run {dry_requests} requests, apply {apply_requests}, "
        f"second run {len(second_requests)}; {elapsed:.1f} s after setup"
    )
