"""``wikitools dump stats | lint | fix | extract``: MediaWiki XML dumps, streamed."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from wikitools.cli import verify as verifying
from wikitools.cli import wiki as live
from wikitools.cli.common import EXIT_OK, EXIT_PROBLEMS, cli_errors, err, fail, out
from wikitools.cli.options import (
    ConfigOpt,
    IgnoreOpt,
    SelectOpt,
    SiteOpt,
    UnsafeFixesOpt,
    config_start,
    load_settings,
)
from wikitools.config import Config
from wikitools.dumps.extract import check_target, dump_wiki, extract_pages
from wikitools.dumps.process import (
    DEFAULT_USERNAME,
    FixOutcome,
    NewRevision,
    fix_dump,
    lint_dump,
    parse_timestamp,
)
from wikitools.dumps.reader import DumpReader
from wikitools.dumps.stats import dump_stats
from wikitools.reporting.formatters import format_text
from wikitools.site.context import SiteContext
from wikitools.site.loader import load_site

app = typer.Typer(
    help="Read, check and repair MediaWiki XML dumps (.xml, .bz2, .gz, .xz or - for stdin).",
    no_args_is_help=True,
)

DumpArg = Annotated[
    str, typer.Argument(help="The dump: .xml, .xml.bz2, .xml.gz, .xml.xz, or - for stdin.")
]
WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers",
        "-j",
        min=0,
        help="Worker processes (0: one per CPU). Output order does not depend on it.",
    ),
]
LINT_FORMATS = ("text", "json", "jsonl")


def _config(path: Path | None, select: str | None, ignore: str | None, dump: str) -> Config:
    return load_settings(path, select, ignore, config_start([dump]))


def _site(spec: str | None) -> SiteContext | None:
    return load_site(spec) if spec else None


def _workers(value: int) -> int:
    return value if value > 0 else (os.cpu_count() or 1)


class _Progress:
    """A bytes-read progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, reader: DumpReader, label: str) -> None:
        self.reader = reader
        self.enabled = err.is_terminal
        self._bar: Progress | None = None
        self._task: Any = None
        self._label = label
        self._last = 0.0

    def __enter__(self) -> _Progress:
        if self.enabled:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self._label, total=self.reader.total_bytes)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def tick(self) -> None:
        """Update the bar (at most ten times a second)."""
        if self._bar is None:
            return
        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            self._bar.update(self._task, completed=self.reader.bytes_read)

    def write(self, text: str, stream: TextIO) -> None:
        """Print a line without breaking the bar."""
        if self._bar is not None:
            console = self._bar.console
            console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            stream.write(text + "\n")


def _report_skipped(reader: DumpReader) -> None:
    for kind, count in sorted(reader.skipped.items()):
        err.print(f"note: skipped {count} <{kind}> element(s) (not pages)", markup=False)


@app.command()
def stats(
    dump: DumpArg,
    output: Annotated[str, typer.Option("--format", help="Output: text or json.")] = "text",
    top: Annotated[int, typer.Option("--top", min=0, help="How many templates to list.")] = 20,
) -> None:
    """Pages, revisions, namespaces, sizes and the most used templates of a dump."""
    if output not in ("text", "json"):
        raise fail(f"unknown format '{output}' (choose from text, json)")
    with cli_errors():
        with DumpReader(dump) as reader, _Progress(reader, "reading") as progress:
            result = dump_stats(reader, reader.siteinfo, progress.tick)
            result.skipped = dict(reader.skipped)
        data = result.as_dict(top)
    if output == "json":
        out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
        return
    _print_stats(data)


def _print_stats(data: dict[str, Any]) -> None:
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


@app.command()
def lint(
    dump: DumpArg,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: Annotated[str, typer.Option("--format", help="Output: text, json or jsonl.")] = "text",
    site: SiteOpt = None,
    workers: WorkersOpt = 1,
) -> None:
    """Report problems in the current text of every wikitext page of a dump.

    Text output goes to stderr as ``Title:line:col: CODE message``; json (one list) and jsonl
    (one diagnostic a line) go to stdout. Exit code 1 when anything was found.
    """
    if output not in LINT_FORMATS:
        raise fail(f"unknown format '{output}' (choose from {', '.join(LINT_FORMATS)})")
    problems = 0
    pages_with_problems = 0
    checked = 0
    with cli_errors():
        settings = _config(config, select, ignore, dump)
        target = _site(site)
        with DumpReader(dump) as reader, _Progress(reader, "linting") as progress:
            first = True
            if output == "json":
                sys.stdout.write("[")
            for findings in lint_dump(
                reader,
                config=settings,
                site=target,
                workers=_workers(workers),
                records=output != "text",
                progress=progress.tick,
            ):
                checked += 1
                if not findings.located:
                    continue
                pages_with_problems += 1
                problems += len(findings.located)
                if output == "text":
                    for item in findings.located:
                        progress.write(format_text(item), sys.stderr)
                    continue
                for record in findings.records:
                    line = json.dumps(
                        _record(
                            findings.title,
                            findings.ns,
                            findings.page_id,
                            findings.revision_id,
                            record,
                        ),
                        ensure_ascii=False,
                    )
                    if output == "jsonl":
                        sys.stdout.write(line + "\n")
                    else:
                        sys.stdout.write(("\n  " if first else ",\n  ") + line)
                        first = False
            if output == "json":
                sys.stdout.write("\n]\n" if not first else "]\n")
            sys.stdout.flush()
            _report_skipped(reader)
    if output == "text":
        err.print(
            f"{problems} problem(s) in {pages_with_problems} of {checked} page(s) checked."
            if problems
            else f"No problems found in {checked} page(s).",
            markup=False,
        )
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


