"""Lint and fix one partition of a dump: pure functions any engine can run.

:func:`lint_partition` and :func:`fix_partition` take a :class:`~wikitools.dumps.partitions.
Partition` and a configuration (a :class:`~wikitools.config.Config` or its picklable form,
:func:`~wikitools.dumps.process.portable_config`), read the partition themselves and run the
same code as the default engine (:func:`~wikitools.dumps.process.lint_dump`,
:func:`~wikitools.dumps.process.fix_pages`), so their results are the default engine's, page
for page. They import no engine: Dask (:mod:`wikitools.dumps.dask_engine`), Spark or a plain
loop can map them over a plan.

``fix_partition`` writes its pages to a **part file** (``part-00003.xml``, pages only) in
``out_dir`` and then, by rename, a **sidecar** (``part-00003.json``) with the part's SHA-256,
its size, what produced it (dump, byte range, configuration, wikitools version) and the
partition's outcome. A part is complete only when its sidecar matches all of that, so a rerun
skips complete parts and redoes the rest, with no state shared between workers.
:func:`join_parts` then writes the one output dump, atomically, in dump order.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from wikitools.config import Config
from wikitools.dumps.parallel import ordered_map
from wikitools.dumps.partitions import TARGET_BYTES, Partition, open_partition
from wikitools.dumps.process import (
    NewRevision,
    PageFindings,
    SiteSource,
    apply_outcome,
    fix_pages,
    lint_dump,
    portable_config,
    restore_config,
)
from wikitools.dumps.writer import DumpWriter, open_writer
from wikitools.errors import OutputError
from wikitools.fileio import atomic_output, write_text_atomic
from wikitools.fixes.model import Applicability, Edit, Fix
from wikitools.lint.diagnostic import Diagnostic, Severity
from wikitools.reporting.formatters import Located
from wikitools.version import __version__

AnyConfig = Config | Mapping[str, Any] | None
"""A configuration: a :class:`Config`, its :func:`portable_config` form, or ``None`` (defaults)."""

#: Version of the sidecar format; a sidecar of another version means "redo the part".
SIDECAR_FORMAT = 1


def _config(config: AnyConfig) -> Config:
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    return restore_config(config)


def local_target(size: int, workers: int) -> int:
    """Partition size for ``workers`` local processes over ``size`` bytes: about eight
    partitions a worker, 1 to 64 MB each, so that the last partitions to finish keep the
    other workers idle only briefly."""
    return max(1 << 20, min(TARGET_BYTES, size // max(1, 8 * workers)))


def _ignore_interrupt() -> None:
    """Worker initializer: Ctrl-C is the main process's to handle (one line, no tracebacks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def lint_partitions(
    parts: Sequence[Partition],
    config: AnyConfig = None,
    *,
    site: SiteSource = None,
    records: bool = False,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[PageFindings]:
    """Lint ``parts`` in ``workers`` local processes; findings in dump order.

    Each worker reads its own partitions, and one result goes back per partition, so the
    main process does no parsing and ships no text. At most three partitions per worker
    are in flight or waiting to be put in order. ``progress(done, total)`` is called as
    partitions come back.
    """
    func = functools.partial(
        lint_partition, config=portable_config(_config(config)), site=site, records=records
    )
    jobs = ((part.number, part) for part in parts)
    results = ordered_map(
        func, jobs, workers=workers, initializer=_ignore_interrupt, max_pending=3 * workers
    )
    for done, (_, findings) in enumerate(results, 1):
        if progress is not None:
            progress(done, len(parts))
        yield from findings


def warm_up() -> None:
    """Load what linting a partition needs (rules, parsers), so that a fresh worker process
    does it once, at start, rather than inside its first task."""
    from wikitools.api import lint_text

    lint_text("[[a]] {{b|c}} <ref>d</ref>")


