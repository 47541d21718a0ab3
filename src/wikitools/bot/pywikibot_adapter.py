"""Run the wikitools repair on pywikibot ``Page`` objects (with :mod:`.pwb_script`, the only
modules importing pywikibot).

The ready-made route is the pywikibot script ``pwb wikitools_fix`` (:mod:`.pwb_script`).
For pywikibot users who keep their own script, a minimal one (``-simulate``, ``-always``,
the site options and the page generators all work because it hands the command line to
pywikibot first)::

    import pywikibot
    from pywikibot import pagegenerators
    from wikitools.bot.pipeline import FixOptions
    from wikitools.bot.pywikibot_adapter import PywikibotSiteContext, fix_page

    def main(*args: str) -> None:
        local_args = pywikibot.handle_args(args)   # -simulate, -site:, -user:, -pt: ...
        factory = pagegenerators.GeneratorFactory()
        local_args = factory.handle_args(local_args)  # -cat:, -page:, -ns: ...
        site = pywikibot.Site()
        site.login()
        context = PywikibotSiteContext(site)        # batched, cached existence lookups
        for page in factory.getCombinedGenerator(preload=True) or ():
            print(fix_page(page, FixOptions(apply=True), site_context=context).line())

    if __name__ == "__main__":
        main()

Without ``pywikibot.handle_args()`` the global options given after the script name are
never read: ``-simulate`` would be ignored and the script would save for real. Under
``-simulate`` (``pywikibot.config.simulate``) nothing is sent and a page to fix is
reported as *would change*, never as changed.

Saves go through the one save path (:func:`wikitools.mediawiki.save.save_page`, the same
policy as ``fix --wiki`` and ``push``) over :class:`PywikibotSink`, which saves with
``Page.save`` (pywikibot's throttle, login and ``{{bots}}`` check apply), its save
callback and the base revision id: a concurrent edit is an edit conflict, never
overwritten, and the fixes are then re-applied to the latest revision once, as in
:mod:`wikitools.bot.pipeline`; a block or a read-only wiki stops the run
(:class:`~wikitools.errors.RunFatalError`). ``--verify`` (rendering before saving)
is only offered by the native client (``wikitools fix --wiki``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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
        if not page.exists():
            return BaseRevision(title, None)
        # The latest revision's text: ``page.text`` may still hold an edit that failed.
        return BaseRevision(title, page.get(get_redirect=True), page.latest_revision_id)

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
        """Save through ``Page.save``; raise the typed errors of the save path.

        The outcome comes from the save callback (pywikibot hands it the error, or None),
        as for asynchronous saves; the caller's thread is the one that saves.
        """
        page = self._pages.get(request.title) or pywikibot.Page(self.site, request.title)
        before = page.latest_revision_id if page.exists() else None
        page.text = request.text
        failures: list[Exception] = []

        def saved(_page: Any, error: Exception | None) -> None:
            if error is not None:
                failures.append(error)

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
                callback=saved,
            )
        except pwb.Error as exc:  # refused before saving ({{nobots}}), or no callback run
            raise _typed(exc) from None
        if failures:
            raise _typed(failures[0]) from None
        after = page.latest_revision_id
        return EditResult(
            request.title,
            saved=after != before,
            revid=after,
            old_revid=before,
            created=before is None,
        )


def _text(exc: BaseException) -> str:
    """An exception's message on one line (pywikibot wraps long messages)."""
    return " ".join(str(exc).split())


def typed_error(exc: Exception) -> ApiError:
    """The wikitools error for a pywikibot exception (a
    :class:`~wikitools.errors.RunFatalError` when no later request can succeed)."""
    return _typed(exc)


def _typed(exc: Exception) -> ApiError:
    """The wikitools error for a pywikibot exception raised by ``Page.save``."""
    if isinstance(exc, pwb.OtherPageSaveError) and isinstance(exc.reason, Exception):
        exc = exc.reason  # Page.save wraps what is not a page error (APIError, timeouts)
    if isinstance(exc, pwb.PageDeletedConflictError | pwb.NoCreateError):
        return EditConflictError("pagedeleted", _text(exc))
    if isinstance(exc, pwb.PageCreatedConflictError):
        return ApiError("articleexists", _text(exc))
    if isinstance(exc, pwb.EditConflictError):
        return EditConflictError("editconflict", _text(exc))
    if isinstance(exc, pwb.LockedPageError):
        return ProtectedPageError("protectedpage", _text(exc))
    if isinstance(
        exc, pwb.AbuseFilterDisallowedError | pwb.SpamblacklistError | pwb.TitleblacklistError
    ):
        return EditFilterError(type(exc).__name__, _text(exc))
    if isinstance(exc, pwb.CaptchaError):
        return EditFilterError("captcha", _text(exc))
    if isinstance(exc, pwb.ApiTimeoutError):
        # pywikibot retried (maxlag, read-only, lost connection) until it gave up.
        return WikiBusyError("timeout", f"{_text(exc)}; pywikibot gave up retrying")
    # pywikibot words some codes (writeapidenied, noedit...) as a plain Error; the API's
    # own error is its context.
    if isinstance(exc, pwb.APIError):
        return api_error(exc.code, exc.info, exc.other)
    context = exc.__context__
    if isinstance(context, pwb.APIError):
        return api_error(context.code, _text(exc), context.other)
    return PageRefusedError("editfailed", _text(exc))


