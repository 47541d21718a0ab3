"""Issue 11: every XML input goes through one hardened entry (:mod:`wikitools.xmlsafe`).

Each hostile document (an external entity, a billion-laughs bomb, an external DTD, an
undeclared entity reference) is refused by every command that reads XML, the same way: exit
code 2 and one ``error:`` line, with nothing of the referenced file read.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wikitools.cli.app import app
from wikitools.errors import DumpError, SiteError
from wikitools.site import load_site
from wikitools.xmlsafe import DumpInput, check_file, iterparse

SECRET = "TOP-SECRET-5d1c"
_ROOT = '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/">'


def _page(text: str) -> str:
    return (
        f"{_ROOT}<page><title>Template:A</title><ns>10</ns><id>1</id><revision><id>1</id>"
        "<timestamp>2024-01-01T00:00:00Z</timestamp><model>wikitext</model>"
        f'<format>text/x-wiki</format><text xml:space="preserve">{text}</text>'
        "</revision></page></mediawiki>\n"
    )


def _documents(secret_file: Path) -> dict[str, tuple[str, str]]:
    """Name -> (document, what the one error line must say)."""
    lol = "".join(f' <!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">\n' for i in range(1, 10))
    return {
        "external-entity": (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE mediawiki [<!ENTITY xxe SYSTEM "file://{secret_file}">]>\n'
            + _page("before &xxe; after"),
            "declares the external entity 'xxe'",
        ),
        "billion-laughs": (
            '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n <!ENTITY lol0 "lol">\n'
            + lol
            + "]>\n"
            + _page("&lol9;"),
            "declares the entity 'lol0'",
        ),
        "external-dtd": (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE mediawiki SYSTEM "file://{secret_file}">\n' + _page("x"),
            "refers to an external DTD",
        ),
        "undeclared-entity": (
            '<?xml version="1.0"?>\n' + _page("before &xxe; after"),
            "entity reference refused",
        ),
    }


@pytest.fixture(params=["external-entity", "billion-laughs", "external-dtd", "undeclared-entity"])
def evil(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, "utf-8")
    document, message = _documents(secret_file)[request.param]
    path = tmp_path / "evil.xml"
    path.write_text(document, "utf-8")
    return path, message


def _refused(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and "evil.xml" in lines[0] and message in lines[0]
    assert SECRET not in result.stdout + result.stderr


def test_dump_lint_refuses(evil: tuple[Path, str]) -> None:
    path, message = evil
    _refused(["dump", "lint", str(path)], message)


def test_dump_fix_refuses_and_writes_nothing(evil: tuple[Path, str], tmp_path: Path) -> None:
    path, message = evil
    out = tmp_path / "fixed.xml"
    _refused(["dump", "fix", str(path), "-o", str(out)], message)
    assert not out.exists()


def test_lint_site_refuses(evil: tuple[Path, str], tmp_path: Path) -> None:
    path, message = evil
    page = tmp_path / "page.wiki"
    page.write_text("{{A}}\n", "utf-8")
    _refused(["lint", "--site", str(path), str(page)], message)


def test_fix_site_refuses(evil: tuple[Path, str], tmp_path: Path) -> None:
    path, message = evil
    page = tmp_path / "page.wiki"
    page.write_text("{{A}} [[x]]]]\n", "utf-8")
    _refused(["fix", "--site", str(path), str(page)], message)
    assert page.read_text("utf-8") == "{{A}} [[x]]]]\n"


def test_infobox_site_refuses(evil: tuple[Path, str], tmp_path: Path) -> None:
    path, message = evil
    page = tmp_path / "page.wiki"
    page.write_text("{{Infobox person|name=A}}\n", "utf-8")
    _refused(["infobox", "convert", str(page), "--check", "--site", str(path)], message)


def test_load_site_raises_site_error(evil: tuple[Path, str]) -> None:
    path, message = evil
    with pytest.raises(SiteError, match=message):
        load_site(path)


def test_check_file_refuses(evil: tuple[Path, str]) -> None:
    path, message = evil
    with pytest.raises(DumpError, match=message):
        check_file(path)


def test_compressed_export_is_checked_too(tmp_path: Path) -> None:
    import gzip

    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, "utf-8")
    document, message = _documents(secret_file)["external-entity"]
    path = tmp_path / "evil.xml.gz"
    path.write_bytes(gzip.compress(document.encode()))
    with pytest.raises(SiteError, match=message):
        load_site(path)


def test_clean_export_still_reads_through_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "good.xml"
    path.write_text('<?xml version="1.0"?>\n' + _page("Hello &amp; &#x263A; {{{1}}}"), "utf-8")
    site = load_site(path)
    assert site.text("Template:A") == "Hello & \u263a {{{1}}}"
    check_file(path)  # no error


def test_iterparse_accepts_only_the_checked_input() -> None:
    with pytest.raises(TypeError, match="DumpInput"):
        iterparse(io.BytesIO(b"<mediawiki/>"))  # type: ignore[arg-type]
    events = list(iterparse(DumpInput(io.BytesIO(_page("x").encode()), "mem")))
    assert events[-1][1].tag.endswith("mediawiki")


@pytest.mark.mediawiki
def test_sandbox_import_refuses_before_php_sees_it(
    evil: tuple[Path, str], sandbox_wiki: object
) -> None:
    from wikitools.sandbox import SandboxWiki

    assert isinstance(sandbox_wiki, SandboxWiki)
    path, message = evil
    with pytest.raises(DumpError, match=message):
        sandbox_wiki.import_dump(path)