def lint_partition(
    part: Partition, config: AnyConfig = None, *, site: SiteSource = None, records: bool = False
) -> list[PageFindings]:
    """The findings of every wikitext page of ``part``, in dump order (clean pages included)."""
    with open_partition(part) as reader:
        return list(lint_dump(reader, config=_config(config), site=site, records=records))


@dataclass(frozen=True)
class FixOptions:
    """How ``dump fix`` writes pages: the options of :func:`~wikitools.dumps.process.fix_dump`
    that partitions share (``verify`` runs against a wiki and is not among them)."""

    unsafe: bool | None = None
    only_changed: bool = False
    new_revision: NewRevision | None = None


@dataclass
class PartFix:
    """What fixing one partition did; ``reused`` when a complete part file was found."""

    number: int
    pages: int = 0
    checked: int = 0
    changed: int = 0
    written: int = 0
    applied: Counter[str] = field(default_factory=Counter)
    remaining: Counter[str] = field(default_factory=Counter)
    findings: tuple[tuple[str, tuple[Located, ...]], ...] = ()
    """``(title, problems left)`` of every checked page with problems left, in dump order."""
    reused: bool = False


def part_path(part: Partition, out_dir: str | os.PathLike[str]) -> Path:
    """Where ``part``'s pages are written."""
    return Path(out_dir) / f"{part.name}.xml"


def sidecar_path(part: Partition, out_dir: str | os.PathLike[str]) -> Path:
    """Where the proof that ``part``'s file is complete is written."""
    return Path(out_dir) / f"{part.name}.json"


def fingerprint(part: Partition, config: AnyConfig, options: FixOptions) -> str:
    """What a part file depends on: the dump file, the byte range, configuration, version."""
    try:
        info = os.stat(part.path)
        stamp = (info.st_size, info.st_mtime_ns)
    except OSError:
        stamp = (0, 0)
    portable = portable_config(_config(config))
    described = repr(
        (
            __version__,
            part.path,
            stamp,
            part.kind,
            part.start,
            part.end,
            part.skip,
            hashlib.sha256(part.header).hexdigest(),
            sorted(portable.items()),
            options,
        )
    )
    return hashlib.sha256(described.encode("utf-8")).hexdigest()


