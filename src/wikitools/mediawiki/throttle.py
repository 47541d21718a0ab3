"""The pace of saves to one wiki, shared by every wikitools process on this machine.

As pywikibot's ``throttle.ctrl`` does, the pace lives in files, one pair per ``api.php``
URL, in the user's cache directory (``$XDG_CACHE_HOME/wikitools/throttle``, else
``~/.cache/wikitools/throttle``): ``KEY.lock`` is held (``flock``) while a process waits for
its turn, and ``KEY.last`` holds the time of the last save. So two bot runs against one wiki
together make at most one edit every ``interval`` seconds, and a second run started right
after a first one waits as the first would have.

The default interval (:func:`default_interval`) is :data:`LIVE_INTERVAL` (10 s, pywikibot's
``put_throttle`` and Wikimedia's guidance for unurgent bot work) for any wiki, and 0 for a
wiki on this machine (a loopback host: ``localhost``, ``127.0.0.0/8``, ``::1``), such as the
sandbox.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import ipaddress
import os
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from wikitools.errors import ConfigError

#: Seconds between saves to a live wiki by default (pywikibot's put_throttle).
LIVE_INTERVAL = 10.0

#: Seconds between saves to a wiki on this machine by default.
LOCAL_INTERVAL = 0.0


def is_loopback_url(api_url: str) -> bool:
    """True when ``api_url`` names this machine (``localhost``, 127.x.y.z, ``::1``)."""
    host = (urlsplit(api_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_interval(api_url: str) -> float:
    """The documented default: 0 s for a wiki on this machine, else 10 s."""
    return LOCAL_INTERVAL if is_loopback_url(api_url) else LIVE_INTERVAL


def cache_directory() -> Path:
    """Where the throttle files live (``$XDG_CACHE_HOME/wikitools/throttle``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wikitools" / "throttle"


class Throttle:
    """At most one save every ``interval`` seconds to ``api_url``, across processes.

    ``sleep`` and ``clock`` (wall-clock seconds, shared by processes) are injectable for tests.
    """

    def __init__(
        self,
        api_url: str,
        interval: float,
        *,
        directory: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if interval < 0:
            raise ConfigError("--throttle must be 0 or more seconds")
        self.interval = interval
        self.sleep = sleep
        self.clock = clock
        key = hashlib.sha256(api_url.encode("utf-8")).hexdigest()[:20]
        folder = directory or cache_directory()
        self.lock_path = folder / f"{key}.lock"
        self.last_path = folder / f"{key}.last"
        self.waited = 0.0
        """Seconds waited so far."""

    def wait(self) -> float:
        """Wait for this process's turn and claim it; return the seconds waited."""
        if self.interval <= 0:
            return 0.0
        self.lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.lock_path, "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                due = self._last() + self.interval
                delay = max(0.0, min(due - self.clock(), self.interval))
                if delay > 0:
                    self.sleep(delay)
                self._record(self.clock())
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        self.waited += delay
        return delay

    def _last(self) -> float:
        with contextlib.suppress(OSError, ValueError):
            return float(self.last_path.read_text(encoding="ascii").strip() or 0)
        return 0.0

    def _record(self, when: float) -> None:
        partial = self.last_path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(f"{when:.3f}\n", encoding="ascii")
        os.replace(partial, self.last_path)