def simulating() -> bool:
    """True under pywikibot's ``-simulate`` (``pywikibot.config.simulate``): save nothing."""
    return bool(pywikibot.config.simulate)


@dataclass(frozen=True, slots=True)
class PreparedFix:
    """A page read and fixed, ready to save: the page, the text read, the fixed text."""

    page: Any
    old_text: str
    text: str
    fixes: tuple[str, ...]
    rebased: bool = False
    """True when this is the fix re-applied to a newer revision after a conflict."""

    @property
    def title(self) -> str:
        """The page's title."""
        return str(self.page.title())


#: How the edit summary is made from the codes of the fixes applied.
Summarize = Callable[[Sequence[str]], str]


def prepare_fix(
    page: Any, fixer: TextFixer, context: SiteContext, *, reload: bool = False
) -> PreparedFix | PageOutcome:
    """Read ``page`` (again from the wiki with ``reload``) and fix it; nothing is saved.

    Returns the outcome when there is nothing to save: no such page, not wikitext,
    nothing to fix, or the fix engine failed on this page.
    """
    title = page.title()
    try:
        text = page.get(force=reload)
    except pwb.NoPageError:
        if reload:
            return PageOutcome(title, Status.CONFLICT, "deleted by someone else meanwhile")
        return PageOutcome(title, Status.SKIPPED, "the page does not exist")
    except pwb.IsRedirectPageError:
        text = page.get(get_redirect=True, force=reload)
    if not is_wikitext_model(page.content_model):
        return PageOutcome(title, Status.SKIPPED, f"content model {page.content_model}")
    try:
        result = fixer(text, title, context)
    except Exception as exc:  # a bug in one page's fix must not stop a long bot run
        logger.exception("%s: the fix engine failed", title)
        return PageOutcome(
            title,
            Status.SKIPPED,
            f"fix engine failed ({type(exc).__name__}: {exc}); this is a bug, please report it",
        )
    if not result.changed or result.text == text:
        if result.problems:
            return PageOutcome(title, Status.SKIPPED, f"not fixed: {result.problems[0].message}")
        if reload:
            return PageOutcome(title, Status.UNCHANGED, "someone else's edit left nothing to fix")
        return PageOutcome(title, Status.UNCHANGED)
    codes = tuple(dict.fromkeys(d.code for d in result.applied))
    return PreparedFix(page, text, result.text, codes, rebased=reload)


def save_fix(
    prepared: PreparedFix,
    options: FixOptions,
    *,
    fixer: TextFixer,
    site_context: SiteContext,
    sink: PywikibotSink,
    summarize: Summarize | None = None,
) -> PageOutcome:
    """Save a prepared fix (a dry run unless ``options.apply``, and always under
    ``-simulate``); on an edit conflict re-apply the fixes to the latest revision once.

    A run-level fatal error (a block, a read-only wiki) is raised: stop the run.
    """
    if not prepared.page.botMayEdit():  # cached: Page.save asks the same
        return PageOutcome(
            prepared.title, Status.SKIPPED, "{{bots}}/{{nobots}} on the page excludes this bot"
        )
    summarize = summarize or options.summary_for
    policy = options.policy()
    if simulating():
        policy = replace(policy, apply=False)
    current: PreparedFix | PageOutcome = prepared
    while isinstance(current, PreparedFix):
        base = sink.track(current.page)
        saved = save_page(sink, base, current.text, summary=summarize(current.fixes), policy=policy)
        if saved.status is not SaveStatus.CONFLICT:
            reason = ", ".join(current.fixes) if saved.status in _DONE else None
            return from_save(saved, reason=reason, fixes=current.fixes, rebased=current.rebased)
        if current.rebased:
            return PageOutcome(
                current.title, Status.CONFLICT, "edited again meanwhile; nothing saved"
            )
        logger.warning("%s: edited by someone else meanwhile; re-applying fixes", current.title)
        current = prepare_fix(current.page, fixer, site_context, reload=True)
    if current.status is Status.SKIPPED:
        return replace(
            current,
            status=Status.CONFLICT,
            reason=f"edited meanwhile, and the fix no longer applies: {current.reason}",
        )
    return current


_DONE = (SaveStatus.SAVED, SaveStatus.WOULD_SAVE)


def fix_page(
    page: Any,
    options: FixOptions | None = None,
    *,
    fixer: TextFixer | None = None,
    site_context: SiteContext | None = None,
    sink: PywikibotSink | None = None,
    summarize: Summarize | None = None,
) -> PageOutcome:
    """Fix one pywikibot ``Page``: a dry run unless ``options.apply``, and always under
    ``-simulate``; never overwrites.

    A run-level fatal error (a block, a read-only wiki) is raised: stop the run.
    """
    options = options or FixOptions()
    if options.verify:
        raise ValueError("verify needs the native client: use 'wikitools fix --wiki --verify'")
    fixer = fixer or engine_fixer()
    context = site_context or PywikibotSiteContext(page.site)
    prepared = prepare_fix(page, fixer, context)
    if isinstance(prepared, PageOutcome):
        return prepared
    return save_fix(
        prepared,
        options,
        fixer=fixer,
        site_context=context,
        sink=sink or PywikibotSink(page.site),
        summarize=summarize,
    )


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
