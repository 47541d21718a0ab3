"""Lint and fix whole dumps, optionally across worker processes.

The reader runs in this process; the current text of each wikitext page goes, in batches, to
the workers, which run the repair engine (:class:`wikitools.lint.runner.Linter` and
:func:`wikitools.lint.fixloop.fix_loop`) with the dump's own namespaces. Results come back in
dump order, so the output does not depend on the number of workers, and only a few batches
are in flight at any time, so memory stays flat.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from wikitools.config import Config
from wikitools.document import Document
from wikitools.dumps.model import Contributor, Page
from wikitools.dumps.parallel import ordered_map
from wikitools.dumps.reader import DumpReader
from wikitools.dumps.writer import open_writer
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.fixloop import fix_loop
from wikitools.lint.runner import Linter
from wikitools.parsing.lines import LineIndex
from wikitools.reporting.formatters import Located, locate
from wikitools.site.context import SiteContext
from wikitools.titles import Namespaces
from wikitools.verify.verifier import Change, Verifier

logger = logging.getLogger(__name__)

C = TypeVar("C")
R = TypeVar("R")

SiteSource = SiteContext | Callable[[], SiteContext] | None
"""A site for rules that need one: an instance, or (for workers) a picklable factory."""

#: Batches are cut at this many characters of wikitext or this many pages.
BATCH_CHARS = 256_000
BATCH_PAGES = 200
#: ``verify`` judges this many changed pages at a time (their renders run together).
VERIFY_BATCH = 16

DEFAULT_USERNAME = "wikitools"


@dataclass(frozen=True)
class PageFindings:
    """Diagnostics of one page's current text; ``records`` is the JSON form when asked for."""

    title: str
    ns: int
    page_id: int | None
    revision_id: int | None
    located: tuple[Located, ...]
    records: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class FixOutcome:
    """What fixing one page's current text did. ``text`` is ``None`` when nothing changed."""

    text: str | None
    applied: tuple[str, ...] = ()
    """Codes of the diagnostics whose fixes were applied."""
    remaining: tuple[Located, ...] = ()
    """Problems left in the (fixed) text, engine problems included."""
    refused: str | None = None
    """Why the fix was refused (``verify``); the text then stays as it was."""

    @property
    def changed(self) -> bool:
        """True when the page's text changed."""
        return self.text is not None


@dataclass(frozen=True)
class NewRevision:
    """Append fixes as a new revision by ``username`` instead of rewriting the current one.

    ``comment`` defaults to a summary of the fixes; ``timestamp`` (ISO 8601, UTC) to now,
    and is always later than the revision it follows.
    """

    username: str = DEFAULT_USERNAME
    comment: str | None = None
    timestamp: str | None = None
    minor: bool = False


