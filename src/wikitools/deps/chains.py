"""Dependency chains: which pages a template or module needs, and which of them are missing.

Edges followed (all looked up through a :class:`SiteContext`, in batches):

* a template body (as transcluded: ``<noinclude>`` dropped, ``<onlyinclude>`` honoured)
  → the templates it transcludes and the modules it invokes;
* a module → the modules it loads with ``require`` or ``mw.loadData``
  (:mod:`wikitools.deps.lua`);
* a redirect → its target.

Cycles are handled (each page is expanded once). An edge is *conditional* when it sits in
a branch of ``{{#if:}}``/``{{#switch:}}``/…, in a parameter default, or inside a Lua
function body; ``pcall(require, …)`` is never an error and is not followed. A chain is
*broken* when a missing page is reachable over unconditional edges; reachable only over
conditional ones, it *may* break.
"""

from __future__ import annotations

import enum
import logging
import re
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Argument, Comment, Template

from wikitools.contentmodel import SCRIBUNTO, WIKITEXT, default_model
from wikitools.deps.lua import LoadKind, find_dependencies, is_builtin_library
from wikitools.parsing.calls import CallKind, classify_call
from wikitools.site.context import SiteContext
from wikitools.titles import MODULE

logger = logging.getLogger(__name__)

#: Parser functions whose arguments are only expanded on some branches.
CONDITIONAL_FUNCTIONS: frozenset[str] = frozenset(
    {"#if", "#ifeq", "#ifexpr", "#iferror", "#ifexist", "#switch"}
)


class DependencyKind(enum.Enum):
    """How one page needs another."""

    TRANSCLUDE = "transclude"
    INVOKE = "invoke"
    REQUIRE = "require"
    LOAD_DATA = "mw.loadData"
    LOAD_JSON_DATA = "mw.loadJsonData"
    REDIRECT = "redirect"

    @property
    def is_module_load(self) -> bool:
        """True for edges that load a Lua module (invoke, require, loadData)."""
        return self is not DependencyKind.TRANSCLUDE and self is not DependencyKind.REDIRECT


_LOAD_KINDS = {
    LoadKind.REQUIRE: DependencyKind.REQUIRE,
    LoadKind.LOAD_DATA: DependencyKind.LOAD_DATA,
    LoadKind.LOAD_JSON_DATA: DependencyKind.LOAD_JSON_DATA,
}


@dataclass(frozen=True, slots=True)
class Dependency:
    """An edge: ``source`` needs ``target`` (normalized titles)."""

    source: str
    target: str
    kind: DependencyKind
    conditional: bool = False
    line: int | None = None
    """1-based line in the source page (Lua dependencies)."""


@dataclass(frozen=True, slots=True)
class MissingDependency:
    """A page a chain needs that the wiki does not have.

    ``path`` runs from the root page to the page that needs ``title`` (inclusive);
    ``kind`` is how that last page needs it.
    """

    title: str
    kind: DependencyKind
    path: tuple[str, ...]
    conditional: bool

    @property
    def needed_by(self) -> str:
        """The page whose source names the missing one."""
        return self.path[-1]

    @property
    def is_module(self) -> bool:
        """True when the missing page is loaded as a Lua module."""
        return self.kind.is_module_load

    def describe(self) -> str:
        """``Template:Sfn → Module:Footnotes → Module:Footnotes/anchor id list``."""
        return " → ".join((*self.path, self.title))


@dataclass(frozen=True, slots=True)
class ChainReport:
    """Everything missing below one root page (a template or module)."""

    root: str
    exists: bool
    missing: tuple[MissingDependency, ...] = ()
    pages: frozenset[str] = field(default_factory=frozenset)
    """Every existing page the chain reaches (the root included)."""

    @property
    def missing_modules(self) -> tuple[MissingDependency, ...]:
        """Missing pages loaded as Lua modules."""
        return tuple(m for m in self.missing if m.is_module)

    @property
    def broken(self) -> bool:
        """True when a module is certainly missing (reachable over unconditional edges)."""
        return any(m.is_module and not m.conditional for m in self.missing)

    @property
    def may_break(self) -> bool:
        """True when some missing module is reachable (perhaps only conditionally)."""
        return bool(self.missing_modules)


