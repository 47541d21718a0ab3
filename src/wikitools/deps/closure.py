"""The dependency closure: every page a set of seed pages needs from a source wiki.

The union of two views, iterated until nothing new appears:

* the source's own ``templatelinks`` of the seeds (what ``generator=templates`` lists):
  flattened by MediaWiki, it holds every template and module the last render
  transcluded, ``require``d or ``mw.loadData``-ed, and the TemplateStyles pages;
* the static scan of each page (:mod:`wikitools.deps.scan`): what the render did not
  take — untaken branches, a ``require`` inside a function, redirects (alias and target).

A name joined to a variable is followed by a prefix listing of the source; fully dynamic
names are reported. ``/doc``, ``/sandbox`` and ``/testcases`` pages are skipped unless
asked. Pure: the wiki is reached only through a :class:`DepsSource`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from wikitools.deps.scan import PageScan, is_partial_page, scan_page
from wikitools.parsing.magicwords import MagicWords
from wikitools.titles import Namespaces, unique


def text_sha1(text: str) -> str:
    """The hex SHA-1 MediaWiki reports for a text (``rvprop=sha1``)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class SourcePage:
    """The current revision of one page on a wiki."""

    title: str
    text: str
    model: str
    sha1: str = ""
    """Hex SHA-1 of the text (computed when the source does not say)."""
    revid: int | None = None
    timestamp: str | None = None
    user: str | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        if not self.sha1:
            object.__setattr__(self, "sha1", text_sha1(self.text))


class DepsSource(Protocol):
    """Where the pages come from: a live wiki, a dump or export file, a ``pull`` directory."""

    name: str
    """A label for messages (the api.php URL or the path)."""
    namespaces: Namespaces
    magic_words: MagicWords

    def read(self, titles: Sequence[str]) -> Mapping[str, SourcePage]:
        """The current revision of each normalized title that exists (redirects not followed)."""
        ...

    def templates(self, titles: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """The ``templatelinks`` of each title (empty for sources that have none)."""
        ...

    def prefix_titles(self, prefix: str) -> Sequence[str]:
        """Titles starting with ``prefix`` (its namespace prefix selects the namespace)."""
        ...


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a page is in the closure: ``by`` names it, ``how`` (transclusion, require, ...)."""

    by: str
    how: str
    line: int | None = None

    def describe(self) -> str:
        """``Module:Footnotes (require, line 3)``."""
        where = f", line {self.line}" if self.line else ""
        return f"{self.by} ({self.how}{where})"


@dataclass(frozen=True, slots=True)
class DynamicName:
    """A page name built at run time that the closure cannot follow (or followed by prefix)."""

    page: str
    how: str
    line: int | None
    prefix: str | None = None
    matched: tuple[str, ...] = ()
    """The pages the prefix listing found."""

    def describe(self) -> str:
        """One line for the plan."""
        where = f":{self.line}" if self.line else ""
        if self.prefix is None:
            return f"{self.page}{where}: {self.how} with a name built at run time (not followed)"
        found = ", ".join(self.matched) or "no page"
        return f"{self.page}{where}: {self.how} of {self.prefix!r} .. something: {found}"


@dataclass
class Closure:
    """The pages the seeds need, each with its reasons, and what could not be followed."""

    seeds: tuple[str, ...]
    pages: dict[str, SourcePage] = field(default_factory=dict)
    """Every page found on the source (seeds included), in discovery order."""
    reasons: dict[str, list[Reason]] = field(default_factory=dict)
    missing: dict[str, list[Reason]] = field(default_factory=dict)
    """Pages named but absent from the source too."""
    dynamic: list[DynamicName] = field(default_factory=list)
    skipped: dict[str, list[Reason]] = field(default_factory=dict)
    """``/doc``, ``/sandbox`` and ``/testcases`` pages left out."""
    scans: dict[str, PageScan] = field(default_factory=dict)

    @property
    def dependencies(self) -> list[str]:
        """The pages needed, seeds excluded."""
        return [t for t in self.pages if t not in self.seeds]

    def needed_by_seeds(self, title: str) -> list[str]:
        """The seeds whose closure reaches ``title`` (walking the reasons back)."""
        found: list[str] = []
        seen = {title}
        todo = [title]
        while todo:
            current = todo.pop()
            if current in self.seeds and current not in found:
                found.append(current)
            for reason in self.reasons.get(current, ()):
                if reason.by not in seen:
                    seen.add(reason.by)
                    todo.append(reason.by)
        return found


def compute_closure(
    source: DepsSource,
    seeds: Iterable[str],
    *,
    include_partial: bool = False,
    extra_texts: Mapping[str, tuple[str, str]] | None = None,
    use_templatelinks: bool = True,
) -> Closure:
    """The closure of ``seeds`` on ``source``.

    ``extra_texts`` maps a seed title to ``(text, model)`` of another version of it (the
    target's own article): what that version calls is needed too. ``include_partial``
    keeps ``/doc``, ``/sandbox`` and ``/testcases`` pages.
    """
    namespaces = source.namespaces
    roots = unique(namespaces.normalize(t) for t in seeds)
    closure = Closure(tuple(roots))
    seen: set[str] = set()
    frontier = list(roots)
    listed: dict[str, Sequence[str]] = {}

    def want(title: str, reason: Reason, into: list[str]) -> None:
        if title == reason.by:
            return
        if not include_partial and is_partial_page(title) and title not in closure.seeds:
            closure.skipped.setdefault(title, []).append(reason)
            return
        reasons = closure.reasons.setdefault(title, [])
        if reason not in reasons:
            reasons.append(reason)
        if title not in seen:
            into.append(title)

    def follow(title: str, scan: PageScan, into: list[str]) -> None:
        for ref in scan.references:
            want(ref.target, Reason(title, ref.how, ref.line), into)
        for item in scan.prefixes:
            assert item.prefix is not None
            if item.prefix not in listed:
                listed[item.prefix] = [
                    namespaces.normalize(t) for t in source.prefix_titles(item.prefix)
                ]
            matched = tuple(listed[item.prefix])
            closure.dynamic.append(DynamicName(title, item.how, item.line, item.prefix, matched))
            for target in matched:
                want(target, Reason(title, f"{item.how} by prefix", item.line), into)
        for item in scan.dynamic:
            closure.dynamic.append(DynamicName(title, item.how, item.line))

    while frontier:
        batch = [t for t in unique(frontier) if t not in seen]
        seen.update(batch)
        found = source.read(batch) if batch else {}
        # The seeds' templatelinks are already flattened (everything their render loaded);
        # a template page's own links would add its <noinclude> documentation.
        with_links = [t for t in batch if t in found and t in closure.seeds]
        links = source.templates(with_links) if use_templatelinks and with_links else {}
        following: list[str] = []
        for title in batch:
            page = found.get(title)
            if page is None:
                if title not in closure.seeds:
                    closure.missing[title] = closure.reasons.pop(title, [])
                continue
            closure.pages[title] = page
            scan = scan_page(
                title,
                page.text,
                page.model,
                namespaces,
                source.magic_words,
                transcluded=title not in closure.seeds,
            )
            closure.scans[title] = scan
            follow(title, scan, following)
            for linked in links.get(title, ()):
                want(namespaces.normalize(linked), Reason(title, "templatelinks"), following)
        for title, (text, model) in (extra_texts or {}).items():
            if title in batch:
                extra = scan_page(
                    title, text, model, namespaces, source.magic_words, transcluded=False
                )
                follow(title, extra, following)
        frontier = following
    return closure
