"""``wikitools dump stats | lint | fix | extract``: MediaWiki XML dumps, streamed."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wikitools.cli import options as opt
from wikitools.cli.common import (
    PlainCommand,
    PlainGroup,
    ProgressDisplay,
    fail,
    finish,
    styled,
    term,
)
from wikitools.cli.verify import refusal_line

if TYPE_CHECKING:
    from collections.abc import Iterable

    from wikitools.dumps.partitioned import PartFix
    from wikitools.dumps.process import FixOutcome, PageFindings
    from wikitools.dumps.reader import DumpReader
    from wikitools.reporting.formatters import Located

app = typer.Typer(
    cls=PlainGroup,
    help="Read, check and repair MediaWiki XML dumps (.xml, .bz2, .gz, .xz or - for stdin).",
    no_args_is_help=True,
)

DumpArg = Annotated[
    str,
    typer.Argument(
        help="The dump: .xml, .xml.bz2, .xml.gz, .xml.xz, or - for stdin.", metavar="DUMP"
    ),
]
WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers",
        "-j",
        metavar="N",
        min=0,
        help="Worker processes (0: one per CPU). Output order does not depend on it.",
    ),
]
LINT_FORMATS = ("text", "json", "jsonl")
ENGINES = ("local", "dask")
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        metavar="ENGINE",
        help="local (worker processes on this machine) or dask (a Dask cluster; "
        "needs wikitools[dask]). Results are the same.",
    ),
]
IndexOpt = Annotated[
    str | None,
    typer.Option(
        "--index",
        metavar="IDX",
        help="The index of a multistream .bz2 dump (offset:page_id:title lines), "
        "to split it into partitions (--engine dask).",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Run on the existing Dask cluster of this scheduler (tcp://host:8786) "
        "instead of a local one (--engine dask).",
    ),
]
PartitionOpt = Annotated[
    float | None,
    typer.Option(
        "--partition-mb",
        metavar="MB",
        min=0.001,
        help="About this many MB of input per partition (--engine dask; default: "
        "eight partitions a worker, at most 64 MB each).",
    ),
]


class _EngineChoice:
    """The --engine options of a command, checked."""

    def __init__(
        self,
        engine: str,
        index: str | None,
        scheduler: str | None,
        partition_mb: float | None,
        workers: int,
    ) -> None:
        if engine not in ENGINES:
            raise fail(f"unknown engine '{engine}' (choose from {', '.join(ENGINES)})")
        self.dask = engine == "dask"
        if not self.dask and scheduler is not None:
            raise fail("--scheduler applies with --engine dask")
        if scheduler is not None and workers != 1:
            raise fail("give -j (a local Dask cluster) or --scheduler (an existing one), not both")
        self.index = index
        self.scheduler = scheduler
        self.target_bytes = (
            max(1, int(partition_mb * 1024 * 1024)) if partition_mb is not None else None
        )
        self.workers = workers

    def plan(self, dump: str, slots: int) -> list[Any]:
        """The partitions of ``dump`` for a cluster of ``slots`` worker threads."""
        from wikitools.dumps.partitioned import local_target
        from wikitools.dumps.partitions import plan_partitions

        target = self.target_bytes
        if target is None:
            size = os.stat(dump).st_size if os.path.isfile(dump) else 0
            target = local_target(size, slots)
        return plan_partitions(dump, self.index, target)

    def early_plan(self, dump: str) -> list[Any] | None:
        """The plan, made before the cluster starts (so that bad input fails at once), when
        the cluster's size is known: a local one, or a fixed --partition-mb."""
        if self.scheduler is not None and self.target_bytes is None:
            return None
        return self.plan(dump, _workers(self.workers))

    def plan_on(self, dump: str, planned: list[Any] | None, client: Any) -> list[Any]:
        """The plan: ``planned``, or made now for the size of ``client``'s cluster."""
        if planned is not None:
            return planned
        from wikitools.dumps.dask_engine import cluster_slots

        return self.plan(dump, cluster_slots(client))

    def local_plan(self, dump: str, workers: int) -> list[Any]:
        """Partitions for local worker processes, or ``[]`` to stream from this process
        (one worker, stdin, or a dump that is one partition: a single ``.bz2`` stream)."""
        from wikitools.dumps.partitioned import local_target
        from wikitools.dumps.partitions import plan_partitions

        if workers <= 1 or dump == "-":
            return []
        size = os.stat(dump).st_size if os.path.isfile(dump) else 0
        parts = plan_partitions(dump, self.index, local_target(size, workers))
        return parts if len(parts) > 1 else []

    def client(self) -> Any:
        """A context manager giving the Dask client."""
        from wikitools.dumps.dask_engine import dask_client

        return dask_client(_workers(self.workers), self.scheduler)


