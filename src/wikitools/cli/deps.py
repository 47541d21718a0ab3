"""``wikitools deps plan | import``: bring the templates and modules pages need from a source.

SOURCE (``--from``) is an ``api.php`` URL, a dump or export file, or a ``pull`` directory;
TARGET (``--to``) is an ``api.php`` URL. Credentials (for the target only) come from the
environment or a profile, as for every live-wiki command. Nothing is written without
``--apply``; a page the target has its own version of is never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wikitools.cli import options as opt
from wikitools.cli.common import PlainCommand, PlainGroup, fail, finish, term, write_diff

if TYPE_CHECKING:
    from wikitools.transwiki.importer import ImportOutcome
    from wikitools.transwiki.sources import ApiSource, ApiTarget, OfflineSource
    from wikitools.transwiki.workflow import DepsRun

app = typer.Typer(
    cls=PlainGroup,
    help="Import the templates and modules pages need, from a source wiki to a target wiki.",
    no_args_is_help=True,
)

TitlesArg = Annotated[
    list[str] | None, typer.Argument(help="Seed pages (articles or templates).", metavar="TITLE")
]
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from", metavar="SOURCE", help="Source: api.php URL, dump/export file or pull directory."
    ),
]
ToOpt = Annotated[str | None, typer.Option("--to", metavar="TARGET", help="Target api.php URL.")]
FormatOpt = Annotated[str, typer.Option("--format", metavar="FORMAT", help="Output: text or json.")]
IncludeDocOpt = Annotated[
    bool, typer.Option("--include-doc", help="Also take /doc, /sandbox and /testcases pages.")
]
DiffOpt = Annotated[
    bool,
    typer.Option("--diff", help="Show how each page the target has its own version of differs."),
]
AllowInsecureOpt = Annotated[
    bool,
    typer.Option("--allow-insecure-login", help="Log in over plain http:// to another machine."),
]


def _open(
    source: str | None,
    target: str | None,
    profile: str | None,
    user_agent: str | None,
    maxlag: int,
    allow_insecure_login: bool,
) -> tuple[ApiSource | OfflineSource, ApiTarget]:
    from wikitools.cli.wiki import connect
    from wikitools.transwiki.sources import ApiTarget, open_source

    if not source:
        raise fail(
            "--from is required (an api.php URL, a dump or export file, or a pull directory)"
        )
    if not target:
        raise fail("--to is required (the target wiki's api.php URL)")
    if not target.startswith(("http://", "https://")):
        raise fail(f"--to {target!r}: give the target wiki's api.php URL")
    options: dict[str, object] = {"maxlag": maxlag}
    if user_agent:
        options["user_agent"] = user_agent
    src = open_source(source, **options)
    client = connect(target, profile, user_agent, maxlag, allow_insecure_login=allow_insecure_login)
    return src, ApiTarget(client)


def _print_plan(run: DepsRun, output: str, diff: bool) -> None:
    from wikitools.deps.plan import EntryStatus

    plan = run.plan
    if output == "json":
        return
    for prerequisite in plan.prerequisites:
        term.line(prerequisite.line())
    for status in (
        EntryStatus.NEW,
        EntryStatus.DIFFERS,
        EntryStatus.BLOCKED,
        EntryStatus.KEPT,
        EntryStatus.IDENTICAL,
    ):
        for entry in plan.by_status(status):
            term.line(entry.line())
            if diff and status is EntryStatus.DIFFERS and entry.target_text is not None:
                from wikitools.reporting.formatters import unified_diff

                write_diff(unified_diff(entry.target_title, entry.target_text, entry.page.text))
    for warning in plan.warnings():
        term.note(f"warning: {warning}")


def _json(run: DepsRun) -> None:
    data = run.plan.to_dict()
    if run.method is not None:
        data["method"] = run.method.value
        data["results"] = [
            {"title": o.title, "status": o.status.value, "detail": o.detail} for o in run.outcomes
        ]
        data["render"] = [
            {
                "title": c.title,
                "script_errors": c.script_errors,
                "missing_templates": list(c.missing_templates),
                "missing_modules": list(c.missing_modules),
                "visible_parser_functions": c.visible_functions,
                "explanations": c.explanations,
            }
            for c in run.checks
        ]
    term.out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False)


@app.command("plan", cls=PlainCommand)
def plan_command(
    titles: TitlesArg = None,
    source: FromOpt = None,
    target: ToOpt = None,
    category: opt.CategoryOpt = None,
    output: FormatOpt = "text",
    include_doc: IncludeDocOpt = False,
    diff: DiffOpt = False,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    allow_insecure_login: AllowInsecureOpt = False,
) -> None:
    """Print what the target needs from the source: pages by status, prerequisites, warnings.

    Exit code 1 when something needs a person (a prerequisite the target lacks, a page it
    has its own version of, a module reading Wikidata or Commons Data).
    """
    from wikitools.transwiki.workflow import plan_run, seed_titles

    if output not in ("text", "json"):
        raise fail(f"unknown format {output!r} for deps plan (choose text or json)")
    src, dst = _open(source, target, profile, user_agent, maxlag, allow_insecure_login)
    run = plan_run(
        src, dst, seed_titles(src, titles or [], category or []), include_doc=include_doc
    )
    _print_plan(run, output, diff)
    if output == "json":
        _json(run)
    finish(run.report)


@app.command("import", cls=PlainCommand)
def import_command(
    titles: TitlesArg = None,
    source: FromOpt = None,
    target: ToOpt = None,
    category: opt.CategoryOpt = None,
    apply: opt.ApplyOpt = False,
    include_doc: IncludeDocOpt = False,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            metavar="METHOD",
            help="auto (action=import when the account may, else edits), import or edit.",
        ),
    ] = "auto",
    interwiki_prefix: Annotated[
        str,
        typer.Option(
            "--interwiki-prefix",
            metavar="PREFIX",
            help="Prefix of imported user names (action=import): PREFIX>User.",
        ),
    ] = "imported",
    export: Annotated[
        Path | None,
        typer.Option(
            "--export-xml",
            metavar="FILE",
            help="Write the new pages as export XML (for Special:Import) instead of importing.",
        ),
    ] = None,
    output: FormatOpt = "text",
    diff: DiffOpt = False,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    allow_insecure_login: AllowInsecureOpt = False,
) -> None:
    """Import the pages the seeds need that the target lacks (a dry run unless --apply).

    Prerequisites the target lacks are reported before anything is written. Pages the
    target has its own version of are kept. After writing, the seeds are rendered on the
    target and what still fails is reported.
    """
    from wikitools.transwiki.importer import write_export
    from wikitools.transwiki.workflow import import_run, plan_run, seed_titles

    if output not in ("text", "json"):
        raise fail(f"unknown format {output!r} for deps import (choose text or json)")
    if method not in ("auto", "import", "edit"):
        raise fail(f"unknown method {method!r} (choose auto, import or edit)")
    src, dst = _open(source, target, profile, user_agent, maxlag, allow_insecure_login)
    run = plan_run(
        src, dst, seed_titles(src, titles or [], category or []), include_doc=include_doc
    )
    _print_plan(run, output, diff)
    if export is not None:
        count = write_export(run.plan, export, dst.namespaces)
        term.note(f"wrote {count} page(s) to {export}")
        if output == "json":
            _json(run)
        finish(run.report)

    def show(outcome: ImportOutcome) -> None:
        if output == "text":
            term.line(outcome.line())

    from wikitools.errors import RunFatalError

    try:
        import_run(
            run,
            src,
            dst,
            apply=apply,
            method=method,
            interwiki_prefix=interwiki_prefix,
            on_page=show,
        )
    except RunFatalError as exc:
        run.report.fatal = f"stopped: {exc}"
    if output == "text":
        for check in run.checks:
            term.line(check.line())
            for why in check.explanations:
                term.line(f"  {why}")
    else:
        _json(run)
    finish(run.report)
