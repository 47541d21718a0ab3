"""The terminal of a command: stdout and stderr, colour, verbosity, progress.

Results and diagnostics go to stdout; the summary, notes, errors and progress to stderr.
Colour is used when the stream is a terminal and ``NO_COLOR`` is unset (``FORCE_COLOR``
forces it), never in files or pipes. ``-q`` drops everything on stderr but errors;
``-v``/``-vv`` show the library's INFO/DEBUG logs.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

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


#: The terminal of the running command.
term = Terminal()


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
