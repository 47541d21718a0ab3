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

Saves go through ``Page.save`` with the base revision id, so a concurrent edit raises an
edit conflict instead of being overwritten; the fixes are then re-applied to the latest
revision once, as in :mod:`wikitools.bot.pipeline`. ``--verify`` (rendering before saving)
is only offered by the native client (``wikitools fix --wiki``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import pywikibot
from pywikibot.exceptions import EditConflictError, NoPageError, PageSaveRelatedError

from wikitools.bot.outcome import PageOutcome, Status
from wikitools.bot.pipeline import FixOptions, TextFixer, engine_fixer
from wikitools.contentmodel import is_wikitext_model
from wikitools.mediawiki.pages import BATCH_SIZE, batched
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


def fix_page(
    page: Any,
    options: FixOptions | None = None,
    *,
    fixer: TextFixer | None = None,
    site_context: SiteContext | None = None,
) -> PageOutcome:
    """Fix one pywikibot ``Page``: a dry run unless ``options.apply``; never overwrites."""
    options = options or FixOptions()
    if options.verify:
        raise ValueError("verify needs the native client: use 'wikitools fix --wiki --verify'")
    fixer = fixer or engine_fixer()
    context = site_context or PywikibotSiteContext(page.site)
    title = page.title()
    for attempt in (0, 1):
        try:
            text = page.get(force=attempt > 0)
        except NoPageError:
            if attempt:
                return PageOutcome(title, Status.CONFLICT, "deleted by someone else meanwhile")
            return PageOutcome(title, Status.SKIPPED, "the page does not exist")
        except pywikibot.exceptions.IsRedirectPageError:
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
        if not options.apply:
            return PageOutcome(
                title, Status.WOULD_CHANGE, ", ".join(codes), text, result.text, fixes=codes
            )
        page.text = result.text
        try:
            page.save(
                summary=options.summary_for(codes),
                minor=options.minor,
                bot=options.bot,
                nocreate=True,
                # The exact base revision, and no basetimestamp: see EditRequest.params.
                baserevid=page.latest_revision_id,
                basetimestamp=None,
                tags=",".join(options.tags) or None,
            )
        except EditConflictError:
            logger.warning("%s: edited by someone else meanwhile; re-applying fixes", title)
            continue
        except PageSaveRelatedError as exc:
            return PageOutcome(title, Status.FAILED, str(exc), text, result.text, fixes=codes)
        return PageOutcome(
            title,
            Status.CHANGED,
            ", ".join(codes),
            text,
            result.text,
            revid=page.latest_revision_id,
            rebased=attempt > 0,
            fixes=codes,
        )
    return PageOutcome(title, Status.CONFLICT, "edited again meanwhile; nothing saved")


def fix_pages(
    pages: Iterable[Any], options: FixOptions | None = None, *, fixer: TextFixer | None = None
) -> Iterable[PageOutcome]:
    """:func:`fix_page` for each page, sharing one site context per site."""
    contexts: dict[int, PywikibotSiteContext] = {}
    fixer = fixer or engine_fixer()
    for page in pages:
        context = contexts.get(id(page.site))
        if context is None:
            context = contexts[id(page.site)] = PywikibotSiteContext(page.site)
        yield fix_page(page, options, fixer=fixer, site_context=context)
