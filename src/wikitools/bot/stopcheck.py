"""The emergency stop of a bot run: a stop page on the wiki, and the bot's talk page.

- ``--stop-page TITLE``: the run goes on only while the page's text, trimmed, is exactly
  ``true`` (the convention of JavaScript bot frameworks such as mwn). Any other text, a
  missing page, or a page that cannot be read stops the run (fail closed), with the reason.
- A new message on the bot account's talk page (``meta=userinfo&uiprop=hasmsg``) stops the
  run too, unless switched off (``--ignore-talk-messages``).
- A block of the account (``uiprop=blockinfo``, not a partial block) or a read-only wiki
  (``meta=siteinfo``'s ``readonly``) stops it at once with the typed fatal error
  (:class:`~wikitools.errors.BlockedError`, :class:`~wikitools.errors.ReadOnlyError`),
  before an edit is even tried (the save path would otherwise wait out a read-only wiki
  with its retries).

Both are asked in one request, before the first save and then before a save once
:attr:`StopCheck.every` saves were made or :attr:`StopCheck.interval` seconds passed since the
last check. The default, every save, means a stop page flipped during a run lets through at
most the one edit already on its way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from wikitools.errors import RunStoppedError, WikitoolsError
from wikitools.mediawiki.apierrors import api_error

if TYPE_CHECKING:
    from wikitools.mediawiki.wiki import Wiki

#: The text the stop page must hold for the run to go on.
GO = "true"


class StopCheck:
    """Raise :class:`~wikitools.errors.RunStoppedError` when the operator asked the run to stop."""

    def __init__(
        self,
        wiki: Wiki,
        *,
        stop_page: str | None = None,
        hasmsg: bool = True,
        every: int = 1,
        interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.wiki = wiki
        self.stop_page = stop_page
        self.hasmsg = hasmsg
        self.every = max(1, every)
        self.interval = interval
        self.clock = clock
        self.checks = 0
        """How many times the wiki was asked."""
        self._saves_since = 0
        self._last: float | None = None

    @property
    def active(self) -> bool:
        """Always: blocks and a read-only wiki are checked even without the others."""
        return True

    def saved(self) -> None:
        """Count one save since the last check."""
        self._saves_since += 1

    def due(self) -> bool:
        """True before the first save, and after ``every`` saves or ``interval`` seconds."""
        if self._last is None:
            return True
        return self._saves_since >= self.every or self.clock() - self._last >= self.interval

    def check_if_due(self) -> None:
        """:meth:`check` when :meth:`due`."""
        if self.active and self.due():
            self.check()

    def check(self) -> None:
        """Ask the wiki now; raise :class:`RunStoppedError` with the reason to stop."""
        self.checks += 1
        params: dict[str, str | bool] = {
            "action": "query",
            "meta": "userinfo|siteinfo",
            "siprop": "general",
            "uiprop": "hasmsg|blockinfo",
        }
        if self.stop_page is not None:
            params.update(titles=self.stop_page, prop="revisions", rvprop="content", rvslots="main")
        try:
            answer = self.wiki.request(params)
        except WikitoolsError as exc:
            if self.stop_page is None:
                raise
            raise RunStoppedError(
                "stoppage", f"the stop page {self.stop_page!r} cannot be read ({exc}); stopping"
            ) from None
        query = answer.get("query", {})
        general = query.get("general", {})
        if general.get("readonly"):
            raise api_error("readonly", str(general.get("readonlyreason") or ""))
        user = query.get("userinfo", {})
        if user.get("blockid") and not user.get("blockpartial"):
            raise api_error(
                "blocked", f"blocked by {user.get('blockedby', '?')}: {user.get('blockreason', '')}"
            )
        if self.hasmsg and query.get("userinfo", {}).get("messages"):
            raise RunStoppedError(
                "hasmsg",
                "the bot account has a new message on its talk page; read it, then rerun "
                "(or pass --ignore-talk-messages)",
            )
        if self.stop_page is not None:
            self._check_page(query)
        self._last = self.clock()
        self._saves_since = 0

    def _check_page(self, query: dict[str, object]) -> None:
        title = self.stop_page
        pages = query.get("pages")
        page = pages[0] if isinstance(pages, list) and pages else None
        if not isinstance(page, dict) or page.get("invalid"):
            raise RunStoppedError("stoppage", f"the stop page {title!r} is not a valid page")
        if page.get("missing") or "revisions" not in page:
            raise RunStoppedError(
                "stoppage",
                f"the stop page {page.get('title', title)!r} does not exist; create it with "
                f"the text {GO!r} to let the run go on",
            )
        slot = page["revisions"][0].get("slots", {}).get("main", {})
        text = slot.get("content")
        if not isinstance(text, str):
            raise RunStoppedError(
                "stoppage", f"the stop page {page.get('title', title)!r} cannot be read"
            )
        if text.strip() != GO:
            shown = text.strip()[:60]
            raise RunStoppedError(
                "stoppage",
                f"the stop page {page.get('title', title)!r} says {shown!r}, not {GO!r}",
            )
