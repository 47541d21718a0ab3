"""ApiSiteContext: the SiteContext interface answered by a live wiki, in counted batches."""

from __future__ import annotations

import math
from collections.abc import Callable

from livewiki import bulk_create

from wikitools.mediawiki import Wiki
from wikitools.site.context import PageInfo
from wikitools.site.live import ApiSiteContext


def test_existence_redirects_and_texts(client: Wiki, unique: Callable[[str], str]) -> None:
    name = unique("Icon")
    bulk_create(
        client,
        {
            f"Template:{name}": "icon",
            f"Template:{name} alias": f"#REDIRECT [[Template:{name}]]",
            f"Template:{name} chain": f"#REDIRECT [[Template:{name} alias]]",
            f"Template:{name} loop a": f"#REDIRECT [[Template:{name} loop b]]",
            f"Template:{name} loop b": f"#REDIRECT [[Template:{name} loop a]]",
            f"Template:{name} broken": f"#REDIRECT [[Template:{name} nowhere]]",
            f"Module:{name}": "return {}",
        },
    )
    site = ApiSiteContext(client)
    t = f"Template:{name}"
    info = site.page_info([t, f"{t} alias", f"{t} missing"])
    assert info == {
        t: PageInfo(t, True),
        f"{t} alias": PageInfo(f"{t} alias", True, t),
        f"{t} missing": PageInfo(f"{t} missing", False),
    }
    assert site.resolve([f"{t} chain", f"{t} loop a", f"{t} broken", f"{t} missing"]) == {
        f"{t} chain": t,
        f"{t} loop a": None,
        f"{t} broken": None,
        f"{t} missing": None,
    }
    assert site.texts([f"Module:{name}", f"Module:{name} missing"]) == {
        f"Module:{name}": "return {}",
        f"Module:{name} missing": None,
    }
    assert site.namespaces.normalize("template:" + name.lower()) == t


def test_lookups_are_batched_cached_and_counted(
    lowclient: Wiki, shared_pages: dict[str, str], unique: Callable[[str], str]
) -> None:
    existing = list(shared_pages)[:60]
    stem = unique("Many")
    absent = [f"Template:{stem} absent {i}" for i in range(60)]
    site = ApiSiteContext(lowclient)
    assert site.requests == 0
    found = site.exists(existing + absent)
    assert sum(found.values()) == 60 and len(found) == 120
    assert site.requests == math.ceil(120 / 50) == 3
    site.exists(existing[:10] + absent[:10])
    site.resolve(existing)
    assert site.requests == 3  # all cached
    texts = site.texts(existing)
    assert texts == {title: shared_pages[title] for title in existing}
    assert site.requests == 3 + math.ceil(60 / 50)
    site.text(existing[0])
    assert site.requests == 5
