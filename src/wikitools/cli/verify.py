"""``--verify`` for local runs (``fix PATH…``, ``dump fix``): who renders, and the refusal lines.

With ``--verify-wiki URL`` the pages are rendered by that wiki (its ``api.php``; reading
needs no login, credentials come from the environment or a profile as for ``--wiki``).
Without it a throwaway sandbox wiki is started for the run; the templates and modules of
``--site`` that a rendering needs are imported into it on demand, so that they render.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from wikitools.bot.pipeline import FATAL_CODES
from wikitools.cli import wiki as live
from wikitools.cli.common import err
from wikitools.errors import ConfigError, MediaWikiMissingError
from wikitools.sandbox.install import ensure_mediawiki
from wikitools.sandbox.seed import SiteRenderer
from wikitools.sandbox.wiki import SandboxWiki
from wikitools.site.context import SiteContext
from wikitools.verify.verifier import Verifier

LocalVerifyOpt = Annotated[
    bool,
    typer.Option(
        "--verify",
        help="Render old and new text with MediaWiki (a sandbox started for the run, or "
        "--verify-wiki) and keep no fix whose page renders worse. With --wiki: refuse saves "
        "that render worse.",
    ),
]
VerifyWikiOpt = Annotated[
    str | None,
    typer.Option(
        "--verify-wiki",
        help="With --verify: render on this wiki (its api.php URL) instead of a sandbox. "
        "Implies --verify.",
    ),
]

#: PHP workers of the sandbox, and render threads against it.
SANDBOX_WORKERS = 2


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
    if url is not None:
        client = live.connect(url, profile, user_agent, maxlag)
        yield Verifier(client, fatal=FATAL_CODES)
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
            err.print(
                f"verify: the sandbox rendered with {len(renderer.imported)} page(s) of --site",
                markup=False,
            )


def refusal_line(name: str, reason: str) -> str:
    """The stderr line for a page whose fix was refused."""
    return f"{name}: refused by verify: {reason}"
