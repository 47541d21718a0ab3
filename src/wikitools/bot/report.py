"""``--report FILE``: every page outcome of a bot run as one JSON line.

The file is appended to, one line per outcome, each written, flushed and ``fsync``-ed
before the next page: a run killed at any instant leaves every finished line on disk, and at
most one torn last line, which the next run that appends to the file cuts off first. A
rerun with the same journal and report file adds its lines after the earlier run's (pages
done earlier appear as ``already done``). Whole-file atomic replacement was not used: it
would rewrite the file for every page, and a long run's report must survive a kill.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from wikitools.bot.outcome import PageOutcome
from wikitools.errors import OutputError


def outcome_record(outcome: PageOutcome) -> dict[str, object]:
    """The JSON form of an outcome."""
    return {
        "title": outcome.title,
        "status": outcome.status.value,
        "reason": outcome.reason,
        "fixes": list(outcome.fixes),
        "revid": outcome.revid,
        "rebased": outcome.rebased,
    }


class OutcomeLog:
    """An append-only, fsynced JSONL file of outcomes (see the module docs)."""

    def __init__(self, path: Path, *, run_id: str | None = None) -> None:
        self.path = path
        self.run_id = run_id
        try:
            _cut_torn_line(path)
            self._file: IO[str] = open(path, "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the report ({exc.strerror})") from None

    def add(self, outcome: PageOutcome) -> None:
        """Append one outcome; on disk before this returns."""
        record = outcome_record(outcome)
        record["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if self.run_id is not None:
            record["run"] = self.run_id
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> OutcomeLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _cut_torn_line(path: Path) -> None:
    """Drop a last line without its newline (a write cut short by a kill)."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    with open(path, "r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        block = min(size, 1 << 20)
        handle.seek(size - block)
        tail = handle.read(block)
        keep = tail.rfind(b"\n") + 1
        handle.truncate(size - block + keep)
