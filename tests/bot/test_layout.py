"""Title ↔ file name encoding and the pull manifest (no wiki needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wikitools.errors import InputError
from wikitools.layout import (
    Manifest,
    PulledPage,
    comparable,
    decode_name,
    encode_name,
    relative_path,
    text_sha1,
    title_from_path,
)
from wikitools.titles import DEFAULT

NS = DEFAULT


@pytest.mark.parametrize(
    ("title", "path"),
    [
        ("Main Page", "(Main)/Main_Page.wiki"),
        ("Template:Ka icon", "Template/Ka_icon.wiki"),
        ("Module:Footnotes/anchor id list", "Module/Footnotes%2Fanchor_id_list.wiki"),
        ("User talk:A:B", "User_talk/A%3AB.wiki"),
        ("What? *Really*", "(Main)/What%3F_%2AReally%2A.wiki"),
        ('100% <sure> | "yes"', "(Main)/100%25_%3Csure%3E_%7C_%22yes%22.wiki"),
        (".hidden.", "(Main)/%2Ehidden%2E.wiki"),
        ("Tilde~x", "(Main)/Tilde%7Ex.wiki"),
        ("Москва", "(Main)/Москва.wiki"),
    ],
)
def test_paths_are_readable_and_reversible(title: str, path: str) -> None:
    assert relative_path(title, NS) == path
    assert title_from_path(path, NS) == NS.normalize(title)


# Characters MediaWiki allows in titles (no #<>[]|{}, no _ since it means space).
_TITLE_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="#<>[]{}|_\x7f\ufffd"
)


@given(st.text(_TITLE_CHARS, min_size=1, max_size=60))
def test_encoding_round_trips(name: str) -> None:
    name = " ".join(name.split())
    if not name:
        return
    encoded = encode_name(name)
    assert "/" not in encoded and "\\" not in encoded and ":" not in encoded
    assert not encoded.startswith(".")
    assert decode_name(encoded) == name


def test_long_titles_are_cut_with_a_hash_and_not_decoded() -> None:
    title = "Long " + "x" * 400
    path = relative_path(title, NS)
    name = path.split("/")[1]
    assert len(name.encode()) <= 200 + len(".wiki")
    assert "~" in name
    assert title_from_path(path, NS) is None
    assert relative_path(title + "y", NS) != path


def test_comparable_ignores_line_endings_and_trailing_space() -> None:
    assert comparable("a\r\nb  \n\n") == "a\nb"
    assert text_sha1("a\r\nb\n") == text_sha1("a\nb")
    assert text_sha1("a\nb") != text_sha1("a\nc")


def test_manifest_round_trip_and_case_collisions(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, "https://w.example/api.php")
    first = manifest.assign("Foo", NS)
    manifest.record(
        first, PulledPage("Foo", 1, "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "s")
    )
    second = manifest.assign("FOO", NS)
    assert (first, second) == ("(Main)/Foo.wiki", "(Main)/FOO~2.wiki")
    manifest.record(second, PulledPage("FOO", 2, "t", "r", "s2"))
    assert manifest.assign("Foo", NS) == first
    manifest.save()
    again = Manifest.load(tmp_path)
    assert again.pages == manifest.pages
    assert [page.title for _, page in again] == ["FOO", "Foo"]
    assert Manifest.open(tmp_path, "https://w.example/api.php").pages == manifest.pages
    with pytest.raises(InputError, match=r"pulled from https://w\.example/api\.php"):
        Manifest.open(tmp_path, "https://other.example/api.php")


def test_manifest_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="was not made by 'wikitools pull'"):
        Manifest.load(tmp_path)
    (tmp_path / "wikitools-pull.json").write_text("{not json")
    with pytest.raises(InputError, match="unreadable manifest"):
        Manifest.load(tmp_path)
    manifest = Manifest(tmp_path, "https://w.example/api.php")
    with pytest.raises(InputError, match="unsafe path"):
        manifest.file("../escape.wiki")
