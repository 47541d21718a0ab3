"""Run the wikitools repair on pywikibot ``Page`` objects (the only module importing pywikibot).

For pywikibot users who keep their own generators, throttling and login::

    import pywikibot
    from pywikibot import pagegenerators
    from wikitools.bot.pywikibot_adapter import PywikibotSiteContext, fix_page
    from wikitools.bot.pipeline import FixOptions

    site = pywikibot.Site()
    context = PywikibotSiteContext(site)            # batched, cached existence lookups
    for page in pagegenerators.CategorizedPageGenerator(pywikibot.Category(site, "Broken")):
        print(fix_page(page, FixOptions(apply=True), site_context=context).line())

Saves go through the one save path (:func:`wikitools.mediawiki.save.save_page`, the same
policy as ``fix --wiki`` and ``push``) over :class:`PywikibotSink`, which saves with
``Page.save`` and the base revision id: a concurrent edit is an edit conflict, never
overwritten, and the fixes are then re-applied to the latest revision once, as in
:mod:`wikitools.bot.pipeline`; a block or a read-only wiki stops the run
(:class:`~wikitools.errors.RunFatalError`). ``--verify`` (rendering before saving)
is only offered by the native client (``wikitools fix --wiki``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pywikibot
from pywikibot import exceptions as pwb

from wikitools.bot.outcome import PageOutcome, Status, from_save
from wikitools.bot.pipeline import FixOptions, TextFixer, engine_fixer
from wikitools.contentmodel import is_wikitext_model
from wikitools.errors import (
    ApiError,
    EditConflictError,
    EditFilterError,
    PageRefusedError,
    ProtectedPageError,
    WikiBusyError,
)
from wikitools.mediawiki.apierrors import api_error
from wikitools.mediawiki.edit import EditRequest, EditResult
from wikitools.mediawiki.pages import BATCH_SIZE, batched
from wikitools.mediawiki.save import BaseRevision, SaveStatus, save_page
from wikitools.site.context import PageInfo, SiteContext
from wikitools.titles import Namespaces

logger = logging.getLogger(__name__)


def namespaces_of(site: Any) -> Namespaces:
    """:class:`Namespaces` from a pywikibot ``APISite``."""
    names: dict[int, str] = {}
    aliases: dict[str, int] = {}
    case_sensitive: set[int] = set()
    for ns_id, namespace in site.namespaces.items():
        names[int(ns_id)] = str(namespace.custom_name)
        for alias in [namespace.canonical_name, *namespace.aliases]:
            if alias and alias != namespace.custom_name:
                aliases[str(alias)] = int(ns_id)
        if namespace.case == "case-sensitive":
            case_sensitive.add(int(ns_id))
    return Namespaces(names=names, aliases=aliases, case_sensitive=frozenset(case_sensitive))


class PywikibotSiteContext(SiteContext):
    """A :class:`SiteContext` answered through a pywikibot site, 50 titles a request."""

    def __init__(self, site: Any) -> None:
        super().__init__(namespaces_of(site))
        self.site = site
        self.requests = 0

    def _fetch_info(self, titles: list[str]) -> Mapping[str, PageInfo]:
        found: dict[str, PageInfo] = {}
        for batch in batched(titles, BATCH_SIZE):
            request = self.site.simple_request(
                action="query", prop="info", titles=batch, redirects=True, formatversion=2
            )
            answer = request.submit()
            self.requests += 1
            query = answer.get("query", {})
            normalized = {i["from"]: i["to"] for i in query.get("normalized", [])}
            redirects = {i["from"]: i["to"] for i in query.get("redirects", [])}
            exists = {
                p["title"]: not (p.get("missing") or p.get("invalid") or p.get("special"))
                for p in query.get("pages", [])
            }
            for title in batch:
                canonical = normalized.get(title, title)
                target = redirects.get(canonical)
                if target is not None:
                    found[title] = PageInfo(title, True, target)
                else:
                    found[title] = PageInfo(title, exists.get(canonical, False))
        return found

    def _fetch_texts(self, titles: list[str]) -> Mapping[str, str | None]:
        pages = [pywikibot.Page(self.site, title) for title in titles]
        texts: dict[str, str | None] = dict.fromkeys(titles)
        by_title = {page.title(): wanted for page, wanted in zip(pages, titles, strict=True)}
        for page in self.site.preloadpages(pages, groupsize=BATCH_SIZE):
            wanted = by_title.get(page.title())
            if wanted is not None and page.exists():
                texts[wanted] = page.text
        self.requests += -(-len(titles) // BATCH_SIZE)
        return texts


class PywikibotSink:
    """The :class:`~wikitools.mediawiki.save.PageSink` over a pywikibot site.

    Saves with ``Page.save`` (pywikibot's throttle and login apply) and turns pywikibot's
    exceptions into wikitools' typed errors, so the save path treats both clients alike.
    """

    def __init__(self, site: Any) -> None:
        self.site = site
        self._pages: dict[str, Any] = {}

    def track(self, page: Any) -> BaseRevision:
        """Remember an already loaded ``Page`` (its edits are saved through it)."""
        title = page.title()
        self._pages[title] = page
        exists = page.exists()
        return BaseRevision(
            title,
            page.text if exists else None,
            page.latest_revision_id if exists else None,
        )

    def read(self, titles: Sequence[str]) -> dict[str, BaseRevision]:
        """The current revisions, :data:`BATCH_SIZE` titles a request."""
        pages = [pywikibot.Page(self.site, title) for title in titles]
        wanted = {page.title(): title for page, title in zip(pages, titles, strict=True)}
        found: dict[str, BaseRevision] = {}
        for page in self.site.preloadpages(pages, groupsize=BATCH_SIZE):
            title = wanted.get(page.title())
            if title is not None:
                found[title] = self.track(page)
        for page, title in zip(pages, titles, strict=True):
            found.setdefault(title, self.track(page))
        return found

    def submit(self, request: EditRequest) -> EditResult:
        """Save through ``Page.save``; raise the typed errors of the save path."""
        page = self._pages.get(request.title) or pywikibot.Page(self.site, request.title)
        before = page.latest_revision_id if page.exists() else None
        page.text = request.text
        try:
            page.save(
                summary=request.summary,
                minor=request.minor,
                bot=request.bot,
                nocreate=request.nocreate,
                createonly=request.createonly,
                # The exact base revision, and no basetimestamp: see EditRequest.params.
                baserevid=request.baserevid,
                basetimestamp=None,
                tags=",".join(request.tags) or None,
                quiet=True,
            )
        except pwb.Error as exc:
            raise _typed(exc) from None
        after = page.latest_revision_id
        return EditResult(
            request.title,
            saved=after != before,
            revid=after,
            old_revid=before,
            created=before is None,
        )


def _typed(exc: Exception) -> ApiError:
    """The wikitools error for a pywikibot exception raised by ``Page.save``."""
    if isinstance(exc, pwb.OtherPageSaveError) and isinstance(exc.reason, Exception):
        exc = exc.reason  # Page.save wraps what is not a page error (APIError, timeouts)
    if isinstance(exc, pwb.PageDeletedConflictError | pwb.NoCreateError):
        return EditConflictError("pagedeleted", str(exc))
    if isinstance(exc, pwb.PageCreatedConflictError):
        return ApiError("articleexists", str(exc))
    if isinstance(exc, pwb.EditConflictError):
        return EditConflictError("editconflict", str(exc))
    if isinstance(exc, pwb.LockedPageError):
        return ProtectedPageError("protectedpage", str(exc))
    if isinstance(
        exc, pwb.AbuseFilterDisallowedError | pwb.SpamblacklistError | pwb.TitleblacklistError
    ):
        return EditFilterError(type(exc).__name__, str(exc))
    if isinstance(exc, pwb.CaptchaError):
        return EditFilterError("captcha", str(exc))
    if isinstance(exc, pwb.ApiTimeoutError):
        # pywikibot retried (maxlag, read-only, lost connection) until it gave up.
        return WikiBusyError("timeout", f"{exc}; pywikibot gave up retrying")
    # pywikibot words some codes (writeapidenied, noedit...) as a plain Error; the API's
    # own error is its context.
    if isinstance(exc, pwb.APIError):
        return api_error(exc.code, exc.info, exc.other)
    context = exc.__context__
    if isinstance(context, pwb.APIError):
        return api_error(context.code, str(exc), context.other)
    return PageRefusedError("editfailed", str(exc))


def fix_page(
    page: Any,
    options: FixOptions | None = None,
    *,
    fixer: TextFixer | None = None,
    site_context: SiteContext | None = None,
    sink: PywikibotSink | None = None,
) -> PageOutcome:
    """Fix one pywikibot ``Page``: a dry run unless ``options.apply``; never overwrites.

    A run-level fatal error (a block, a read-only wiki) is raised: stop the run.
    """
    options = options or FixOptions()
    if options.verify:
        raise ValueError("verify needs the native client: use 'wikitools fix --wiki --verify'")
    fixer = fixer or engine_fixer()
    context = site_context or PywikibotSiteContext(page.site)
    sink = sink or PywikibotSink(page.site)
    policy = options.policy()
    title = page.title()
    for attempt in (0, 1):
        try:
            text = page.get(force=attempt > 0)
        except pwb.NoPageError:
            if attempt:
                return PageOutcome(title, Status.CONFLICT, "deleted by someone else meanwhile")
            return PageOutcome(title, Status.SKIPPED, "the page does not exist")
        except pwb.IsRedirectPageError:
            text = page.get(get_redirect=True, force=attempt > 0)
        if not is_wikitext_model(page.content_model):
            return PageOutcome(title, Status.SKIPPED, f"content model {page.content_model}")
        result = fixer(text, title, context)
        if not result.changed:
            if attempt:
                return PageOutcome(
                    title, Status.UNCHANGED, "someone else's edit left nothing to fix"
                )
            return PageOutcome(title, Status.UNCHANGED)
        codes = tuple(dict.fromkeys(d.code for d in result.applied))
        base = sink.track(page)
        saved = save_page(
            sink, base, result.text, summary=options.summary_for(codes), policy=policy
        )
        if saved.status is SaveStatus.CONFLICT:
            logger.warning("%s: edited by someone else meanwhile; re-applying fixes", title)
            continue
        if saved.status in (SaveStatus.SAVED, SaveStatus.WOULD_SAVE):
            return from_save(saved, reason=", ".join(codes), fixes=codes, rebased=attempt > 0)
        return from_save(saved, fixes=codes, rebased=attempt > 0)
    return PageOutcome(title, Status.CONFLICT, "edited again meanwhile; nothing saved")


def fix_pages(
    pages: Iterable[Any], options: FixOptions | None = None, *, fixer: TextFixer | None = None
) -> Iterable[PageOutcome]:
    """:func:`fix_page` for each page, sharing one site context per site."""
    contexts: dict[int, tuple[PywikibotSiteContext, PywikibotSink]] = {}
    fixer = fixer or engine_fixer()
    for page in pages:
        found = contexts.get(id(page.site))
        if found is None:
            found = contexts[id(page.site)] = (
                PywikibotSiteContext(page.site),
                PywikibotSink(page.site),
            )
        yield fix_page(page, options, fixer=fixer, site_context=found[0], sink=found[1])
