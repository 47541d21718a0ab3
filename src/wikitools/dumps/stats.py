"""What a dump holds: pages, revisions, namespaces, sizes and the templates used.

Template use is counted with one regex scan of each page's current text, not a full parse, so
statistics run at the speed of reading the dump. The scan sees ``{{Name`` followed by ``|`` or
``}}``; parser functions (``{{#if:``), magic words (``{{DEFAULTSORT:``, ``{{PAGENAME}}``) and
template parameters (``{{{1}}}``) are left out. Calls inside comments or ``<nowiki>`` count too.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from wikitools.dumps.model import Page, SiteInfo
from wikitools.titles import TEMPLATE, Namespaces

_TEMPLATE_CALL = re.compile(r"(?<!\{)\{\{(?!\{)\s*([^{}|\[\]<>\n#]+?)\s*(?=\||\}\})")

#: Prefixes before ``:`` that make a call a parser function or modifier, not a template.
_FUNCTION_PREFIXES = frozenset(
    """
    defaultsort defaultsortkey defaultcategorysort displaytitle lc uc lcfirst ucfirst
    formatnum padleft padright plural grammar gender int urlencode anchorencode fullurl
    fullurle localurl localurle canonicalurl canonicalurle filepath ns nse server servername
    pagesincategory pagesincat numberofpages numberingroup pagesize protectionlevel
    protectionexpiry tag special speciale language dir bidi noexternallanguagelinks
    revisionid revisionday revisionday2 revisionmonth revisionmonth1 revisionyear
    revisiontimestamp revisionuser cascadingsources pagename pagenamee fullpagename
    fullpagenamee basepagename basepagenamee subpagename subpagenamee rootpagename
    rootpagenamee talkpagename talkpagenamee subjectpagename subjectpagenamee namespace
    namespacee namespacenumber talkspace talkspacee subjectspace subjectspacee pageid
    articlepath scriptpath stylepath contentlanguage contentlang formatdate dateformat
    localtime invoke
    """.split()  # noqa: SIM905
)
#: Modifiers that may precede a template name: ``{{subst:Foo}}``.
_MODIFIERS = ("subst:", "safesubst:", "msgnw:", "msg:", "raw:")
#: Magic variables written like a template without parameters.
_MAGIC_VARIABLES = frozenset(
    """
    ! = CURRENTYEAR CURRENTMONTH CURRENTMONTH1 CURRENTMONTH2 CURRENTMONTHNAME
    CURRENTMONTHNAMEGEN CURRENTMONTHABBREV CURRENTDAY CURRENTDAY2 CURRENTDOW CURRENTDAYNAME
    CURRENTTIME CURRENTHOUR CURRENTWEEK CURRENTTIMESTAMP LOCALYEAR LOCALMONTH LOCALMONTH1
    LOCALMONTH2 LOCALMONTHNAME LOCALMONTHNAMEGEN LOCALMONTHABBREV LOCALDAY LOCALDAY2 LOCALDOW
    LOCALDAYNAME LOCALTIME LOCALHOUR LOCALWEEK LOCALTIMESTAMP SITENAME SERVER SERVERNAME
    SCRIPTPATH STYLEPATH CURRENTVERSION CONTENTLANGUAGE CONTENTLANG DIRECTIONMARK DIRMARK
    PAGEID PAGENAME PAGENAMEE FULLPAGENAME FULLPAGENAMEE BASEPAGENAME BASEPAGENAMEE
    ROOTPAGENAME ROOTPAGENAMEE SUBPAGENAME SUBPAGENAMEE TALKPAGENAME TALKPAGENAMEE
    SUBJECTPAGENAME SUBJECTPAGENAMEE ARTICLEPAGENAME ARTICLEPAGENAMEE NAMESPACE NAMESPACEE
    NAMESPACENUMBER TALKSPACE TALKSPACEE SUBJECTSPACE SUBJECTSPACEE ARTICLESPACE ARTICLESPACEE
    REVISIONID REVISIONDAY REVISIONDAY2 REVISIONMONTH REVISIONMONTH1 REVISIONYEAR
    REVISIONTIMESTAMP REVISIONUSER REVISIONSIZE NUMBEROFPAGES NUMBEROFARTICLES NUMBEROFFILES
    NUMBEROFEDITS NUMBEROFUSERS NUMBEROFADMINS NUMBEROFACTIVEUSERS DISPLAYTITLE DEFAULTSORT
    NOEXTERNALLANGLINKS
    """.split()  # noqa: SIM905
)

#: Size classes for the histogram of page sizes (upper bounds in bytes).
SIZE_CLASSES: tuple[tuple[str, int | None], ...] = (
    ("< 1 KB", 1_000),
    ("1-10 KB", 10_000),
    ("10-100 KB", 100_000),
    ("100 KB-1 MB", 1_000_000),
    (">= 1 MB", None),
)


def template_names(text: str, namespaces: Namespaces) -> Iterable[str]:
    """Titles of the templates ``text`` calls (one per call), normalized.

    ``{{foo bar}}`` gives ``Template:Foo bar``; ``{{:Main page}}`` and ``{{User:X/box}}``
    give the page they transclude.
    """
    template_prefix = namespaces.names.get(TEMPLATE, "Template")
    for match in _TEMPLATE_CALL.finditer(text):
        name = match.group(1)
        lowered = name.lower()
        for modifier in _MODIFIERS:
            if lowered.startswith(modifier):
                name = name[len(modifier) :].strip()
                lowered = name.lower()
                break
        if not name or name in _MAGIC_VARIABLES:
            continue
        prefix, colon, _ = name.partition(":")
        if colon:
            prefix_folded = prefix.strip().lower()
            if prefix_folded in _FUNCTION_PREFIXES or prefix.strip().isupper():
                continue
        try:
            title = namespaces.normalize(name, TEMPLATE)
        except (IndexError, ValueError):  # pragma: no cover - defensive
            continue
        if title and title != f"{template_prefix}:":
            yield title


@dataclass
class NamespaceStats:
    """Counts for one namespace."""

    pages: int = 0
    redirects: int = 0
    revisions: int = 0
    bytes: int = 0


@dataclass
class DumpStats:
    """Statistics of a dump, accumulated page by page with :meth:`add`."""

    siteinfo: SiteInfo = field(default_factory=SiteInfo)
    pages: int = 0
    redirects: int = 0
    revisions: int = 0
    pages_without_text: int = 0
    bytes: int = 0
    """UTF-8 size of every page's current text."""
    largest: list[tuple[int, str]] = field(default_factory=list)
    namespaces: dict[int, NamespaceStats] = field(default_factory=dict)
    models: Counter[str] = field(default_factory=Counter)
    size_classes: Counter[str] = field(default_factory=Counter)
    templates: Counter[str] = field(default_factory=Counter)
    """Template title → number of calls."""
    template_pages: Counter[str] = field(default_factory=Counter)
    """Template title → number of pages calling it."""
    first_timestamp: str | None = None
    last_timestamp: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    keep_largest: int = 10

    def __post_init__(self) -> None:
        self._namespaces = self.siteinfo.to_namespaces()

    def add(self, page: Page) -> None:
        """Account for one page."""
        self.pages += 1
        ns = self.namespaces.get(page.ns)
        if ns is None:
            ns = self.namespaces[page.ns] = NamespaceStats()
        ns.pages += 1
        ns.revisions += len(page.revisions)
        self.revisions += len(page.revisions)
        if page.redirect is not None:
            self.redirects += 1
            ns.redirects += 1
        for revision in page.revisions:
            stamp = revision.timestamp
            if stamp:
                if self.first_timestamp is None or stamp < self.first_timestamp:
                    self.first_timestamp = stamp
                if self.last_timestamp is None or stamp > self.last_timestamp:
                    self.last_timestamp = stamp
        self.models[page.model or "unknown"] += 1
        text = page.text
        if text is None:
            self.pages_without_text += 1
            return
        size = len(text.encode("utf-8"))
        self.bytes += size
        ns.bytes += size
        for label, bound in SIZE_CLASSES:
            if bound is None or size < bound:
                self.size_classes[label] += 1
                break
        entry = (size, page.title)
        if len(self.largest) < self.keep_largest:
            heapq.heappush(self.largest, entry)
        elif entry > self.largest[0]:
            heapq.heapreplace(self.largest, entry)
        if page.is_wikitext and "{{" in text:
            calls = Counter(template_names(text, self._namespaces))
            self.templates.update(calls)
            self.template_pages.update(calls.keys())

    def namespace_name(self, ns: int) -> str:
        """The display name of a namespace id (``(main)`` for 0)."""
        if ns == 0:
            return "(main)"
        return self._namespaces.names.get(ns) or str(ns)

    def top_templates(self, count: int = 20) -> list[tuple[str, int, int]]:
        """The most used templates as ``(title, calls, pages)``, by pages then calls."""
        ranked = sorted(
            self.template_pages.items(), key=lambda item: (-item[1], -self.templates[item[0]])
        )
        return [(title, self.templates[title], pages) for title, pages in ranked[:count]]

    def as_dict(self, top: int = 20) -> dict[str, Any]:
        """A JSON-ready summary."""
        info = self.siteinfo
        return {
            "site": {
                "sitename": info.sitename,
                "dbname": info.dbname,
                "generator": info.generator,
                "schema": info.version,
                "case": info.case,
            },
            "pages": self.pages,
            "redirects": self.redirects,
            "revisions": self.revisions,
            "pages_without_text": self.pages_without_text,
            "bytes": self.bytes,
            "mean_bytes": round(self.bytes / (self.pages - self.pages_without_text))
            if self.pages > self.pages_without_text
            else 0,
            "first_timestamp": self.first_timestamp,
            "last_timestamp": self.last_timestamp,
            "namespaces": [
                {
                    "id": ns_id,
                    "name": self.namespace_name(ns_id),
                    "pages": ns.pages,
                    "redirects": ns.redirects,
                    "revisions": ns.revisions,
                    "bytes": ns.bytes,
                }
                for ns_id, ns in sorted(self.namespaces.items())
            ],
            "models": dict(self.models.most_common()),
            "size_classes": {label: self.size_classes[label] for label, _ in SIZE_CLASSES},
            "largest": [
                {"title": title, "bytes": size}
                for size, title in sorted(self.largest, reverse=True)
            ],
            "templates": {
                "distinct": len(self.templates),
                "calls": sum(self.templates.values()),
                "top": [
                    {"title": title, "calls": calls, "pages": pages}
                    for title, calls, pages in self.top_templates(top)
                ],
            },
            "skipped": dict(self.skipped),
        }


def dump_stats(
    pages: Iterable[Page],
    siteinfo: SiteInfo,
    progress: Callable[[], None] | None = None,
) -> DumpStats:
    """Statistics over ``pages`` (for example a :class:`~wikitools.dumps.DumpReader`)."""
    stats = DumpStats(siteinfo=siteinfo)
    for page in pages:
        stats.add(page)
        if progress is not None:
            progress()
    return stats
