"""The dump reader: every schema version, compression, encoding, and what it refuses."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import sys
from pathlib import Path

import pytest
from dump_factory import VERSIONS, Pg, Rev, Site, make_dump, sample_pages

from wikitools.dumps import DumpReader, iter_pages, read_siteinfo, sha1_base36
from wikitools.errors import DumpError, InputError


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("version", VERSIONS)
def test_every_schema_version_reads_every_page_and_revision(tmp_path: Path, version: str) -> None:
    expected = sample_pages()
    path = _write(tmp_path, "dump.xml", make_dump(version, expected))
    with DumpReader(path) as reader:
        pages = list(reader)
        assert reader.version == version
        assert reader.pages_read == len(expected)
        assert reader.revisions_read == sum(len(p.revisions) for p in expected)
    assert [p.title for p in pages] == [p.title for p in expected]
    assert [p.ns for p in pages] == [p.ns for p in expected]  # derived from titles before 0.6
    assert [p.id for p in pages] == [p.id for p in expected]
    for page, want in zip(pages, expected, strict=True):
        assert [r.id for r in page.revisions] == [r.id for r in want.revisions]
        assert [r.text for r in page.revisions] == [r.text for r in want.revisions]
        assert [r.timestamp for r in page.revisions] == [r.timestamp for r in want.revisions]
        assert [r.minor for r in page.revisions] == [r.minor for r in want.revisions]
        for rev, want_rev in zip(page.revisions, want.revisions, strict=True):
            if want_rev.comment_deleted:
                assert rev.comment_deleted and rev.comment is None
            else:
                assert rev.comment == want_rev.comment
            assert rev.text_deleted == want_rev.text_deleted
            assert rev.contributor.deleted == want_rev.contributor_deleted
            if not want_rev.contributor_deleted:
                assert rev.contributor.ip == want_rev.ip
                assert rev.contributor.username == (None if want_rev.ip else want_rev.username)
    redirect = pages[1]
    if version == "0.3":
        assert redirect.redirect is None
    elif version in ("0.4", "0.5"):
        assert redirect.redirect == ""  # a bare <redirect/> flag, no target
    else:
        assert redirect.redirect == "Main Page"


@pytest.mark.parametrize("version", ["0.6", "0.7", "0.8", "0.9", "0.10", "0.11"])
def test_sha1_and_parent_and_model_fields(tmp_path: Path, version: str) -> None:
    path = _write(tmp_path, "dump.xml", make_dump(version, sample_pages()))
    main = next(iter(iter_pages(path)))
    first, second = main.revisions
    assert second.sha1 == sha1_base36(second.text or "")
    assert first.sha1 == first.computed_sha1()
    assert second.parent_id == (10 if version >= "0.7" or version.startswith("0.1") else None)
    has_model = version in ("0.8", "0.9", "0.10", "0.11")
    assert second.model == ("wikitext" if has_model else None)
    assert second.format == ("text/x-wiki" if has_model else None)
    if version == "0.11":
        assert second.origin == 11
        assert second.text_sha1 == second.sha1
    assert second.text_bytes == len((second.text or "").encode())


def test_siteinfo_namespaces_and_case(tmp_path: Path) -> None:
    site = Site(
        sitename="Уикипедия",
        namespaces={0: "", 4: "Уикипедия", 10: "Шаблон", 14: "Категория", 2302: "Gadget def"},
        sensitive=frozenset({2302}),
    )
    path = _write(tmp_path, "dump.xml", make_dump("0.10", [], site))
    info = read_siteinfo(path)
    assert info.sitename == "Уикипедия"
    assert info.dbname == "testwiki"
    assert info.case == "first-letter"
    assert info.version == "0.10"
    assert info.lang == "en"
    namespaces = info.to_namespaces()
    assert namespaces.names[10] == "Шаблон"
    assert namespaces.normalize("шаблон:инфо", 0) == "Шаблон:Инфо"
    assert namespaces.normalize("Template:x", 0) == "Шаблон:X"  # canonical name stays an alias
    assert namespaces.normalize("Project:a", 0) == "Уикипедия:A"
    assert namespaces.normalize("Gadget def:lower", 0) == "Gadget def:lower"
    assert 2302 in namespaces.case_sensitive


def test_site_wide_case_sensitivity_without_per_namespace_case(tmp_path: Path) -> None:
    path = _write(tmp_path, "dump.xml", make_dump("0.3", [], Site(case="case-sensitive")))
    namespaces = read_siteinfo(path).to_namespaces()
    assert namespaces.normalize("foo bar") == "foo bar"


def test_namespace_of_pre_06_titles_comes_from_the_siteinfo(tmp_path: Path) -> None:
    site = Site(namespaces={0: "", 10: "Шаблон"})
    pages = [Pg("Шаблон:Инфо", 10, 1, [Rev(1, "x")]), Pg("Шаблон2:Y", 0, 2, [Rev(2, "y")])]
    path = _write(tmp_path, "dump.xml", make_dump("0.5", pages, site))
    assert [p.ns for p in iter_pages(path)] == [10, 0]


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [
        (".xml", lambda data: data),
        (".xml.bz2", bz2.compress),
        (".xml.gz", gzip.compress),
        (".xml.xz", lzma.compress),
        (".dat", bz2.compress),  # recognized by content, not by name
    ],
)
def test_compressed_inputs(tmp_path: Path, suffix: str, compress: object) -> None:
    data = make_dump("0.10", sample_pages()).encode()
    path = _write(tmp_path, "dump" + suffix, compress(data))  # type: ignore[operator]
    with DumpReader(path) as reader:
        titles = [p.title for p in reader]
        assert reader.bytes_read == path.stat().st_size
        assert reader.total_bytes == path.stat().st_size
    assert titles == [p.title for p in sample_pages()]


def test_multistream_bz2(tmp_path: Path) -> None:
    """Wikimedia's multistream dumps are several bz2 streams back to back."""
    text = make_dump("0.10", sample_pages())
    cut = text.index("  <page>", text.index("  <page>") + 1)
    path = _write(
        tmp_path,
        "multi.xml.bz2",
        bz2.compress(text[:cut].encode()) + bz2.compress(text[cut:].encode()),
    )
    assert len(list(iter_pages(path))) == len(sample_pages())


