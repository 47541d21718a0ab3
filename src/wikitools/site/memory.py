"""A site held in memory: the base of the offline sources (inventory, directory, export)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from wikitools.parsing.magicwords import MagicWords
from wikitools.site.context import PageInfo, SiteContext
from wikitools.titles import DEFAULT, Namespaces

# MediaWiki's English redirect syntax: "#REDIRECT [[Target]]", optional colon, any case.
_REDIRECT = re.compile(r"\A\s*#REDIRECT\s*:?\s*\[\[([^\]|\n]+?)(?:\|[^\]]*)?\]\]", re.IGNORECASE)


def parse_redirect(text: str) -> str | None:
    """The raw target of a ``#REDIRECT [[Target]]`` page, or None for other pages."""
    match = _REDIRECT.match(text)
    return match.group(1).strip() if match else None


@dataclass(frozen=True, slots=True)
class StoredPage:
    """One page of an in-memory site. ``text`` is None when only existence is known."""

    title: str
    text: str | None = None
    redirect_target: str | None = None
    origin: str = ""
    """Where the page came from (file name, line), for error messages."""


class MemorySite(SiteContext):
    """A :class:`SiteContext` answering from a dictionary of pages.

    Titles are normalized on the way in, so ``add("template:ka_icon")`` makes
    ``Template:Ka icon`` exist.
    """

    def __init__(
        self,
        pages: Mapping[str, str | None] | None = None,
        *,
        redirects: Mapping[str, str] | None = None,
        namespaces: Namespaces = DEFAULT,
        magic_words: MagicWords | None = None,
        name: str = "memory",
    ) -> None:
        super().__init__(namespaces, magic_words)
        self.name = name
        """A label for messages: the file or directory the site was read from."""
        self.pages: dict[str, StoredPage] = {}
        for title, text in (pages or {}).items():
            self.add(title, text)
        for title, target in (redirects or {}).items():
            self.add_redirect(title, target)

    def add(self, title: str, text: str | None, origin: str = "") -> StoredPage:
        """Add (or replace) a page; a ``#REDIRECT`` text makes it a redirect."""
        normalized = self.normalize(title)
        target = parse_redirect(text) if text is not None else None
        page = StoredPage(
            normalized,
            text,
            self.normalize(target) if target is not None else None,
            origin,
        )
        self.pages[normalized] = page
        self._forget(normalized)
        return page

    def add_redirect(self, title: str, target: str, origin: str = "") -> StoredPage:
        """Add a redirect from ``title`` to ``target`` (text unknown)."""
        normalized = self.normalize(title)
        page = StoredPage(normalized, None, self.normalize(target), origin)
        self.pages[normalized] = page
        self._forget(normalized)
        return page

    def _forget(self, title: str) -> None:
        self._info.pop(title, None)
        self._texts.pop(title, None)

    def _fetch_info(self, titles: list[str]) -> Mapping[str, PageInfo]:
        found: dict[str, PageInfo] = {}
        for title in titles:
            page = self.pages.get(title)
            if page is not None:
                found[title] = PageInfo(title, True, page.redirect_target)
        return found

    def _fetch_texts(self, titles: list[str]) -> Mapping[str, str | None]:
        return {t: (self.pages[t].text if t in self.pages else None) for t in titles}

    def __len__(self) -> int:
        return len(self.pages)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {len(self.pages)} pages)"