def _workers(value: int) -> int:
    return value if value > 0 else (os.cpu_count() or 1)


class _Progress:
    """The bytes-read progress of a dump, on stderr when it is a terminal (at most 10 a second)."""

    def __init__(self, reader: DumpReader, label: str) -> None:
        self.reader = reader
        self.display = ProgressDisplay(label, bytes_total=True)
        self._last = 0.0

    def __enter__(self) -> _Progress:
        self.display.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.display.__exit__(*exc)

    def tick(self) -> None:
        """Update the bar."""
        now = time.monotonic()
        if self.display.enabled and now - self._last >= 0.1:
            self._last = now
            self.display(self.reader.bytes_read, self.reader.total_bytes)


def _report_skipped(reader: DumpReader) -> None:
    for kind, count in sorted(reader.skipped.items()):
        term.note(f"note: skipped {count} <{kind}> element(s) (not pages)")


@app.command(cls=PlainCommand)
def stats(
    dump: DumpArg,
    output: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="Output: text or json.")
    ] = "text",
    top: Annotated[
        int, typer.Option("--top", metavar="N", min=0, help="How many templates to list.")
    ] = 20,
) -> None:
    """Pages, revisions, namespaces, sizes and the most used templates of a dump."""
    import json

    from wikitools.dumps.reader import DumpReader
    from wikitools.dumps.stats import dump_stats
    from wikitools.reporting.run import RunReport

    if output not in ("text", "json"):
        raise fail(f"unknown format '{output}' (choose from text, json)")
    with DumpReader(dump) as reader, _Progress(reader, "reading") as progress:
        result = dump_stats(reader, reader.siteinfo, progress.tick)
        result.skipped = dict(reader.skipped)
    data = result.as_dict(top)
    if output == "json":
        term.out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
    else:
        _print_stats(data)
    finish(RunReport())


def _print_stats(data: dict[str, Any]) -> None:
    from rich.table import Table

    out = term.out
    site = data["site"]
    name = site["sitename"] or site["dbname"] or "(unnamed site)"
    out.print(
        f"{name}: schema {site['schema']}, {site['generator'] or 'unknown generator'}",
        markup=False,
    )
    out.print(
        f"{data['pages']} pages ({data['redirects']} redirects), {data['revisions']} revisions, "
        f"{data['bytes']:,} bytes of current text (mean {data['mean_bytes']:,})",
        markup=False,
    )
    if data["first_timestamp"]:
        out.print(f"edits from {data['first_timestamp']} to {data['last_timestamp']}")
    table = Table("ns", "namespace", "pages", "redirects", "revisions", "bytes", title=None)
    for ns in data["namespaces"]:
        table.add_row(
            str(ns["id"]),
            ns["name"],
            str(ns["pages"]),
            str(ns["redirects"]),
            str(ns["revisions"]),
            f"{ns['bytes']:,}",
        )
    out.print(table)
    sizes = ", ".join(f"{label}: {count}" for label, count in data["size_classes"].items())
    out.print(f"sizes: {sizes}", markup=False)
    models = ", ".join(f"{model}: {count}" for model, count in data["models"].items())
    out.print(f"content models: {models}", markup=False)
    if data["largest"]:
        largest = ", ".join(f"{item['title']} ({item['bytes']:,})" for item in data["largest"][:5])
        out.print(f"largest: {largest}", markup=False)
    templates = data["templates"]
    out.print(
        f"templates: {templates['distinct']} distinct, {templates['calls']} calls", markup=False
    )
    if templates["top"]:
        table = Table("template", "pages", "calls")
        for item in templates["top"]:
            table.add_row(item["title"], str(item["pages"]), str(item["calls"]))
        out.print(table)
    for kind, count in sorted(data["skipped"].items()):
        out.print(f"skipped: {count} <{kind}> element(s)", markup=False)