def test_stdin_and_binary_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    data = gzip.compress(make_dump("0.10", sample_pages()).encode())

    class FakeStdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin)
    with DumpReader("-") as reader:
        assert reader.name == "<stdin>"
        assert reader.total_bytes is None
        assert len(list(reader)) == len(sample_pages())
    stream = io.BytesIO(data)
    assert len(list(iter_pages(stream, name="upload"))) == len(sample_pages())


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_byte_order_marks(tmp_path: Path, encoding: str) -> None:
    text = make_dump("0.10", sample_pages())
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(encoding)
    pages = list(iter_pages(_write(tmp_path, "dump.xml", data)))
    assert [p.text for p in pages] == [p.text for p in iter_pages(io.BytesIO(text.encode()))]


def test_utf16_declaration_without_bom(tmp_path: Path) -> None:
    text = make_dump("0.10", sample_pages())
    data = ('<?xml version="1.0" encoding="UTF-16"?>\n' + text).encode("utf-16-le")
    assert next(p.title for p in iter_pages(_write(tmp_path, "d.xml", data))) == "Main Page"


def test_utf16_wikipedia_sample(utf16_dump: Path) -> None:
    with DumpReader(utf16_dump) as reader:
        pages = list(reader)
        assert reader.siteinfo.sitename == "Уикипедия"
        assert reader.siteinfo.lang == "bg"
    assert [p.title for p in pages] == [
        "Григориански календар",
        "Уикипедия:Редактиране на страници",
    ]
    assert [p.ns for p in pages] == [0, 4]
    for page in pages:
        text = page.text or ""
        assert "\r" not in text  # XML line-end normalization of the CRLF file
        assert page.latest is not None and page.latest.sha1 == sha1_base36(text)


def test_uploads_logitems_and_unknown_elements_are_skipped_not_fatal(tmp_path: Path) -> None:
    upload = (
        "    <upload>\n      <timestamp>2020-01-01T00:00:00Z</timestamp>\n"
        "      <contributor><username>Bob</username><id>2</id></contributor>\n"
        "      <filename>A.png</filename><src>http://example.org/A.png</src><size>3</size>\n"
        '      <contents encoding="base64">AAAA</contents>\n    </upload>\n'
        "    <discussionthreadinginfo><ThreadSubject>s</ThreadSubject></discussionthreadinginfo>\n"
    )
    pages = [Pg("File:A.png", 6, 1, [Rev(1, "desc")], extra=upload), Pg("B", 0, 2, [Rev(2, "b")])]
    logitem = (
        "  <logitem>\n    <id>1</id>\n    <timestamp>2020-01-01T00:00:00Z</timestamp>\n"
        "    <contributor><username>Bob</username><id>2</id></contributor>\n"
        "    <type>upload</type><action>upload</action><logtitle>File:A.png</logtitle>\n"
        "  </logitem>\n"
    )
    path = _write(tmp_path, "d.xml", make_dump("0.10", pages, between=logitem))
    with DumpReader(path) as reader:
        read = list(reader)
        assert reader.skipped == {"logitem": 1}
    assert [p.title for p in read] == ["File:A.png", "B"]
    extras = read[0].extras
    assert len(extras) == 2
    assert extras[0].startswith("<upload>") and "<filename>A.png</filename>" in extras[0]
    assert "xmlns" not in extras[0]
    assert extras[1].startswith("<discussionthreadinginfo>")


