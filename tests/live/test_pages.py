"""Batched page reads on a real wiki: request counts, normalization, missing, invalid, redirects."""

from __future__ import annotations

import math
from collections.abc import Callable

from wikitools.mediawiki import Wiki


def test_reading_n_pages_takes_ceil_n_over_50_requests(
    client: Wiki, lowclient: Wiki, shared_pages: dict[str, str]
) -> None:
    pages = shared_pages
    assert len(pages) == 120
    lowclient.userinfo  # noqa: B018 - rights are known before counting
    before = lowclient.stats.count(module="revisions")
    found = list(lowclient.read_pages(pages))
    used = lowclient.stats.count(module="revisions") - before
    assert used == math.ceil(120 / 50) == 3
    assert [p.title for p in found] == list(pages)
    assert all(p.ok and p.text == pages[p.title] for p in found)
    assert all(p.revid and p.timestamp and p.read_at for p in found)

    client.userinfo  # noqa: B018
    before = client.stats.count(module="revisions")
    assert len(list(client.read_pages(pages))) == 120
    assert client.stats.count(module="revisions") - before == 1  # apihighlimits: 500


def test_normalized_missing_invalid_and_redirect_titles(
    client: Wiki, unique: Callable[[str], str]
) -> None:
    target = unique("Target")
    redirect = unique("Redirect")
    client.edit(target, "The target.", summary="t")
    client.edit(redirect, f"#REDIRECT [[{target}]]", summary="t")
    lower = target[0].lower() + target[1:].replace(" ", "_")
    asked = [lower, unique("Absent"), "Bad<title>", "Special:Version", redirect, "Talk:"]
    pages = {p.requested: p for p in client.read_pages(asked)}
    assert list(pages) == asked
    assert pages[lower].title == target and pages[lower].text == "The target."
    absent = pages[asked[1]]
    assert not absent.exists and absent.invalid is None and absent.text is None
    assert pages["Bad<title>"].invalid is not None and "<" in pages["Bad<title>"].invalid
    assert pages["Special:Version"].invalid == "special page"
    assert pages["Talk:"].invalid is not None
    assert pages[redirect].text == f"#REDIRECT [[{target}]]"
    assert pages[redirect].redirected_from is None

    followed = client.read_page(redirect, follow_redirects=True)
    assert followed.title == target
    assert followed.redirected_from == redirect
    assert followed.text == "The target."


def test_long_title_lists_go_by_post(client: Wiki, unique: Callable[[str], str]) -> None:
    titles = [unique("Very long title " + "x" * 150) for _ in range(60)]
    client.userinfo  # noqa: B018
    before = client.stats.total
    found = list(client.read_pages(titles))
    assert len(found) == 60 and not any(p.exists for p in found)
    records = client.stats.records[before:]
    assert [r.method for r in records] == ["POST"]
