"""SiteContext answered by a live wiki through the Action API, in batches, with caching."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from wikitools.mediawiki.pages import batched, read_pages
from wikitools.parsing.magicwords import MagicWords
from wikitools.site.context import PageInfo, SiteContext
from wikitools.titles import MODULE, TEMPLATE

#: Namespaces whose pages are read together with their existence (see ApiSiteContext).
PREFETCH_NAMESPACES: frozenset[int] = frozenset({TEMPLATE, MODULE})

if TYPE_CHECKING:
    from wikitools.mediawiki.wiki import Wiki


class ApiSiteContext(SiteContext):
    """What exists on a live wiki, asked :attr:`Wiki.batch_size` titles per request.

    Existence and redirect targets come from ``prop=info&redirects`` (targets of redirect
    chains are cached on the way); page sources from batched revision reads. For titles in
    ``prefetch_namespaces`` (templates and modules by default) the existence lookup reads
    the sources in the same request when every title asked is in one of them: the
    dependency-chain rules need the text of every template and module that exists, so
    following a chain costs one round trip per level instead of two, and an existence
    question about articles never downloads their text. Everything is cached for the life
    of the object, so each title costs at most one lookup. :attr:`requests` counts the
    requests this context sent.
    """

    def __init__(
        self, wiki: Wiki, *, prefetch_namespaces: Collection[int] = PREFETCH_NAMESPACES
    ) -> None:
        info = wiki.siteinfo
        magic_words = (
            MagicWords.from_siteinfo(info.magicwords, info.functionhooks, info.variables)
            if info.magicwords
            else None
        )
        super().__init__(wiki.namespaces, magic_words)
        self.wiki = wiki
        self.prefetch_namespaces = frozenset(prefetch_namespaces)
        self.requests = 0

    def _fetch_info(self, titles: list[str]) -> Mapping[str, PageInfo]:
        found: dict[str, PageInfo] = {}
        size = self.wiki.batch_size
        before = self.wiki.stats.total
        namespace_of = self.namespaces.namespace_of
        read_texts = all(namespace_of(t) in self.prefetch_namespaces for t in titles)
        try:
            for batch in batched(titles, size):
                found.update(self._info_batch(batch, read_texts=read_texts))
        finally:
            self.requests += self.wiki.stats.total - before
        return found

    def _info_batch(self, batch: list[str], *, read_texts: bool) -> dict[str, PageInfo]:
        normalized: dict[str, str] = {}
        redirects: dict[str, str] = {}
        exists: dict[str, bool] = {}
        texts: dict[str, str] = {}
        params: dict[str, Any] = {"prop": "info", "titles": batch, "redirects": True}
        if read_texts:
            params.update(prop="info|revisions", rvprop="content", rvslots="main")
        for answer in self.wiki.query(params):
            query = answer.get("query", {})
            for item in query.get("normalized", []):
                normalized[item["from"]] = item["to"]
            for item in query.get("redirects", []):
                redirects[item["from"]] = item["to"]
            for page in query.get("pages", []):
                exists[page["title"]] = not (
                    page.get("missing") or page.get("invalid") or page.get("special")
                )
                text = _main_slot_text(page)
                if text is not None:
                    texts[page["title"]] = text
            for item in query.get("interwiki", []):
                exists[item["title"]] = False
        for title, text in texts.items():
            self._texts.setdefault(title, text)
        result: dict[str, PageInfo] = {}
        for title in batch:
            canonical = normalized.get(title, title)
            result[title] = self._info_of(canonical, redirects, exists, title)
        # Redirect chains were resolved on the way: remember the hops as well.
        for source in redirects:
            if source not in self._info and source not in result:
                self._info[source] = self._info_of(source, redirects, exists, source)
        for target, present in exists.items():
            if target not in self._info and target not in result and target not in redirects:
                self._info[target] = PageInfo(target, present)
        return result

    @staticmethod
    def _info_of(
        canonical: str, redirects: dict[str, str], exists: dict[str, bool], title: str
    ) -> PageInfo:
        target = redirects.get(canonical)
        if target is not None:
            return PageInfo(title, exists=True, redirect_target=target)
        return PageInfo(title, exists=exists.get(canonical, False))

    def _fetch_texts(self, titles: list[str]) -> Mapping[str, str | None]:
        size = self.wiki.batch_size
        before = self.wiki.stats.total
        try:
            pages = list(read_pages(self.wiki.transport, titles, batch_size=size))
        finally:
            self.requests += self.wiki.stats.total - before
        return {page.requested: page.text if page.ok else None for page in pages}


def _main_slot_text(page: dict[str, Any]) -> str | None:
    """The main-slot text of the current revision in a ``prop=revisions`` page entry."""
    revisions = page.get("revisions") or ()
    if not revisions:
        return None
    content = revisions[0].get("slots", {}).get("main", {}).get("content")
    return content if isinstance(content, str) else None
