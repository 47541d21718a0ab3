"""Getting a plan's new pages into the target: ``action=import``, or plain edits.

- **``action=import``** when the account has ``importupload``: the pages go up as export
  XML (a multipart ``xml`` upload with an ``interwikiprefix``, so imported user names read
  ``prefix>User``). The call is not transactional (a content model the target lacks aborts
  it halfway), so pages are batched by content model, blocked models never sent, and every
  page is checked by SHA-1 afterwards.
- **Plain edits** otherwise, through the one save path (:func:`~wikitools.mediawiki.save.save_page`)
  with ``createonly``, the page's ``contentmodel`` and an attribution summary naming the
  source page and revision (Wikipedia's text is CC BY-SA: the summary carries the credit).

Only *new* pages are written; a page the target has meanwhile got is left alone. Dry run
unless ``apply``. A run stopped halfway is completed by running it again: the plan then finds
the pages already imported *identical*.
"""

from __future__ import annotations

import enum
import io
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from wikitools.deps.plan import Plan, PlanEntry, same_content
from wikitools.dumps.model import Contributor, NamespaceInfo, Revision, SiteInfo
from wikitools.dumps.model import Page as DumpPage
from wikitools.dumps.writer import DumpWriter
from wikitools.errors import ApiError, RunFatalError
from wikitools.fileio import write_text_atomic
from wikitools.mediawiki.edit import EditRequest, EditResult
from wikitools.mediawiki.save import (
    BaseRevision,
    SavePolicy,
    SaveStatus,
    WikiSink,
    save_page,
)
from wikitools.mediawiki.transfer import import_params, imported_pages
from wikitools.mediawiki.wiki import Wiki
from wikitools.titles import Namespaces
from wikitools.transwiki.sources import ApiTarget

logger = logging.getLogger(__name__)

#: Serialization format of each content model in export XML.
FORMATS: dict[str, str] = {
    "wikitext": "text/x-wiki",
    "Scribunto": "text/plain",
    "sanitized-css": "text/css",
    "css": "text/css",
    "javascript": "text/javascript",
    "json": "application/json",
    "text": "text/plain",
}

#: Pages per ``action=import`` upload.
IMPORT_BATCH = 20


class Method(enum.Enum):
    """How pages get in."""

    IMPORT = "import"
    EDIT = "edit"


class ImportStatus(enum.Enum):
    """What happened to one page."""

    IMPORTED = "imported"
    WOULD_IMPORT = "would import"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """One page's outcome."""

    title: str
    status: ImportStatus
    detail: str = ""

    def line(self) -> str:
        """``imported: Module:Footnotes`` (with the detail)."""
        return f"{self.status.value}: {self.title}" + (f" ({self.detail})" if self.detail else "")


class PageUrl(Protocol):
    """Sources say where a page lives (for attribution)."""

    name: str

    def page_url(self, title: str, revid: int | None) -> str:
        """The page's address (an exact revision when known)."""
        ...


def attribution(entry: PlanEntry, source: PageUrl) -> str:
    """The edit summary that credits the source page and revision."""
    page = entry.page
    revision = f" revision {page.revid}" if page.revid else ""
    return (
        f"Imported [[:{entry.title}]]{revision} from {source.page_url(entry.title, page.revid)}"
        " (CC BY-SA: the authors are in that page's history) with wikitools deps import"
    )[:480]


def choose_method(target: ApiTarget, wanted: str = "auto") -> Method:
    """``import`` when asked or possible (the ``importupload`` right), else ``edit``."""
    if wanted == "edit":
        return Method.EDIT
    if wanted == "import" or target.can_import:
        return Method.IMPORT
    return Method.EDIT


def export_xml(
    entries: Iterable[PlanEntry], namespaces: Namespaces, *, sitename: str = ""
) -> bytes:
    """Export XML (schema 0.11) holding the current revision of each entry, as the target names
    it: for ``action=import``, or for admins who import through Special:Import."""
    stream = io.BytesIO()
    info = SiteInfo(
        sitename=sitename or None,
        namespaces=tuple(
            NamespaceInfo(key, name) for key, name in sorted(namespaces.names.items())
        ),
    )
    writer = DumpWriter(stream, info)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for entry in entries:
        page = entry.page
        ns_id = namespaces.namespace_of(entry.target_title)
        revision = Revision(
            id=None,
            timestamp=page.timestamp or now,
            contributor=Contributor(username=page.user or "wikitools"),
            comment=page.comment or None,
            model=page.model,
            format=FORMATS.get(page.model, "text/plain"),
            text=page.text,
        )
        writer.write_page(DumpPage(entry.target_title, ns_id, revisions=(revision,)))
    writer.close()
    return stream.getvalue()


def write_export(plan: Plan, path: Path, namespaces: Namespaces) -> int:
    """Write the plan's new pages as one export XML file (atomically); return the page count."""
    entries = plan.to_import
    write_text_atomic(path, export_xml(entries, namespaces).decode("utf-8"))
    return len(entries)


class _ModelSink(WikiSink):
    """The native sink, adding each new page's content model to its edit."""

    def __init__(self, wiki: Wiki, models: dict[str, str]) -> None:
        super().__init__(wiki)
        self.models = models

    def submit(self, request: EditRequest) -> EditResult:
        """Send the edit with ``contentmodel`` set for pages not in wikitext."""
        model = self.models.get(request.title)
        if model and model != "wikitext":
            request = replace(request, contentmodel=model)
        return super().submit(request)