@dataclass
class FixSummary:
    """Counts of a ``fix_dump`` run."""

    pages: int = 0
    checked: int = 0
    changed: int = 0
    written: int = 0
    applied: Counter[str] = field(default_factory=Counter)
    remaining: Counter[str] = field(default_factory=Counter)
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(title, reason) of every page whose fix ``verify`` refused, in dump order."""


# -- worker side ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return tuple(_plain(item) for item in value)
    return value


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, tuple):
        return tuple(_frozen(item) for item in value)
    return value


def portable_config(config: Config) -> dict[str, Any]:
    """A picklable form of ``config`` (its tables are read-only mappings, which do not pickle)."""
    values = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
    values["sections"] = _plain(config.sections)
    return values


def restore_config(values: Mapping[str, Any]) -> Config:
    """The :class:`Config` :func:`portable_config` describes."""
    return Config(**{**values, "sections": _frozen(dict(values["sections"]))})


@dataclass(frozen=True)
class _Setup:
    config: dict[str, Any]
    site: SiteSource
    namespaces: Namespaces
    records: bool = False
    unsafe: bool | None = None


@dataclass
class _State:
    config: Config
    linter: Linter
    namespaces: Namespaces
    records: bool


_STATE: _State | None = None

Item = tuple[str, int, str, str]
"""What a worker gets for one page: title, namespace id, content model, current text."""


def _make_state(setup: _Setup) -> _State:
    site = setup.site
    if site is not None and not isinstance(site, SiteContext):
        site = site()
    config = restore_config(setup.config).with_overrides(unsafe_fixes=setup.unsafe)
    return _State(config, Linter(config, site), setup.namespaces, setup.records)


def _initialize(setup: _Setup) -> None:
    """Worker initializer: build the linter once per process.

    Ctrl-C is left to the main process, which stops the pool cleanly; workers ignore it so
    that an interrupted run prints one line, not a traceback per worker.
    """
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STATE = _make_state(setup)


def _state() -> _State:
    if _STATE is None:  # pragma: no cover - a programming error
        raise RuntimeError("worker not initialized")
    return _STATE


def _located(
    state: _State, title: str, text: str, diagnostics: list[Diagnostic]
) -> tuple[tuple[Located, ...], tuple[dict[str, Any], ...]]:
    if not diagnostics:
        return (), ()
    lines = LineIndex(text)
    located = tuple(locate(title, lines, diagnostics, state.config))
    records = tuple(item.as_dict(lines) for item in located) if state.records else ()
    return located, records


LintResult = tuple[tuple[Located, ...], tuple[dict[str, Any], ...]]


def lint_batch(items: list[Item]) -> list[LintResult]:
    """Worker: lint each page of a batch."""
    return _lint_items(_state(), items)


def _lint_items(state: _State, items: list[Item]) -> list[LintResult]:
    results = []
    for title, ns, model, text in items:
        document = Document(text, title, ns, state.namespaces, model)
        results.append(_located(state, title, text, state.linter.check(document)))
    return results


def fix_batch(items: list[Item]) -> list[FixOutcome]:
    """Worker: fix each page of a batch."""
    return _fix_items(_state(), items)


def _fix_items(state: _State, items: list[Item]) -> list[FixOutcome]:
    outcomes = []
    for title, ns, model, text in items:

        def lint(
            current: str, title: str = title, ns: int = ns, model: str = model
        ) -> list[Diagnostic]:
            return state.linter.check(Document(current, title, ns, state.namespaces, model))

        result = fix_loop(text, lint, state.config)
        located, _ = _located(state, title, result.text, [*result.problems, *result.remaining])
        outcomes.append(
            FixOutcome(
                text=result.text if result.changed else None,
                applied=tuple(d.code for d in result.applied),
                remaining=located,
            )
        )
    return outcomes


# -- main side --------------------------------------------------------------------------------


def lintable(page: Page) -> bool:
    """Whether a page's current text is wikitext the engine should check."""
    return page.text is not None and page.is_wikitext


def _jobs(
    pages: Iterable[Page], on_batch: Callable[[], None] | None
) -> Iterator[tuple[tuple[list[Page], list[int]], list[Item]]]:
    batch: list[Page] = []
    indexes: list[int] = []
    items: list[Item] = []
    chars = 0
    # Small batches first, so that workers get going while the rest is read; then full size.
    limit = BATCH_CHARS // 16
    for page in pages:
        if lintable(page):
            text = page.text
            assert text is not None
            indexes.append(len(batch))
            items.append((page.title, page.ns, page.model, text))
            chars += len(text)
        batch.append(page)
        if chars >= limit or len(batch) >= BATCH_PAGES:
            if on_batch is not None:
                on_batch()
            yield (batch, indexes), items
            batch, indexes, items, chars = [], [], [], 0
            limit = min(2 * limit, BATCH_CHARS)
    if batch:
        if on_batch is not None:
            on_batch()
        yield (batch, indexes), items


def _setup(
    reader: DumpReader,
    config: Config | None,
    site: SiteSource,
    records: bool = False,
    unsafe: bool | None = None,
) -> _Setup:
    return _Setup(
        portable_config(config or Config()),
        site,
        reader.siteinfo.to_namespaces(),
        records,
        unsafe,
    )


