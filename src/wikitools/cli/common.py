"""Shared CLI plumbing: one-line errors with exit code 2, consoles for results and messages."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console

from wikitools.errors import WikitoolsError
from wikitools.fileio import BOM, starts_with_bom, write_text_atomic
from wikitools.reporting.formatters import unified_diff

#: Results go to stdout.
out = Console(highlight=False, soft_wrap=True)
#: Diagnostics, progress and errors go to stderr.
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr and return the exit-2 exception to raise."""
    err.print(f"error: {message}", markup=False)
    return typer.Exit(EXIT_ERROR)


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Turn any WikitoolsError (and Ctrl-C) into a one-line message and exit code 2."""
    try:
        yield
    except WikitoolsError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted") from None


def deliver(
    name: str, path: Path | None, before: str, after: str, *, diff: bool, check: bool
) -> bool:
    """Show or write one input's new text the way the run asked for; True if it changed.

    ``--diff`` prints a unified diff, ``--check`` writes nothing, standard input goes to
    standard output (unchanged text too), and files are replaced atomically. A file's
    byte order mark (dropped when it was read) is kept, in the file and in the diff.
    """
    if before == after:
        if path is None and not (diff or check):
            sys.stdout.write(before)
        return False
    bom = path is not None and starts_with_bom(path)
    if diff:
        mark = BOM if bom else ""
        write_diff(unified_diff(name, mark + before, mark + after))
    elif path is None:
        if not check:
            sys.stdout.write(after)
    elif not check:
        write_text_atomic(path, after, bom=bom)
    return True


def write_diff(diff: str) -> None:
    """Print a unified diff on stdout byte for byte (no tab expansion or wrapping by rich)."""
    out.file.flush()
    sys.stdout.write(diff)
    sys.stdout.flush()


def change_note(name: str, path: Path | None, *, diff: bool, check: bool) -> str | None:
    """What to tell the user on stderr about a changed input (nothing for diffs and stdout)."""
    if diff or (path is None and not check):
        return None
    return f"would fix {name}" if check else f"fixed {name}"
