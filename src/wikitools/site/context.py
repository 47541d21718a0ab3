"""SiteContext: the one interface through which rules learn about the target wiki."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wikitools.parsing.magicwords import MagicWords, builtin
from wikitools.titles import DEFAULT, Namespaces, unique


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What a wiki knows about one title: whether it exists and where it redirects."""

    title: str
    exists: bool
    redirect_target: str | None = None


class SiteContext(abc.ABC):
    """What exists on the target wiki, asked in batches and cached.

    Subclasses answer :meth:`_fetch_info` and :meth:`_fetch_texts` for lists of
    normalized titles; this base class normalizes, deduplicates and caches, so a live
    implementation can answer 50 titles per request.
    """

    def __init__(
        self, namespaces: Namespaces = DEFAULT, magic_words: MagicWords | None = None
    ) -> None:
        self.namespaces = namespaces
        self.magic_words = magic_words or builtin()
        """Which ``{{…}}`` names are parser functions and variables on this wiki."""
        self._info: dict[str, PageInfo] = {}
        self._texts: dict[str, str | None] = {}

    @abc.abstractmethod
    def _fetch_info(self, titles: list[str]) -> Mapping[str, PageInfo]:
        """Existence and redirect target of each normalized title (missing keys: absent)."""

    @abc.abstractmethod
    def _fetch_texts(self, titles: list[str]) -> Mapping[str, str | None]:
        """Current wikitext of each normalized title, None for missing pages."""

    def normalize(self, title: str, default_namespace: int = 0) -> str:
        """Normalize a title with this wiki's namespaces."""
        return self.namespaces.normalize(title, default_namespace)

    def page_info(self, titles: Iterable[str]) -> dict[str, PageInfo]:
        """Info for each normalized title, fetched in one batch for those not cached."""
        wanted = unique(titles)
        todo = [t for t in wanted if t not in self._info]
        if todo:
            found = self._fetch_info(todo)
            for title in todo:
                self._info[title] = found.get(title) or PageInfo(title, exists=False)
        return {t: self._info[t] for t in wanted}

    def exists(self, titles: Iterable[str]) -> dict[str, bool]:
        """Whether each normalized title exists (a redirect counts as existing)."""
        return {t: info.exists for t, info in self.page_info(titles).items()}

    def resolve(self, titles: Iterable[str], max_hops: int = 10) -> dict[str, str | None]:
        """The final page each title leads to after redirects; None when it is missing.

        Redirect cycles and chains longer than ``max_hops`` resolve to None.
        """
        result: dict[str, str | None] = {}
        current = {t: t for t in unique(titles)}
        seen: dict[str, set[str]] = {t: {t} for t in current}
        for _ in range(max_hops + 1):
            if not current:
                break
            infos = self.page_info(current.values())
            following: dict[str, str] = {}
            for origin, title in current.items():
                info = infos[title]
                if not info.exists:
                    result[origin] = None
                elif info.redirect_target is None:
                    result[origin] = title
                elif info.redirect_target in seen[origin]:
                    result[origin] = None
                else:
                    seen[origin].add(info.redirect_target)
                    following[origin] = info.redirect_target
            current = following
        for origin in current:
            result[origin] = None
        return result

    def texts(self, titles: Iterable[str]) -> dict[str, str | None]:
        """Wikitext of each normalized title (None when missing), fetched in one batch."""
        wanted = unique(titles)
        todo = [t for t in wanted if t not in self._texts]
        if todo:
            found = self._fetch_texts(todo)
            for title in todo:
                self._texts[title] = found.get(title)
        return {t: self._texts[t] for t in wanted}

    def text(self, title: str) -> str | None:
        """Wikitext of one normalized title, or None when it is missing."""
        return self.texts([title])[title]
