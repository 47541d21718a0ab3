"""Export XML (``action=query&export``) and import it (``action=import`` with an upload)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wikitools.errors import ApiError
from wikitools.mediawiki.transport import ParamValue


@dataclass(frozen=True, slots=True)
class ImportedPage:
    """One page ``action=import`` wrote, with the number of revisions it added."""

    title: str
    revisions: int


def export_params(titles: Sequence[str]) -> dict[str, ParamValue]:
    """Parameters for export XML (the wiki's own schema) of the current revisions of ``titles``."""
    return {"action": "query", "titles": list(titles), "export": True, "exportnowrap": True}


def import_params(
    *, summary: str = "", interwiki_prefix: str = "import", full_history: bool = True
) -> dict[str, ParamValue]:
    """Parameters for ``action=import`` of an uploaded XML file (token added by the caller).

    MediaWiki requires an interwiki prefix for uploads; it only shows in imported
    user names that have no local account.
    """
    return {
        "action": "import",
        "summary": summary or None,
        "interwikiprefix": interwiki_prefix,
        "fullhistory": full_history,
        "assignknownusers": True,
    }


def imported_pages(answer: dict[str, Any]) -> list[ImportedPage]:
    """Read the pages an ``action=import`` answer reports."""
    items = answer.get("import")
    if not isinstance(items, list):
        raise ApiError("badresponse", "the wiki's answer to the import listed no pages")
    pages: list[ImportedPage] = []
    for item in items:
        if item.get("invalid"):
            raise ApiError("importinvalid", f"{item.get('title', '?')}: invalid title in the XML")
        pages.append(ImportedPage(str(item.get("title", "")), int(item.get("revisions", 0))))
    return pages