def test_011_content_slots(tmp_path: Path) -> None:
    slot = (
        "      <content>\n        <role>mediainfo</role>\n        <origin>5</origin>\n"
        "        <model>wikibase-mediainfo</model>\n        <format>application/json</format>\n"
        '        <text bytes="2" sha1="abc" xml:space="preserve">{}</text>\n      </content>\n'
    )
    text = make_dump("0.11", [Pg("File:X.png", 6, 1, [Rev(5, "desc")])])
    text = text.replace("      <sha1>", slot + "      <sha1>")
    page = next(iter(iter_pages(_write(tmp_path, "d.xml", text))))
    (slot_read,) = page.revisions[0].slots
    assert slot_read.role == "mediainfo"
    assert slot_read.text == "{}"
    assert slot_read.model == "wikibase-mediainfo"
    assert slot_read.text_sha1 == "abc"


def test_stub_dump_text_is_none(tmp_path: Path) -> None:
    text = make_dump("0.10", [Pg("A", 0, 1, [Rev(1, "abc")])])
    text = text.replace(
        '<text bytes="3" xml:space="preserve">abc</text>', '<text id="99" bytes="3" />'
    )
    page = next(iter(iter_pages(_write(tmp_path, "d.xml", text))))
    assert page.text is None
    assert page.revisions[0].text_attributes == (("id", "99"),)


def test_dump_without_namespace_or_siteinfo(tmp_path: Path) -> None:
    text = (
        "<mediawiki><page><title>Template:T</title><revision><id>1</id>"
        "<text>x</text></revision></page></mediawiki>"
    )
    with DumpReader(_write(tmp_path, "d.xml", text)) as reader:
        pages = list(reader)
        assert reader.version is None
    assert pages[0].ns == 10 and pages[0].text == "x"


def test_memory_is_released_as_pages_go_by(tmp_path: Path) -> None:
    pages = [Pg(f"P{i}", 0, i + 1, [Rev(i + 1, "x" * 1000)]) for i in range(200)]
    path = _write(tmp_path, "d.xml", make_dump("0.10", pages))
    with DumpReader(path) as reader:
        sizes = []
        for _ in reader:
            root = reader._root
            assert root is not None
            # Only the page just read (cleared) and the parser's read-ahead remain.
            assert len(root[0]) == 0
            sizes.append(len(root))
        assert len(sizes) == 200
    assert max(sizes) < 40, "the tree must not grow with the number of pages"


# -- refused input -------------------------------------------------------------------------------


def _error(tmp_path: Path, name: str, data: str | bytes) -> DumpError:
    path = _write(tmp_path, name, data)
    with pytest.raises(DumpError) as info:
        list(iter_pages(path))
    return info.value


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">\n'
        for i in range(1, 10)
    )
    + "]>\n"
    + make_dump("0.10", [Pg("&lol9;", 0, 1, [Rev(1, "x")])]).replace("&amp;lol9;", "&lol9;")
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    + make_dump("0.10", [Pg("A", 0, 1, [Rev(1, "&xxe;")])]).replace("&amp;xxe;", "&xxe;")
)


def test_billion_laughs_is_refused_with_position(tmp_path: Path) -> None:
    error = _error(tmp_path, "bomb.xml", BILLION_LAUGHS)
    assert (error.line, error.column) == (3, 2)
    assert "entity 'lol'" in str(error)


def test_external_entity_is_refused_with_position(tmp_path: Path) -> None:
    error = _error(tmp_path, "xxe.xml", EXTERNAL_ENTITY)
    assert (error.line, error.column) == (3, 3)
    assert "external entity 'xxe'" in str(error)
    assert "root:" not in str(error)  # nothing of /etc/passwd leaked into the message


