"""The ``wikitools`` command: a thin typer layer over the library.

Command modules are imported here to register their functions; they import the library
inside the functions, so that ``wikitools --version`` or ``wikitools lint one.wiki`` load
only what they use. Errors are one line: ``error: message``, exit code 2.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer import _click

from wikitools.cli import check, dump, sandbox
from wikitools.cli import deps as deps_cli
from wikitools.cli import infobox as infobox_cli
from wikitools.cli import wiki as live
from wikitools.cli.common import PlainCommand, PlainGroup, finish, term
from wikitools.errors import WikitoolsError
from wikitools.reporting.run import EXIT_ERROR

#: The old spelling of ``fix-wiki``, still accepted with a deprecation line.
_DEPRECATED_FIX_WIKI = "'wikitools fix --wiki' is deprecated; use 'wikitools fix-wiki' instead"


def _is_wiki_flag(arg: str) -> bool:
    return arg == "--wiki" or arg.startswith("--wiki=")


#: The root's flags, accepted after the command name too (``wikitools lint -q FILE``).
_ROOT_FLAGS = frozenset({"-q", "--quiet", "--verbose", "-V", "--version"})


def hoist_root_flags(args: Sequence[str]) -> list[str]:
    """``args`` with the root's flags (``-q``, ``-v``/``-vv``, ``-V`` ...) moved before the
    command, wherever they were given (up to a ``--``), as ruff accepts them."""
    front: list[str] = []
    rest: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            rest.extend(args[index:])
            break
        is_root = arg in _ROOT_FLAGS or re.fullmatch(r"-v+", arg) is not None
        (front if is_root else rest).append(arg)
    return front + rest


class WikitoolsGroup(PlainGroup):
    """The root command: one-line usage errors, and ``fix --wiki`` routed to ``fix-wiki``."""

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        """Resolve ``fix … --wiki URL …`` (the old spelling) to ``fix-wiki``."""
        if args and args[0] == "fix" and any(_is_wiki_flag(a) for a in args[1:]):
            print(f"warning: {_DEPRECATED_FIX_WIKI}", file=sys.stderr)
            args = ["fix-wiki", *args[1:]]
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command; print usage and wikitools errors as one ``error:`` line."""
        args = hoist_root_flags(sys.argv[1:] if args is None else args)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except _click.exceptions.ClickException as exc:
            term.error(_one_line(exc))
            code = exc.exit_code
        except typer.Abort:
            term.error("interrupted")
            code = EXIT_ERROR
        except WikitoolsError as exc:
            term.error(str(exc))
            code = EXIT_ERROR
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _one_line(exc: _click.exceptions.ClickException) -> str:
    """A usage error's message on one line, with a hint where the option lives."""
    message = " ".join(exc.format_message().split())
    if isinstance(exc, _click.exceptions.NoSuchOption) and exc.ctx is not None:
        command = exc.ctx.command.name
        if command == "fix":
            other = app_command().commands.get("fix-wiki")  # type: ignore[attr-defined]
            names = {n for p in (other.params if other else []) for n in p.opts}
            if exc.option_name in names:
                message += " (it is an option of 'wikitools fix-wiki', for live wikis)"
    if isinstance(exc, _click.exceptions.UsageError) and exc.ctx is not None:
        message = f"{message.rstrip('.')} (see '{exc.ctx.command_path} --help')"
    return message


app = typer.Typer(
    name="wikitools",
    cls=WikitoolsGroup,
    help="Find and fix broken wikitext, convert infoboxes, move pages in and out of wikis.\n\n"
    "Diagnostics and results go to stdout, the summary and notes to stderr. Exit codes: "
    "0 nothing to report, 1 problems found (or a change needed), 2 an error.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def app_command() -> _click.Command:
    """The click command of :data:`app` (for hints about sibling commands)."""
    return typer.main.get_command(app)


def _version(value: bool) -> None:
    if value:
        from wikitools.reporting.run import RunReport
        from wikitools.version import __version__

        print(f"wikitools {__version__}")
        finish(RunReport())


@app.callback()
def root(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            show_default=False,
            help="More logs: -v for INFO, -vv for DEBUG.",
        ),
    ] = 0,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print diagnostics and results only: no summary, no notes."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Set the verbosity of the run (the help text is the app's)."""
    term.configure(quiet=quiet, verbose=verbose)


# Command registration: each command module holds plain functions or a sub-app, and
# imports the library only inside them. (Add new commands here; modules never import this.)
app.command(cls=PlainCommand)(check.lint)
app.command(cls=PlainCommand)(check.fix)
app.command(cls=PlainCommand)(check.rules)
app.command(cls=PlainCommand)(check.rule)
app.command("fix-wiki", cls=PlainCommand)(live.fix_wiki_command)
app.command("pull", cls=PlainCommand)(live.pull_command)
app.command("push", cls=PlainCommand)(live.push_command)
app.add_typer(infobox_cli.app, name="infobox")
app.add_typer(dump.app, name="dump")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(deps_cli.app, name="deps")


def main() -> None:
    """Console-script entry point."""
    app()