def _record(page: str, ns: int, page_id: int | None, rev: int | None, item: dict[str, Any]) -> Any:
    record: dict[str, Any] = {"page": page, "ns": ns, "page_id": page_id, "revision_id": rev}
    record.update((key, value) for key, value in item.items() if key != "path")
    return record


@app.command(cls=PlainCommand)
def lint(
    dump: DumpArg,
    config: opt.ConfigOpt = None,
    select: opt.SelectOpt = None,
    ignore: opt.IgnoreOpt = None,
    output: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="Output: text, json or jsonl.")
    ] = "text",
    site: opt.SiteOpt = None,
    workers: WorkersOpt = 1,
    engine: EngineOpt = "local",
    index: IndexOpt = None,
    scheduler: SchedulerOpt = None,
    partition_mb: PartitionOpt = None,
) -> None:
    """Report problems in the current text of every wikitext page of a dump.

    Diagnostics go to stdout: text as 'Title:line:col: CODE message', json as one list,
    jsonl as one diagnostic a line. Exit code 1 when anything was found.
    """
    import sys

    from wikitools.dumps.process import lint_dump
    from wikitools.dumps.reader import DumpReader
    from wikitools.reporting.formatters import JsonArrayWriter
    from wikitools.reporting.run import LintReport

    if output not in LINT_FORMATS:
        raise fail(f"unknown format '{output}' (choose from {', '.join(LINT_FORMATS)})")
    choice = _EngineChoice(engine, index, scheduler, partition_mb, workers)
    settings = opt.load_settings(config, select, ignore, opt.config_start([dump]))
    target = opt.load_target(site)
    report = LintReport(unit="page", fix_command="wikitools dump fix")
    writer = JsonArrayWriter(sys.stdout, lines=output == "jsonl")

    def show(all_findings: Iterable[PageFindings]) -> None:
        if output != "text":
            writer.start()
        for findings in all_findings:
            report.add([item.diagnostic for item in findings.located], settings)
            if output == "text":
                for item in findings.located:
                    term.out.print(styled(item), markup=False)
                continue
            for record in findings.records:
                writer.add(
                    _record(
                        findings.title,
                        findings.ns,
                        findings.page_id,
                        findings.revision_id,
                        record,
                    )
                )
        if output != "text":
            writer.close()

    if choice.dask:
        from wikitools.dumps.dask_engine import lint_dask

        planned = choice.early_plan(dump)
        with choice.client() as client, ProgressDisplay("partitions") as bar:
            parts = choice.plan_on(dump, planned, client)
            show(
                lint_dask(
                    client,
                    parts,
                    config=settings,
                    site=target,
                    records=output != "text",
                    progress=bar,
                )
            )
        term.note(f"note: {len(parts)} partition(s) linted on Dask")
        finish(report)
    parts = choice.local_plan(dump, _workers(workers))
    if parts:
        from wikitools.dumps.partitioned import lint_partitions

        with ProgressDisplay("partitions") as bar:
            show(
                lint_partitions(
                    parts,
                    settings,
                    site=target,
                    records=output != "text",
                    workers=_workers(workers),
                    progress=bar,
                )
            )
        finish(report)
    with DumpReader(dump) as reader, _Progress(reader, "linting") as progress:
        show(
            lint_dump(
                reader,
                config=settings,
                site=target,
                workers=_workers(workers),
                records=output != "text",
                progress=progress.tick,
            )
        )
        _report_skipped(reader)
    finish(report)