class _Hashing:
    """A binary sink that hashes and counts what goes through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self._inner.write(data)


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def completed_part(
    part: Partition, config: AnyConfig, out_dir: str | os.PathLike[str], options: FixOptions
) -> PartFix | None:
    """The outcome recorded for ``part`` if its part file is complete and current, else None.

    Complete means: the sidecar exists and parses, was written for this dump range,
    configuration and version, and the part file has exactly the size and SHA-256 it records.
    """
    try:
        record = json.loads(sidecar_path(part, out_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(record, dict)
        or record.get("format") != SIDECAR_FORMAT
        or record.get("fingerprint") != fingerprint(part, config, options)
    ):
        return None
    try:
        size, digest = _file_digest(part_path(part, out_dir))
    except OSError:
        return None
    if size != record.get("bytes") or digest != record.get("sha256"):
        return None
    try:
        result = _part_from_json(record["outcome"])
    except (KeyError, TypeError, ValueError):
        return None
    result.reused = True
    return result


def fix_partition(
    part: Partition,
    config: AnyConfig,
    out_dir: str | os.PathLike[str],
    *,
    site: SiteSource = None,
    options: FixOptions | None = None,
) -> PartFix:
    """Fix every wikitext page of ``part`` into its part file in ``out_dir``; return the outcome.

    When a complete part file for the same input and configuration is already there, nothing
    is computed and its recorded outcome comes back (``reused``). The part file and then its
    sidecar are each written atomically, so an interrupted run leaves either a complete part
    or one that the next run redoes.
    """
    options = options or FixOptions()
    done = completed_part(part, config, out_dir, options)
    if done is not None:
        return done
    settings = _config(config)
    result = PartFix(part.number)
    findings: list[tuple[str, tuple[Located, ...]]] = []
    target = part_path(part, out_dir)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    with open_partition(part) as reader, atomic_output(target) as handle:
        sink = _Hashing(cast(BinaryIO, handle))
        writer = DumpWriter(cast(BinaryIO, sink), header=False)
        for page, outcome in fix_pages(
            reader, config=settings, site=site, workers=1, unsafe=options.unsafe
        ):
            result.pages += 1
            if outcome is not None:
                result.checked += 1
                result.applied.update(outcome.applied)
                result.remaining.update(item.diagnostic.code for item in outcome.remaining)
                if outcome.remaining:
                    findings.append((page.title, outcome.remaining))
            if outcome is not None and outcome.changed:
                result.changed += 1
                page = apply_outcome(page, outcome, options.new_revision)
            elif options.only_changed:
                continue
            writer.write_page(page)
            result.written += 1
    result.findings = tuple(findings)
    record = {
        "format": SIDECAR_FORMAT,
        "fingerprint": fingerprint(part, config, options),
        "bytes": sink.size,
        "sha256": sink.digest.hexdigest(),
        "outcome": _part_to_json(result),
    }
    write_text_atomic(sidecar_path(part, out_dir), json.dumps(record, ensure_ascii=False))
    return result


@dataclass
class PartitionedFixSummary:
    """Counts of a partitioned fix run, summed over partitions."""

    pages: int = 0
    checked: int = 0
    changed: int = 0
    written: int = 0
    partitions: int = 0
    reused: int = 0
    """Partitions whose complete part file from an earlier run was kept."""
    applied: Counter[str] = field(default_factory=Counter)


def collect_parts(
    parts: Sequence[Partition],
    results: Iterable[PartFix],
    output: str | os.PathLike[str],
    parts_dir: str | os.PathLike[str],
    *,
    report: Callable[[PartFix], None] | None = None,
    keep_parts: bool = False,
) -> PartitionedFixSummary:
    """Sum the partitions' outcomes (in dump order), then join their part files into
    ``output`` and, unless ``keep_parts``, remove them."""
    summary = PartitionedFixSummary(partitions=len(parts))
    for result in results:
        summary.pages += result.pages
        summary.checked += result.checked
        summary.changed += result.changed
        summary.written += result.written
        summary.reused += result.reused
        summary.applied.update(result.applied)
        if report is not None:
            report(result)
    join_parts(parts, parts_dir, output, pages=summary.written)
    if not keep_parts:
        remove_parts(parts, parts_dir)
    return summary


def fix_partitions(
    parts: Sequence[Partition],
    output: str | os.PathLike[str],
    parts_dir: str | os.PathLike[str],
    *,
    config: AnyConfig = None,
    site: SiteSource = None,
    options: FixOptions | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    report: Callable[[PartFix], None] | None = None,
    keep_parts: bool = False,
) -> PartitionedFixSummary:
    """Fix ``parts`` in ``workers`` local processes into part files, then join them into
    ``output``: :func:`~wikitools.dumps.dask_engine.fix_dask` on this machine alone, with
    the same resume from complete part files."""
    func = functools.partial(
        fix_partition,
        config=portable_config(_config(config)),
        out_dir=os.fspath(parts_dir),
        site=site,
        options=options or FixOptions(),
    )
    Path(parts_dir).mkdir(parents=True, exist_ok=True)
    jobs = ((part.number, part) for part in parts)

    def results() -> Iterator[PartFix]:
        done = ordered_map(
            func, jobs, workers=workers, initializer=_ignore_interrupt, max_pending=3 * workers
        )
        for count, (_, result) in enumerate(done, 1):
            if progress is not None:
                progress(count, len(parts))
            yield result

    return collect_parts(parts, results(), output, parts_dir, report=report, keep_parts=keep_parts)


def join_parts(
    parts: Sequence[Partition],
    out_dir: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    pages: int = 0,
) -> None:
    """Write the dump ``output`` (compressed by its name) from the part files, in dump order.

    The document header comes from the first partition's dump. ``output`` appears only
    when it is complete (see :func:`~wikitools.dumps.writer.open_writer`).
    """
    if not parts:
        raise OutputError(f"{output}: nothing to join")
    with open_partition(parts[0]) as reader:
        siteinfo = reader.siteinfo
    with open_writer(Path(output), siteinfo) as writer:
        for part in parts:
            path = part_path(part, out_dir)
            try:
                with path.open("rb") as handle:
                    _copy(handle, writer)
            except FileNotFoundError:
                raise OutputError(f"{path}: part file missing; run the fix again") from None
        writer.pages_written = pages


def _copy(handle: BinaryIO, writer: DumpWriter) -> None:
    while chunk := handle.read(1 << 20):
        writer.write_serialized(chunk)


def remove_parts(parts: Iterable[Partition], out_dir: str | os.PathLike[str]) -> None:
    """Delete the part files and sidecars of ``parts``, and ``out_dir`` when it is then empty."""
    for part in parts:
        for path in (sidecar_path(part, out_dir), part_path(part, out_dir)):
            path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        Path(out_dir).rmdir()


# -- the sidecar's JSON -----------------------------------------------------------------------


def located_to_json(item: Located) -> dict[str, Any]:
    """A :class:`Located` as JSON data that :func:`located_from_json` turns back into it."""
    d = item.diagnostic
    fix = None
    if d.fix is not None:
        fix = {
            "title": d.fix.title,
            "applicability": d.fix.applicability.value,
            "edits": [[e.start, e.end, e.replacement] for e in d.fix.edits],
        }
    return {
        "path": item.path,
        "line": item.line,
        "column": item.column,
        "end_line": item.end_line,
        "end_column": item.end_column,
        "applicability": item.applicability,
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "start": d.start,
        "end": d.end,
        "severity": d.severity.value,
        "subject": d.subject,
        "fix": fix,
    }


def located_from_json(data: Mapping[str, Any]) -> Located:
    """The :class:`Located` :func:`located_to_json` described."""
    fix_data = data["fix"]
    fix = None
    if fix_data is not None:
        fix = Fix(
            str(fix_data["title"]),
            tuple(Edit(int(s), int(e), str(r)) for s, e, r in fix_data["edits"]),
            Applicability(fix_data["applicability"]),
        )
    diagnostic = Diagnostic(
        code=str(data["code"]),
        name=str(data["name"]),
        message=str(data["message"]),
        start=int(data["start"]),
        end=int(data["end"]),
        fix=fix,
        severity=Severity(data["severity"]),
        subject=data["subject"],
    )
    return Located(
        str(data["path"]),
        diagnostic,
        int(data["line"]),
        int(data["column"]),
        int(data["end_line"]),
        int(data["end_column"]),
        data["applicability"],
    )


def _part_to_json(result: PartFix) -> dict[str, Any]:
    return {
        "number": result.number,
        "pages": result.pages,
        "checked": result.checked,
        "changed": result.changed,
        "written": result.written,
        "applied": dict(result.applied),
        "remaining": dict(result.remaining),
        "findings": [
            [title, [located_to_json(item) for item in items]] for title, items in result.findings
        ],
    }


def _part_from_json(data: Mapping[str, Any]) -> PartFix:
    return PartFix(
        number=int(data["number"]),
        pages=int(data["pages"]),
        checked=int(data["checked"]),
        changed=int(data["changed"]),
        written=int(data["written"]),
        applied=Counter({str(k): int(v) for k, v in data["applied"].items()}),
        remaining=Counter({str(k): int(v) for k, v in data["remaining"].items()}),
        findings=tuple(
            (str(title), tuple(located_from_json(item) for item in items))
            for title, items in data["findings"]
        ),
    )
