"""Page sources: which titles a run works on (listed 500 per request, or from a file)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wikitools.errors import ConfigError, InputError
from wikitools.fileio import read_wikitext
from wikitools.titles import TEMPLATE

if TYPE_CHECKING:
    from wikitools.mediawiki.wiki import Wiki

CATEGORY = 14


def category_members(
    wiki: Wiki,
    category: str,
    *,
    depth: int = 0,
    namespaces: Sequence[int] | None = None,
) -> Iterator[str]:
    """Pages in ``category``; with ``depth`` > 0 also in its subcategories that deep.

    Subcategory pages themselves are not yielded unless ``namespaces`` includes 14.
    Each category is visited once, so category cycles end.
    """
    if depth < 0:
        raise ConfigError("category depth must be 0 or more")
    start = wiki.namespaces.normalize(category, CATEGORY)
    if wiki.namespaces.namespace_of(start) != CATEGORY:
        raise ConfigError(f"{category!r} is not a category title")
    seen = {start}
    level = [start]
    for current_depth in range(depth + 1):
        following: list[str] = []
        for cat in level:
            for item in wiki.iter_list(
                "categorymembers",
                {"cmtitle": cat, "cmlimit": "max", "cmprop": "title|ns"},
            ):
                title, ns = str(item["title"]), int(item["ns"])
                if ns == CATEGORY:
                    if current_depth < depth and title not in seen:
                        seen.add(title)
                        following.append(title)
                    if namespaces is None or CATEGORY not in namespaces:
                        continue
                if namespaces is None or ns in namespaces:
                    yield title
        level = following


def prefixed(wiki: Wiki, prefix: str) -> Iterator[str]:
    """Pages whose title starts with ``prefix`` (its namespace prefix selects the namespace)."""
    ns_id, rest = wiki.namespaces.split(prefix)
    for item in wiki.iter_list(
        "allpages", {"apprefix": rest, "apnamespace": ns_id, "aplimit": "max"}
    ):
        yield str(item["title"])


def embedding(
    wiki: Wiki, template: str, *, namespaces: Sequence[int] | None = None
) -> Iterator[str]:
    """Pages that transclude ``template`` (``Ka icon`` means ``Template:Ka icon``)."""
    title = wiki.namespaces.normalize(template, TEMPLATE)
    params: dict[str, str] = {"eititle": title, "eilimit": "max"}
    if namespaces is not None:
        params["einamespace"] = "|".join(str(n) for n in namespaces)
    for item in wiki.iter_list("embeddedin", params):
        yield str(item["title"])


def search(
    wiki: Wiki, text: str, *, namespaces: Sequence[int] = (0,), limit: int | None = None
) -> Iterator[str]:
    """Pages the wiki's search finds for ``text`` (its own search syntax applies)."""
    params = {
        "srsearch": text,
        "srnamespace": "|".join(str(n) for n in namespaces),
        "srlimit": "max",
        "srprop": "",
        "srwhat": "text",
    }
    for item in wiki.iter_list("search", params, limit=limit):
        yield str(item["title"])


def recent_changes(
    wiki: Wiki,
    hours: float,
    *,
    namespaces: Sequence[int] | None = None,
    clock: Callable[[], float] = time.time,
) -> Iterator[str]:
    """Pages edited or created in the last ``hours`` hours (newest first, each once)."""
    if hours <= 0:
        raise ConfigError("--recent-changes needs a positive number of hours")
    since = dt.datetime.fromtimestamp(clock() - hours * 3600, dt.UTC)
    params: dict[str, str] = {
        "rcend": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rctype": "edit|new",
        "rcprop": "title",
        "rclimit": "max",
    }
    if namespaces is not None:
        params["rcnamespace"] = "|".join(str(n) for n in namespaces)
    seen: set[str] = set()
    for item in wiki.iter_list("recentchanges", params):
        title = str(item["title"])
        if title not in seen:
            seen.add(title)
            yield title


def all_pages(wiki: Wiki, *, namespaces: Sequence[int] | None = None) -> Iterator[str]:
    """Every page (redirects left out) of ``namespaces`` (default: the main namespace)."""
    for ns in namespaces if namespaces is not None else (0,):
        for item in wiki.iter_list(
            "allpages",
            {"apnamespace": str(ns), "aplimit": "max", "apfilterredir": "nonredirects"},
        ):
            yield str(item["title"])


def titles_from_file(path: Path) -> list[str]:
    """Titles from a UTF-8 file, one a line; blank lines and ``#`` comments are skipped."""
    text = read_wikitext(path)
    titles = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            titles.append(line)
    return titles


@dataclass(frozen=True)
class PageSelection:
    """Which pages a run works on: the union of every source given, in order, without repeats."""

    titles: Sequence[str] = ()
    categories: Sequence[str] = ()
    depth: int = 0
    prefixes: Sequence[str] = ()
    embedded_in: Sequence[str] = ()
    searches: Sequence[str] = ()
    titles_files: Sequence[Path] = field(default_factory=tuple)
    recent_hours: float | None = None
    """Pages changed in the last so many hours."""
    all_pages: bool = False
    """Every page of :attr:`namespaces` (the main namespace when none is given)."""
    namespaces: Sequence[int] | None = None
    """Only pages in these namespaces (every source is filtered)."""
    extra: Sequence[Iterable[str]] = ()
    """More titles from other sources (e.g. dump candidates), iterated lazily."""

    @property
    def empty(self) -> bool:
        """True when no source was given."""
        return not (
            self.titles
            or self.categories
            or self.prefixes
            or self.embedded_in
            or self.searches
            or self.titles_files
            or self.recent_hours is not None
            or self.all_pages
            or self.extra
        )

    def iter_titles(self, wiki: Wiki) -> Iterator[str]:
        """Every selected title once, normalized with the wiki's namespaces."""
        if self.empty:
            raise InputError("no pages selected: give titles or a page source")
        seen: set[str] = set()
        wanted = None if self.namespaces is None else frozenset(self.namespaces)
        for title in self._raw(wiki):
            key = wiki.namespaces.normalize(title)
            if key in seen:
                continue
            if wanted is not None and wiki.namespaces.namespace_of(key) not in wanted:
                continue
            seen.add(key)
            yield key

    def _raw(self, wiki: Wiki) -> Iterable[str]:
        yield from self.titles
        for file in self.titles_files:
            yield from titles_from_file(file)
        for category in self.categories:
            yield from category_members(wiki, category, depth=self.depth)
        for prefix in self.prefixes:
            yield from prefixed(wiki, prefix)
        for template in self.embedded_in:
            yield from embedding(wiki, template)
        for text in self.searches:
            yield from search(wiki, text, namespaces=self.namespaces or (0,))
        if self.recent_hours is not None:
            yield from recent_changes(wiki, self.recent_hours, namespaces=self.namespaces)
        if self.all_pages:
            yield from all_pages(wiki, namespaces=self.namespaces)
        for source in self.extra:
            yield from source
