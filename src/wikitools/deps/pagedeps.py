"""What one page needs from a wiki: its calls, what they resolve to, what is missing.

:func:`analyze_page` classifies every ``{{…}}`` call of a page, resolves the templates and
modules they load (one batched lookup), and computes the dependency chain of each. It is
shared by the template and module rules. :func:`missing_dependencies` turns it into the
structured report a dependency importer acts on: each missing page, whether it is a
template or a module, and which calls on the page need it (directly or through a chain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wikitools.deps.chains import ChainReport, MissingDependency, graph_for
from wikitools.document import Document
from wikitools.parsing.calls import Call, CallKind, classify_call
from wikitools.site.context import SiteContext
from wikitools.titles import DEFAULT, MODULE, Namespaces


@dataclass(frozen=True, slots=True)
class PageCall:
    """A template or ``#invoke`` call on the page, with its span and classification."""

    template: Any
    """The mwparserfromhell ``Template`` node."""
    start: int
    end: int
    call: Call

    @property
    def label(self) -> str:
        """The name as written, e.g. ``Ka icon`` or ``#invoke:Footnotes``."""
        return self.call.name

    @property
    def title(self) -> str:
        """The page the call loads (a template, or a module for ``#invoke``)."""
        assert self.call.title is not None
        return self.call.title


@dataclass
class PageAnalysis:
    """The calls of one page and what the site says about them."""

    calls: list[PageCall] = field(default_factory=list)
    final: dict[str, str | None] = field(default_factory=dict)
    """Each called title → the page it resolves to after redirects (None: missing)."""
    chains: dict[str, ChainReport] = field(default_factory=dict)
    """Each called title that exists → the report of its dependency chain."""
    namespaces: Namespaces = DEFAULT
    """The site's namespaces, to read the titles above."""

    def page_name(self, title: str | None, namespace: int) -> str | None:
        """The page name of ``title`` when it lies in ``namespace``, else None."""
        if title is None:
            return None
        ns_id, name = self.namespaces.split(title)
        return name if ns_id == namespace else None

    def is_missing(self, call: PageCall) -> bool:
        """True when the page the call loads does not exist (or redirects nowhere)."""
        return self.final.get(call.title) is None

    def chain(self, call: PageCall) -> ChainReport | None:
        """The chain report of the called page, None when it is missing."""
        return self.chains.get(call.title)


def _analyze(document: Document, site: SiteContext) -> PageAnalysis:
    analysis = PageAnalysis(namespaces=site.namespaces)
    for node, start, end in document.iter_templates():
        call = classify_call(
            node.name,
            bool(node.params),
            magic=site.magic_words,
            namespaces=site.namespaces,
            page_title=document.title,
        )
        if call.title is not None and call.kind in (CallKind.TEMPLATE, CallKind.INVOKE):
            analysis.calls.append(PageCall(node, start, end, call))
    titles = list(dict.fromkeys(c.title for c in analysis.calls))
    if not titles:
        return analysis
    analysis.final = site.resolve(titles)
    existing = [t for t in titles if analysis.final.get(t) is not None]
    analysis.chains = graph_for(site).reports(existing)
    return analysis


def analyze_page(document: Document, site: SiteContext) -> PageAnalysis:
    """The (memoized) analysis of ``document`` against ``site``."""
    return document.memo(f"site-analysis:{id(site)}", lambda doc: _analyze(doc, site))


@dataclass(frozen=True, slots=True)
class Dependent:
    """A call on the page that needs a missing page."""

    title: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class MissingPage:
    """A page the wiki lacks and the calls on this page that need it.

    ``chains`` gives, for indirect needs, the path from the called page to the missing
    one (``Template:Sfn → Module:Footnotes → Module:Footnotes/anchor id list``).
    """

    title: str
    is_module: bool
    dependents: tuple[Dependent, ...]
    chains: tuple[MissingDependency, ...] = ()
    conditional: bool = False
    """True when every need is conditional (a branch, a function body)."""


def missing_dependencies(document: Document, site: SiteContext) -> list[MissingPage]:
    """Every page ``document`` needs that ``site`` lacks, with the calls that need it."""
    analysis = analyze_page(document, site)
    found: dict[str, dict[str, Any]] = {}
    namespaces = site.namespaces

    def entry(title: str, is_module: bool) -> dict[str, Any]:
        return found.setdefault(
            title,
            {"module": is_module, "dependents": [], "chains": [], "conditional": True},
        )

    for call in analysis.calls:
        dependent = Dependent(call.title, call.start, call.end)
        if analysis.is_missing(call):
            item = entry(call.title, namespaces.namespace_of(call.title) == MODULE)
            item["dependents"].append(dependent)
            item["conditional"] = False
            continue
        report = analysis.chain(call)
        for missing in report.missing if report else ():
            item = entry(missing.title, missing.is_module)
            item["dependents"].append(dependent)
            if missing not in item["chains"]:
                item["chains"].append(missing)
            item["conditional"] = item["conditional"] and missing.conditional
    return [
        MissingPage(
            title,
            bool(item["module"]),
            tuple(dict.fromkeys(item["dependents"])),
            tuple(item["chains"]),
            bool(item["conditional"]),
        )
        for title, item in found.items()
    ]