@app.command(cls=PlainCommand)
def fix(
    dump: DumpArg,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the fixed dump (.xml, .bz2, .gz or .xz; - for stdout).",
        ),
    ],
    config: opt.ConfigOpt = None,
    select: opt.SelectOpt = None,
    ignore: opt.IgnoreOpt = None,
    unsafe_fixes: opt.UnsafeFixesOpt = False,
    only_changed: Annotated[
        bool, typer.Option("--only-changed", help="Write only the pages whose text changed.")
    ] = False,
    as_new_revision: Annotated[
        bool,
        typer.Option(
            "--as-new-revision",
            help="Add each fix as a new revision instead of rewriting the current one.",
        ),
    ] = False,
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary",
            metavar="TEXT",
            help="Edit summary of new revisions (default: the fixes).",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", metavar="NAME", help="Contributor name of new revisions (default: wikitools)."
        ),
    ] = None,
    timestamp: Annotated[
        str | None,
        typer.Option(
            "--timestamp",
            metavar="TIME",
            help="Timestamp of new revisions (ISO 8601; default now).",
        ),
    ] = None,
    site: opt.SiteOpt = None,
    workers: WorkersOpt = 1,
    verify: opt.LocalVerifyOpt = False,
    verify_wiki: opt.VerifyWikiOpt = None,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    engine: EngineOpt = "local",
    index: IndexOpt = None,
    scheduler: SchedulerOpt = None,
    partition_mb: PartitionOpt = None,
    parts_dir: Annotated[
        Path | None,
        typer.Option(
            "--parts-dir",
            metavar="DIR",
            help="Where --engine dask writes one part file per partition (default: "
            "OUTPUT.parts); a rerun keeps the complete ones.",
        ),
    ] = None,
    keep_parts: Annotated[
        bool, typer.Option("--keep-parts", help="Keep the part files after joining them.")
    ] = False,
) -> None:
    """Fix every wikitext page of a dump and write the result as an export-0.11 dump.

    The output file appears only once it is complete. Pages are written as they were read,
    except for the fixed text (with its bytes and sha1 recomputed). Problems left are
    printed as 'dump lint' prints them (on stderr when the dump goes to stdout). With
    --verify, a page whose fixed text renders worse is written unchanged and listed.
    With --engine dask, each partition is fixed into a part file, and the parts are joined
    into the output in dump order; an interrupted run, started again, keeps complete parts.
    """
    from contextlib import ExitStack

    from wikitools.cli.verify import open_verifier
    from wikitools.dumps.process import DEFAULT_USERNAME, NewRevision, fix_dump, parse_timestamp
    from wikitools.dumps.reader import DumpReader
    from wikitools.reporting.run import FixReport

    verify = verify or verify_wiki is not None
    if (summary is not None or timestamp is not None) and not as_new_revision:
        raise fail("--summary and --timestamp only apply with --as-new-revision")
    if timestamp is not None and parse_timestamp(timestamp) is None:
        raise fail(f"--timestamp {timestamp!r} is not an ISO 8601 time like 2024-05-01T12:00:00Z")
    if output != "-" and Path(output).resolve() == Path(dump).resolve():
        raise fail("the output must not be the input dump; write to a new file")
    new_revision = (
        NewRevision(username=user or DEFAULT_USERNAME, comment=summary, timestamp=timestamp)
        if as_new_revision
        else None
    )
    choice = _EngineChoice(engine, index, scheduler, partition_mb, workers)
    if choice.dask and verify:
        raise fail("--verify is not available with --engine dask")
    if choice.dask and output == "-":
        raise fail("--engine dask writes a file; give --output FILE, not -")
    settings = opt.load_settings(config, select, ignore, opt.config_start([dump]))
    settings = settings.with_overrides(unsafe_fixes=unsafe_fixes or None)
    target = opt.load_target(site)
    report = FixReport(unit="page", verified=verify, destination=output, written=0)
    stderr = output == "-"
    local_parts = (
        choice.local_plan(dump, _workers(workers))
        if not choice.dask and not verify and output != "-"
        else []
    )
    if choice.dask or local_parts:
        _fix_partitioned(
            choice,
            local_parts,
            dump,
            output,
            parts_dir or Path(output + ".parts"),
            keep_parts,
            settings,
            target,
            new_revision,
            unsafe_fixes or None,
            only_changed,
            report,
        )

    def show(page: Any, outcome: FixOutcome) -> None:
        if outcome.refused is not None:
            term.line(refusal_line(page.title, outcome.refused), stderr=True)
        _print_located(outcome.remaining, stderr=stderr)
        report.remaining.add([item.diagnostic for item in outcome.remaining], settings)

    with ExitStack() as stack:
        verifier = None
        if verify:
            verifier = stack.enter_context(
                open_verifier(verify_wiki, site=target, profile=profile, user_agent=user_agent)
            )
        with DumpReader(dump) as reader, _Progress(reader, "fixing") as progress:
            result = fix_dump(
                reader,
                output,
                config=settings,
                site=target,
                workers=_workers(workers),
                unsafe=unsafe_fixes or None,
                only_changed=only_changed,
                new_revision=new_revision,
                progress=progress.tick,
                report=show,
                verifier=verifier,
            )
            _report_skipped(reader)
    report.seen = result.checked
    report.changed = result.changed
    report.applied = result.applied
    report.refused = len(result.refused)
    report.written = result.written
    finish(report)


