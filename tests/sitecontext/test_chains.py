"""Dependency chains through templates, #invoke, require and redirects, with cycles."""

from wikitools.deps.chains import DependencyKind, graph_for, transcluded_text
from wikitools.deps.pagedeps import missing_dependencies
from wikitools.document import Document
from wikitools.site.memory import MemorySite

PAGES = {
    "Template:Sfn": "<includeonly>{{#invoke:Footnotes|sfn}}</includeonly>"
    "<noinclude>{{Documentation}}</noinclude>",
    "Template:Harvnb": "#REDIRECT [[Template:Harvard citation no brackets]]",
    "Template:Harvard citation no brackets": "{{#invoke:footnotes|harvard_citation}}",
    "Module:Footnotes": "local a = require('Module:Arguments')\n"
    "local l = require('Module:Footnotes/anchor_id_list')\n"
    "local ok, w = pcall(require, 'Module:Footnotes/whitelist')\n"
    "local function lazy() return require('Module:Lazy') end\n",
    "Module:Arguments": "local f = require('Module:Footnotes') -- a cycle\nreturn {}",
    "Template:Good": "{{#invoke:Arguments|x}} {{#if:{{{1|}}}|{{Missing in branch}}}}",
    "Template:Uses missing": "{{Missing sub}} {{{1|{{Missing default}}}}}",
    "Template:Main loader": "{{#invoke:Loader|main}}",
    "Module:Loader": "return require('Loader data')",
    "Template:Cite": "{{#invoke:Citation|cite}}",
}


def site() -> MemorySite:
    return MemorySite(PAGES)


def test_transcluded_text() -> None:
    assert transcluded_text("<noinclude>doc</noinclude>a<includeonly>b</includeonly>") == "ab"
    assert transcluded_text("x<onlyinclude>y</onlyinclude>z<onlyinclude>w</onlyinclude>") == "yw"
    assert transcluded_text("a<!-- {{X}} -->b<noinclude>never closed") == "ab"


def test_broken_chain_through_module_with_cycle() -> None:
    report = graph_for(site()).report("Template:Sfn")
    assert report.exists and report.broken
    missing = {m.title: m for m in report.missing}
    certain = missing["Module:Footnotes/anchor id list"]
    assert not certain.conditional
    assert certain.kind is DependencyKind.REQUIRE
    assert certain.describe() == (
        "Template:Sfn → Module:Footnotes → Module:Footnotes/anchor id list"
    )
    assert missing["Module:Lazy"].conditional
    # pcall'd requires are optional; noinclude'd templates are not dependencies
    assert "Module:Footnotes/whitelist" not in missing
    assert "Template:Documentation" not in missing
    assert {"Template:Sfn", "Module:Footnotes", "Module:Arguments"} <= report.pages


def test_redirected_template() -> None:
    report = graph_for(site()).report("Template:Harvnb")
    assert report.broken
    first = report.missing_modules[0]
    assert first.path[:3] == (
        "Template:Harvnb",
        "Template:Harvard citation no brackets",
        "Module:Footnotes",
    )


def test_cycle_reaches_missing_module_from_other_side() -> None:
    report = graph_for(site()).report("Template:Good")
    assert report.broken  # Arguments requires Footnotes, which requires the missing list
    conditional = [m for m in report.missing if m.title == "Template:Missing in branch"]
    assert conditional and conditional[0].conditional


def test_missing_templates_and_defaults() -> None:
    report = graph_for(site()).report("Template:Uses missing")
    by_title = {m.title: m for m in report.missing}
    assert not by_title["Template:Missing sub"].conditional
    assert by_title["Template:Missing default"].conditional
    assert not report.broken  # no module is missing


def test_require_of_a_non_module_title_is_missing() -> None:
    report = graph_for(site()).report("Template:Main loader")
    assert [m.title for m in report.missing] == ["Loader data"]
    assert report.broken


def test_missing_invoked_module() -> None:
    report = graph_for(site()).report("Template:Cite")
    assert [m.title for m in report.missing_modules] == ["Module:Citation"]


def test_batches_per_level() -> None:
    batches: list[list[str]] = []

    class Counting(MemorySite):
        def _fetch_texts(self, titles):  # type: ignore[no-untyped-def]
            batches.append(list(titles))
            return super()._fetch_texts(titles)

    graph_for(Counting(PAGES)).reports(["Template:Sfn", "Template:Harvnb", "Template:Good"])
    # one text batch per level of the graph, each page once; redirects need no text
    assert batches == [
        ["Template:Sfn", "Template:Good", "Template:Harvard citation no brackets"],
        ["Module:Footnotes", "Module:Arguments"],
    ]


def test_missing_dependencies_report() -> None:
    text = "A{{sfn|Service|2004}} B{{sfn|Kotkin|2014}} {{Ka icon}} {{#invoke:Nope|x}} {{Good}}"
    report = {m.title: m for m in missing_dependencies(Document(text), site())}
    anchor = report["Module:Footnotes/anchor id list"]
    assert anchor.is_module
    assert [d.title for d in anchor.dependents] == ["Template:Sfn", "Template:Sfn", "Template:Good"]
    assert not report["Template:Ka icon"].is_module
    assert report["Module:Nope"].is_module
    assert report["Template:Missing in branch"].conditional
