"""``action=query`` iteration that follows ``continue`` until the result is complete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wikitools.mediawiki.transport import Params, Transport


def iter_query(
    transport: Transport, params: Params, *, post: bool = False
) -> Iterator[dict[str, Any]]:
    """Yield each answer of a query, merging the ``continue`` object into the next request.

    ``params`` need not contain ``action=query``; it is added.
    """
    base: dict[str, Any] = {"action": "query", **params}
    carry: dict[str, Any] = {}
    while True:
        answer = transport.call({**base, **carry}, post=post)
        yield answer
        follow = answer.get("continue")
        if not isinstance(follow, dict) or not follow:
            return
        carry = {str(k): str(v) for k, v in follow.items()}


def iter_list(
    transport: Transport, name: str, params: Params, *, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the items of ``list=name`` across continuations (at most ``limit`` items)."""
    count = 0
    for answer in iter_query(transport, {"list": name, **params}):
        for item in answer.get("query", {}).get(name, []):
            yield item
            count += 1
            if limit is not None and count >= limit:
                return
