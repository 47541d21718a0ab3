"""Offline site sources: inventory file, page directory, XML export, and load_site."""

import bz2
import gzip
import json
from pathlib import Path

import pytest

from wikitools.errors import SiteError
from wikitools.site import DirectorySite, InventorySite, XmlExportSite, load_site
from wikitools.site.memory import MemorySite, parse_redirect
from wikitools.site.pagedir import decode_filename, encode_filename, page_path, write_page

EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">
  <siteinfo>
    <sitename>Gen</sitename>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="4" case="first-letter">Gen</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
      <namespace key="828" case="first-letter">Module</namespace>
    </namespaces>
  </siteinfo>
  <page>
    <title>Template:Sfn</title><ns>10</ns><id>1</id>
    <revision><id>1</id><text bytes="28">{{#invoke:Footnotes|sfn}}</text></revision>
  </page>
  <page>
    <title>Template:Ubl</title><ns>10</ns><id>2</id>
    <redirect title="Template:Unbulleted list" />
    <revision><id>2</id><text>#REDIRECT [[Template:Unbulleted list]]</text></revision>
  </page>
  <page>
    <title>Module:Footnotes</title><ns>828</ns><id>3</id>
    <revision><id>3</id><text>return require('Module:Footnotes/anchor_id_list')</text></revision>
  </page>
  <page>
    <title>Joseph Stalin</title><ns>0</ns><id>4</id>
    <revision><id>4</id><text>Long article text.</text></revision>
  </page>
  <page>
    <title>Gen:About</title><ns>4</ns><id>5</id>
    <revision><id>5</id><text>About.</text></revision>
  </page>
</mediawiki>
"""


def test_parse_redirect() -> None:
    assert parse_redirect("#REDIRECT [[Template:Foo]]") == "Template:Foo"
    assert parse_redirect("  #redirect:[[Foo#Bar|x]]\nmore") == "Foo#Bar"
    assert parse_redirect("Some text #REDIRECT [[Foo]]") is None


def test_memory_site_resolves_case_underscores_and_redirects() -> None:
    site = MemorySite(
        {"Template:Unbulleted list": "x", "Template:Ubl": "#REDIRECT [[Template:Unbulleted list]]"}
    )
    assert site.resolve(["Template:Ubl", "Template:Unbulleted list", "Template:Nope"]) == {
        "Template:Ubl": "Template:Unbulleted list",
        "Template:Unbulleted list": "Template:Unbulleted list",
        "Template:Nope": None,
    }
    assert "Template:Unbulleted list" in site.pages
    assert site.exists([site.normalize("template:unbulleted_list")]) == {
        "Template:Unbulleted list": True
    }


def test_inventory(tmp_path: Path) -> None:
    path = tmp_path / "inventory.txt"
    path.write_text(
        "# the wiki's templates\n\ntemplate:sfn\nModule:Footnotes\n"
        "Template:Harvnb -> Template:Harvard citation no brackets\n"
        "Template:Harvard citation no brackets\n",
        encoding="utf-8",
    )
    site = load_site(path)
    assert isinstance(site, InventorySite)
    assert site.resolve(["Template:Sfn", "Template:Harvnb", "Template:Ka icon"]) == {
        "Template:Sfn": "Template:Sfn",
        "Template:Harvnb": "Template:Harvard citation no brackets",
        "Template:Ka icon": None,
    }
    assert site.text("Template:Sfn") is None


def test_inventory_rejects_invalid_title_with_line(tmp_path: Path) -> None:
    path = tmp_path / "inv.txt"
    path.write_text("Template:Ok\nTemplate:Bad[x]\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"inv.txt:2: .*not a valid page title"):
        load_site(path)


@pytest.mark.parametrize(
    "title",
    ["Module:Footnotes/anchor_id_list", "Template:A:B", "Foo%20bar", 'Weird*?"<name>|\\x'],
)
def test_filename_encoding_round_trips(title: str) -> None:
    encoded = encode_filename(title)
    assert not set(encoded) & set('/\\:*?"<>|')
    assert decode_filename(encoded) == title.replace(" ", "_")


def test_directory_layouts(tmp_path: Path) -> None:
    (tmp_path / "Template").mkdir()
    (tmp_path / "Module").mkdir()
    (tmp_path / "Template" / "Sfn.wiki").write_text("{{#invoke:Footnotes|sfn}}", "utf-8")
    (tmp_path / "Template" / "Ubl.wiki").write_text(
        "#REDIRECT [[Template:Unbulleted list]]", "utf-8"
    )
    (tmp_path / "Module" / "Footnotes%2Fanchor_id_list.lua").write_text("return {}", "utf-8")
    (tmp_path / "Template%3AUnbulleted_list.wiki").write_text("<ul></ul>", "utf-8")
    (tmp_path / "Template:Lang.txt").write_text("<span/>", "utf-8")
    (tmp_path / "Main_Page.wiki").write_text("Hello", "utf-8")
    (tmp_path / "README.md").write_text("not a page", "utf-8")
    (tmp_path / ".hidden.wiki").write_text("ignored", "utf-8")
    site = load_site(tmp_path)
    assert isinstance(site, DirectorySite)
    assert sorted(site.pages) == [
        "Main Page",
        "Module:Footnotes/anchor id list",
        "Template:Lang",
        "Template:Sfn",
        "Template:Ubl",
        "Template:Unbulleted list",
    ]
    assert site.resolve(["Template:Ubl"]) == {"Template:Ubl": "Template:Unbulleted list"}
    assert site.text("Module:Footnotes/anchor id list") == "return {}"


def test_directory_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "Nonsense").mkdir()
    (tmp_path / "Nonsense" / "X.wiki").write_text("x", "utf-8")
    with pytest.raises(SiteError, match="not a namespace name"):
        load_site(tmp_path)
    (tmp_path / "Nonsense" / "X.wiki").unlink()
    (tmp_path / "Template").mkdir()
    (tmp_path / "Template" / "Sfn.wiki").write_text("a", "utf-8")
    (tmp_path / "Template%3Asfn.wiki").write_text("b", "utf-8")
    with pytest.raises(SiteError, match="already defined"):
        load_site(tmp_path)


def test_directory_rejects_non_utf8(tmp_path: Path) -> None:
    (tmp_path / "Bad.wiki").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SiteError, match="not valid UTF-8"):
        load_site(tmp_path)


def test_write_page_round_trips(tmp_path: Path) -> None:
    texts = {
        "Module:Footnotes/anchor id list": "return {}",
        "Template:Sfn": "{{#invoke:Footnotes|sfn}}",
        "Main Page": "Hi",
        "Template:A:B": "x",
    }
    for title, text in texts.items():
        write_page(tmp_path, title, text)
    assert page_path(tmp_path, "Module:X/y").relative_to(tmp_path).as_posix() == "Module/X%2Fy.lua"
    site = DirectorySite.from_directory(tmp_path)
    assert {t: p.text for t, p in site.pages.items()} == texts


def test_directory_siteinfo(tmp_path: Path) -> None:
    info = {
        "query": {
            "namespaces": {
                "0": {"id": 0, "name": "", "case": "first-letter"},
                "10": {
                    "id": 10,
                    "name": "Vorlage",
                    "canonical": "Template",
                    "case": "first-letter",
                },
            },
            "namespacealiases": [],
        }
    }
    (tmp_path / "siteinfo.json").write_text(json.dumps(info), "utf-8")
    (tmp_path / "Vorlage").mkdir()
    (tmp_path / "Vorlage" / "Sfn.wiki").write_text("x", "utf-8")
    site = load_site(tmp_path)
    assert sorted(site.pages) == ["Vorlage:Sfn"]
    assert site.normalize("Template:sfn") == "Vorlage:Sfn"


@pytest.mark.parametrize("suffix", [".xml", ".xml.bz2", ".xml.gz", ".dump"])
def test_xml_export(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"export{suffix}"
    data = EXPORT.encode("utf-8")
    if suffix.endswith(".bz2"):
        data = bz2.compress(data)
    elif suffix.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    site = load_site(path)
    assert isinstance(site, XmlExportSite)
    about = site.normalize("project:about")
    assert about == "Gen:About"
    assert site.resolve(["Template:Ubl", "Template:Sfn", about, "Template:Nope"]) == {
        "Template:Ubl": None,  # redirects to a page the export does not have
        "Template:Sfn": "Template:Sfn",
        "Gen:About": "Gen:About",
        "Template:Nope": None,
    }
    info = site.page_info(["Template:Ubl"])["Template:Ubl"]
    assert info.exists and info.redirect_target == "Template:Unbulleted list"
    assert site.text("Module:Footnotes") == "return require('Module:Footnotes/anchor_id_list')"
    # article texts are not kept in memory by default; their existence is
    assert site.exists(["Joseph Stalin"]) == {"Joseph Stalin": True}
    assert site.text("Joseph Stalin") is None


def test_xml_export_never_resolves_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    evil = (
        f'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"><page><title>Template:X'
        "</title><ns>10</ns><revision><text>&x;</text></revision></page></mediawiki>"
    )
    path = tmp_path / "evil.xml"
    path.write_text(evil, "utf-8")
    # Refused like a dump (issue 11): the text after the entity was silently dropped before.
    with pytest.raises(SiteError, match="declares the external entity 'x'") as refused:
        load_site(path)
    assert "TOP-SECRET" not in str(refused.value)


def test_malformed_export_is_a_site_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<mediawiki><page><title>X</title>", "utf-8")
    with pytest.raises(SiteError, match=r"broken.xml:\d+: not well-formed XML"):
        load_site(path)


def test_load_site_missing_path_and_urls(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="no such file or directory"):
        load_site(tmp_path / "nope")
    with pytest.raises(SiteError, match="live wikis"):
        load_site("https://en.wikipedia.org")


def test_batches_are_cached() -> None:
    calls: list[list[str]] = []

    class Counting(MemorySite):
        def _fetch_info(self, titles):  # type: ignore[no-untyped-def]
            calls.append(list(titles))
            return super()._fetch_info(titles)

    site = Counting({"Template:A": "a", "Template:B": "b"})
    site.page_info(["Template:A", "Template:B", "Template:C"])
    site.page_info(["Template:A", "Template:C", "Template:D"])
    assert calls == [["Template:A", "Template:B", "Template:C"], ["Template:D"]]