def test_external_entity_in_utf16_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, "xxe16.xml", EXTERNAL_ENTITY.encode("utf-16"))
    assert (error.line, error.column) == (3, 3)


def test_external_dtd_is_refused(tmp_path: Path) -> None:
    text = '<!DOCTYPE mediawiki SYSTEM "http://example.org/evil.dtd">\n' + make_dump("0.10", [])
    error = _error(tmp_path, "dtd.xml", text)
    assert error.line == 1
    assert "external DTD" in str(error)


def test_undeclared_entity_is_malformed(tmp_path: Path) -> None:
    text = make_dump("0.10", [Pg("A", 0, 1, [Rev(1, "a&nbsp;b")])]).replace("&amp;nbsp;", "&nbsp;")
    error = _error(tmp_path, "nbsp.xml", text)
    assert error.line is not None and "nbsp" in str(error)


def test_truncated_bz2_names_the_position(tmp_path: Path) -> None:
    pages = [
        Pg(f"Page {i}", 0, i + 1, [Rev(i + 1, " ".join(str(i * k) for k in range(2000)))])
        for i in range(60)
    ]
    data = bz2.compress(make_dump("0.10", pages).encode(), compresslevel=1)  # 100 kB blocks
    cut = len(data) // 2
    error = _error(tmp_path, "cut.xml.bz2", data[:cut])
    assert f"the bz2 data ends early, after byte {cut} (truncated file?)" in str(error)
    assert error.line is not None and error.line > 100 and error.column is not None


def test_bz2_truncated_before_the_first_block_ends(tmp_path: Path) -> None:
    data = bz2.compress(make_dump("0.10", sample_pages()).encode())
    error = _error(tmp_path, "cut.xml.bz2", data[:100])
    assert str(error).endswith("the bz2 data ends early, after byte 100 (truncated file?)")


def test_corrupt_gzip(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(make_dump("0.10", sample_pages()).encode()))
    data[30:40] = b"\xff" * 10
    error = _error(tmp_path, "bad.xml.gz", bytes(data))
    assert "gzip" in str(error)


def test_xml_cut_mid_page_names_page_and_position(tmp_path: Path) -> None:
    text = make_dump("0.10", sample_pages())
    cut = text.index("Hello '''world'''")
    error = _error(tmp_path, "cut.xml", text[:cut])
    assert "ends before the dump is complete" in str(error)
    assert "in page 'Main Page'" in str(error)
    assert error.line == text[:cut].count("\n") + 1


def test_pages_before_the_error_are_yielded(tmp_path: Path) -> None:
    text = make_dump("0.10", sample_pages())
    cut = text.index("<title>Template:Box")
    seen = []
    with pytest.raises(DumpError, match=r"after page 'Old name'"):
        for page in iter_pages(_write(tmp_path, "cut.xml", text[:cut])):
            seen.append(page.title)
    assert seen == ["Main Page", "Old name"]


def test_malformed_xml(tmp_path: Path) -> None:
    text = make_dump("0.10", sample_pages()).replace("</title>", "</titel>", 1)
    error = _error(tmp_path, "bad.xml", text)
    assert "malformed XML" in str(error) and "titel" in str(error)
    assert error.line == text[: text.index("</titel>")].count("\n") + 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<html><body/></html>", "not a MediaWiki XML export"),
        ('<mediawiki xmlns="http://example.org/other"/>', "unknown XML namespace"),
        ("", "the file is empty"),
        ("just text", "malformed XML"),
        (
            make_dump("0.10", [Pg("A", 0, 1, [Rev(1, "x")])]).replace(
                "<id>1</id>", "<id>x</id>", 1
            ),
            "page id 'x' is not a number",
        ),
        (
            make_dump("0.10", [Pg("A", 0, 1, [Rev(1, "x")])]).replace("<title>A</title>", ""),
            "has no <title>",
        ),
    ],
)
def test_other_bad_input(tmp_path: Path, text: str, message: str) -> None:
    error = _error(tmp_path, "bad.xml", text)
    assert re.search(message, str(error))


def test_unsupported_archives_and_missing_files(tmp_path: Path) -> None:
    seven = _write(tmp_path, "d.7z", b"7z\xbc\xaf\x27\x1c" + b"\0" * 30)
    with pytest.raises(InputError, match="7z archives cannot be read directly"):
        list(iter_pages(seven))
    with pytest.raises(InputError, match="no such file"):
        list(iter_pages(tmp_path / "missing.xml"))
    with pytest.raises(InputError, match="is a directory"):
        list(iter_pages(tmp_path))


