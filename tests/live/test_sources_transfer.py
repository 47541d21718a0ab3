"""Page sources (category, prefix, embedded-in, search, file) and XML export/import, live."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from livewiki import bulk_create
from lxml import etree

from wikitools.errors import ConfigError, InputError
from wikitools.mediawiki import PageSelection, Wiki, sources


def test_category_members_recursive_with_depth_and_cycles(
    client: Wiki, unique: Callable[[str], str]
) -> None:
    top, sub, subsub = unique("Top"), unique("Sub"), unique("Subsub")
    pages = {
        f"Category:{top}": "Top category.",
        f"Category:{sub}": f"[[Category:{top}]]",
        f"Category:{subsub}": f"[[Category:{sub}]] [[Category:{top}]]",
        unique("In top"): f"[[Category:{top}]]",
        unique("In sub"): f"[[Category:{sub}]]",
        unique("In subsub"): f"[[Category:{subsub}]]",
    }
    # A cycle: the top category is also a member of the deepest one.
    pages[f"Category:{top}"] = f"[[Category:{subsub}]]"
    for title, text in pages.items():
        client.edit(title, text, summary="setup")
    in_top, in_sub, in_subsub = list(pages)[3:]
    assert list(sources.category_members(client, top)) == [in_top]
    assert set(sources.category_members(client, top, depth=1)) == {in_top, in_sub, in_subsub}
    assert set(sources.category_members(client, f"category:{top}", depth=5)) == {
        in_top,
        in_sub,
        in_subsub,
    }
    assert set(sources.category_members(client, top, depth=0, namespaces=[14])) == {
        f"Category:{sub}",
        f"Category:{subsub}",
    }
    with pytest.raises(ConfigError):
        list(sources.category_members(client, top, depth=-1))


def test_prefix_embedded_in_search_and_titles_file(
    client: Wiki, unique: Callable[[str], str], tmp_path: Path
) -> None:
    stem = unique("Prefixed")
    template = unique("Box")
    word = "zq" + unique("w").replace(" ", "")
    bulk_create(
        client,
        {
            f"{stem}/a": "A.",
            f"{stem}/b": f"{{{{{template}}}}}",
            f"Template:{stem} tpl": "Not in main namespace.",
            f"Template:{template}": f"A box with {word}.",
            unique("Uses box"): f"Text {{{{{template}}}}} and {word}.",
        },
    )
    assert list(sources.prefixed(client, stem)) == [f"{stem}/a", f"{stem}/b"]
    assert list(sources.prefixed(client, f"Template:{stem}")) == [f"Template:{stem} tpl"]
    embedding = set(sources.embedding(client, template))
    assert f"{stem}/b" in embedding and len(embedding) == 2
    assert len(list(sources.search(client, word))) == 1
    listing = tmp_path / "titles.txt"
    listing.write_text(f"# pages to fix\n{stem}/a\n\n  {stem}/b  \n", encoding="utf-8")
    assert sources.titles_from_file(listing) == [f"{stem}/a", f"{stem}/b"]

    selection = PageSelection(
        titles=[f"{stem}/b", stem.lower() + "/a"],
        prefixes=[stem],
        embedded_in=[template],
        titles_files=[listing],
    )
    chosen = list(selection.iter_titles(client))
    assert chosen[:2] == [f"{stem}/b", f"{stem}/a"]
    assert len(chosen) == len(set(chosen)) == 3
    with pytest.raises(InputError, match="no pages selected"):
        list(PageSelection().iter_titles(client))
    with pytest.raises(InputError, match="no such file"):
        sources.titles_from_file(tmp_path / "absent.txt")


def test_export_then_import_round_trip(client: Wiki, unique: Callable[[str], str]) -> None:
    title = unique("Exported")
    text = "Some <b>text</b> & {{braces}}\nsecond line"
    client.edit(title, text, summary="setup")
    documents = list(client.export([title]))
    assert len(documents) == 1
    root = etree.fromstring(documents[0], etree.XMLParser(resolve_entities=False))
    ns = {"mw": root.nsmap[None]}
    assert root.findtext("mw:page/mw:title", namespaces=ns) == title
    assert root.findtext("mw:page/mw:revision/mw:text", namespaces=ns) == text

    copy = unique("Imported copy")
    for node in root.iterfind("mw:page/mw:title", namespaces=ns):
        node.text = copy
    imported = client.import_xml(etree.tostring(root), summary="copy")
    assert [(p.title, p.revisions) for p in imported] == [(copy, 1)]
    assert client.read_page(copy).text == text
