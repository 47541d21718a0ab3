"""The closure and the plan over offline sources (files and folders; pure, no wiki)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from wikitools.deps.closure import compute_closure, text_sha1
from wikitools.deps.plan import EntryStatus, SiteFeatures, TargetPage, make_plan, map_title
from wikitools.site.memory import MemorySite
from wikitools.titles import DEFAULT, Namespaces
from wikitools.transwiki.importer import export_xml
from wikitools.transwiki.sources import OfflineSource

PAGES = {
    "Article": "Text {{Sfn|A}} {{Alias}} {{#invoke:Data|f}}",
    "Template:Sfn": "{{#invoke:Footnotes|sfn}}<noinclude>{{Documentation}}</noinclude>",
    "Template:Alias": "#REDIRECT [[Template:Real]]",
    "Template:Real": "{{Sfn|loop}}",  # a cycle back to Sfn
    "Module:Footnotes": (
        "local a = require('Module:Footnotes/anchor_id_list')\n"
        "local lang = mw.loadData('Module:Footnotes/lang/' .. code)\n"
        "local x = require(name)\n"
        "local gone = require('Module:Gone')\n"
        "return {}"
    ),
    "Module:Footnotes/anchor_id_list": "return {}",
    "Module:Footnotes/lang/en": "return {}",
    "Module:Footnotes/lang/de": "return {}",
    "Module:Footnotes/lang/testcases": "return {}",
    "Module:Data": "return mw.wikibase.getEntity()",
    "Template:Documentation": "docs",
}

FEATURES = SiteFeatures(
    tags=frozenset({"ref", "pre", "nowiki"}),
    functions=frozenset({"if", "invoke"}),
    models=frozenset({"wikitext", "Scribunto"}),
)


class Target:
    """An in-memory target (the plan only reads hashes and features)."""

    name = "memory target"

    def __init__(self, pages: Mapping[str, str], features: SiteFeatures = FEATURES) -> None:
        self.namespaces = DEFAULT
        self.pages = dict(pages)
        self._features = features

    def read(self, titles: Sequence[str]) -> dict[str, TargetPage]:
        return {
            t: TargetPage(t, text_sha1(self.pages[t]), self.pages[t], None)
            for t in titles
            if t in self.pages
        }

    def features(self) -> SiteFeatures:
        return self._features


def source() -> OfflineSource:
    return OfflineSource(MemorySite(PAGES), "memory")


def test_closure_follows_redirects_cycles_prefixes_and_reports_the_rest() -> None:
    closure = compute_closure(source(), ["Article"])
    assert set(closure.dependencies) == {
        "Template:Sfn",
        "Template:Alias",
        "Template:Real",
        "Module:Footnotes",
        "Module:Footnotes/anchor id list",
        "Module:Footnotes/lang/en",
        "Module:Footnotes/lang/de",
        "Module:Data",
    }
    assert "Module:Gone" in closure.missing
    assert "Module:Footnotes/lang/testcases" in closure.skipped
    assert "Template:Documentation" not in closure.pages  # <noinclude> documentation
    dynamic = [d.describe() for d in closure.dynamic]
    assert any("name built at run time" in d for d in dynamic)
    assert closure.needed_by_seeds("Module:Footnotes/anchor id list") == ["Article"]
    with_partial = compute_closure(source(), ["Article"], include_partial=True)
    assert "Module:Footnotes/lang/testcases" in with_partial.pages


def test_plan_statuses_prerequisites_and_portability() -> None:
    target = Target(
        {
            "Article": PAGES["Article"],
            "Template:Sfn": PAGES["Template:Sfn"] + "\n",  # same once stored (trailing newline)
            "Module:Footnotes/anchor id list": "return { local = true }",
        }
    )
    plan = make_plan(source(), target, ["Article"])
    status = {e.target_title: e.status for e in plan.entries}
    assert status["Article"] is EntryStatus.IDENTICAL
    assert status["Template:Sfn"] is EntryStatus.IDENTICAL
    assert status["Module:Footnotes/anchor id list"] is EntryStatus.DIFFERS
    assert status["Module:Footnotes"] is EntryStatus.NEW
    assert plan.not_portable == ["Module:Data line 1: reads Wikidata (mw.wikibase)"]
    assert [(p.provider, p.pages, p.seeds) for p in plan.prerequisites] == [
        ("WikibaseClient", ("Module:Data",), ("Article",))
    ]
    assert plan.prerequisites[0].feature == "Wikidata access (reads Wikidata (mw.wikibase))"
    assert plan.attention
    with_wikibase = SiteFeatures(
        extensions=frozenset({"WikibaseClient"}),
        tags=FEATURES.tags,
        functions=FEATURES.functions,
        models=FEATURES.models,
    )
    plan = make_plan(source(), Target(target.pages, with_wikibase), ["Article"])
    assert plan.prerequisites == []
    assert plan.not_portable  # still: the data lives on Wikidata, not on this wiki


def test_a_lacking_extension_is_a_prerequisite_and_a_lacking_model_blocks() -> None:
    site = MemorySite(
        {
            "Styled": "{{Box}}",
            "Template:Box": '<templatestyles src="Box/styles.css" />{{#len:abc}}',
            "Template:Box/styles.css": ".box { color: red }",
        }
    )
    plan = make_plan(OfflineSource(site, "memory"), Target({"Styled": "{{Box}}"}), ["Styled"])
    lines = [p.line() for p in plan.prerequisites]
    assert any(
        "<templatestyles> tag (TemplateStyles)" in line and "Template:Box" in line for line in lines
    )
    assert any("#len (ParserFunctions (string functions))" in line for line in lines)
    assert any("'sanitized-css' (TemplateStyles)" in line for line in lines)
    assert all(p.seeds == ("Styled",) for p in plan.prerequisites)
    blocked = plan.by_status(EntryStatus.BLOCKED)
    assert [e.target_title for e in blocked] == ["Template:Box/styles.css"]
    assert [e.target_title for e in plan.to_import] == ["Template:Box"]


def test_titles_map_to_the_target_namespace_names() -> None:
    german = Namespaces(names={**DEFAULT.names, 10: "Vorlage", 828: "Modul"})
    assert map_title("Vorlage:Sfn", german, DEFAULT) == "Template:Sfn"
    assert map_title("Modul:Footnotes", german, DEFAULT) == "Module:Footnotes"


def test_export_xml_reads_back_as_a_source(tmp_path: Path) -> None:
    plan = make_plan(source(), Target({}), ["Article"])
    path = tmp_path / "plan.xml"
    path.write_bytes(export_xml(plan.to_import, DEFAULT))
    back = OfflineSource.open(path)
    pages = back.read([e.target_title for e in plan.to_import])
    assert {t: p.text for t, p in pages.items()} == {
        e.target_title: e.page.text for e in plan.to_import
    }
    assert pages["Module:Footnotes"].model == "Scribunto"


def test_a_pull_directory_is_a_source(tmp_path: Path) -> None:
    (tmp_path / "Template").mkdir()
    (tmp_path / "Module").mkdir()
    (tmp_path / "(Main)").mkdir()
    (tmp_path / "(Main)" / "Page.wiki").write_text("{{Hello}}", encoding="utf-8")
    (tmp_path / "Template" / "Hello.wiki").write_text("{{#invoke:Hi|x}}", encoding="utf-8")
    (tmp_path / "Module" / "Hi.wiki").write_text("return {}", encoding="utf-8")
    plan = make_plan(OfflineSource.open(tmp_path), Target({}), ["Page"])
    assert {e.target_title for e in plan.to_import} == {"Page", "Template:Hello", "Module:Hi"}


def test_a_seed_with_its_own_text_on_the_target_is_kept_and_needs_no_one() -> None:
    local = PAGES["Article"] + " {{Only local}}"
    plan = make_plan(source(), Target({"Article": local}), ["Article"])
    seed = next(e for e in plan.entries if e.seed)
    assert seed.status is EntryStatus.KEPT
    assert "Article" not in [e.target_title for e in plan.to_import]
    # What the target's own version calls is wanted too (here: absent on the source).
    assert "Template:Only local" in plan.closure.missing


def test_a_localized_module_name_the_target_cannot_read_is_not_portable() -> None:
    german = Namespaces(names={**DEFAULT.names, 828: "Modul", 10: "Vorlage"})
    site = MemorySite(
        {
            "Seite": "{{#invoke:A|f}}",
            "Modul:A": "local b = require('Modul:B')\nlocal c = require('Module:C')\nreturn {}",
            "Modul:B": "return {}",
            "Modul:C": "return {}",
        },
        namespaces=german,
    )
    plan = make_plan(OfflineSource(site, "de"), Target({}), ["Seite"])
    assert {e.target_title for e in plan.to_import} == {"Seite", "Module:A", "Module:B", "Module:C"}
    assert plan.not_portable == [
        "Modul:A line 1: require('Modul:B') names a namespace the target does not know "
        "(it calls it 'Module'); change the name there"
    ]
