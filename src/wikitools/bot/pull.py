"""``pull``: copy pages from a wiki into a directory, one file each, plus a manifest."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from wikitools.fileio import UnsafePathError, read_wikitext, safe_path, write_text_atomic
from wikitools.layout import MANIFEST, Manifest, PulledPage, comparable, text_sha1
from wikitools.mediawiki.pages import Page, batched

if TYPE_CHECKING:
    from wikitools.mediawiki.wiki import Wiki

logger = logging.getLogger(__name__)

#: Why pull skips a page whose file or folder is a link (no option changes it).
NEVER_WRITES = "pull never writes through a link; remove it and pull again"

PullStatus = Literal["written", "up to date", "missing", "skipped"]


@dataclass(frozen=True, slots=True)
class PulledFile:
    """What ``pull`` did with one title."""

    title: str
    status: PullStatus
    path: Path | None = None
    reason: str = ""

    def line(self) -> str:
        """``Title: written -> DIR/Template/X.wiki`` and the like."""
        where = f" -> {self.path}" if self.path is not None else ""
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.title}: {self.status}{where}{why}"


def pull(
    wiki: Wiki,
    titles: Iterable[str],
    directory: Path,
    *,
    force: bool = False,
    on_page: Callable[[PulledFile], None] | None = None,
) -> list[PulledFile]:
    """Write the current text of each title to ``directory`` and record it in the manifest.

    Pages are read :attr:`Wiki.batch_size` at a time (one request per batch). A file
    edited locally since the last pull is never overwritten unless ``force`` is set:
    push it first. The manifest is saved after every batch, so an interrupted pull
    keeps what it wrote. Nothing is read or written through a symbolic link inside
    ``directory`` (:func:`wikitools.fileio.safe_path`): a linked manifest stops the run
    (:class:`~wikitools.fileio.UnsafePathError`), a linked page file or namespace folder
    skips the page, ``force`` or not.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    safe_path(directory, directory / MANIFEST, hint=NEVER_WRITES)
    manifest = Manifest.open(directory, wiki.api_url)
    results: list[PulledFile] = []
    for batch in batched(titles, wiki.batch_size):
        for page in wiki.read_pages(batch):
            result = _store(page, manifest, wiki, force)
            results.append(result)
            if on_page is not None:
                on_page(result)
        manifest.save()
    return results


def _store(page: Page, manifest: Manifest, wiki: Wiki, force: bool) -> PulledFile:
    if page.invalid is not None:
        return PulledFile(page.requested, "skipped", reason=page.invalid)
    if not page.ok or page.revid is None or page.timestamp is None or page.text is None:
        return PulledFile(page.title, "missing", reason="the page does not exist")
    relative = manifest.assign(page.title, wiki.namespaces)
    file = manifest.file(relative)
    try:
        safe_path(manifest.directory, file, hint=NEVER_WRITES)
    except UnsafePathError as exc:
        return PulledFile(page.title, "skipped", file, str(exc))
    previous = manifest.pages.get(relative)
    if file.exists():
        local = read_wikitext(file)
        if previous is not None:
            edited = text_sha1(local) != previous.sha1
            if edited and not force:
                return PulledFile(
                    page.title,
                    "skipped",
                    file,
                    "edited locally since the last pull; push it first, or pull with --force",
                )
            if not edited and previous.revid == page.revid and local == page.text:
                return PulledFile(page.title, "up to date", file)
        elif comparable(local) != comparable(page.text) and not force:
            return PulledFile(
                page.title, "skipped", file, "a file not made by pull is in the way; use --force"
            )
    file.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(file, page.text)
    manifest.record(
        relative,
        PulledPage(
            title=page.title,
            revid=page.revid,
            timestamp=page.timestamp,
            read_at=page.read_at or page.timestamp,
            sha1=text_sha1(page.text),
            ns=wiki.namespaces.namespace_of(page.title),
            model=page.contentmodel,
        ),
    )
    logger.debug("%s: wrote %s", page.title, file)
    return PulledFile(page.title, "written", file)
