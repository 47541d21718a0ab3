"""``push``: save the pages of a pulled directory that were edited locally.

Only files whose text differs from what was pulled are considered. Their current
revisions are read in batches first: a page edited on the wiki since the pull is a
conflict and is left alone, and a page that already holds the local text is unchanged
(nothing is sent twice). The saves go through the one save path
(:func:`wikitools.mediawiki.save.save_page`): against the pulled revision, never blanking
a page, stopping the run at a block or a read-only wiki. Files the manifest does not know
(new pages) are reported; they are created (``createonly``) only with ``create``. Nothing
is saved without ``apply``. A symbolic link inside the directory (a page file, a folder,
the manifest) stops the run before it logs in or sends any request
(:func:`open_pulled`, :func:`wikitools.fileio.safe_path`): a link could publish any file the
user can read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from wikitools.bot.outcome import PageOutcome, Status, from_save
from wikitools.errors import InputError
from wikitools.fileio import safe_path
from wikitools.layout import MANIFEST, Manifest, PulledPage, comparable, text_sha1
from wikitools.mediawiki.pages import batched
from wikitools.mediawiki.save import (
    DEFAULT_MINOR,
    BaseRevision,
    SavePolicy,
    SaveResult,
    SaveStatus,
    WikiSink,
    save_page,
)
from wikitools.sources import LocalPage, Sources, page_files
from wikitools.urls import display_url, same_wiki

if TYPE_CHECKING:
    from wikitools.mediawiki.wiki import Wiki

logger = logging.getLogger(__name__)

#: Why push refuses a link inside the pulled folder (no option changes it).
NEVER_FOLLOWS = "push never reads a page through a link: replace it with the file"


@dataclass(frozen=True, slots=True)
class PushOptions:
    """How ``push`` saves: summary, flags, and whether to save (or create) at all.

    The summary is needed only to save (``apply``); a dry run needs none.
    """

    summary: str = ""
    apply: bool = False
    minor: bool = DEFAULT_MINOR
    bot: bool = False
    tags: Sequence[str] = ()
    create: bool = False
    """Create the pages of new files (files the manifest does not list)."""
    allow_blanking: bool = False
    """Allow saves that empty a page or remove most of it."""

    def policy(self) -> SavePolicy:
        """The save policy of these options."""
        return SavePolicy(
            apply=self.apply,
            minor=self.minor,
            bot=self.bot,
            tags=tuple(self.tags),
            create=self.create,
            allow_blanking=self.allow_blanking,
        )


@dataclass(frozen=True, slots=True)
class _Candidate:
    relative: str
    title: str
    page: LocalPage
    entry: PulledPage | None
    """None for a new file."""

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
    edit each. Returns one outcome per page in the manifest and per new file. After a save
    the manifest records the new revision, so pushing again sends nothing. A run-level
    fatal error (:class:`~wikitools.errors.RunFatalError`) is raised at once.
    """
    directory = Path(directory)
    manifest = open_pulled(directory)
    if options.apply and not options.summary.strip():
        raise InputError("an edit summary is required to save (--summary)")
    if not same_wiki(manifest.wiki, wiki.api_url):
        raise InputError(
            f"{directory} was pulled from {manifest.wiki}, not {display_url(wiki.api_url)}"
        )
    outcomes: list[PageOutcome] = []

    def report(outcome: PageOutcome) -> None:
        outcomes.append(outcome)
        if on_page is not None:
            on_page(outcome)

    edited: list[_Candidate] = []
    sources = Sources(wiki.namespaces)
    for relative, entry in manifest:
        file = safe_path(directory, manifest.file(relative), hint=NEVER_FOLLOWS)
        if not file.exists():
            report(PageOutcome(entry.title, Status.SKIPPED, "file deleted; push never deletes"))
            continue
        page = sources.pulled(manifest, relative)
        if text_sha1(page.text) == entry.sha1:
            report(PageOutcome(entry.title, Status.UNCHANGED))
        else:
            edited.append(_Candidate(relative, entry.title, page, entry))
    for relative, found in _new_files(directory, manifest, sources):
        if isinstance(found, str):
            report(PageOutcome(relative, Status.SKIPPED, found))
        elif not options.create:
            report(
                PageOutcome(
                    found.title or relative,
                    Status.SKIPPED,
                    f"new file {relative}: not pulled; pass --create to create the page",
                    new_text=found.text,
                )
            )
        else:
            edited.append(_Candidate(relative, found.title or relative, found, None))
    sink = WikiSink(wiki)
    policy = options.policy()
    for batch in batched(edited, wiki.batch_size):
        current = sink.read([c.title for c in batch])
        for candidate in batch:
            base = current[candidate.title]
            report(_push_one(sink, manifest, candidate, base, options, policy))
    return outcomes