def _run(
    worker_func: Callable[[list[Item]], list[R]],
    local_func: Callable[[_State, list[Item]], list[R]],
    setup: _Setup,
    jobs: Iterable[tuple[C, list[Item]]],
    workers: int,
) -> Iterator[tuple[C, list[R]]]:
    """Run batches in worker processes, or here (with state of our own, not the global)."""
    if workers <= 1:
        state = _make_state(setup)
        for context, items in jobs:
            yield context, local_func(state, items)
        return
    yield from ordered_map(
        worker_func, jobs, workers=workers, initializer=_initialize, initargs=(setup,)
    )


def lint_dump(
    reader: DumpReader,
    *,
    config: Config | None = None,
    site: SiteSource = None,
    workers: int = 1,
    records: bool = False,
    progress: Callable[[], None] | None = None,
) -> Iterator[PageFindings]:
    """Lint the current text of every wikitext page, in dump order.

    Yields one :class:`PageFindings` per page checked (clean pages included). ``records``
    adds the JSON form of each diagnostic. ``progress`` is called after each batch is read.
    """
    setup = _setup(reader, config, site, records)
    for (pages, indexes), results in _run(
        lint_batch, _lint_items, setup, _jobs(reader, progress), workers
    ):
        for index, (located, page_records) in zip(indexes, results, strict=True):
            page = pages[index]
            latest = page.latest
            yield PageFindings(
                page.title,
                page.ns,
                page.id,
                latest.id if latest is not None else None,
                located,
                page_records,
            )


def fix_pages(
    reader: DumpReader,
    *,
    config: Config | None = None,
    site: SiteSource = None,
    workers: int = 1,
    unsafe: bool | None = None,
    progress: Callable[[], None] | None = None,
) -> Iterator[tuple[Page, FixOutcome | None]]:
    """Every page of the dump in order, with the outcome of fixing it (``None``: not wikitext)."""
    setup = _setup(reader, config, site, unsafe=unsafe)
    for (pages, indexes), outcomes in _run(
        fix_batch, _fix_items, setup, _jobs(reader, progress), workers
    ):
        by_index = dict(zip(indexes, outcomes, strict=True))
        for index, page in enumerate(pages):
            yield page, by_index.get(index)


def parse_timestamp(value: str) -> dt.datetime | None:
    """A dump timestamp (``2020-01-02T03:04:05Z``) as an aware datetime; None if invalid."""
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def _format_timestamp(stamp: dt.datetime) -> str:
    return stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_timestamp(after: str, wanted: str | None = None) -> str:
    """``wanted`` (default: now), moved to one second after ``after`` if not later than it."""
    stamp = parse_timestamp(wanted) if wanted else None
    if stamp is None:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    previous = parse_timestamp(after) if after else None
    if previous is not None and stamp <= previous:
        stamp = previous + dt.timedelta(seconds=1)
    return _format_timestamp(stamp)


def fix_summary_comment(codes: Iterable[str]) -> str:
    """An edit summary naming the rules whose fixes were applied: ``wikitools: fixed B101 ×2``."""
    counts = Counter(codes)
    parts = [f"{code} ×{n}" if n > 1 else code for code, n in sorted(counts.items())]
    return "wikitools: fixed " + ", ".join(parts) if parts else "wikitools: fixes"


def apply_outcome(page: Page, outcome: FixOutcome, new_revision: NewRevision | None) -> Page:
    """The page to write for a changed outcome: text replaced, or a revision appended."""
    assert outcome.text is not None
    if new_revision is None:
        return page.with_text(outcome.text)
    latest = page.latest
    comment = new_revision.comment or fix_summary_comment(outcome.applied)
    return page.with_new_revision(
        outcome.text,
        timestamp=next_timestamp(latest.timestamp if latest else "", new_revision.timestamp),
        contributor=Contributor(username=new_revision.username),
        comment=comment,
        minor=new_revision.minor,
    )


