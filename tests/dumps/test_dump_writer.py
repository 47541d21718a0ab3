"""The dump writer: unchanged pages keep their meaning, changed ones get correct hashes."""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import io
import lzma
from pathlib import Path
from typing import Any

import pytest
from dump_factory import VERSIONS, Pg, Rev, make_dump, sample_pages
from lxml import etree

from wikitools.dumps import (
    Contributor,
    DumpReader,
    DumpWriter,
    Page,
    Revision,
    SiteInfo,
    Slot,
    iter_pages,
    open_writer,
    read_siteinfo,
    sha1_base36,
)
from wikitools.dumps.model import combined_sha1
from wikitools.errors import OutputError

XSD = Path("/usr/share/doc/mediawiki/docs/export-0.11.xsd.gz")
XML_XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/>
  <xs:attribute name="space">
    <xs:simpleType>
      <xs:restriction base="xs:NCName">
        <xs:enumeration value="default"/><xs:enumeration value="preserve"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
</xs:schema>
"""


def semantic(page: Page) -> dict[str, Any]:
    """What an importer takes from a page; fields the writer may fill in are left out."""
    return {
        "title": page.title,
        "ns": page.ns,
        "id": page.id,
        "redirect": page.redirect,
        "restrictions": page.restrictions,
        "extras": page.extras,
        "revisions": [
            {
                "id": r.id,
                "parent_id": r.parent_id,
                "timestamp": r.timestamp,
                "contributor": r.contributor,
                "minor": r.minor,
                "comment": r.comment,
                "comment_deleted": r.comment_deleted,
                "model": r.model,
                "format": r.format,
                "text": r.text,
                "text_deleted": r.text_deleted,
                "sha1": r.sha1 or r.computed_sha1(),
                "slots": r.slots,
                "extras": r.extras,
            }
            for r in page.revisions
        ],
    }


def rewrite(source: Path | io.BytesIO, target: Path) -> None:
    with DumpReader(source) as reader, open_writer(target, reader.siteinfo) as writer:
        for page in reader:
            writer.write_page(page)


@pytest.mark.parametrize("version", VERSIONS)
def test_unchanged_pages_round_trip_from_every_version(tmp_path: Path, version: str) -> None:
    source = tmp_path / "in.xml"
    source.write_text(make_dump(version, sample_pages()), encoding="utf-8")
    target = tmp_path / "out.xml"
    rewrite(source, target)
    before = [semantic(p) for p in iter_pages(source)]
    with DumpReader(target) as reader:
        after = [semantic(p) for p in reader]
        assert reader.version == "0.11"
    assert after == before
    assert read_siteinfo(target).namespaces == read_siteinfo(source).namespaces


def test_written_011_is_exactly_stable(tmp_path: Path) -> None:
    """Writing what the writer wrote gives the same bytes: nothing drifts."""
    source = tmp_path / "in.xml"
    source.write_text(make_dump("0.8", sample_pages()), encoding="utf-8")
    once, twice = tmp_path / "once.xml", tmp_path / "twice.xml"
    rewrite(source, once)
    rewrite(once, twice)
    assert once.read_bytes() == twice.read_bytes()


def test_round_trip_keeps_uploads_slots_and_stub_attributes(tmp_path: Path) -> None:
    upload = "    <upload><filename>A.png</filename><size>3</size></upload>\n"
    slot = (
        "      <content>\n        <role>mediainfo</role>\n        <origin>5</origin>\n"
        "        <model>wikibase-mediainfo</model>\n        <format>application/json</format>\n"
        '        <text bytes="2" sha1="abc" xml:space="preserve">{}</text>\n      </content>\n'
    )
    text = make_dump("0.11", [Pg("File:A.png", 6, 1, [Rev(5, "desc")], extra=upload)])
    text = text.replace("      <sha1>", slot + "      <sha1>")
    source = tmp_path / "in.xml"
    source.write_text(text, encoding="utf-8")
    rewrite(source, tmp_path / "out.xml")
    (before,) = iter_pages(source)
    (after,) = iter_pages(tmp_path / "out.xml")
    assert semantic(after) == semantic(before)
    assert after.revisions[0].slots[0].text_sha1 == "abc"


def test_special_characters_survive(tmp_path: Path) -> None:
    text = "a & b < c > d \"q\" 'a' ]]> \r\n\ttab\rcr \u00a0 \U0001f600 &amp; &#38;"
    page = Page(
        title='Q&A "<x>"',
        ns=0,
        id=1,
        redirect='Target "&" <x>\t\n',
        revisions=(
            Revision(
                id=1,
                timestamp="2020-01-01T00:00:00Z",
                contributor=Contributor(username="A&B <c>"),
                comment="c & <d>\r\n",
                text=text,
            ),
        ),
    )
    buffer = io.BytesIO()
    writer = DumpWriter(buffer, SiteInfo(sitename="S & <T>"))
    writer.write_page(page)
    writer.close()
    (read,) = iter_pages(io.BytesIO(buffer.getvalue()))
    assert read.title == page.title
    assert read.redirect == page.redirect
    assert read.text == text
    assert read.revisions[0].comment == "c & <d>\r\n"
    assert read.revisions[0].contributor.username == "A&B <c>"
    assert read.revisions[0].text_bytes == len(text.encode())


def test_changed_text_gets_bytes_and_base36_sha1(tmp_path: Path) -> None:
    source = tmp_path / "in.xml"
    source.write_text(make_dump("0.10", sample_pages()), encoding="utf-8")
    new_text = "Fixed text — ünïcødé\n"
    target = tmp_path / "out.xml"
    with DumpReader(source) as reader, open_writer(target, reader.siteinfo) as writer:
        for page in reader:
            writer.write_page(page.with_text(new_text) if page.title == "Main Page" else page)
    main = next(iter(iter_pages(target)))
    old, new = main.revisions
    assert new.text == new_text
    assert new.text_bytes == len(new_text.encode("utf-8"))
    assert new.sha1 == sha1_base36(new_text) == new.text_sha1
    assert new.id == 11 and new.timestamp == "2021-05-06T07:08:09Z"  # replaced in place
    assert old.text == "Hello ''world''."  # history untouched
    raw = target.read_text(encoding="utf-8")
    assert f'<text bytes="{len(new_text.encode())}" sha1="{sha1_base36(new_text)}"' in raw


def test_sha1_base36_matches_mediawiki() -> None:
    # Values from MediaWiki dumps: an empty text and the enwiki AccessibleComputing redirect.
    assert sha1_base36("") == "phoiac9h4m842xq45sp7s6u21eteeq1"
    text = "#REDIRECT [[Computer accessibility]]\n\n{{Redr|move|from CamelCase|up}}"
    assert sha1_base36(text) == "4ro7vvppa5kmm0o1egfjztzcwd0vabw"
    assert len(sha1_base36("x")) == 31


def test_multi_slot_revision_hash_is_combined() -> None:
    revision = Revision(id=1, text="main text")
    slot_hash = sha1_base36("{}")
    with_slot = dataclasses.replace(revision, slots=(Slot("mediainfo", "{}"),))
    expected = combined_sha1({"main": sha1_base36("main text"), "mediainfo": slot_hash})
    assert (
        with_slot.computed_sha1() == expected == sha1_base36(sha1_base36("main text") + slot_hash)
    )
    assert revision.computed_sha1() == sha1_base36("main text")


def test_new_revision_is_appended_with_contributor_and_comment(tmp_path: Path) -> None:
    (page,) = [p for p in sample_pages() if p.title == "Main Page"]
    source = tmp_path / "in.xml"
    source.write_text(make_dump("0.10", [page]), encoding="utf-8")
    (read,) = iter_pages(source)
    changed = read.with_new_revision(
        "new text",
        timestamp="2024-01-01T00:00:00Z",
        contributor=Contributor(username="FixBot"),
        comment="wikitools: fixed B101",
    )
    target = tmp_path / "out.xml"
    with open_writer(target, read_siteinfo(source)) as writer:
        writer.write_page(changed)
    (after,) = iter_pages(target)
    assert [r.text for r in after.revisions[:-1]] == [r.text for r in read.revisions]
    new = after.revisions[-1]
    assert new.id is None and new.parent_id == 11
    assert new.contributor.username == "FixBot"
    assert new.comment == "wikitools: fixed B101"
    assert new.timestamp == "2024-01-01T00:00:00Z"
    assert new.model == "wikitext" and new.sha1 == sha1_base36("new text")


@pytest.mark.parametrize(
    ("name", "magic", "opener"),
    [
        ("out.xml.bz2", b"BZh", bz2.open),
        ("out.xml.gz", b"\x1f\x8b", gzip.open),
        ("out.xml.xz", b"\xfd7zXZ", lzma.open),
        ("out.xml", b"<mediawiki", open),
    ],
)
def test_compression_by_extension(tmp_path: Path, name: str, magic: bytes, opener: Any) -> None:
    source = tmp_path / "in.xml"
    source.write_text(make_dump("0.10", sample_pages()), encoding="utf-8")
    target = tmp_path / name
    rewrite(source, target)
    assert target.read_bytes().startswith(magic)
    with opener(target, "rb") as handle:
        assert handle.read().startswith(b"<mediawiki")
    assert [p.title for p in iter_pages(target)] == [p.title for p in sample_pages()]
    assert target.stat().st_mode & 0o044, "output must be readable like any new file"


def test_failed_write_leaves_no_file_and_keeps_an_existing_one(tmp_path: Path) -> None:
    target = tmp_path / "out.xml.bz2"
    with pytest.raises(RuntimeError), open_writer(target, SiteInfo()) as writer:
        writer.write_page(Page("A", revisions=(Revision(id=1, text="x"),)))
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError), open_writer(target, SiteInfo()):
        raise RuntimeError("boom")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xml.bz2"]


@pytest.mark.mediawiki
@pytest.mark.usefixtures("mediawiki_install")  # installs Debian's mediawiki, which ships the XSD
def test_output_validates_against_mediawiki_export_011_schema(tmp_path: Path) -> None:
    assert XSD.is_file(), f"{XSD} missing although the mediawiki package is installed"
    (tmp_path / "xml.xsd").write_text(XML_XSD, encoding="utf-8")
    xsd = gzip.decompress(XSD.read_bytes()).replace(
        b'schemaLocation="http://www.w3.org/2001/xml.xsd"',
        f'schemaLocation="{tmp_path / "xml.xsd"}"'.encode(),
    )
    schema = etree.XMLSchema(etree.fromstring(xsd))
    source = tmp_path / "in.xml"
    source.write_text(make_dump("0.10", sample_pages()), encoding="utf-8")
    target = tmp_path / "out.xml"
    with DumpReader(source) as reader, open_writer(target, reader.siteinfo) as writer:
        for page in reader:
            writer.write_page(page.with_text("changed") if page.title == "Main Page" else page)
    document = etree.parse(str(target))
    assert schema.validate(document), schema.error_log


def test_unwritable_output_is_a_clean_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "out.xml"
    with (
        pytest.raises(OutputError, match=r"no-such-dir/out\.xml: cannot write the dump"),
        open_writer(missing, SiteInfo()),
    ):
        pass
    with pytest.raises(OutputError, match="is a directory"), open_writer(tmp_path, SiteInfo()):
        pass