# -- the shared corpus -----------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_pages_revisions_and_hashes(corpus_dump: Path) -> None:
    chars = 0
    redirects = 0
    with DumpReader(corpus_dump) as reader:
        assert reader.version == "0.10"
        assert reader.compression == "bz2"
        assert len(reader.siteinfo.namespaces) == 35
        for page in reader:
            assert len(page.revisions) == 1
            revision = page.revisions[0]
            assert revision.text is not None
            assert revision.sha1 == sha1_base36(revision.text), page.title
            chars += len(revision.text)
            redirects += page.redirect is not None
        assert reader.pages_read == 206
        assert reader.bytes_read == corpus_dump.stat().st_size
    assert redirects == 100
    assert chars == 5_733_844


def test_schema_09_as_mediawiki_124_wrote_it(tmp_path: Path) -> None:
    """Wikimedia's 0.9 dumps (MediaWiki 1.24) put <model>/<format> after <sha1>."""
    text = "#REDIRECT [[Есперанто]]"
    dump = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.9/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.9/ '
        'http://www.mediawiki.org/xml/export-0.9.xsd" version="0.9" xml:lang="uk">\n'
        "  <siteinfo>\n    <sitename>Вікіпедія</sitename>\n    <dbname>ukwiki</dbname>\n"
        "    <base>http://uk.wikipedia.org/wiki/</base>\n"
        "    <generator>MediaWiki 1.24wmf22</generator>\n    <case>first-letter</case>\n"
        "    <namespaces>\n"
        '      <namespace key="0" case="first-letter" />\n'
        '      <namespace key="10" case="first-letter">Шаблон</namespace>\n'
        '      <namespace key="828" case="first-letter">Модуль</namespace>\n'
        "    </namespaces>\n  </siteinfo>\n"
        "  <page>\n    <title>Esperanto</title>\n    <ns>0</ns>\n    <id>2</id>\n"
        '    <redirect title="Есперанто" />\n'
        "    <revision>\n      <id>7186485</id>\n      <parentid>7186423</parentid>\n"
        "      <timestamp>2011-07-06T06:56:28Z</timestamp>\n"
        "      <contributor>\n        <username>Aibot</username>\n        <id>3755</id>\n"
        "      </contributor>\n      <minor/>\n"
        "      <comment>Робот: видалення</comment>\n"
        f'      <text xml:space="preserve" bytes="{len(text.encode())}">{text}</text>\n'
        f"      <sha1>{sha1_base36(text)}</sha1>\n"
        "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
        "    </revision>\n  </page>\n</mediawiki>\n"
    )
    with DumpReader(_write(tmp_path, "ukwiki.xml", dump)) as reader:
        (page,) = list(reader)
        assert reader.version == "0.9" and reader.siteinfo.dbname == "ukwiki"
        assert reader.siteinfo.to_namespaces().normalize("модуль:x") == "Модуль:X"
    assert (page.title, page.ns, page.id, page.redirect) == ("Esperanto", 0, 2, "Есперанто")
    (revision,) = page.revisions
    assert (revision.id, revision.parent_id, revision.minor) == (7186485, 7186423, True)
    assert revision.contributor.username == "Aibot" and revision.contributor.id == 3755
    assert (revision.model, revision.format, revision.text) == ("wikitext", "text/x-wiki", text)
    assert revision.sha1 == revision.computed_sha1()


def test_overlong_doctype_is_refused(tmp_path: Path) -> None:
    text = "<!DOCTYPE mediawiki [\n" + "<!-- padding -->\n" * 5000 + "]>\n" + make_dump("0.10", [])
    error = _error(tmp_path, "long.xml", text)
    assert "DOCTYPE is longer than" in str(error) and error.line == 1


def test_harmless_doctype_is_accepted(tmp_path: Path) -> None:
    text = "<!DOCTYPE mediawiki>\n" + make_dump("0.10", sample_pages())
    assert len(list(iter_pages(_write(tmp_path, "ok.xml", text)))) == len(sample_pages())


def test_wrong_root_is_refused_before_reading_the_rest(tmp_path: Path) -> None:
    text = '<?xml version="1.0"?>\n<!-- a feed -->\n<rss version="2.0">' + "<item/>" * 10 + "</rss>"
    error = _error(tmp_path, "feed.xml", text)
    assert "the root element is <rss>, not <mediawiki>" in str(error)
    assert (error.line, error.column) == (3, 1)
