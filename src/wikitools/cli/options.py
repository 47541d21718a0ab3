"""Command-line options shared by several commands (one definition, one help text)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from wikitools.config import Config, load_config

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="wikitools.toml or pyproject.toml to use (default: the nearest one found "
        "from the first path upwards, else from the current directory).",
    ),
]
SelectOpt = Annotated[
    str | None,
    typer.Option("--select", help="Rules to run: codes, prefixes or names, comma-separated."),
]
IgnoreOpt = Annotated[
    str | None, typer.Option("--ignore", help="Rules to skip: codes, prefixes or names.")
]
SiteOpt = Annotated[
    str | None,
    typer.Option(
        "--site",
        help="The target wiki: a directory of page files, an XML export (.xml, .bz2, .gz) "
        "or an inventory file (one title per line). Enables the rules that need to know "
        "what exists on the wiki (T, M).",
    ),
]
UnsafeFixesOpt = Annotated[
    bool, typer.Option("--unsafe-fixes", help="Also apply fixes that may change content.")
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
    from wikitools.rules.templates import template_policies

    settings = load_config(config, start=start)
    template_policies(settings)
    return settings.with_overrides(select=_codes(select), ignore=_codes(ignore))
