"""A bot run: the live fix pipeline with a journal, a pace, a budget and an emergency stop.

:class:`BotRun` drives :class:`~wikitools.bot.pipeline.PageRunner` over a stream of titles:

- **journal** (:mod:`wikitools.bot.journal`): right before each edit is sent, an *intent*
  (page id, base revision, text hash, run id) is committed; once the page has its outcome, a
  *done* record. Rerunning with the same journal skips done pages without reading them, and
  settles each intent without a done from the page's history: when a revision after the base
  is ours (our account, our summary or tag, and the text hash of the intent) the page is done
  with that revision; otherwise it is fixed again from the latest revision. A save whose
  request reached the wiki but whose answer never reached us (killed, connection lost) is
  thus found and never repeated; a redo that the wiki answers with "no change" is settled
  from the history once more, for an orphaned request that landed late;
- **pace and budget**: the :class:`~wikitools.mediawiki.throttle.Throttle` and
  :class:`~wikitools.mediawiki.save.EditBudget` of the save policy; once the budget is spent
  the run ends cleanly (:attr:`BotRun.ended`);
- **stop checks** (:mod:`wikitools.bot.stopcheck`) right before a save, after the throttle's
  wait, so a stop is seen as late as possible;
- **tags** are checked to exist (and be active) on the wiki before the first save;
- ``{{bots}}``/``{{nobots}}`` are honoured by the page runner.

Run-level fatal errors (a block, a read-only wiki, a stop) propagate: the journal is then
consistent (every page done, or an intent that a rerun settles).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wikitools.bot.journal import Intent, Journal
from wikitools.bot.outcome import PageOutcome, Status
from wikitools.bot.pipeline import FixOptions, PageRunner, TextFixer
from wikitools.bot.stopcheck import StopCheck
from wikitools.errors import ConfigError
from wikitools.layout import text_sha1
from wikitools.mediawiki.live_site import ApiSiteContext
from wikitools.mediawiki.pages import Page
from wikitools.mediawiki.save import BaseRevision, EditBudget, SaveResult, SaveStatus
from wikitools.urls import display_url

if TYPE_CHECKING:
    from wikitools.mediawiki.throttle import Throttle
    from wikitools.mediawiki.wiki import Wiki
    from wikitools.site.context import SiteContext

logger = logging.getLogger(__name__)

#: Titles read per request in a bot run (pages are saved long after a big batch is read).
RUN_BATCH = 50

#: The reason given to a dump candidate whose live text needs no fix any more.
GONE_SINCE_DUMP = "the live page no longer has the problem the dump showed"


@dataclass(frozen=True)
class BotControls:
    """What makes a run safe unattended (all off by default)."""

    journal: Journal | None = None
    limit: int | None = None
    throttle: Throttle | None = None
    stop: StopCheck | None = None
    candidates: bool = False
    """The titles are candidates from a dump (an unchanged page is reported as such)."""


def check_tags(wiki: Wiki, tags: Sequence[str]) -> None:
    """Raise :class:`ConfigError` unless every tag is defined on the wiki and active."""
    if not tags:
        return
    known: dict[str, dict[str, Any]] = {}
    for item in wiki.iter_list("tags", {"tgprop": "defined|active", "tglimit": "max"}):
        known[str(item.get("name"))] = item
    for tag in tags:
        found = known.get(tag)
        where = display_url(wiki.api_url)
        if found is None or not found.get("defined"):
            raise ConfigError(
                f"the tag {tag!r} is not defined on {where}; an administrator can create it at "
                "Special:Tags (or run without --tag)"
            )
        if not found.get("active"):
            raise ConfigError(f"the tag {tag!r} is deactivated on {where}; it cannot be applied")


class BotRun:
    """One run over a stream of titles (see the module docs)."""

    def __init__(
        self,
        wiki: Wiki,
        fixer: TextFixer,
        options: FixOptions,
        controls: BotControls | None = None,
        *,
        site: SiteContext | None = None,
    ) -> None:
        self.wiki = wiki
        self.options = options
        self.controls = controls or BotControls()
        self.budget = EditBudget(self.controls.limit) if self.controls.limit is not None else None
        policy = dataclasses.replace(
            options.policy(), budget=self.budget, throttle=self.controls.throttle, gate=self
        )
        self.runner = PageRunner(wiki, fixer, options, site or ApiSiteContext(wiki), policy=policy)
        self.journal = self.controls.journal if options.apply else None
        self.ended: str | None = None
        """Why the run ended before its titles did (the edit limit), or None."""
        self._key: str | None = None
        self._sent: Intent | None = None
        self._prepared = False

    # -- the save gate -----------------------------------------------------------------------

    def before_submit(self, base: BaseRevision, text: str, summary: str) -> None:
        """Stop checks, then the journal's intent, right before the edit is sent."""
        if self.controls.stop is not None:
            self.controls.stop.check_if_due()
        intent = Intent(
            self._key or base.title,
            base.pageid,
            base.revid,
            text_sha1(text),
            summary,
            self.journal.run_id if self.journal is not None else "",
        )
        self._sent = intent
        if self.journal is not None:
            self.journal.record_intent(
                intent.title,
                pageid=intent.pageid,
                base_revid=intent.base_revid,
                text_hash=intent.text_hash,
                summary=summary,
            )

    def after_submit(self, base: BaseRevision, result: SaveResult) -> None:
        """Count the save for the stop check's cadence."""
        if result.status is SaveStatus.SAVED and self.controls.stop is not None:
            self.controls.stop.saved()

    # -- the run -----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Checks before anything is saved: the tags exist, the stop page says go."""
        if self._prepared:
            return
        self._prepared = True
        check_tags(self.wiki, self.options.tags)
        if self.options.apply and self.controls.stop is not None and self.controls.stop.active:
            self.controls.stop.check()

    def run(self, titles: Iterable[str]) -> Iterator[PageOutcome]:
        """One outcome per title; ends early (see :attr:`ended`) once the budget is spent.

        Titles the journal settles (done, or an intent found in the history) are yielded
        at once; the others are read :data:`RUN_BATCH` a request, fixed and saved.
        """
        self.prepare()
        batch: list[tuple[str, Intent | None]] = []
        for title in titles:
            if self._spent():
                return
            known = self._from_journal(title)
            if isinstance(known, PageOutcome):
                yield known
                continue
            batch.append((title, known))
            if len(batch) >= RUN_BATCH:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)
        self._spent()

    def _run_batch(self, batch: list[tuple[str, Intent | None]]) -> Iterator[PageOutcome]:
        pages = self.wiki.read_pages([title for title, _ in batch])
        for (title, intent), page in zip(batch, pages, strict=True):
            if self._spent():
                return
            yield self._run(title, intent, page)

    def _spent(self) -> bool:
        if self.budget is not None and self.budget.exhausted:
            self.ended = f"the edit limit is reached ({self.budget.spent} edits)"
            return True
        return False

    def _from_journal(self, title: str) -> PageOutcome | Intent | None:
        """The outcome the journal settles, else the pending intent (or None) to redo."""
        if self.journal is None:
            return None
        done = self.journal.done(title)
        if done is not None:
            revision = f" (revision {done.revid})" if done.revid else ""
            return PageOutcome(
                title,
                Status.DONE_BEFORE,
                f"{done.status} in an earlier run{revision}",
                revid=done.revid,
            )
        intent = self.journal.intent(title)
        if intent is not None:
            settled = self.settle(intent)
            if settled is not None:
                return settled
        return intent

    def _run(self, title: str, intent: Intent | None, page: Page) -> PageOutcome:
        self._key = title
        self._sent = None
        outcome = self.runner.run(page)
        if outcome.status in (Status.UNCHANGED, Status.CONFLICT):
            # Nothing saved, says the wiki, yet an edit of ours may have landed: one whose
            # answer was lost (the retry then met our own revision), or an orphaned request
            # of a killed run. The history tells.
            for sent in (self._sent, intent):
                late = self.settle(sent) if sent is not None else None
                if late is not None:
                    return late
        if self.controls.candidates and outcome.status is Status.UNCHANGED:
            outcome = dataclasses.replace(outcome, reason=GONE_SINCE_DUMP)
        over_budget = outcome.status is Status.SKIPPED and outcome.reason.startswith(
            "the edit limit"
        )
        if (
            self.journal is not None
            and outcome.status is not Status.WOULD_CHANGE
            and not over_budget
        ):
            self.journal.record_done(
                title, outcome.status.value, reason=outcome.reason, revid=outcome.revid
            )
        return outcome

    # -- settling an intent ------------------------------------------------------------------

    def settle(self, intent: Intent) -> PageOutcome | None:
        """The page's outcome when a revision after the intent's base is ours, else None.

        Ours: made by this account, with the intent's summary or one of our tags, and
        holding exactly the text the intent was about to save (its SHA-1).
        """
        mine = self.wiki.userinfo.name if self.wiki.logged_in else None
        params: dict[str, str | int] = {
            "prop": "revisions",
            "titles": intent.title,
            "rvprop": "ids|user|comment|tags|sha1",
            "rvlimit": "max",
        }
        if intent.base_revid:
            params["rvendid"] = intent.base_revid
        else:
            params["rvlimit"] = 50
        tags = set(self.options.tags)
        for answer in self.wiki.query(params):
            for entry in answer.get("query", {}).get("pages", []):
                for rev in entry.get("revisions", []):
                    if rev.get("revid") == intent.base_revid:
                        continue
                    by_us = mine is None or rev.get("user") == mine
                    labelled = rev.get("comment") == intent.summary or bool(
                        tags.intersection(rev.get("tags", []))
                    )
                    if by_us and labelled and rev.get("sha1") == intent.text_hash:
                        revid = int(rev["revid"])
                        reason = (
                            "saved by an interrupted run; found in the page history "
                            f"(revision {revid})"
                        )
                        if self.journal is not None:
                            self.journal.record_done(
                                intent.title, Status.CHANGED.value, reason=reason, revid=revid
                            )
                        logger.info("%s: %s", intent.title, reason)
                        return PageOutcome(intent.title, Status.CHANGED, reason, revid=revid)
        return None
