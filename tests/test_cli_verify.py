"""``fix PATH --verify``: real MediaWiki renders the old and the new text of every changed file.

A fix whose page renders worse is refused: the file stays byte for byte as it was, the reason
is printed on stderr, the refusal is counted and the exit code is 1. A fix that renders no
worse is written as usual.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

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
from wikitools.cli.app import app
from wikitools.sandbox.install import MediaWikiInstall
from wikitools.sandbox.wiki import SandboxWiki


@pytest.fixture
def pages(tmp_path: Path) -> tuple[Path, Path]:
    bad = tmp_path / "bad.wiki"
    good = tmp_path / "good.wiki"
    bad.write_bytes(UNCLOSED.encode())
    good.write_bytes(STRAY.encode())
    return bad, good


def test_fix_verify_on_a_sandbox_refuses_what_renders_worse_and_writes_the_rest(
    mediawiki_install: MediaWikiInstall, pages: tuple[Path, Path]
) -> None:
    bad, good = pages
    code, stdout, stderr = run("fix", "--unsafe-fixes", "--verify", str(bad), str(good))
    assert code == 1
    assert f"{bad}: {REFUSED_REASON}" in stderr.splitlines()
    assert bad.read_bytes() == UNCLOSED.encode(), "a refused file stays byte for byte"
    assert good.read_text(encoding="utf-8") == STRAY_FIXED
    assert f"fixed {good}: 1 fix(es)" in stderr
    assert "1 problem(s) fixed in 1 file(s); 1 problem(s) remain; 1 file(s) refused" in stderr
    # The refused file's problem is still reported, at its place in the text that stayed.
    assert f"{bad}:2:1: B102" in stdout


def test_fix_verify_seeds_the_sandbox_with_the_site_so_its_templates_render(
    mediawiki_install: MediaWikiInstall, pages: tuple[Path, Path], tmp_path: Path
) -> None:
    bad, _ = pages
    site = tmp_path / "site"
    (site / "Template").mkdir(parents=True)
    (site / "Template" / "Infobox_person.wiki").write_text(TEMPLATE, encoding="utf-8")
    code, _, stderr = run("fix", "--unsafe-fixes", "--verify", "--site", str(site), str(bad))
    assert code == 0, stderr
    assert "the sandbox rendered with 1 page(s) of --site" in stderr
    assert bad.read_text(encoding="utf-8") == CLOSED
    assert "0 file(s) refused by verify" in stderr


def test_fix_verify_wiki_renders_on_the_given_wiki(
    sandbox_wiki: SandboxWiki, pages: tuple[Path, Path]
) -> None:
    bad, good = pages
    code, _, stderr = run(
        "fix", "--unsafe-fixes", "--verify-wiki", sandbox_wiki.api_url, str(bad), str(good)
    )
    assert code == 1
    assert f"{bad}: {REFUSED_REASON}" in stderr.splitlines()
    assert bad.read_bytes() == UNCLOSED.encode()
    assert good.read_text(encoding="utf-8") == STRAY_FIXED


def test_fix_verify_check_and_diff_leave_refused_files_out(
    sandbox_wiki: SandboxWiki, pages: tuple[Path, Path]
) -> None:
    bad, good = pages
    api = sandbox_wiki.api_url
    code, stdout, stderr = run("fix", "--unsafe-fixes", "--verify-wiki", api, "--diff", str(bad))
    assert code == 1 and stdout == "" and REFUSED_REASON in stderr
    code, _, stderr = run("fix", "--unsafe-fixes", "--verify-wiki", api, "--check", str(good))
    assert code == 1 and f"would fix {good}" in stderr
    assert good.read_bytes() == STRAY.encode() and bad.read_bytes() == UNCLOSED.encode()


def test_fix_verify_on_stdin_prints_the_text_unchanged_when_refused(
    sandbox_wiki: SandboxWiki,
) -> None:
    result = CliRunner().invoke(
        app,
        ["fix", "--unsafe-fixes", "--verify-wiki", sandbox_wiki.api_url, "-"],
        input=UNCLOSED,
    )
    assert result.exit_code == 1
    assert result.stdout == UNCLOSED
    assert f"<stdin>: {REFUSED_REASON}" in result.stderr


def test_verify_without_mediawiki_says_what_to_install(
    pages: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_mediawiki_is_missing(monkeypatch)
    bad, good = pages
    code, _, stderr = run("fix", "--unsafe-fixes", "--verify", str(bad), str(good))
    assert code == 2
    assert stderr.startswith("error: --verify renders pages with a local MediaWiki")
    assert "apt-get install -y --no-install-recommends lua5.1" in stderr
    assert "--verify-wiki URL" in stderr
    assert bad.read_bytes() == UNCLOSED.encode() and good.read_bytes() == STRAY.encode()


def test_verify_wiki_does_not_go_with_wiki() -> None:
    code, _, stderr = run("fix", "--wiki", "http://127.0.0.1:9/api.php", "--verify-wiki", "x", "T")
    # 'fix --wiki' is 'fix-wiki' now, which has no --verify-wiki (the live wiki renders).
    assert code == 2 and "No such option: --verify-wiki" in stderr