def push_target(manifest: Manifest, wiki: str | None) -> tuple[str, str | None]:
    """The wiki to push to, and where its URL came from (None: named by the user).

    Without ``--wiki`` it is the manifest's wiki; that URL comes from a file anyone may
    have edited, so it gets credentials only when a profile names it (see
    :func:`wikitools.mediawiki.auth.bound_credentials`).
    Raises :class:`InputError` when ``wiki`` is not the manifest's: checked here, before
    connecting, so a mistyped ``--wiki`` costs no login.
    """
    if wiki is not None:
        if not same_wiki(manifest.wiki, wiki):
            raise InputError(
                f"{manifest.directory} was pulled from {manifest.wiki}, not {display_url(wiki)}"
            )
        return wiki, None
    return manifest.wiki, f"the manifest {manifest.path}"


def open_pulled(directory: Path) -> Manifest:
    """The manifest of a pulled directory; a missing directory is the first error.

    A symbolic link inside the directory (the manifest, a page file, a folder) is refused
    here, before anything logs in (:class:`~wikitools.fileio.UnsafePathError`).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory}: no such directory (push takes a directory made by 'pull')")
    safe_path(directory, directory / MANIFEST, hint=NEVER_FOLLOWS)
    manifest = Manifest.load(directory)
    for relative in manifest.pages:
        safe_path(directory, manifest.file(relative), hint=NEVER_FOLLOWS)
    page_files([directory], hint=NEVER_FOLLOWS)
    return manifest


def _new_files(
    directory: Path, manifest: Manifest, sources: Sources
) -> list[tuple[str, LocalPage | str]]:
    """Page files the manifest does not list: the page each holds, or why it has none."""
    known = {relative.casefold() for relative in manifest.pages}
    found: list[tuple[str, LocalPage | str]] = []
    for path in page_files([directory], hint=NEVER_FOLLOWS):
        relative = PurePosixPath(*path.relative_to(directory).parts).as_posix()
        if relative.casefold() in known or path.name == MANIFEST:
            continue
        page = sources.read(path, relative)
        if page.title is None or len(PurePosixPath(relative).parts) != 2:
            found.append((relative, "new file: its name does not say the page title"))
        else:
            found.append((relative, page))
    return found


def _push_one(
    sink: WikiSink,
    manifest: Manifest,
    candidate: _Candidate,
    current: BaseRevision,
    options: PushOptions,
    policy: SavePolicy,
) -> PageOutcome:
    entry = candidate.entry
    title = candidate.title
    if (
        current.exists
        and current.text is not None
        and comparable(current.text) == comparable(candidate.text)
    ):
        # Saved before (by us or anyone): nothing to send; remember the wiki's revision.
        if options.apply:
            _record(manifest, candidate, current.revid, current.timestamp, current.read_at)
        return PageOutcome(title, Status.UNCHANGED, "the wiki already has this text")
    if entry is None:
        if current.exists:
            return PageOutcome(
                title,
                Status.CONFLICT,
                "a new file, but the page exists on the wiki; pull it, then redo your edit",
                old_text=current.text,
                new_text=candidate.text,
                revid=current.revid,
            )
        base = current
    elif not current.exists:
        return PageOutcome(
            title,
            Status.CONFLICT,
            "deleted on the wiki since the pull; not recreated",
            new_text=candidate.text,
        )
    elif current.revid != entry.revid:
        return PageOutcome(
            title,
            Status.CONFLICT,
            f"edited on the wiki since the pull (revision {entry.revid} -> {current.revid}); "
            "their edit was kept: pull again with --force to take it, then redo yours",
            old_text=current.text,
            new_text=candidate.text,
            revid=current.revid,
        )
    else:
        base = BaseRevision(title, current.text, entry.revid, entry.timestamp, entry.read_at)
    result = save_page(sink, base, candidate.text, summary=options.summary, policy=policy)
    if result.status is SaveStatus.CONFLICT:
        return from_save(
            result, reason=f"edited on the wiki while pushing ({result.code}); their edit was kept"
        )
    if result.status is SaveStatus.SAVED:
        _record(manifest, candidate, result.revid, result.timestamp, result.timestamp)
        logger.info("%s: saved revision %s", title, result.revid)
    return _outcome(result)


def _outcome(result: SaveResult) -> PageOutcome:
    outcome = from_save(result)
    if result.status is SaveStatus.SAVED and result.created:
        return PageOutcome(
            outcome.title,
            outcome.status,
            "created",
            old_text=outcome.old_text,
            new_text=outcome.new_text,
            revid=outcome.revid,
        )
    return outcome


def _record(
    manifest: Manifest,
    candidate: _Candidate,
    revid: int | None,
    timestamp: str | None,
    read_at: str | None,
) -> None:
    """Remember the revision that now holds the local text (the manifest is saved at once)."""
    entry = candidate.entry
    if revid is None or timestamp is None:
        return
    manifest.record(
        candidate.relative,
        PulledPage(
            title=entry.title if entry else candidate.title,
            revid=revid,
            timestamp=timestamp,
            read_at=read_at or timestamp,
            sha1=text_sha1(candidate.text),
            ns=entry.ns if entry else candidate.page.namespace,
            model=entry.model if entry else candidate.page.model,
        ),
    )
    manifest.save()
