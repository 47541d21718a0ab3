"""A site as it will be after an import: the live site plus the pages a plan brings.

``fix-wiki --import-from`` in a dry run asks the rules what exists *after* the import, so a
call whose template or module the source has is left alone instead of being rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping

from wikitools.site.context import PageInfo, SiteContext
from wikitools.site.memory import MemorySite


class OverlaySite(SiteContext):
    """``base`` with ``pages`` (title → text) added on top."""

    def __init__(self, base: SiteContext, pages: Mapping[str, str]) -> None:
        super().__init__(base.namespaces, base.magic_words)
        self.base = base
        self.extra = MemorySite(pages, namespaces=base.namespaces)

    def _fetch_info(self, titles: list[str]) -> Mapping[str, PageInfo]:
        mine = [t for t in titles if t in self.extra.pages]
        found = dict(self.base.page_info([t for t in titles if t not in self.extra.pages]))
        found.update(self.extra.page_info(mine))
        return found

    def _fetch_texts(self, titles: list[str]) -> Mapping[str, str | None]:
        mine = [t for t in titles if t in self.extra.pages]
        found = dict(self.base.texts([t for t in titles if t not in self.extra.pages]))
        found.update(self.extra.texts(mine))
        return found
