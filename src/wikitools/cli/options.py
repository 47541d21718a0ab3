"""Command-line options shared by several commands (one definition, one help text).

This module is imported when the command line starts: it imports nothing of the library
at module level.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from wikitools.config import Config
    from wikitools.site.context import SiteContext

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="wikitools.toml or pyproject.toml to use (default: the nearest one found "
        "from the first path upwards, else from the current directory).",
    ),
]
SelectOpt = Annotated[
    str | None,
    typer.Option(
        "--select",
        metavar="CODES",
        help="Rules to run: codes, prefixes or names, comma-separated.",
    ),
]
IgnoreOpt = Annotated[
    str | None,
    typer.Option("--ignore", metavar="CODES", help="Rules to skip: codes, prefixes or names."),
]
SiteOpt = Annotated[
    str | None,
    typer.Option(
        "--site",
        metavar="SITE",
        help="The target wiki: a directory of page files, an XML export (.xml, .bz2, .gz) "
        "or an inventory file (one title per line). Enables the rules that need to know "
        "what exists on the wiki (T, M).",
    ),
]
FollowSymlinksOpt = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks",
        help="Read page files and folders that are symbolic links inside a folder "
        "(refused by default).",
    ),
]
UnsafeFixesOpt = Annotated[
    bool, typer.Option("--unsafe-fixes", help="Also apply fixes that may change content.")
]

# Live wikis.
WikiOpt = Annotated[
    str | None,
    typer.Option("--wiki", metavar="URL", envvar="WIKITOOLS_WIKI", help="The wiki's api.php URL."),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile", metavar="NAME", help="Credentials profile (see README); env vars win."
    ),
]
UserAgentOpt = Annotated[
    str | None,
    typer.Option(
        "--user-agent",
        metavar="TEXT",
        envvar="WIKITOOLS_USER_AGENT",
        help="Describe your bot and how to reach you, e.g. 'FixBot/1.0 (User:Me)'.",
    ),
]
MaxlagOpt = Annotated[
    int,
    typer.Option(
        "--maxlag", metavar="SECONDS", min=0, help="Back off when replication lag exceeds this."
    ),
]
CategoryOpt = Annotated[
    list[str] | None,
    typer.Option("--category", metavar="NAME", help="Pages in this category (repeatable)."),
]
DepthOpt = Annotated[
    int, typer.Option("--depth", metavar="N", min=0, help="Subcategory depth for --category.")
]
PrefixOpt = Annotated[
    list[str] | None,
    typer.Option("--prefix", metavar="TEXT", help="Pages whose title starts with this."),
]
EmbeddedOpt = Annotated[
    list[str] | None,
    typer.Option("--embedded-in", metavar="TITLE", help="Pages that transclude this template."),
]
SearchOpt = Annotated[
    list[str] | None, typer.Option("--search", metavar="QUERY", help="Pages the search finds.")
]
TitlesFileOpt = Annotated[
    list[Path] | None,
    typer.Option("--titles-file", metavar="FILE", help="A file of titles, one per line."),
]
SummaryOpt = Annotated[str | None, typer.Option("--summary", metavar="TEXT", help="Edit summary.")]
ApplyOpt = Annotated[
    bool, typer.Option("--apply", help="Really save. Without it nothing is written (dry run).")
]
MinorOpt = Annotated[
    bool, typer.Option("--minor/--no-minor", help="Mark edits as minor (default: not minor).")
]
CreateOpt = Annotated[
    bool,
    typer.Option("--create", help="Create the pages of new files (never overwrites a page)."),
]
AllowBlankingOpt = Annotated[
    bool,
    typer.Option(
        "--allow-blanking", help="Allow saves that empty a page or remove most of its text."
    ),
]
BotFlagOpt = Annotated[bool, typer.Option("--bot", help="Flag edits as bot edits.")]

# Verification of local fixes.
LocalVerifyOpt = Annotated[
    bool,
    typer.Option(
        "--verify",
        help="Render old and new text with MediaWiki (a sandbox started for the run, or "
        "--verify-wiki) and keep no fix whose page renders worse.",
    ),
]
VerifyWikiOpt = Annotated[
    str | None,
    typer.Option(
        "--verify-wiki",
        metavar="URL",
        help="With --verify: render on this wiki (its api.php URL) instead of a sandbox. "
        "Implies --verify.",
    ),
]


def _codes(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def config_start(paths: Sequence[str | Path] | None) -> Path | None:
    """Where config discovery starts: the first path argument that is not ``-``."""
    return next((Path(p) for p in paths or () if str(p) != "-"), None)


def load_settings(
    config: Path | None,
    select: str | None,
    ignore: str | None,
    start: Path | None = None,
) -> Config:
    """The config file's settings with ``--select``/``--ignore`` (comma-separated) applied.

    Without ``config`` the file is discovered from ``start`` (else the current directory)
    upwards. The ``[templates]`` policies are validated here, so a bad key is reported
    even by a run that never reads them.
    """
    from wikitools.config import load_config
    from wikitools.rules.templates import template_policies

    settings = load_config(config, start=start)
    template_policies(settings)
    return settings.with_overrides(select=_codes(select), ignore=_codes(ignore))


def load_target(site: str | None) -> SiteContext | None:
    """The ``--site`` wiki, if one was given."""
    if not site:
        return None
    from wikitools.site.loader import load_site

    return load_site(site)
