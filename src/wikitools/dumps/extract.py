"""``dump extract``: the pages of a dump as files, in the layout ``pull`` writes.

Each page's newest revision becomes one file of :mod:`wikitools.layout`
(``(Main)/Name.wiki``, ``Template/Name.wiki``, the names percent-encoded), and the
manifest (``wikitools-pull.json``) records its title, namespace, content model, revision
id and timestamp, as ``pull`` would have. So :mod:`wikitools.sources` identifies every
file as the page it was (``lint``/``fix`` on the folder skip Lua, CSS and JSON pages as
they do in the dump), and ``push`` sends the edited ones with the dump's revision as the
base: an edit made on the wiki after the dump is a conflict, never overwritten.

The dump is streamed (one page in memory at a time); every file is written atomically.
The manifest is saved every :data:`SAVE_EVERY` pages (less often as it grows, so saving
stays linear in the dump's size) and at the end, each time after the files it names were
synced to disk: an interrupted run keeps what it wrote, and the manifest never vouches for
a file a crash emptied (``push`` would take it for a local edit).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wikitools.contentmodel import default_model
from wikitools.dumps.model import Page, Revision
from wikitools.dumps.reader import DumpReader, Source
from wikitools.errors import OutputError
from wikitools.fileio import safe_path, write_text_atomic
from wikitools.layout import MANIFEST, Manifest, PulledPage, text_sha1
from wikitools.titles import Namespaces

logger = logging.getLogger(__name__)

#: The manifest is saved after this many written pages (and at the end).
SAVE_EVERY = 500

#: Why a page of the dump got no file.
NO_TEXT = "no text in the dump"
OTHER_NAMESPACE = "namespace not selected"
OLDER_COPY = "an older copy of a page listed twice"
#: Why a link inside the target folder stops the extraction.
NEVER_WRITES = "dump extract never writes through a link; remove it"


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """One page written: its title, namespace, content model and manifest-relative path."""

    title: str
    ns: int
    model: str
    relative: str


@dataclass
class ExtractResult:
    """What :func:`extract_pages` did."""

    directory: Path
    files: dict[str, ExtractedPage] = field(default_factory=dict)
    """The pages written, by manifest-relative path."""
    skipped: Counter[str] = field(default_factory=Counter)
    """Pages without a file, by reason (:data:`NO_TEXT`, :data:`OTHER_NAMESPACE`...)."""

    @property
    def written(self) -> list[ExtractedPage]:
        """The pages written, in dump order."""
        return list(self.files.values())

    def summary(self) -> str:
        """``12 page(s) extracted to DIR`` plus the skipped pages by reason."""
        line = f"{len(self.files)} page(s) extracted to {self.directory}"
        if self.skipped:
            reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
            line += f"; skipped: {reasons}"
        return line


def newest_revision(page: Page) -> Revision | None:
    """The page's newest revision: the latest timestamp, the later one in the dump on ties."""
    newest: Revision | None = None
    for revision in page.revisions:
        if newest is None or revision.timestamp >= newest.timestamp:
            newest = revision
    return newest


def check_target(directory: Path, *, overwrite: bool) -> None:
    """Refuse a target that is a file, or a non-empty directory unless ``overwrite``."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory}: exists and is not a directory")
    if directory.is_dir() and not overwrite and any(directory.iterdir()):
        raise OutputError(
            f"{directory}: not empty; extract into a new or empty directory, "
            "or pass --force to write over the files in it"
        )


def extract_pages(
    pages: Iterable[Page],
    directory: Path,
    namespaces: Namespaces,
    *,
    wiki: str,
    only: Collection[int] | None = None,
    overwrite: bool = False,
    on_page: Callable[[], None] | None = None,
) -> ExtractResult:
    """Write ``pages`` to ``directory`` in the pull layout and record them in its manifest.

    ``namespaces`` are the dump's (file names use its namespace names); ``wiki``
    is what the manifest names as the source wiki (``push`` asks for its ``api.php``
    URL). ``only`` keeps the pages of these namespace ids. A page listed twice keeps
    its newest revision. Raises :class:`OutputError` for a target that is not empty
    (unless ``overwrite``) or cannot be written, and
    :class:`~wikitools.fileio.UnsafePathError` for a symbolic link inside it where a file
    or folder would be written (nothing is written through a link).
    """
    directory = Path(directory)
    check_target(directory, overwrite=overwrite)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot create ({exc.strerror or exc})") from None
    safe_path(directory, directory / MANIFEST, hint=NEVER_WRITES)
    manifest = Manifest.open(directory, wiki)
    result = ExtractResult(directory)
    pending = 0
    for page in pages:
        if on_page is not None:
            on_page()
        reason = _store(page, manifest, namespaces, only, result)
        if reason is not None:
            result.skipped[reason] += 1
            continue
        pending += 1
        if pending >= max(SAVE_EVERY, len(manifest.pages) // 2):
            _save(manifest)
            pending = 0
    _save(manifest)
    return result


def _save(manifest: Manifest) -> None:
    """Sync the page files written so far, then save the manifest that names them."""
    os.sync()
    manifest.save()


def extract_dump(
    source: Source,
    directory: Path,
    *,
    wiki: str | None = None,
    only: Collection[int] | None = None,
    overwrite: bool = False,
) -> ExtractResult:
    """Extract every page of the dump at ``source`` (see :func:`extract_pages`).

    ``wiki`` defaults to the dump's ``<base>`` URL (or its database name).
    """
    directory = Path(directory)
    check_target(directory, overwrite=overwrite)
    with DumpReader(source) as reader:
        return extract_pages(
            reader,
            directory,
            reader.siteinfo.to_namespaces(),
            wiki=wiki or dump_wiki(reader),
            only=only,
            overwrite=overwrite,
        )


def dump_wiki(reader: DumpReader) -> str:
    """What a manifest names as the wiki of a dump: its ``<base>``, else its name."""
    info = reader.siteinfo
    return info.base or info.dbname or info.sitename or f"dump:{reader.name}"


def _store(
    page: Page,
    manifest: Manifest,
    namespaces: Namespaces,
    only: Collection[int] | None,
    result: ExtractResult,
) -> str | None:
    """Write one page; the reason it got no file, or None."""
    if only is not None and page.ns not in only:
        return OTHER_NAMESPACE
    revision = newest_revision(page)
    if revision is None or revision.text is None:
        return NO_TEXT
    relative = manifest.assign(page.title, namespaces)
    previous = manifest.pages.get(relative)
    if (
        previous is not None
        and previous.title == page.title
        and revision.timestamp < previous.timestamp
    ):
        return OLDER_COPY
    file = safe_path(manifest.directory, manifest.file(relative), hint=NEVER_WRITES)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{file.parent}: cannot create ({exc.strerror or exc})") from None
    write_text_atomic(file, revision.text, durable=False)  # synced before the manifest
    model = revision.model or default_model(page.ns, page.title, namespaces)
    manifest.record(
        relative,
        PulledPage(
            title=page.title,
            revid=revision.id or 0,
            timestamp=revision.timestamp,
            read_at=revision.timestamp,
            sha1=text_sha1(revision.text),
            ns=page.ns,
            model=model,
        ),
    )
    result.files[relative] = ExtractedPage(page.title, page.ns, model, relative)
    logger.debug("%s: wrote %s", page.title, file)
    return None


__all__ = [
    "NO_TEXT",
    "OLDER_COPY",
    "OTHER_NAMESPACE",
    "ExtractResult",
    "ExtractedPage",
    "check_target",
    "dump_wiki",
    "extract_dump",
    "extract_pages",
    "newest_revision",
]
