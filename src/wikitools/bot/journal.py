"""The journal of a bot run: what it is about to save, and what each page ended as.

A journal is one SQLite file (``--journal FILE``), written in WAL mode with
``synchronous=FULL``: every record is one committed transaction, on disk before the call
returns, so a ``kill -9`` (or a power cut) at any instant leaves every record before it
intact and never a torn one. SQLite was chosen over an fsynced JSONL file because a resumed
run looks pages up one by one: an indexed table answers "is this page done?" without holding
the whole journal in memory (so a 100,000-page run stays flat), and a transaction cannot be
half-written, so there is no partial last line to repair.

Per page (keyed by the title as the run selected it) there is one row:

- an **intent**, written right before the edit is sent: page id, base revision, the SHA-1
  of the text to save (as MediaWiki stores it, :func:`wikitools.layout.text_sha1`), the
  summary and the run id;
- made **done** once the page has its outcome: the new revision id, or the outcome
  (``unchanged``, ``skipped`` and why, ``conflict``, ``refused``).

On a rerun with the same journal, done pages are skipped without a read, and an intent
without a done is *settled* from the page's history (:mod:`wikitools.bot.botrun`). The
journal also remembers the wiki it belongs to, and refuses to be used with another one.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from wikitools.errors import ConfigError, InputError, OutputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    title TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('intent', 'done')),
    pageid INTEGER,
    base_revid INTEGER,
    text_hash TEXT,
    summary TEXT,
    run_id TEXT,
    intent_at REAL,
    status TEXT,
    reason TEXT,
    revid INTEGER,
    done_at REAL
);
"""


@dataclass(frozen=True, slots=True)
class Intent:
    """A save that was about to be sent (and may or may not have reached the wiki)."""

    title: str
    pageid: int | None
    base_revid: int | None
    text_hash: str
    summary: str
    run_id: str


@dataclass(frozen=True, slots=True)
class Done:
    """A page's final outcome in an earlier (or this) run."""

    title: str
    status: str
    reason: str
    revid: int | None


class Journal:
    """One journal file (see the module docs); use as a context manager or call :meth:`close`."""

    def __init__(self, path: Path, api_url: str) -> None:
        self.path = path
        if not path.parent.is_dir():
            raise OutputError(f"{path}: the folder {path.parent} does not exist")
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path}: not a wikitools journal ({exc})") from None
        wiki = self._meta("wiki")
        if wiki is None:
            self._set_meta("wiki", api_url)
            self._set_meta("journal_id", uuid.uuid4().hex[:12])
            self._set_meta("created", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        elif wiki != api_url:
            self._db.close()
            raise ConfigError(
                f"{path}: this journal belongs to a run on {wiki}, not {api_url}; "
                "use another --journal file for another wiki"
            )
        sessions = int(self._meta("sessions") or 0) + 1
        self._set_meta("sessions", str(sessions))
        self.run_id = f"{self._meta('journal_id')}/{sessions}"
        """This run's id: the journal's id and how many runs used it."""

    # -- meta --------------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- records -----------------------------------------------------------------------------

    def done(self, title: str) -> Done | None:
        """The page's final outcome, when an earlier run (or this one) recorded it."""
        row = self._db.execute(
            "SELECT status, reason, revid FROM pages WHERE title = ? AND state = 'done'",
            (title,),
        ).fetchone()
        return None if row is None else Done(title, str(row[0]), str(row[1] or ""), row[2])

    def intent(self, title: str) -> Intent | None:
        """The save that was about to be sent when the run ended, if it has no done record."""
        row = self._db.execute(
            "SELECT pageid, base_revid, text_hash, summary, run_id FROM pages "
            "WHERE title = ? AND state = 'intent'",
            (title,),
        ).fetchone()
        if row is None:
            return None
        return Intent(title, row[0], row[1], str(row[2]), str(row[3]), str(row[4]))

    def record_intent(
        self,
        title: str,
        *,
        pageid: int | None,
        base_revid: int | None,
        text_hash: str,
        summary: str,
    ) -> None:
        """Write the intent of a save (durable before this returns)."""
        self._db.execute(
            "INSERT INTO pages (title, state, pageid, base_revid, text_hash, summary, run_id, "
            "intent_at) VALUES (?, 'intent', ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (title) DO UPDATE SET state = 'intent', pageid = excluded.pageid, "
            "base_revid = excluded.base_revid, text_hash = excluded.text_hash, "
            "summary = excluded.summary, run_id = excluded.run_id, "
            "intent_at = excluded.intent_at, status = NULL, reason = NULL, revid = NULL, "
            "done_at = NULL",
            (title, pageid, base_revid, text_hash, summary, self.run_id, time.time()),
        )

    def record_done(
        self, title: str, status: str, *, reason: str = "", revid: int | None = None
    ) -> None:
        """Write a page's final outcome (durable before this returns)."""
        self._db.execute(
            "INSERT INTO pages (title, state, status, reason, revid, run_id, done_at) "
            "VALUES (?, 'done', ?, ?, ?, ?, ?) "
            "ON CONFLICT (title) DO UPDATE SET state = 'done', status = excluded.status, "
            "reason = excluded.reason, revid = excluded.revid, done_at = excluded.done_at",
            (title, status, reason, revid, self.run_id, time.time()),
        )

    def counts(self) -> dict[str, int]:
        """How many pages are in each state (``intent``, and each done status)."""
        rows = self._db.execute(
            "SELECT CASE state WHEN 'done' THEN status ELSE 'intent' END, count(*) "
            "FROM pages GROUP BY 1"
        ).fetchall()
        return {str(name): int(count) for name, count in rows}

    # -- life cycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file (every record is already on disk)."""
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
