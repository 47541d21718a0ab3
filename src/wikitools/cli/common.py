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
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from wikitools.errors import ConfigError

if TYPE_CHECKING:
    from wikitools.reporting.formatters import Located
    from wikitools.reporting.run import RunReport


#: SGR codes of the style names that :mod:`wikitools.reporting.formatters` uses.
_SGR = {"bold": "1", "cyan": "36", "bold red": "1;31", "bold cyan": "1;36"}


class Styled:
    """Text in ``(text, style)`` pieces, printed in colour on a colour stream."""

    def __init__(self, spans: Sequence[tuple[str, str]]) -> None:
        self.spans = list(spans)

    def render(self, color: bool) -> str:
        """The text, with ANSI colour codes when ``color``."""
        if not color:
            return "".join(text for text, _ in self.spans)
        return "".join(
            f"\x1b[{_SGR[style]}m{text}\x1b[0m" if _SGR.get(style) else text
            for text, style in self.spans
        )


class Stream:
    """Standard output or standard error of the moment, for lines of text.

    Colour is used when the stream is a terminal and ``NO_COLOR`` is unset or empty;
    a non-empty ``FORCE_COLOR`` forces it (see no-color.org and force-color.org).
    Rich renderables (tables) are printed through a rich console on the same stream.
    """

    def __init__(self, *, stderr: bool) -> None:
        self.stderr = stderr
        self._rich: Any = None

    @property
    def file(self) -> Any:
        """The stream itself (looked up at each use: test runners swap them)."""
        return sys.stderr if self.stderr else sys.stdout

    @property
    def is_terminal(self) -> bool:
        """True when the stream is a terminal."""
        try:
            return bool(self.file.isatty())
        except (AttributeError, ValueError):
            return False

    @property
    def color(self) -> bool:
        """True when this stream shows colour."""
        if os.environ.get("FORCE_COLOR"):
            return True
        if os.environ.get("NO_COLOR"):
            return False
        return self.is_terminal

    def print(self, value: Any, *, markup: bool = False) -> None:
        """One line: a string as it is, :class:`Styled` text, or a rich renderable."""
        del markup  # text is never parsed for markup
        if isinstance(value, str):
            self.file.write(value + "\n")
        elif isinstance(value, Styled):
            self.file.write(value.render(self.color) + "\n")
        else:
            self.rich().print(value)

    def rich(self) -> Any:
        """A rich console on this stream (made on first use), colour as :attr:`color` says."""
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(
                stderr=self.stderr,
                highlight=False,
                soft_wrap=True,
                no_color=not self.color,
                force_terminal=self.is_terminal or bool(os.environ.get("FORCE_COLOR")),
            )
        return self._rich


class Terminal:
    """The streams of one invocation, and how talkative it is.

    The streams are made anew by :meth:`configure`, so that each run sees its own
    streams and environment (``NO_COLOR``, ``FORCE_COLOR``).
    """

    def __init__(self) -> None:
        self.quiet = False
        self.verbose = 0
        self.out = Stream(stderr=False)
        """Standard output: results and diagnostics."""
        self.err = Stream(stderr=True)
        """Standard error: the summary, notes, errors and progress."""

    def configure(self, *, quiet: bool = False, verbose: int = 0) -> None:
        """Set the verbosity for this run (and the logging level it implies)."""
        self.quiet = quiet
        self.verbose = verbose
        self.out = Stream(stderr=False)
        self.err = Stream(stderr=True)
        level = logging.ERROR if quiet else logging.WARNING - 10 * min(verbose, 2)
        root = logging.getLogger("wikitools")
        root.setLevel(level)
        if not any(getattr(h, "_wikitools", False) for h in root.handlers):
            handler = _StderrHandler()
            handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            root.addHandler(handler)

    def note(self, message: str) -> None:
        """A line on stderr for the person running the command (dropped by ``-q``)."""
        if not self.quiet:
            self.err.print(message)

    def error(self, message: str) -> None:
        """``error: message`` on stderr (always shown)."""
        self.err.print(Styled([("error", "bold red"), (f": {message}", "")]))

    def line(self, text: str, *, stderr: bool = False) -> None:
        """One result line on stdout (or stderr), printed as it is."""
        (self.err if stderr else self.out).print(text)

    def raw(self, text: str) -> None:
        """Text for stdout byte for byte (page text, diffs): no wrapping, no styling."""
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


class PlainCommand(TyperCommand):
    """A command whose help lists arguments by name, without typer's ``<list[str]>`` types,
    and whose options of plain types are converted without pydantic (see
    :func:`convert_plainly`)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse the arguments (plain types converted without pydantic)."""
        convert_plainly(self.get_params(ctx))  # --help too
        return super().parse_args(ctx, args)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments and Options sections (as typer writes them, types of arguments cut)."""
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_TYPE_SUFFIX.sub("", record[0]), record[1]))
            else:
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)


_TYPE_SUFFIX = re.compile(r" <[^>]*>$")


class PlainGroup(TyperGroup):
    """A command group whose options of plain types are converted without pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse the group's own options (with --help and the completion options)."""
        convert_plainly(self.get_params(ctx))
        return super().parse_args(ctx, args)


