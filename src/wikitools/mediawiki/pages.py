"""Batched page reads: text, revision id and timestamp of many titles per request."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from wikitools.mediawiki.query import iter_query
from wikitools.mediawiki.transport import Transport
from wikitools.titles import unique

#: Titles per request for ordinary users; ``apihighlimits`` raises it to 500.
BATCH_SIZE = 50
HIGH_BATCH_SIZE = 500

_MAX_REDIRECT_HOPS = 10

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page:
    """One title as the wiki answered it, with the current revision when it exists.

    ``timestamp`` is the revision's timestamp (an edit's ``basetimestamp``); ``read_at``
    is the server time of the read (its ``starttimestamp``). ``invalid`` holds the
    reason when the title cannot name a page (bad characters, interwiki, special page).
    """

    requested: str
    title: str
    exists: bool
    pageid: int | None = None
    revid: int | None = None
    timestamp: str | None = None
    text: str | None = None
    contentmodel: str | None = None
    read_at: str | None = None
    redirected_from: str | None = None
    invalid: str | None = None

    @property
    def ok(self) -> bool:
        """True when the page exists and its text was read."""
        return self.exists and self.invalid is None and self.text is not None


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def read_pages(
    transport: Transport,
    titles: Iterable[str],
    *,
    batch_size: int = BATCH_SIZE,
    follow_redirects: bool = False,
    content: bool = True,
) -> Iterator[Page]:
    """Read pages ``batch_size`` titles per request, in the order asked (repeats dropped).

    Each request asks for ``prop=revisions`` with ``rvslots=main``; continuations (when
    ``$wgAPIMaxResultSize`` cuts a large batch) are followed. With ``follow_redirects``
    a redirect title answers with its target page and ``redirected_from`` set.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    for batch in batched(unique(titles), batch_size):
        yield from _read_batch(transport, batch, follow_redirects=follow_redirects, content=content)


def _read_batch(
    transport: Transport, batch: list[str], *, follow_redirects: bool, content: bool
) -> list[Page]:
    params = {
        "prop": "revisions",
        "rvprop": "ids|timestamp|content" if content else "ids|timestamp",
        "rvslots": "main",
        "titles": batch,
        "curtimestamp": True,
        "redirects": follow_redirects,
    }
    normalized: dict[str, str] = {}
    redirects: dict[str, str] = {}
    interwiki: set[str] = set()
    entries: dict[str, dict[str, Any]] = {}
    read_at: str | None = None
    for answer in iter_query(transport, params):
        read_at = read_at or answer.get("curtimestamp")
        query = answer.get("query", {})
        for item in query.get("normalized", []):
            normalized[item["from"]] = item["to"]
        for item in query.get("redirects", []):
            redirects[item["from"]] = item["to"]
        for item in query.get("interwiki", []):
            interwiki.add(item["title"])
        for entry in query.get("pages", []):
            known = entries.setdefault(entry["title"], entry)
            if "revisions" in entry and "revisions" not in known:
                known["revisions"] = entry["revisions"]
    return [
        _page_for(title, normalized, redirects, interwiki, entries, read_at, content)
        for title in batch
    ]


def _page_for(
    requested: str,
    normalized: dict[str, str],
    redirects: dict[str, str],
    interwiki: set[str],
    entries: dict[str, dict[str, Any]],
    read_at: str | None,
    content: bool,
) -> Page:
    title = normalized.get(requested, requested)
    if title in interwiki:
        return Page(requested, title, exists=False, invalid="interwiki title")
    origin: str | None = None
    seen = {title}
    for _ in range(_MAX_REDIRECT_HOPS):
        target = redirects.get(title)
        if target is None or target in seen:
            break
        origin = origin or title
        seen.add(target)
        title = target
    entry = entries.get(title)
    if entry is None:
        return Page(requested, title, exists=False, read_at=read_at, redirected_from=origin)
    if entry.get("invalid"):
        reason = str(entry.get("invalidreason", "invalid title"))
        return Page(requested, title, exists=False, invalid=reason)
    if entry.get("special"):
        return Page(requested, title, exists=False, invalid="special page")
    if entry.get("missing") or "revisions" not in entry:
        return Page(requested, title, exists=False, read_at=read_at, redirected_from=origin)
    revision = entry["revisions"][0]
    slot = revision.get("slots", {}).get("main", {})
    text = slot.get("content") if content else None
    invalid = None
    if content and text is None:
        invalid = "revision text is hidden" if slot.get("texthidden") else "no text returned"
    return Page(
        requested,
        title,
        exists=True,
        pageid=entry.get("pageid"),
        revid=revision.get("revid"),
        timestamp=revision.get("timestamp"),
        text=text,
        contentmodel=slot.get("contentmodel"),
        read_at=read_at,
        redirected_from=origin,
        invalid=invalid,
    )