def run_import(
    plan: Plan,
    target: ApiTarget,
    source: PageUrl,
    *,
    apply: bool = False,
    method: Method = Method.IMPORT,
    interwiki_prefix: str = "imported",
    batch_size: int = IMPORT_BATCH,
    on_page: Callable[[ImportOutcome], None] | None = None,
) -> list[ImportOutcome]:
    """Write the plan's new pages to the target; each outcome also goes to ``on_page``.

    Raises :class:`~wikitools.errors.RunFatalError` (blocked, read-only, no right) as the
    save path does; pages done so far stay done and a rerun completes the rest.
    """
    outcomes: list[ImportOutcome] = []

    def report(outcome: ImportOutcome) -> None:
        outcomes.append(outcome)
        if on_page is not None:
            on_page(outcome)

    entries = plan.to_import
    if not apply:
        for entry in entries:
            report(ImportOutcome(entry.target_title, ImportStatus.WOULD_IMPORT, method.value))
        return outcomes
    if method is Method.IMPORT:
        _by_import(entries, target, interwiki_prefix, batch_size, report)
    else:
        _by_edit(entries, target, source, report)
    return outcomes


def _still_new(
    entries: Sequence[PlanEntry], target: ApiTarget
) -> tuple[list[PlanEntry], list[ImportOutcome]]:
    """Entries the target still lacks; a page created meanwhile is skipped (never merged)."""
    present = target.read([e.target_title for e in entries])
    fresh: list[PlanEntry] = []
    skipped: list[ImportOutcome] = []
    for entry in entries:
        there = present.get(target.namespaces.normalize(entry.target_title))
        if there is None:
            fresh.append(entry)
        elif same_content(entry.page, there):
            skipped.append(ImportOutcome(entry.target_title, ImportStatus.SKIPPED, "already there"))
        else:
            skipped.append(
                ImportOutcome(
                    entry.target_title,
                    ImportStatus.SKIPPED,
                    "created on the target meanwhile; kept",
                )
            )
    return fresh, skipped


def _verified(entries: Sequence[PlanEntry], target: ApiTarget, how: str) -> list[ImportOutcome]:
    present = target.read([e.target_title for e in entries])
    out: list[ImportOutcome] = []
    for entry in entries:
        there = present.get(target.namespaces.normalize(entry.target_title))
        if there is None:
            out.append(
                ImportOutcome(
                    entry.target_title, ImportStatus.FAILED, f"{how}: not on the target afterwards"
                )
            )
        elif same_content(entry.page, there):
            out.append(
                ImportOutcome(entry.target_title, ImportStatus.IMPORTED, f"{how}, sha1 verified")
            )
        else:
            out.append(
                ImportOutcome(
                    entry.target_title,
                    ImportStatus.FAILED,
                    f"{how}: sha1 {there.sha1} on the target, {entry.page.sha1} on the source",
                )
            )
    return out


def _by_import(
    entries: Sequence[PlanEntry],
    target: ApiTarget,
    prefix: str,
    batch_size: int,
    report: Callable[[ImportOutcome], None],
) -> None:
    by_model: dict[str, list[PlanEntry]] = {}
    for entry in entries:
        by_model.setdefault(entry.page.model, []).append(entry)
    for model, group in by_model.items():
        for start in range(0, len(group), max(1, batch_size)):
            batch = group[start : start + batch_size]
            fresh, skipped = _still_new(batch, target)
            for outcome in skipped:
                report(outcome)
            if not fresh:
                continue
            logger.info("importing %d %s page(s) to %s", len(fresh), model, target.name)
            xml = export_xml(fresh, target.namespaces)
            params = import_params(
                summary="wikitools deps import", interwiki_prefix=prefix, full_history=False
            )
            # The source's "Admin" is not the target's: imported authors stay "prefix>Name".
            params["assignknownusers"] = False
            files = {"xml": ("deps-import.xml", xml, "application/xml")}
            try:
                imported_pages(target.wiki.write(params, files=files))
            except RunFatalError:
                raise
            except ApiError as exc:  # this batch failed: say so, go on with the next
                logger.warning("action=import of %d page(s) failed: %s", len(fresh), exc)
                for entry in fresh:
                    report(ImportOutcome(entry.target_title, ImportStatus.FAILED, str(exc)))
                continue
            for outcome in _verified(fresh, target, "action=import"):
                report(outcome)


def _by_edit(
    entries: Sequence[PlanEntry],
    target: ApiTarget,
    source: PageUrl,
    report: Callable[[ImportOutcome], None],
) -> None:
    models = {e.target_title: e.page.model for e in entries}
    sink = _ModelSink(target.wiki, models)
    policy = SavePolicy(apply=True, create=True)
    # One read for all; a page created after it is still safe: the edit is ``createonly``.
    fresh, skipped = _still_new(entries, target)
    for outcome in skipped:
        report(outcome)
    for entry in fresh:
        result = save_page(
            sink,
            BaseRevision(entry.target_title, None),
            entry.page.text,
            summary=attribution(entry, source),
            policy=policy,
        )
        if result.status is SaveStatus.SAVED:
            report(_verified([entry], target, f"edit, revision {result.revid}")[0])
        else:
            report(
                ImportOutcome(
                    entry.target_title,
                    ImportStatus.FAILED,
                    f"{result.status.value}: {result.reason}",
                )
            )
