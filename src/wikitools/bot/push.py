"""``push``: save the pages of a pulled directory that were edited locally.

Only files whose text differs from what was pulled are considered. Their current
revisions are read in batches first: a page edited on the wiki since the pull is a
conflict and is left alone. Saves carry the pulled revision's timestamp as
``basetimestamp`` (and the read time as ``starttimestamp``), so an edit that slips in
between is reported by MediaWiki as a conflict too. Nothing is saved without ``apply``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wikitools.bot.outcome import PageOutcome, Status
from wikitools.errors import ApiError, EditConflictError, InputError
from wikitools.layout import Manifest, PulledPage, text_sha1
from wikitools.mediawiki.pages import Page, batched
from wikitools.sources import LocalPage, Sources

if TYPE_CHECKING:
    from wikitools.mediawiki.wiki import Wiki

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PushOptions:
    """How ``push`` saves: summary, flags, and whether to save at all."""

    summary: str
    apply: bool = False
    minor: bool = False
    bot: bool = False
    tags: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class _Candidate:
    relative: str
    entry: PulledPage
    page: LocalPage

    @property
    def text(self) -> str:
        return self.page.text


def push(
    wiki: Wiki,
    directory: Path,
    options: PushOptions,
    *,
    on_page: Callable[[PageOutcome], None] | None = None,
) -> list[PageOutcome]:
    """Push locally edited pages of ``directory`` to ``wiki`` (a dry run unless ``apply``).

    Unchanged pages cost no request at all; edited ones one read per batch plus one
    edit each. Returns one outcome per page in the manifest. After a save the manifest
    records the new revision, so pushing again sends nothing.
    """
    if not options.summary.strip():
        raise InputError("an edit summary is required (--summary)")
    directory = Path(directory)
    manifest = Manifest.load(directory)
    if manifest.wiki.rstrip("/") != wiki.api_url.rstrip("/"):
        raise InputError(f"{directory} was pulled from {manifest.wiki}, not {wiki.api_url}")
    outcomes: list[PageOutcome] = []

    def report(outcome: PageOutcome) -> None:
        outcomes.append(outcome)
        if on_page is not None:
            on_page(outcome)

    edited: list[_Candidate] = []
    sources = Sources(wiki.namespaces)
    for relative, entry in manifest:
        if not manifest.file(relative).exists():
            report(PageOutcome(entry.title, Status.SKIPPED, "file deleted; push never deletes"))
            continue
        page = sources.pulled(manifest, relative)
        if text_sha1(page.text) == entry.sha1:
            report(PageOutcome(entry.title, Status.UNCHANGED))
        else:
            edited.append(_Candidate(relative, entry, page))
    for batch in batched(edited, wiki.batch_size):
        current = {page.requested: page for page in wiki.read_pages(c.entry.title for c in batch)}
        for candidate in batch:
            outcome = _push_one(wiki, manifest, candidate, current[candidate.entry.title], options)
            if outcome.status is Status.CHANGED:
                manifest.save()
            report(outcome)
    return outcomes


def _push_one(
    wiki: Wiki, manifest: Manifest, candidate: _Candidate, page: Page, options: PushOptions
) -> PageOutcome:
    entry = candidate.entry
    if not page.exists:
        return PageOutcome(
            entry.title,
            Status.CONFLICT,
            page.invalid or "deleted on the wiki since the pull; not recreated",
            new_text=candidate.text,
        )
    if page.revid != entry.revid:
        return PageOutcome(
            entry.title,
            Status.CONFLICT,
            f"edited on the wiki since the pull (revision {entry.revid} -> {page.revid}); "
            "their edit was kept: pull again with --force to take it, then redo yours",
            old_text=page.text,
            new_text=candidate.text,
            revid=page.revid,
        )
    if not options.apply:
        return PageOutcome(
            entry.title, Status.WOULD_CHANGE, old_text=page.text, new_text=candidate.text
        )
    try:
        result = wiki.edit(
            entry.title,
            candidate.text,
            summary=options.summary,
            basetimestamp=entry.timestamp,
            starttimestamp=entry.read_at,
            baserevid=entry.revid,
            nocreate=True,
            minor=options.minor,
            bot=options.bot,
            tags=options.tags,
        )
    except EditConflictError as exc:
        return PageOutcome(
            entry.title,
            Status.CONFLICT,
            f"edited on the wiki while pushing ({exc.code}); their edit was kept",
            new_text=candidate.text,
        )
    except ApiError as exc:
        return PageOutcome(entry.title, Status.FAILED, str(exc), new_text=candidate.text)
    if not result.saved:
        return PageOutcome(entry.title, Status.UNCHANGED, "the wiki already has this text")
    manifest.record(
        candidate.relative,
        PulledPage(
            title=entry.title,
            revid=result.revid or entry.revid,
            timestamp=result.timestamp or entry.timestamp,
            read_at=result.timestamp or entry.read_at,
            sha1=text_sha1(candidate.text),
            ns=entry.ns,
            model=entry.model,
        ),
    )
    logger.info("%s: saved revision %s", entry.title, result.revid)
    return PageOutcome(
        entry.title, Status.CHANGED, old_text=page.text, new_text=candidate.text, revid=result.revid
    )
