"""The live fix pipeline: read pages in batches, fix them, verify, save without overwriting.

For each batch of :attr:`Wiki.batch_size` titles: one request reads the current
revisions; each page is fixed with the repair engine against an
:class:`~wikitools.mediawiki.live_site.ApiSiteContext` (batched, cached existence lookups).
Unchanged pages cost no further request. With ``verify`` the original revision and the
fixed text are rendered by the wiki's parser and the save is refused when any kind of
rendered problem would increase. Saves go through the one save path
(:func:`wikitools.mediawiki.save.save_page`: against the revision read, ``nocreate``, never
blanking, the run stopped by a block or a read-only wiki); on an edit conflict the latest
revision is read, the fixes are re-applied to it and saved only if that is clean (the fix
engine succeeds and, with ``verify``, the rendering is no worse); otherwise the page is
reported as a conflict and the other edit stays as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from wikitools.api import Linter, fix_text
from wikitools.bot.exclusion import exclusion
from wikitools.bot.outcome import PageOutcome, Status, from_save
from wikitools.config import Config
from wikitools.contentmodel import is_wikitext_model
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.fixloop import FixResult
from wikitools.mediawiki.apierrors import RUN_FATAL_CODES
from wikitools.mediawiki.live_site import ApiSiteContext
from wikitools.mediawiki.pages import Page, batched
from wikitools.mediawiki.save import (
    DEFAULT_MINOR,
    BaseRevision,
    PageSink,
    SavePolicy,
    SaveResult,
    SaveStatus,
    WikiSink,
    save_page,
)
from wikitools.site.context import SiteContext
from wikitools.verify.verifier import Verifier

if TYPE_CHECKING:
    from wikitools.mediawiki.wiki import Wiki

logger = logging.getLogger(__name__)


class TextFixer(Protocol):
    """Fixes one page's wikitext with what the site knows (the repair engine by default)."""

    def __call__(self, text: str, title: str, site: SiteContext) -> FixResult: ...


def engine_fixer(config: Config | None = None, *, unsafe: bool | None = None) -> TextFixer:
    """The repair engine (:func:`wikitools.fix_text`) as a :class:`TextFixer`.

    The rules are instantiated once per site context and reused for every page.
    """
    cache: list[tuple[SiteContext, Linter]] = []

    def fixer(text: str, title: str, site: SiteContext) -> FixResult:
        if not cache or cache[0][0] is not site:
            cache[:] = [(site, Linter(config, site))]
        return fix_text(text, title=title, linter=cache[0][1], unsafe=unsafe)

    return fixer


@dataclass(frozen=True, slots=True)
class FixOptions:
    """How the pipeline saves: dry run unless ``apply``; ``verify`` renders first."""

    summary: str | None = None
    apply: bool = False
    verify: bool = False
    minor: bool = DEFAULT_MINOR
    bot: bool = False
    tags: Sequence[str] = ()
    honour_bots: bool = True
    """Skip pages whose ``{{bots}}``/``{{nobots}}`` exclude this bot
    (see :mod:`wikitools.bot.exclusion`)."""

    def policy(self) -> SavePolicy:
        """The save policy of these options (fixes never create pages)."""
        return SavePolicy(apply=self.apply, minor=self.minor, bot=self.bot, tags=tuple(self.tags))

    def summary_for(self, codes: Sequence[str]) -> str:
        """The edit summary: the user's, else one naming the fixes."""
        if self.summary:
            return self.summary
        listed = ", ".join(codes) if codes else "wikitext repairs"
        return f"wikitools: fix broken wikitext ({listed})"


def fix_pages(
    wiki: Wiki,
    titles: Iterable[str],
    fixer: TextFixer,
    options: FixOptions,
    *,
    site: SiteContext | None = None,
    on_page: Callable[[PageOutcome], None] | None = None,
) -> list[PageOutcome]:
    """Fix every title (see the module docs) and return one outcome per page."""
    outcomes = []
    for outcome in iter_fix_pages(wiki, titles, fixer, options, site=site):
        outcomes.append(outcome)
        if on_page is not None:
            on_page(outcome)
    return outcomes


def iter_fix_pages(
    wiki: Wiki,
    titles: Iterable[str],
    fixer: TextFixer,
    options: FixOptions,
    *,
    site: SiteContext | None = None,
) -> Iterator[PageOutcome]:
    """Like :func:`fix_pages`, yielding each outcome as soon as the page is done."""
    runner = PageRunner(wiki, fixer, options, site or ApiSiteContext(wiki))
    for batch in batched(titles, wiki.batch_size):
        for page in wiki.read_pages(batch):
            yield runner.run(page)