def verified(
    items: Iterable[tuple[Page, FixOutcome | None]],
    verifier: Verifier,
    original: Callable[[Page], tuple[Located, ...]],
    *,
    batch: int = VERIFY_BATCH,
) -> Iterator[tuple[Page, FixOutcome | None]]:
    """``items`` in order, with every changed page's fix judged by ``verifier``.

    A refused fix becomes an unchanged outcome with the reason in ``refused`` and, as its
    remaining problems, ``original(page)`` (the findings of the text that stays). Changed
    pages are judged ``batch`` at a time, so only that many pages wait in memory.
    """
    waiting: list[tuple[Page, FixOutcome | None]] = []
    changed = 0
    for item in items:
        waiting.append(item)
        if item[1] is not None and item[1].changed:
            changed += 1
        if changed >= batch or len(waiting) >= BATCH_PAGES:
            yield from _judged(waiting, verifier, original)
            waiting, changed = [], 0
    yield from _judged(waiting, verifier, original)


def _judged(
    items: list[tuple[Page, FixOutcome | None]],
    verifier: Verifier,
    original: Callable[[Page], tuple[Located, ...]],
) -> Iterator[tuple[Page, FixOutcome | None]]:
    changed = [
        (index, page, outcome)
        for index, (page, outcome) in enumerate(items)
        if outcome is not None and outcome.text is not None and page.text is not None
    ]
    verdicts = verifier.judge_many(
        [Change(page.title, page.text or "", outcome.text or "") for _, page, outcome in changed]
    )
    replaced: dict[int, FixOutcome] = {}
    for (index, page, _outcome), verdict in zip(changed, verdicts, strict=True):
        if verdict.refused:
            replaced[index] = FixOutcome(None, (), original(page), refused=verdict.reason)
    for index, (page, outcome) in enumerate(items):
        yield page, replaced.get(index, outcome)


def fix_dump(
    reader: DumpReader,
    output: str | Path,
    *,
    config: Config | None = None,
    site: SiteSource = None,
    workers: int = 1,
    unsafe: bool | None = None,
    only_changed: bool = False,
    new_revision: NewRevision | None = None,
    progress: Callable[[], None] | None = None,
    report: Callable[[Page, FixOutcome], None] | None = None,
    verifier: Verifier | None = None,
) -> FixSummary:
    """Fix every wikitext page of ``reader`` and write the dump to ``output`` atomically.

    With ``only_changed`` only pages whose text changed are written. With ``new_revision``
    each fix becomes a new revision after the current one, so an import keeps the history.
    With ``verifier`` every fix is rendered first (in this process, after the workers) and a
    page whose rendering gets worse is written unchanged and listed in ``summary.refused``.
    ``report`` sees each checked page's outcome. If anything fails, no output file is left.
    """
    summary = FixSummary()
    local: list[_State] = []

    def original(page: Page) -> tuple[Located, ...]:
        if not local:
            local.append(_make_state(_setup(reader, config, site, unsafe=unsafe)))
        state, text = local[0], page.text or ""
        document = Document(text, page.title, page.ns, state.namespaces)
        return _located(state, page.title, text, state.linter.check(document))[0]

    with open_writer(output, reader.siteinfo) as writer:
        stream = fix_pages(
            reader, config=config, site=site, workers=workers, unsafe=unsafe, progress=progress
        )
        if verifier is not None:
            stream = verified(stream, verifier, original)
        for page, outcome in stream:
            summary.pages += 1
            if outcome is not None:
                summary.checked += 1
                summary.applied.update(outcome.applied)
                summary.remaining.update(item.diagnostic.code for item in outcome.remaining)
                if outcome.refused is not None:
                    summary.refused.append((page.title, outcome.refused))
                if report is not None:
                    report(page, outcome)
            if outcome is not None and outcome.changed:
                summary.changed += 1
                page = apply_outcome(page, outcome, new_revision)
            elif only_changed:
                continue
            writer.write_page(page)
            summary.written += 1
    return summary