@app.command()
def fix(
    dump: DumpArg,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the fixed dump (.xml, .bz2, .gz or .xz; - for stdout).",
        ),
    ],
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    unsafe_fixes: UnsafeFixesOpt = False,
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
        typer.Option("--summary", help="Edit summary of new revisions (default: the fixes)."),
    ] = None,
    user: Annotated[
        str, typer.Option("--user", help="Contributor name of new revisions.")
    ] = DEFAULT_USERNAME,
    timestamp: Annotated[
        str | None,
        typer.Option("--timestamp", help="Timestamp of new revisions (ISO 8601; default now)."),
    ] = None,
    site: SiteOpt = None,
    workers: WorkersOpt = 1,
    verify: verifying.LocalVerifyOpt = False,
    verify_wiki: verifying.VerifyWikiOpt = None,
    profile: live.ProfileOpt = None,
    user_agent: live.UserAgentOpt = None,
) -> None:
    """Fix every wikitext page of a dump and write the result as an export-0.11 dump.

    The output file appears only once it is complete. Pages are written as they were read,
    except for the fixed text (with its bytes and sha1 recomputed). With --verify, a page
    whose fixed text renders worse is written unchanged and listed.
    """
    verify = verify or verify_wiki is not None
    if (summary is not None or timestamp is not None) and not as_new_revision:
        raise fail("--summary and --timestamp only apply with --as-new-revision")
    if timestamp is not None and parse_timestamp(timestamp) is None:
        raise fail(f"--timestamp {timestamp!r} is not an ISO 8601 time like 2024-05-01T12:00:00Z")
    if output != "-" and Path(output).resolve() == Path(dump).resolve():
        raise fail("the output must not be the input dump; write to a new file")
    new_revision = (
        NewRevision(username=user, comment=summary, timestamp=timestamp)
        if as_new_revision
        else None
    )
    with cli_errors(), ExitStack() as stack:
        settings = _config(config, select, ignore, dump)
        target = _site(site)
        verifier = None
        if verify:
            verifier = stack.enter_context(
                verifying.open_verifier(
                    verify_wiki, site=target, profile=profile, user_agent=user_agent
                )
            )
        with DumpReader(dump) as reader, _Progress(reader, "fixing") as progress:
            report: Callable[[Any, FixOutcome], None] = _fix_reporter(progress)
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
                report=report,
                verifier=verifier,
            )
            _report_skipped(reader)
    fixed = sum(result.applied.values())
    remaining = sum(result.remaining.values())
    refusals = f"; {len(result.refused)} page(s) refused by verify" if verify else ""
    err.print(
        f"fixed {fixed} problem(s) in {result.changed} of {result.checked} page(s) checked; "
        f"{remaining} problem(s) remain{refusals}; wrote {result.written} page(s) to {output}",
        markup=False,
    )
    raise typer.Exit(EXIT_PROBLEMS if remaining or result.refused else EXIT_OK)


def _fix_reporter(progress: _Progress) -> Callable[[Any, FixOutcome], None]:
    """Print the problems left after fixing each page (as ``wikitools fix`` does)."""

    def report(page: Any, outcome: FixOutcome) -> None:
        if outcome.refused is not None:
            progress.write(verifying.refusal_line(page.title, outcome.refused), sys.stderr)
        for item in outcome.remaining:
            progress.write(format_text(item), sys.stderr)

    return report


@app.command()
def extract(
    dump: DumpArg,
    directory: Annotated[Path, typer.Argument(help="The folder to write (new or empty).")],
    namespace: Annotated[
        list[int] | None,
        typer.Option("--namespace", "-n", help="Extract only this namespace id (repeatable)."),
    ] = None,
    wiki: Annotated[
        str | None,
        typer.Option(
            "--wiki", help="The api.php URL the dump came from, for a later push (default: <base>)."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a non-empty folder, over its files.")
    ] = False,
) -> None:
    """Write the dump's pages as files in the layout of pull (one per page, plus a manifest)."""
    with cli_errors():
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
    err.print(result.summary(), markup=False)
    raise typer.Exit(EXIT_OK)
