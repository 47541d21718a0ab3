"""Shared CLI plumbing: the terminal (consoles, -q/-v, colour), errors, progress, the exit.

Conventions (those of ruff): results and diagnostics go to stdout, in every format; the one
summary line, notes and ``error:`` lines go to stderr. ``-q`` drops everything on stderr but
errors; ``-v``/``-vv`` show the library's INFO/DEBUG logs. Colour is used when the stream is a
terminal and ``NO_COLOR`` is unset (``FORCE_COLOR`` forces it), never in files or pipes. A
command ends with :func:`finish`, which prints its report's summary and exits with the
report's exit code: no other exit-code decision lives in ``cli/``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from wikitools.errors import ConfigError

if TYPE_CHECKING:
    from rich.console import Console

    from wikitools.reporting.formatters import Located
    from wikitools.reporting.run import RunReport


class Terminal:
    """The consoles of one invocation, and how talkative it is.

    The consoles are made on first use after :meth:`configure`, so that each run sees its
    own streams and environment (``NO_COLOR``, ``FORCE_COLOR``).
    """

    def __init__(self) -> None:
        self.quiet = False
        self.verbose = 0
        self._out: Console | None = None
        self._err: Console | None = None

    def configure(self, *, quiet: bool = False, verbose: int = 0) -> None:
        """Set the verbosity for this run (and the logging level it implies)."""
        self.quiet = quiet
        self.verbose = verbose
        self._out = self._err = None
        level = logging.ERROR if quiet else logging.WARNING - 10 * min(verbose, 2)
        root = logging.getLogger("wikitools")
        root.setLevel(level)
        if not any(getattr(h, "_wikitools", False) for h in root.handlers):
            handler = _StderrHandler()
            handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            root.addHandler(handler)

    @property
    def out(self) -> Console:
        """The console of standard output (results, diagnostics)."""
        if self._out is None:
            self._out = _console(stderr=False)
        return self._out

    @property
    def err(self) -> Console:
        """The console of standard error (summary, notes, errors, progress)."""
        if self._err is None:
            self._err = _console(stderr=True)
        return self._err

    def note(self, message: str) -> None:
        """A line on stderr for the person running the command (dropped by ``-q``)."""
        if not self.quiet:
            self.err.print(message, markup=False)

    def error(self, message: str) -> None:
        """``error: message`` on stderr (always shown)."""
        self.err.print(f"error: {message}", markup=False)

    def line(self, text: str, *, stderr: bool = False) -> None:
        """One result line on stdout (or stderr), printed as it is."""
        (self.err if stderr else self.out).print(text, markup=False)

    def raw(self, text: str) -> None:
        """Text for stdout byte for byte (page text, diffs): no wrapping, no styling."""
        if self._out is not None:
            self._out.file.flush()
        sys.stdout.write(text)
        sys.stdout.flush()


class _StderrHandler(logging.Handler):
    """Log records on the stderr of the moment (CliRunner swaps the streams per run)."""

    _wikitools = True

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # pragma: no cover - logging must never break a run
            self.handleError(record)


def _console(*, stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


#: The terminal of the running command.
term = Terminal()


def fail(message: str) -> ConfigError:
    """A usage error to raise: the command line prints ``error: message`` and exits 2."""
    return ConfigError(message)


def finish(report: RunReport) -> NoReturn:
    """Print the report's summary on stderr (unless ``-q``) and exit with its exit code."""
    summary = report.summary()
    if summary:
        term.note(summary)
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


def styled(item: Located) -> Any:
    """A diagnostic's text form as rich text (coloured on a terminal)."""
    from rich.text import Text

    from wikitools.reporting.formatters import STYLES, text_spans

    return Text.assemble(*((text, STYLES[style]) for text, style in text_spans(item)))


class ProgressDisplay:
    """A transient progress bar on stderr, shown only when stderr is a terminal (never with
    ``-q``). While it shows, lines printed on a terminal stdout appear above it.

    Call it as ``display(done, total)``; ``bytes_total`` makes the bar count bytes.
    """

    def __init__(self, label: str, *, bytes_total: bool = False) -> None:
        self.label = label
        self.bytes_total = bytes_total
        self.enabled = term.err.is_terminal and not term.quiet
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressDisplay:
        if not self.enabled:
            return self
        from rich import progress as rp

        columns: list[Any] = [rp.TextColumn("{task.description}"), rp.BarColumn()]
        if self.bytes_total:
            columns += [rp.DownloadColumn(), rp.TransferSpeedColumn(), rp.TimeRemainingColumn()]
        else:
            columns += [rp.MofNCompleteColumn(), rp.TimeElapsedColumn()]
        self._bar = rp.Progress(
            *columns,
            console=term.err,
            transient=True,
            redirect_stdout=term.out.is_terminal,
            redirect_stderr=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=None)
        return self

    def __call__(self, done: int, total: int | None) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