def convert_plainly(params: Sequence[Any]) -> None:
    """Give parameters of plain types (str, int, bool, Path, lists of them) a converter of
    their own.

    typer converts every value through a pydantic ``TypeAdapter``; importing pydantic costs
    more than the rest of the command line, for values that need at most ``int()`` or
    ``Path()``. Parameters of any other type keep typer's conversion.
    """
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", "absent") is not None:
            continue  # not a typer parameter, or one whose conversion is set already
        item, many = _plain_type(descriptor.annotation)
        if item is not None:
            info = descriptor.parameter_info
            param._runtime_param = _PlainConversion(item, many, info.min, info.max)


def _plain_type(annotation: Any) -> tuple[type | None, bool]:
    """``(item type, is a list)`` of a plain annotation, ``(None, False)`` for any other."""
    import types
    import typing

    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [arg for arg in args if arg is not type(None)]
        if len(rest) != 1:
            return None, False
        return _plain_type(rest[0])
    many = origin is list
    item = args[0] if many and len(args) == 1 else annotation
    return (item, many) if item in (str, int, bool, Path) else (None, False)


class _PlainConversion:
    """Converts one parameter's value(s) to ``item`` (an int within ``low``/``high``)."""

    def __init__(self, item: type, many: bool, low: Any, high: Any) -> None:
        self.item = item
        self.many = many
        self.low = low
        self.high = high

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """The value typer would give the command function."""
        if value is None:
            return () if (param.multiple or param.nargs == -1) else None
        if self.many:
            if isinstance(value, str):
                raise typer.BadParameter("Value must be an iterable.", ctx=ctx, param=param)
            return [self._one(item, param, ctx) for item in value]
        return self._one(value, param, ctx)

    def _one(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.item is Path:
            return value if isinstance(value, Path) else Path(value)
        if self.item is bool:
            if isinstance(value, bool):
                return value
            raise typer.BadParameter(f"{value!r} is not a valid boolean.", ctx=ctx, param=param)
        if self.item is int:
            try:
                number = int(value)
            except (TypeError, ValueError):
                message = f"{value!r} is not a valid integer."
                raise typer.BadParameter(message, ctx=ctx, param=param) from None
            if (self.low is not None and number < self.low) or (
                self.high is not None and number > self.high
            ):
                bounds = " and ".join(
                    part
                    for part in (
                        f">= {self.low}" if self.low is not None else "",
                        f"<= {self.high}" if self.high is not None else "",
                    )
                    if part
                )
                message = f"{number} is not in the range: it must be {bounds}."
                raise typer.BadParameter(message, ctx=ctx, param=param)
            return number
        return str(value)


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


def styled(item: Located) -> Styled:
    """A diagnostic's text form, coloured on a colour stream."""
    from wikitools.reporting.formatters import STYLES, text_spans

    return Styled([(text, STYLES[style]) for text, style in text_spans(item)])


class ProgressDisplay:
    """A transient progress bar on stderr for long runs, shown only when stderr is a terminal
    (never with ``-q``), and only once the run has taken :attr:`DELAY` seconds.

    Call it as ``display(done, total)``; ``bytes_total`` makes the bar count bytes. When
    stdout is the same terminal, lines printed on it appear above the bar.
    """

    #: Seconds before the bar appears: short runs show none.
    DELAY = 0.5

    def __init__(self, label: str, *, bytes_total: bool = False) -> None:
        self.label = label
        self.bytes_total = bytes_total
        self.enabled = term.err.is_terminal and not term.quiet
        self._bar: Any = None
        self._task: Any = None
        self._started = 0.0

    def __enter__(self) -> ProgressDisplay:
        self._started = time.monotonic()
        return self

    def _start(self) -> None:
        from rich import progress as rp

        columns: list[Any] = [rp.TextColumn("{task.description}"), rp.BarColumn()]
        if self.bytes_total:
            columns += [rp.DownloadColumn(), rp.TransferSpeedColumn(), rp.TimeRemainingColumn()]
        else:
            columns += [rp.MofNCompleteColumn(), rp.TimeElapsedColumn()]
        self._bar = rp.Progress(
            *columns,
            console=term.err.rich(),
            transient=True,
            redirect_stdout=_same_terminal(),
            redirect_stderr=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=None)

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._started < self.DELAY:
                return
            self._start()
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _same_terminal() -> bool:
    """True when stdout and stderr are one terminal (lines then go above the progress bar)."""
    try:
        if not (sys.stdout.isatty() and sys.stderr.isatty()):
            return False
        return os.fstat(sys.stdout.fileno()).st_rdev == os.fstat(sys.stderr.fileno()).st_rdev
    except (AttributeError, OSError, ValueError):
        return False
