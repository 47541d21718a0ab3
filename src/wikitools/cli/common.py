"""Shared CLI plumbing: usage errors, the exit, showing diagnostics and changed text.

A command ends with :func:`finish`, which prints its report's summary and exits with the
report's exit code: no other exit-code decision lives in ``cli/``. The terminal (streams,
colour, -q/-v, progress) is :mod:`wikitools.cli.terminal`; the command classes are
:mod:`wikitools.cli.commands`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from wikitools.cli.commands import PlainCommand, PlainGroup
from wikitools.cli.terminal import ProgressDisplay, Styled, term
from wikitools.errors import ConfigError

if TYPE_CHECKING:
    from wikitools.reporting.formatters import Located
    from wikitools.reporting.run import RunReport

__all__ = [
    "DiagnosticPrinter",
    "PlainCommand",
    "PlainGroup",
    "ProgressDisplay",
    "deliver",
    "fail",
    "finish",
    "styled",
    "term",
    "write_diff",
]


def fail(message: str) -> ConfigError:
    """A usage error to raise: the command line prints ``error: message`` and exits 2."""
    return ConfigError(message)


def finish(report: RunReport) -> NoReturn:
    """Print the report's summary on stderr (unless ``-q``), the ``error:`` line of a run that
    stopped early, and exit with the report's exit code."""
    summary = report.summary()
    if summary:
        term.note(summary)
    if report.fatal is not None:
        term.error(report.fatal)
    raise typer.Exit(report.exit_code)


def write_diff(diff: str) -> None:
    """Print a unified diff on stdout byte for byte (no tab expansion or wrapping by rich)."""
    term.raw(diff)


def deliver(
    name: str, path: Path | None, before: str, after: str, *, mode: str, write: bool = True
) -> bool:
    """Show or write one input's new text the way the run asked for; True if it changed.

    ``mode`` ``diff`` prints a unified diff, ``check`` writes nothing, ``write`` sends
    standard input to standard output (unchanged text too) and replaces a changed file
    atomically (unless ``write`` is false: the library wrote it already). A file's byte
    order mark (dropped when it was read) is kept, in the file and in the diff.
    """
    if path is None and mode == "write":
        sys.stdout.write(after)
        return before != after
    if before == after:
        return False
    if mode == "diff":
        from wikitools.fileio import BOM, starts_with_bom
        from wikitools.reporting.formatters import unified_diff

        mark = BOM if path is not None and starts_with_bom(path) else ""
        write_diff(unified_diff(name, mark + before, mark + after))
    elif mode == "write" and write and path is not None:
        from wikitools.run import write_page

        write_page(path, after)
    return True


class DiagnosticPrinter:
    """Prints located diagnostics in the chosen format, as they come.

    Text and GitHub annotations are printed line by line; JSON is one array printed at
    :meth:`close`. ``content_on_stdout`` (a run whose stdout carries page text or a diff)
    moves the text form to stderr; the machine formats stay on stdout, after the content.
    """

    def __init__(self, output: str, *, content_on_stdout: bool = False) -> None:
        self.output = output
        self.stderr = content_on_stdout and output == "text"
        self.records: list[dict[str, Any]] = []

    def add(self, items: Sequence[Located], text: str) -> None:
        """Print the diagnostics of one text (``text`` gives the edits' line:column)."""
        from wikitools.reporting.formatters import format_github

        if not items:
            return
        console = term.err if self.stderr else term.out
        if self.output == "json":
            from wikitools.parsing.lines import LineIndex

            lines = LineIndex(text)
            self.records.extend(item.as_dict(lines) for item in items)
        elif self.output == "github":
            for item in items:
                console.print(format_github(item), markup=False)
        else:
            for item in items:
                console.print(styled(item), markup=False)

    def close(self) -> None:
        """Print the JSON array (other formats have nothing left to print)."""
        if self.output == "json":
            from wikitools.reporting.formatters import format_json

            console = term.err if self.stderr else term.out
            console.print(format_json(self.records), markup=False)


def styled(item: Located) -> Styled:
    """A diagnostic's text form, coloured on a colour stream."""
    from wikitools.reporting.formatters import STYLES, text_spans

    return Styled([(text, STYLES[style]) for text, style in text_spans(item)])