_NOINCLUDE = re.compile(r"<noinclude\s*>.*?(?:</noinclude\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_INCLUDEONLY_TAG = re.compile(r"</?includeonly\s*>|<noinclude\s*/>", re.IGNORECASE)
_ONLYINCLUDE = re.compile(
    r"<onlyinclude\s*>(.*?)(?:</onlyinclude\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def transcluded_text(text: str) -> str:
    """The part of a page a transclusion sees: comments and ``<noinclude>`` removed,
    ``<includeonly>`` tags dropped (content kept), only ``<onlyinclude>`` parts if any."""
    text = _COMMENT.sub("", text)
    only = _ONLYINCLUDE.findall(text)
    if only:
        text = "".join(only)
    text = _NOINCLUDE.sub("", text)
    return _INCLUDEONLY_TAG.sub("", text)


def _walk_calls(code: Any, conditional: bool) -> Iterator[tuple[Any, bool]]:
    """Yield (template node, conditional) for every ``{{…}}`` in a Wikicode tree."""
    for node in code.nodes:
        if isinstance(node, Comment):
            continue
        if isinstance(node, Template):
            yield node, conditional
            yield from _walk_calls(node.name, conditional)
            name = str(node.name).strip().lower()
            branchy = conditional or name.split(":", 1)[0] in CONDITIONAL_FUNCTIONS
            for param in node.params:
                if param.showkey:
                    yield from _walk_calls(param.name, branchy)
                yield from _walk_calls(param.value, branchy)
        elif isinstance(node, Argument):
            yield from _walk_calls(node.name, conditional)
            if node.default is not None:
                yield from _walk_calls(node.default, True)
        else:
            for child in node.__children__():
                yield from _walk_calls(child, conditional)


class DependencyGraph:
    """The dependency graph of a site, built lazily and cached (one per :class:`SiteContext`).

    Use :func:`graph_for` to share one graph between all pages checked against a site.
    """

    def __init__(self, site: SiteContext) -> None:
        self.site = site
        self._resolved: dict[str, str | None] = {}
        self._edges: dict[str, tuple[Dependency, ...]] = {}
        self._unloadable: set[str] = set()

    # -- building -----------------------------------------------------------------

    def _expand(self, roots: Iterable[str]) -> None:
        frontier = [t for t in dict.fromkeys(roots) if t not in self._resolved]
        while frontier:
            resolved = self.site.resolve(frontier)
            self._resolved.update(resolved)
            todo = [r for r in dict.fromkeys(resolved.values()) if r and r not in self._edges]
            texts = self.site.texts(todo) if todo else {}
            following: list[str] = []
            for title in todo:
                edges = self._parse(title, texts.get(title))
                self._edges[title] = edges
                following.extend(e.target for e in edges)
            for origin, final in resolved.items():
                if final is not None and final != origin:
                    following.append(final)
            frontier = [t for t in dict.fromkeys(following) if t not in self._resolved]

    def _parse(self, title: str, text: str | None) -> tuple[Dependency, ...]:
        if text is None:
            return ()
        namespaces = self.site.namespaces
        model = default_model(namespaces.namespace_of(title), title, namespaces)
        if model == SCRIBUNTO:
            edges: list[Dependency] = []
            for dep in find_dependencies(text):
                if dep.optional or dep.name is None:
                    if dep.name is None:
                        logger.debug("%s:%d: dynamic %s, not followed", title, dep.line, dep.kind)
                    continue
                if is_builtin_library(dep.name):
                    continue
                target = namespaces.parse(dep.name)
                target_title = target.full if target is not None else dep.name
                if target is None or target.namespace != MODULE:
                    self._unloadable.add(target_title)
                edges.append(
                    Dependency(
                        title, target_title, _LOAD_KINDS[dep.kind], dep.in_function, dep.line
                    )
                )
            return tuple(edges)
        if model != WIKITEXT:
            return ()  # JSON data, stylesheets and scripts call nothing
        code = mwparserfromhell.parse(transcluded_text(text), skip_style_tags=True)
        found: dict[tuple[str, DependencyKind], Dependency] = {}
        for node, conditional in _walk_calls(code, False):
            call = classify_call(
                node.name,
                bool(node.params),
                magic=self.site.magic_words,
                namespaces=namespaces,
                page_title=title,
            )
            if call.title is None or call.kind not in (CallKind.TEMPLATE, CallKind.INVOKE):
                continue
            kind = (
                DependencyKind.INVOKE if call.kind is CallKind.INVOKE else DependencyKind.TRANSCLUDE
            )
            key = (call.title, kind)
            if key not in found or (found[key].conditional and not conditional):
                found[key] = Dependency(title, call.title, kind, conditional)
        return tuple(found.values())

    # -- querying -----------------------------------------------------------------

    def edges(self, title: str) -> tuple[Dependency, ...]:
        """The dependencies of one page (after following its redirect)."""
        self._expand([title])
        final = self._resolved.get(title)
        return self._edges.get(final, ()) if final else ()

    def reports(self, roots: Iterable[str]) -> dict[str, ChainReport]:
        """A :class:`ChainReport` for each root title, fetching what is needed in batches."""
        wanted = list(dict.fromkeys(roots))
        self._expand(wanted)
        return {root: self._report(root) for root in wanted}

    def report(self, root: str) -> ChainReport:
        """The :class:`ChainReport` of one root title."""
        return self.reports([root])[root]

    def _missing(self, title: str) -> bool:
        return title in self._unloadable or self._resolved.get(title) is None

    def _report(self, root: str) -> ChainReport:
        if self._missing(root):
            return ChainReport(root, exists=False)
        missing: dict[str, MissingDependency] = {}
        pages: set[str] = set()
        for only_certain in (True, False):
            start = self._resolved.get(root)
            first = (root,) if start in (None, root) else (root, str(start))
            queue: deque[tuple[str, tuple[str, ...]]] = deque([(root, first)])
            seen = {root}
            while queue:
                title, path = queue.popleft()
                final = self._resolved.get(title)
                if final is None:
                    continue
                pages.add(final)
                for edge in self._edges.get(final, ()):
                    if only_certain and edge.conditional:
                        continue
                    target = edge.target
                    if self._missing(target):
                        if target not in missing:
                            missing[target] = MissingDependency(
                                target, edge.kind, path, conditional=not only_certain
                            )
                        continue
                    if target in seen:
                        continue
                    seen.add(target)
                    step = (*path, target)
                    resolved = self._resolved.get(target)
                    if resolved is not None and resolved != target:
                        step = (*step, resolved)
                        seen.add(resolved)
                    queue.append((target, step))
        return ChainReport(root, True, tuple(missing.values()), frozenset(pages))


_GRAPHS: weakref.WeakKeyDictionary[SiteContext, DependencyGraph] = weakref.WeakKeyDictionary()


def graph_for(site: SiteContext) -> DependencyGraph:
    """The shared :class:`DependencyGraph` of ``site`` (created on first use)."""
    graph = _GRAPHS.get(site)
    if graph is None:
        graph = DependencyGraph(site)
        _GRAPHS[site] = graph
    return graph
