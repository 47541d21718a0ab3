"""Dump statistics and the cheap template scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from dump_factory import Pg, Rev, Site, make_dump

from wikitools.dumps import DumpReader, SiteInfo
from wikitools.dumps.model import NamespaceInfo
from wikitools.dumps.stats import dump_stats, template_names
from wikitools.titles import DEFAULT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{Infobox person\n| name = X}}", ["Template:Infobox person"]),
        ("{{cite_web|url=x}} {{Cite web}}", ["Template:Cite web", "Template:Cite web"]),
        ("{{Template:Foo}} {{ template : bar }}", ["Template:Foo", "Template:Bar"]),
        ("{{:Main Page}} {{User:Me/box}}", ["Main Page", "User:Me/box"]),
        ("{{subst:Welcome}} {{safesubst:Tl|x}}", ["Template:Welcome", "Template:Tl"]),
        ("{{#if:a|b}} {{#invoke:M|f}} {{DEFAULTSORT:X}} {{lc:ABC}}", []),
        ("{{PAGENAME}} {{!}} {{CURRENTYEAR}} {{formatnum:1234}}", []),
        ("{{{1}}} {{{name|default}}}", []),
        ("{{Outer|{{inner}}}}", ["Template:Outer", "Template:Inner"]),
        ("{{broken", []),
    ],
)
def test_template_names(text: str, expected: list[str]) -> None:
    assert list(template_names(text, DEFAULT)) == expected


def test_template_names_with_translated_namespace() -> None:
    info = SiteInfo(namespaces=(NamespaceInfo(0, ""), NamespaceInfo(10, "Шаблон")))
    namespaces = info.to_namespaces()
    assert list(template_names("{{инфо|a}} {{Template:X}}", namespaces)) == [
        "Шаблон:Инфо",
        "Шаблон:X",
    ]


def test_dump_stats(tmp_path: Path) -> None:
    pages = [
        Pg(
            "A",
            0,
            1,
            [
                Rev(1, "{{Cite web}}", timestamp="2001-01-01T00:00:00Z"),
                Rev(2, "{{Cite web}} {{cite web}} {{Stub}}", parent=1),
            ],
        ),
        Pg("B", 0, 2, [Rev(3, "#REDIRECT [[A]]", timestamp="2030-01-01T00:00:00Z")], redirect="A"),
        Pg("Template:Stub", 10, 3, [Rev(4, "x" * 2000 + "{{Cite web}}")]),
        Pg("Module:M", 828, 4, [Rev(5, "{{Lua table}}", model="Scribunto", format="text/plain")]),
        Pg("Gone", 0, 5, [Rev(6, None, text_deleted=True)]),
    ]
    path = tmp_path / "d.xml"
    path.write_text(make_dump("0.10", pages, Site()), encoding="utf-8")
    with DumpReader(path) as reader:
        stats = dump_stats(reader, reader.siteinfo)
    data = stats.as_dict(top=5)
    assert data["pages"] == 5 and data["revisions"] == 6 and data["redirects"] == 1
    assert data["pages_without_text"] == 1
    assert data["first_timestamp"] == "2001-01-01T00:00:00Z"
    assert data["last_timestamp"] == "2030-01-01T00:00:00Z"
    namespaces = {ns["name"]: ns for ns in data["namespaces"]}
    assert namespaces["(main)"]["pages"] == 3 and namespaces["(main)"]["revisions"] == 4
    assert namespaces["Template"]["bytes"] == 2012
    assert data["models"] == {"wikitext": 4, "Scribunto": 1}
    assert data["size_classes"]["< 1 KB"] == 3 and data["size_classes"]["1-10 KB"] == 1
    assert data["largest"][0] == {"title": "Template:Stub", "bytes": 2012}
    top = {t["title"]: (t["calls"], t["pages"]) for t in data["templates"]["top"]}
    # Only current texts of wikitext pages count: not the Lua module, not old revisions.
    assert top == {"Template:Cite web": (3, 2), "Template:Stub": (1, 1)}
    assert data["templates"]["top"][0]["title"] == "Template:Cite web"


@pytest.mark.corpus
def test_corpus_stats(corpus_dump: Path) -> None:
    with DumpReader(corpus_dump) as reader:
        data = dump_stats(reader, reader.siteinfo).as_dict()
    assert data["pages"] == 206 and data["redirects"] == 100
    titles = [t["title"] for t in data["templates"]["top"]]
    assert "Template:Cite web" in titles[:5]
    assert data["site"]["dbname"] == "enwiki"
