"""The ``wikitools`` command: a thin typer layer over the library."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from wikitools.version import __version__

app = typer.Typer(
    name="wikitools",
    help="Find and fix broken wikitext, convert infoboxes, move pages in and out of wikis.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wikitools {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logs.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """wikitools: repair wikitext, convert infoboxes, move pages between wikis."""
    level = logging.ERROR if quiet else logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


# Command registration: each command module holds plain functions or a sub-app.
# (Add new command groups here; the modules never import this one.)
from wikitools.cli import check  # noqa: E402
from wikitools.cli import infobox as infobox_cli  # noqa: E402
from wikitools.cli import wiki as live  # noqa: E402

app.command()(check.lint)
app.command()(check.fix)
app.command()(check.rules)
app.command()(check.rule)
app.command("pull")(live.pull_command)
app.command("push")(live.push_command)
app.add_typer(infobox_cli.app, name="infobox")

from wikitools.cli import dump  # noqa: E402

app.add_typer(dump.app, name="dump")

from wikitools.cli import sandbox  # noqa: E402

app.add_typer(sandbox.app, name="sandbox")


def main() -> None:
    """Console-script entry point."""
    app()
