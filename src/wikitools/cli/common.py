"""Shared CLI plumbing: one-line errors with exit code 2, consoles for results and messages."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console

from wikitools.errors import WikitoolsError

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