class PageRunner:
    """Fixes and saves one page already read (see the module docs).

    ``policy`` replaces the options' save policy (a bot run adds its budget, throttle and
    gate); ``names`` are the names the bot answers to in ``{{bots}}``/``{{nobots}}``.
    """

    def __init__(
        self,
        wiki: Wiki,
        fixer: TextFixer,
        options: FixOptions,
        site: SiteContext,
        *,
        policy: SavePolicy | None = None,
        names: Sequence[str] | None = None,
    ):
        self.wiki = wiki
        self.sink: PageSink = WikiSink(wiki)
        self.fixer = fixer
        self.options = options
        self.policy = policy or options.policy()
        self.site = site
        self.verifier = Verifier(wiki, fatal=RUN_FATAL_CODES)
        self.names = tuple(names) if names is not None else None

    def bot_names(self) -> tuple[str, ...]:
        """The names this bot answers to (its account, and ``wikitools``)."""
        if self.names is None:
            from wikitools.bot.exclusion import TOOL_NAME, bot_names

            user = self.wiki.userinfo.name if self.wiki.logged_in else ""
            self.names = bot_names(user) if user else (TOOL_NAME,)
        return self.names

    def run(self, page: Page) -> PageOutcome:
        title = page.title
        if page.invalid is not None:
            return PageOutcome(page.requested, Status.SKIPPED, page.invalid)
        if not page.ok or page.text is None:
            return PageOutcome(title, Status.SKIPPED, "the page does not exist")
        if page.contentmodel is not None and not is_wikitext_model(page.contentmodel):
            return PageOutcome(title, Status.SKIPPED, f"content model {page.contentmodel}")
        prepared = self._prepare(page)
        if isinstance(prepared, PageOutcome):
            return prepared
        result = self._save(page, prepared)
        if result.status is not SaveStatus.CONFLICT:
            return self._outcome(result, prepared, rebased=False)
        logger.warning("%s: edited by someone else meanwhile; re-applying fixes", title)
        latest = self.wiki.read_page(title)
        if not latest.ok or latest.text is None:
            return PageOutcome(title, Status.CONFLICT, "deleted by someone else meanwhile")
        again = self._prepare(latest)
        if isinstance(again, PageOutcome):
            if again.status is Status.UNCHANGED:
                return PageOutcome(
                    title, Status.UNCHANGED, "someone else's edit left nothing to fix"
                )
            return PageOutcome(
                title,
                Status.CONFLICT,
                f"edited meanwhile, and the fix no longer applies: {again.reason}",
            )
        result = self._save(latest, again)
        if result.status is SaveStatus.CONFLICT:
            return PageOutcome(title, Status.CONFLICT, "edited again meanwhile; nothing saved")
        return self._outcome(result, again, rebased=True)

    def _prepare(self, page: Page) -> _Prepared | PageOutcome:
        assert page.text is not None
        if self.options.honour_bots:
            excluded = exclusion(page.text, self.bot_names())
            if excluded is not None:
                return PageOutcome(page.title, Status.SKIPPED, excluded)
        try:
            result = self.fixer(page.text, page.title, self.site)
        except Exception as exc:  # a bug in one page's fix must not stop a long bot run
            logger.exception("%s: the fix engine failed", page.title)
            return PageOutcome(
                page.title,
                Status.SKIPPED,
                f"fix engine failed ({type(exc).__name__}: {exc}); this is a bug, please report it",
            )
        codes = _codes(result.applied)
        if not result.changed or result.text == page.text:
            if result.problems:
                return PageOutcome(
                    page.title, Status.SKIPPED, f"not fixed: {result.problems[0].message}"
                )
            return PageOutcome(page.title, Status.UNCHANGED)
        if self.options.verify:
            refused = self._verify(page, result.text)
            if refused is not None:
                return PageOutcome(
                    page.title,
                    Status.SKIPPED,
                    f"verify: {refused}",
                    old_text=page.text,
                    new_text=result.text,
                    fixes=codes,
                )
        return _Prepared(page, result.text, codes, len(result.applied))

    def _verify(self, page: Page, fixed: str) -> str | None:
        """Why the fixed text must not be saved, or None when it renders no worse."""
        assert page.text is not None
        revid = page.revid
        verdict = self.verifier.judge(
            page.title,
            page.text,
            fixed,
            before=lambda: self.wiki.parse_page(revid=revid) if revid else None,
        )
        return verdict.reason if verdict.refused else None

    def _save(self, page: Page, prepared: _Prepared) -> SaveResult:
        """The one save path; a run-level fatal error (a block, a read-only wiki) is raised."""
        return save_page(
            self.sink,
            BaseRevision.of(page),
            prepared.text,
            summary=self.options.summary_for(prepared.codes),
            policy=self.policy,
        )

    def _outcome(self, result: SaveResult, prepared: _Prepared, *, rebased: bool) -> PageOutcome:
        if result.status is SaveStatus.SAVED:
            return prepared.outcome(dry=False, revid=result.revid, rebased=rebased)
        if result.status is SaveStatus.WOULD_SAVE:
            return prepared.outcome(dry=True)
        return from_save(result, fixes=prepared.codes, rebased=rebased)


_Runner = PageRunner  # the former name


@dataclass(frozen=True, slots=True)
class _Prepared:
    page: Page
    text: str
    codes: tuple[str, ...]
    count: int

    def outcome(self, *, dry: bool, revid: int | None = None, rebased: bool = False) -> PageOutcome:
        count = self.count
        reason = f"{count} fix{'es' if count != 1 else ''}" if count else ""
        if self.codes:
            reason += ": " + ", ".join(self.codes)
        return PageOutcome(
            self.page.title,
            Status.WOULD_CHANGE if dry else Status.CHANGED,
            reason,
            old_text=self.page.text,
            new_text=self.text,
            revid=revid,
            rebased=rebased,
            fixes=self.codes,
        )


def _codes(applied: Sequence[Diagnostic]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.code for item in applied))
