"""``dump fix --verify``: a page whose fix renders worse is written unchanged, listed, counted.

Renders happen in the main process after the workers, so the result is the same with -j 2.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dump_factory import Pg, Rev, make_dump
from tests.verifycases import (
    CLOSED,
    REFUSED_REASON,
    STRAY,
    STRAY_FIXED,
    TEMPLATE,
    UNCLOSED,
    pretend_mediawiki_is_missing,
    run,
)

from wikitools.dumps import iter_pages
from wikitools.sandbox.install import MediaWikiInstall
from wikitools.sandbox.wiki import SandboxWiki


def _dump(tmp_path: Path, *, with_template: bool) -> Path:
    pages = [
        Pg("Bad", 0, 1, [Rev(1, UNCLOSED)]),
        Pg("Good", 0, 2, [Rev(2, STRAY)]),
        Pg("Clean", 0, 3, [Rev(3, "Nothing to fix.\n")]),
    ]
    if with_template:
        pages.append(Pg("Template:Infobox person", 10, 4, [Rev(4, TEMPLATE)]))
    path = tmp_path / "dump.xml"
    path.write_text(make_dump("0.11", pages), encoding="utf-8")
    return path


def _texts(path: Path) -> dict[str, str | None]:
    return {page.title: page.text for page in iter_pages(path)}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_dump_fix_verify_writes_refused_pages_unchanged_and_lists_them(
    mediawiki_install: MediaWikiInstall, tmp_path: Path, workers: str
) -> None:
    dump = _dump(tmp_path, with_template=False)
    fixed = tmp_path / "fixed.xml"
    code, stdout, stderr = run(
        "dump", "fix", str(dump), "-o", str(fixed), "--unsafe-fixes", "--verify", "-j", workers
    )
    assert code == 1
    assert f"Bad: {REFUSED_REASON}" in stderr.splitlines()
    assert re.search(r"fixed 1 problem\(s\) in 1 of 3 page\(s\) checked", stderr), stderr
    assert "1 page(s) refused by verify; wrote 3 page(s)" in stderr
    assert _texts(fixed) == {"Bad": UNCLOSED, "Good": STRAY_FIXED, "Clean": "Nothing to fix.\n"}
    assert "Bad:2:1: B102" in stdout, "the problem that stays is reported in the text that stays"


def test_dump_fix_verify_with_the_dump_as_site_renders_its_templates(
    mediawiki_install: MediaWikiInstall, tmp_path: Path
) -> None:
    dump = _dump(tmp_path, with_template=True)
    fixed = tmp_path / "fixed.xml"
    code, _, stderr = run(
        "dump", "fix", str(dump), "-o", str(fixed), "--unsafe-fixes", "--verify",
        "--site", str(dump), "--only-changed",
    )  # fmt: skip
    assert code == 0, stderr
    assert "0 page(s) refused by verify" in stderr
    assert _texts(fixed) == {"Bad": CLOSED, "Good": STRAY_FIXED}


def test_dump_fix_verify_wiki_refuses_on_the_given_wiki(
    sandbox_wiki: SandboxWiki, tmp_path: Path
) -> None:
    dump = _dump(tmp_path, with_template=False)
    fixed = tmp_path / "fixed.xml"
    code, _, stderr = run(
        "dump", "fix", str(dump), "-o", str(fixed), "--unsafe-fixes",
        "--verify-wiki", sandbox_wiki.api_url, "--only-changed",
    )  # fmt: skip
    assert code == 1
    assert f"Bad: {REFUSED_REASON}" in stderr.splitlines()
    assert _texts(fixed) == {"Good": STRAY_FIXED}, "--only-changed: a refused page is unchanged"


def test_dump_fix_verify_without_mediawiki_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_mediawiki_is_missing(monkeypatch)
    dump = _dump(tmp_path, with_template=False)
    fixed = tmp_path / "fixed.xml"
    code, _, stderr = run("dump", "fix", str(dump), "-o", str(fixed), "--verify")
    assert code == 2
    assert stderr.startswith("error: --verify renders pages with a local MediaWiki")
    assert "lua5.1" in stderr and not fixed.exists()