def _fix_partitioned(
    choice: _EngineChoice,
    local_parts: list[Any],
    dump: str,
    output: str,
    parts_dir: Path,
    keep_parts: bool,
    settings: Any,
    target: Any,
    new_revision: Any,
    unsafe: bool | None,
    only_changed: bool,
    report: Any,
) -> None:
    from collections import Counter

    from wikitools.dumps.dask_engine import fix_dask
    from wikitools.dumps.partitioned import FixOptions, fix_partitions

    def show(result: PartFix) -> None:
        for _title, remaining in result.findings:
            _print_located(remaining, stderr=False)
            report.remaining.add([item.diagnostic for item in remaining], settings)

    options = FixOptions(unsafe, only_changed, new_revision)
    if local_parts:
        with ProgressDisplay("partitions") as progress:
            result = fix_partitions(
                local_parts,
                output,
                parts_dir,
                config=settings,
                site=target,
                options=options,
                workers=_workers(choice.workers),
                progress=progress,
                report=show,
                keep_parts=keep_parts,
            )
        where = "by local workers"
    else:
        planned = choice.early_plan(dump)
        with choice.client() as client, ProgressDisplay("partitions") as progress:
            parts = choice.plan_on(dump, planned, client)
            result = fix_dask(
                client,
                parts,
                output,
                parts_dir,
                config=settings,
                site=target,
                options=options,
                progress=progress,
                report=show,
                keep_parts=keep_parts,
            )
        where = "on Dask"
    term.note(
        f"note: {result.partitions} partition(s) fixed {where}"
        + (f", {result.reused} kept from an earlier run" if result.reused else "")
    )
    report.seen = result.checked
    report.changed = result.changed
    report.applied = Counter(result.applied)
    report.written = result.written
    finish(report)


def _print_located(items: tuple[Located, ...], *, stderr: bool) -> None:
    console = term.err if stderr else term.out
    for item in items:
        console.print(styled(item), markup=False)


@app.command(cls=PlainCommand)
def extract(
    dump: DumpArg,
    directory: Annotated[
        Path, typer.Argument(help="The folder to write (new or empty).", metavar="DIR")
    ],
    namespace: Annotated[
        list[int] | None,
        typer.Option(
            "--namespace", "-n", metavar="ID", help="Extract only this namespace id (repeatable)."
        ),
    ] = None,
    wiki: Annotated[
        str | None,
        typer.Option(
            "--wiki",
            metavar="URL",
            help="The api.php URL the dump came from, for a later push (default: <base>).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a non-empty folder, over its files.")
    ] = False,
) -> None:
    """Write the dump's pages as files in the layout of pull (one per page, plus a manifest)."""
    from wikitools.dumps.extract import check_target, dump_wiki, extract_pages
    from wikitools.dumps.reader import DumpReader
    from wikitools.reporting.run import RunReport

    check_target(directory, overwrite=force)
    with DumpReader(dump) as reader, _Progress(reader, "extracting") as progress:
        result = extract_pages(
            reader,
            directory,
            reader.siteinfo.to_namespaces(),
            wiki=wiki or dump_wiki(reader),
            only=set(namespace) if namespace else None,
            overwrite=force,
            on_page=progress.tick,
        )
        _report_skipped(reader)
    term.note(result.summary())
    finish(RunReport())
