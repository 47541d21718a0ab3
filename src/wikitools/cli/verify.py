"""``--verify`` for local runs (``fix PATH…``, ``dump fix``): who renders, and the refusal lines.

With ``--verify-wiki URL`` the pages are rendered by that wiki (its ``api.php``; reading
needs no login, credentials come from the environment or a profile as for ``--wiki``).
Without it a throwaway sandbox wiki is started for the run; the templates and modules of
``--site`` that a rendering needs are imported into it on demand, so that they render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from typing import TYPE_CHECKING

from wikitools.cli.common import term

if TYPE_CHECKING:
    from wikitools.site.context import SiteContext
    from wikitools.verify.verifier import Verifier

#: PHP workers of the sandbox, and render threads against it.
SANDBOX_WORKERS = 2


def verifier_factory(
    url: str | None,
    *,
    site: SiteContext | None,
    profile: str | None = None,
    user_agent: str | None = None,
    maxlag: int = 5,
) -> Callable[[], AbstractContextManager[Verifier]]:
    """What opens the verifier of a run (see :func:`open_verifier`), opened only when needed."""
    return partial(
        open_verifier, url, site=site, profile=profile, user_agent=user_agent, maxlag=maxlag
    )


@contextmanager
def open_verifier(
    url: str | None,
    *,
    site: SiteContext | None,
    profile: str | None = None,
    user_agent: str | None = None,
    maxlag: int = 5,
) -> Iterator[Verifier]:
    """A :class:`Verifier` rendering on ``url``, or on a sandbox seeded from ``site``."""
    from wikitools.errors import ConfigError, MediaWikiMissingError
    from wikitools.mediawiki import Wiki
    from wikitools.mediawiki.apierrors import RUN_FATAL_CODES
    from wikitools.sandbox.install import ensure_mediawiki
    from wikitools.sandbox.seed import SiteRenderer
    from wikitools.sandbox.wiki import SandboxWiki
    from wikitools.verify.verifier import Verifier

    if url is not None:
        client = Wiki.connect(url, profile=profile, user_agent=user_agent or None, maxlag=maxlag)
        yield Verifier(client, fatal=RUN_FATAL_CODES)
        return
    try:
        mediawiki = ensure_mediawiki()
    except MediaWikiMissingError as exc:
        raise ConfigError(
            f"--verify renders pages with a local MediaWiki, which is missing: {exc}; "
            "or render on a wiki of yours with --verify-wiki URL"
        ) from None
    with SandboxWiki(mediawiki=mediawiki, workers=SANDBOX_WORKERS) as sandbox:
        if site is None:
            yield Verifier(sandbox, workers=SANDBOX_WORKERS)
            return
        renderer = SiteRenderer(sandbox, site)
        yield Verifier(renderer, workers=SANDBOX_WORKERS)
        if renderer.imported:
            term.note(
                f"verify: the sandbox rendered with {len(renderer.imported)} page(s) of --site"
            )


def refusal_line(name: str, reason: str) -> str:
    """The stderr line for a page whose fix was refused."""
    return f"{name}: refused by verify: {reason}"
