"""wikitools.sources: what a local file is on the wiki (title, namespace, content model).

Each rule of precedence has its own tests: the pull manifest, then the pull folder layout,
then the site-directory layout, then ``Name:Title`` file names, then the default.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from wikitools import lint_text
from wikitools.contentmodel import default_model
from wikitools.document import Document
from wikitools.errors import InputError
from wikitools.layout import MANIFEST, Manifest, PulledPage, text_sha1
from wikitools.lint.rule import all_rules
from wikitools.lint.runner import Linter
from wikitools.lint.scope import ARTICLES, CONTENT, EVERYWHERE, TEMPLATES, namespaces
from wikitools.site.pagedir import page_path
from wikitools.sources import Sources, identify_title, page_files, read_pages

LUA = "local t = {\n{1, 2}},\nreturn frame.args[keys[1]]\n"  # "}}" closes nothing as wikitext
STRAY = "Text.}} More."


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pulled_dir(root: Path, entries: dict[str, tuple[str, str, int | None, str | None]]) -> Path:
    """A pulled directory: relative path -> (title, text, ns, model) (None: old manifest)."""
    manifest = Manifest(root, "https://wiki.example/w/api.php")
    for relative, (title, text, ns, model) in entries.items():
        write(root / relative, text)
        manifest.record(relative, PulledPage(title, 1, "t", "t", text_sha1(text), ns, model))
    manifest.save()
    return root


# -- default content models -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ns", "title", "model"),
    [
        (0, "Main Page", "wikitext"),
        (0, "Foo.js", "wikitext"),  # only MediaWiki: and User: subpages hold code
        (828, "Module:Foo", "Scribunto"),
        (828, "Module:Foo/bar", "Scribunto"),
        (828, "Module:Foo/doc", "wikitext"),
        (828, "Module:Foo.json", "json"),
        (828, "Modul:Foo/doc", "wikitext"),  # a localized prefix the stock names lack
        (8, "MediaWiki:Common.css", "css"),
        (8, "MediaWiki:Gadget-x.js", "javascript"),
        (8, "MediaWiki:Data.json", "json"),
        (8, "MediaWiki:Common.CSS", "wikitext"),  # MediaWiki matches the suffix case-sensitively
        (8, "MediaWiki:Sidebar", "wikitext"),
        (2, "User:Me/common.js", "javascript"),
        (2, "User:Me/skin.css", "css"),
        (2, "User:Me.js", "wikitext"),  # not a subpage
        (10, "Template:Box/styles.css", "sanitized-css"),
        (10, "Template:Box", "wikitext"),
    ],
)
def test_default_model(ns: int, title: str, model: str) -> None:
    assert default_model(ns, title) == model
    assert identify_title(title).model == model


# -- 1. the pull manifest ---------------------------------------------------------------------


def test_manifest_gives_title_namespace_and_model(tmp_path: Path) -> None:
    root = pulled_dir(
        tmp_path / "p",
        {
            # A collision file the layout cannot decode: only the manifest knows its title.
            "Template/Box~2.wiki": ("Template:box", "{{{1|x}}}", 10, "wikitext"),
            # A local namespace name: the manifest records the id.
            "Vorlage/Kasten.wiki": ("Vorlage:Kasten", "{{{1}}}", 10, "wikitext"),
            # A page whose model was changed on the wiki: the layout would say wikitext.
            "(Main)/Data.wiki": ("Data", '{"a": {"b": 1}}', 0, "json"),
        },
    )
    sources = Sources()
    box = sources.identify(root / "Template" / "Box~2.wiki")
    assert (box.title, box.namespace, box.model, box.origin) == (
        "Template:box",
        10,
        "wikitext",
        "manifest",
    )
    assert sources.identify(root / "Vorlage" / "Kasten.wiki").namespace == 10
    data = sources.identify(root / "(Main)" / "Data.wiki")
    assert (data.model, data.is_wikitext) == ("json", False)


def test_old_manifest_without_namespace_or_model_stays_readable(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root / "Module" / "X.wiki", LUA)
    write(
        root / MANIFEST,
        json.dumps(
            {
                "format": 1,
                "wiki": "https://wiki.example/w/api.php",
                "pages": {
                    "Module/X.wiki": {
                        "title": "Module:X",
                        "revid": 1,
                        "timestamp": "t",
                        "read_at": "t",
                        "sha1": text_sha1(LUA),
                    }
                },
            }
        ),
    )
    identity = Sources().identify(root / "Module" / "X.wiki")
    assert (identity.title, identity.namespace, identity.model, identity.origin) == (
        "Module:X",
        828,
        "Scribunto",
        "manifest",
    )
    assert Manifest.load(root).pages["Module/X.wiki"].model is None


# -- 2. the pull folder layout ----------------------------------------------------------------


def test_pull_layout_for_files_the_manifest_does_not_list(tmp_path: Path) -> None:
    root = pulled_dir(tmp_path / "p", {"Vorlage/Alt.wiki": ("Vorlage:Alt", "x", 10, "wikitext")})
    new_module = write(root / "Module" / "Neu%2Fdoc.wiki", "Doc.")
    new_lua = write(root / "Module" / "Neu.wiki", LUA)
    new_template = write(root / "Vorlage" / "Neu.wiki", "{{{1}}}")
    sources = Sources()
    doc = sources.identify(new_module)
    assert (doc.title, doc.namespace, doc.model, doc.origin) == (
        "Module:Neu/doc",
        828,
        "wikitext",
        "pull layout",
    )
    assert sources.identify(new_lua).model == "Scribunto"
    # The folder's namespace is known from the manifest's other entries.
    assert sources.identify(new_template).namespace == 10


def test_main_folder_is_pull_layout_without_a_manifest(tmp_path: Path) -> None:
    page = write(tmp_path / "(Main)" / "100%25_sure.wiki", STRAY)
    identity = Sources().identify(page)
    assert (identity.title, identity.namespace, identity.origin) == ("100% sure", 0, "pull layout")


# -- 3. the site-directory layout -------------------------------------------------------------


def test_site_layout_namespace_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    lua = write(page_path(site, "Module:Footnotes/anchor id list"), LUA)
    doc = write(page_path(site, "Module:Footnotes/doc"), "Doc.")
    css = write(page_path(site, "MediaWiki:Common.css"), "a {}}")
    assert lua.suffix == ".lua" and doc.suffix == ".wiki"
    sources = Sources()
    found = sources.identify(lua)
    assert (found.title, found.namespace, found.model, found.origin) == (
        "Module:Footnotes/anchor id list",
        828,
        "Scribunto",
        "site layout",
    )
    assert sources.identify(doc).model == "wikitext"
    assert sources.identify(css).model == "css"


def test_site_layout_reads_siteinfo_namespaces(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(
        site / "siteinfo.json",
        json.dumps(
            {
                "namespaces": {
                    "0": {"id": 0, "name": ""},
                    "10": {"id": 10, "name": "Vorlage", "canonical": "Template"},
                }
            }
        ),
    )
    page = write(site / "Vorlage" / "Kasten.wiki", "{{{1}}}")
    top = write(site / "Vorlage%3AInfobox.wiki", "{{{1}}}")
    assert Sources().identify(page).namespace == 10
    assert Sources().identify(top).namespace == 10


# -- 4. Name:Title file names, then the default ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "ns", "model"),
    [
        ("Template:Infobox.wiki", "Template:Infobox", 10, "wikitext"),
        ("Template%3AInfobox_person.wiki", "Template:Infobox person", 10, "wikitext"),
        ("MediaWiki:Common.js.wiki", "MediaWiki:Common.js", 8, "javascript"),
        ("User:Me%2Fcommon.css.wiki", "User:Me/common.css", 2, "css"),
        ("Module:Sandbox.lua", "Module:Sandbox", 828, "Scribunto"),
    ],
)
def test_file_names(tmp_path: Path, name: str, title: str, ns: int, model: str) -> None:
    identity = Sources().identify(write(tmp_path / "pages" / name, "x"))
    assert (identity.title, identity.namespace, identity.model, identity.origin) == (
        title,
        ns,
        model,
        "file name",
    )


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("article.wiki", "wikitext"),
        ("Stalin: a life.wiki", "wikitext"),  # "Stalin" is no namespace
        ("script.lua", "Scribunto"),
        ("style.css", "css"),
        ("gadget.js", "javascript"),
        ("data.json", "json"),
    ],
)
def test_default_identity(tmp_path: Path, name: str, model: str) -> None:
    identity = Sources().identify(write(tmp_path / "pages" / name, "x"))
    assert (identity.title, identity.namespace, identity.model, identity.origin) == (
        None,
        0,
        model,
        "default",
    )


# -- reading inputs ---------------------------------------------------------------------------


def test_read_pages_walks_directories_and_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = pulled_dir(tmp_path / "p", {"Module/X.wiki": ("Module:X", LUA, 828, "Scribunto")})
    write(root / ".git" / "hidden.wiki", STRAY)
    write(root / "notes.txt", "not a page file")
    article = write(root / "(Main)" / "A.wiki", STRAY)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"From stdin.}}")))
    pages = read_pages(["-", str(root)])
    assert [p.name for p in pages] == ["<stdin>", str(article), str(root / "Module" / "X.wiki")]
    assert [p.model for p in pages] == ["wikitext", "wikitext", "Scribunto"]
    assert pages[0].text == "From stdin.}}" and pages[0].path is None
    assert page_files([article]) == [article]
    with pytest.raises(InputError, match="no such file"):
        read_pages([str(tmp_path / "missing")])
    with pytest.raises(InputError, match="no wikitext files"):
        read_pages([str(write(tmp_path / "empty" / "x.txt", "").parent)])


def test_pages_that_are_not_wikitext_get_no_findings(tmp_path: Path) -> None:
    linter = Linter()
    root = pulled_dir(tmp_path / "p", {"Module/X.wiki": ("Module:X", LUA, 828, "Scribunto")})
    lua = Sources().read(root / "Module" / "X.wiki")
    assert not lua.is_wikitext
    assert linter.check(lua.document()) == []
    # The same text as an article is reported: the model, not the text, decides.
    assert linter.check(Document(LUA)) != []
    assert lint_text(STRAY, title="MediaWiki:Common.js") == []
    assert lint_text(STRAY, model="css") == []
    assert [d.code for d in lint_text(STRAY, title="Help:X")] == ["B101"]


# -- namespace scopes -------------------------------------------------------------------------


def test_scopes() -> None:
    assert CONTENT.includes(0) and CONTENT.includes(12) and CONTENT.includes(2)
    assert not CONTENT.includes(10) and not CONTENT.includes(8) and not CONTENT.includes(828)
    assert ARTICLES.includes(0) and not ARTICLES.includes(4)
    assert TEMPLATES.includes(10) and not TEMPLATES.includes(0)
    assert all(EVERYWHERE.includes(ns) for ns in (0, 8, 10, 828))
    help_and_project = namespaces(4, 12)
    assert help_and_project.includes(12) and not help_and_project.includes(0)
    assert help_and_project.as_dict()["only"] == [4, 12]


def test_template_pages_get_only_rules_made_for_templates() -> None:
    text = '{| class="wikitable"\n! {{{title|Title}}}\n}}'
    assert {d.code for d in lint_text(text, title="Help:Table")} >= {"B101", "B105", "B106"}
    assert lint_text(text, title="Template:Table start") == []
    assert lint_text(text, title="MediaWiki:Table message") == []
    # Where each rule applies is part of its documentation.
    assert {r.applies_to for r in all_rules()} >= {CONTENT, ARTICLES, EVERYWHERE}
