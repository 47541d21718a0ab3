"""ApiSiteContext: the SiteContext interface answered by a live wiki, in counted batches."""

from __future__ import annotations

import math
from collections.abc import Callable

from livewiki import bulk_create

from wikitools.mediawiki import Wiki
from wikitools.mediawiki.live_site import ApiSiteContext
from wikitools.site.context import PageInfo


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


def test_template_and_module_lookups_read_their_sources_on_the_way(
    client: Wiki, lowclient: Wiki, unique: Callable[[str], str]
) -> None:
    stem = unique("Chain")
    templates = {f"Template:{stem} {i:02d}": f"{{{{#invoke:{stem}|f}}}} {i}" for i in range(55)}
    pages = {
        **templates,
        f"Template:{stem} alias": f"#REDIRECT [[Template:{stem} 00]]",
        f"Module:{stem}": "return require('Module:" + stem + "/data')",
        f"{stem} article": "An article.",
    }
    bulk_create(client, pages)
    site = ApiSiteContext(lowclient)  # 50 titles a request
    asked = [*templates, f"Template:{stem} alias", f"Module:{stem}", f"Module:{stem}/data"]
    assert site.resolve(asked) == {
        **{t: t for t in templates},
        f"Template:{stem} alias": f"Template:{stem} 00",
        f"Module:{stem}": f"Module:{stem}",
        f"Module:{stem}/data": None,
    }
    assert site.requests == math.ceil(len(asked) / 50) == 2
    sources = site.texts([*templates, f"Module:{stem}"])
    assert sources == {**templates, f"Module:{stem}": pages[f"Module:{stem}"]}
    assert site.requests == 2  # read together with their existence
    # The redirect's own text was not read on the way (only its target's): one request.
    assert site.text(f"Template:{stem} alias") == f"#REDIRECT [[Template:{stem} 00]]"
    assert site.requests == 3
    # Existence of articles (or mixed titles) never downloads their text.
    before = lowclient.stats.total
    assert site.exists([f"{stem} article", f"Template:{stem} new"]) == {
        f"{stem} article": True,
        f"Template:{stem} new": False,
    }
    [lookup] = lowclient.stats.records[before:]
    assert lookup.modules == ("info",)
    assert site.text(f"{stem} article") == "An article."
    assert site.requests == 5
