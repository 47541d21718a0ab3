"""``wikitools infobox``: convert infoboxes onto clean templates, render and list the templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wikitools.cli import options as opt
from wikitools.cli.common import (
    PlainCommand,
    PlainGroup,
    deliver,
    fail,
    finish,
    styled,
    term,
    write_diff,
)

if TYPE_CHECKING:
    from wikitools.infobox import ConversionResult, SchemaRegistry

app = typer.Typer(
    cls=PlainGroup,
    help="Convert infoboxes onto clean templates; render, list and install those templates.",
    no_args_is_help=True,
)


TemplatesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        envvar="WIKITOOLS_TEMPLATES",
        help="Extra folder of template schemas (*.toml, *.json); repeatable. "
        "A schema named like a built-in one replaces it.",
    ),
]


def _registry(folders: list[Path] | None) -> SchemaRegistry:
    from wikitools.infobox import SchemaRegistry

    return SchemaRegistry.load(folders or [])


def _summary(name: str, result: ConversionResult) -> str:
    parts = []
    for conversion in result.conversions:
        if conversion.fix is None:
            continue
        notes = []
        if conversion.moved:
            notes.append(f"{len(conversion.moved)} moved to custom rows")
        if conversion.hidden:
            notes.append(f"{len(conversion.hidden)} kept but not shown")
        detail = f" ({', '.join(notes)})" if notes else ""
        parts.append(f"{conversion.source} -> {conversion.schema}{detail}")
    return f"{name}: " + "; ".join(parts)


def _report(
    name: str, result: ConversionResult, records: list[dict[str, Any]] | None, *, stderr: bool
) -> int:
    """Print warnings and errors (all findings as JSON records); return how many errors."""
    from wikitools.config import Config
    from wikitools.lint.diagnostic import Severity
    from wikitools.parsing.lines import LineIndex
    from wikitools.reporting.formatters import locate

    lines = LineIndex(result.original)
    errors = 0
    for item in locate(name, lines, result.diagnostics, Config()):
        severity = item.diagnostic.severity
        errors += severity is Severity.ERROR
        if records is not None:
            records.append(item.as_dict(lines))
        elif severity is not Severity.INFO:
            (term.err if stderr else term.out).print(styled(item), markup=False)
    return errors


@app.command(cls=PlainCommand)
def convert(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories (*.wiki, *.mediawiki, *.wikitext) or - for stdin.",
            metavar="PATH",
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="SCHEMA", help="Convert every infobox onto this template schema."
        ),
    ] = None,
    portable: Annotated[
        bool,
        typer.Option(
            "--portable",
            help="Target the Portable Infobox flavor. The converted call is the same for both "
            "flavors, so articles need no change when a wiki switches; this only changes the "
            "install hint.",
        ),
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff; write nothing.")] = (
        False
    ),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if anything would change.")
    ] = False,
    date_format: Annotated[
        str,
        typer.Option(
            "--date-format",
            metavar="ORDER",
            help="Order of dates from date templates without df=/mf= (mdy, as Wikipedia; or dmy).",
        ),
    ] = "mdy",
    no_fallback: Annotated[
        bool,
        typer.Option("--no-fallback", help="Leave infoboxes no schema claims as they are."),
    ] = False,
    no_tables: Annotated[
        bool, typer.Option("--no-tables", help='Leave {| class="infobox" tables as they are.')
    ] = False,
    output: Annotated[
        str,
        typer.Option("--format", metavar="FORMAT", help="Findings on stdout as text or json."),
    ] = "text",
    site: Annotated[
        str | None,
        typer.Option(
            "--site",
            metavar="SITE",
            help="The target wiki (directory of pages, XML export or inventory file): nested "
            "templates it has are kept without a warning.",
        ),
    ] = None,
    templates: TemplatesOpt = None,
) -> None:
    """Rewrite infoboxes onto clean templates, in place (atomically) unless --diff or --check."""
    if date_format not in ("mdy", "dmy"):
        raise fail(f"unknown date format '{date_format}' (choose mdy or dmy)")
    if output not in ("text", "json"):
        raise fail(f"unknown format '{output}' (choose text or json)")
    import json

    from wikitools.reporting.run import ConvertReport
    from wikitools.run import convert_paths

    records: list[dict[str, Any]] | None = [] if output == "json" else None
    mode = "check" if check else "diff" if diff else "write"
    report = ConvertReport(mode=mode, portable=portable)
    registry = _registry(templates)
    conversions = convert_paths(
        paths,
        registry.get(to) if to else None,
        registry=registry,
        site=opt.load_target(site),
        date_style="dmy" if date_format == "dmy" else "mdy",
        fallback=not no_fallback,
        tables=not no_tables,
        write=mode == "write",
    )
    to_stdout = diff or ("-" in paths and not check)
    for conversion in conversions:
        page, result = conversion.page, conversion.result
        report.seen += 1
        report.error_findings += _report(page.name, result, records, stderr=to_stdout)
        if not deliver(page.name, page.path, page.text, result.text, mode=mode, write=False):
            continue
        report.changed += 1
        report.templates.update(c.schema for c in result.conversions if c.fix is not None)
        if page.path is not None and mode != "diff":
            verb = "would convert" if check else "converted"
            term.note(f"{verb} {_summary(page.name, result)}")
    if records is not None:
        term.out.print(json.dumps(records, ensure_ascii=False, indent=2), markup=False)
    finish(report)


@app.command(cls=PlainCommand)
def render(
    name: Annotated[
        str, typer.Argument(help="Schema name (see 'wikitools infobox list').", metavar="NAME")
    ],
    flavor: Annotated[
        str, typer.Option("--flavor", metavar="FLAVOR", help="classic, portable or templatedata.")
    ] = "classic",
    templates: TemplatesOpt = None,
) -> None:
    """Print the template page (or its TemplateData JSON) generated from a schema."""
    from wikitools.infobox import Flavor, render_template
    from wikitools.reporting.run import RunReport

    choices = [f.value for f in Flavor]
    if flavor not in choices:
        raise fail(f"unknown flavor '{flavor}' (choose from {', '.join(choices)})")
    schema = _registry(templates).get(name)
    text = render_template(schema, Flavor(flavor))
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    finish(RunReport())


@app.command("list", cls=PlainCommand)
def list_templates(
    output: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="text or json.")
    ] = "text",
    templates: TemplatesOpt = None,
) -> None:
    """List the template schemas: name, wiki template, parameters and source templates."""
    import json

    from wikitools.reporting.run import RunReport

    out = term.out
    registry = _registry(templates)
    rows: list[dict[str, Any]] = []
    for schema in registry:
        rows.append(
            {
                "name": schema.name,
                "template": schema.template,
                "parameters": sum(1 for _ in schema.iter_params()),
                "fallback": schema.fallback,
                "sources": list(schema.sources),
                "file": schema.origin,
            }
        )
    if output == "json":
        out.print(json.dumps(rows, ensure_ascii=False, indent=2), markup=False)
        finish(RunReport())
    for row in rows:
        role = " (fallback)" if row["fallback"] else ""
        sources = ", ".join(row["sources"][:4]) + (" …" if len(row["sources"]) > 4 else "")
        out.print(
            f"{row['name']:<14} {{{{{row['template']}}}}}{role}: {row['parameters']} parameters"
            + (f"; converts {sources}" if sources else ""),
            markup=False,
        )
    finish(RunReport())


@app.command(cls=PlainCommand)
def install(
    name: Annotated[
        str, typer.Argument(help="Schema name (see 'wikitools infobox list').", metavar="NAME")
    ],
    wiki: opt.WikiOpt = None,
    summary: opt.SummaryOpt = None,
    apply: opt.ApplyOpt = False,
    portable: Annotated[
        bool, typer.Option("--portable", help="Install the Fandom Portable Infobox flavor.")
    ] = False,
    doc: Annotated[
        str,
        typer.Option(
            "--doc",
            metavar="WHERE",
            help="Where TemplateData goes: subpage (Template:NAME/doc) or inline.",
        ),
    ] = "subpage",
    diff: Annotated[bool, typer.Option("--diff", help="Show what would change.")] = False,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    templates: TemplatesOpt = None,
) -> None:
    """Create or update the template page and its TemplateData on a wiki (dry run by default).

    One line per page on stdout (with --diff, the change as a diff); exit code 1 when a
    sample render of the installed template shows a problem.
    """
    from wikitools.bot.install import install_template
    from wikitools.cli.wiki import connect
    from wikitools.reporting.formatters import unified_diff
    from wikitools.reporting.run import InstallReport

    if doc not in ("subpage", "inline"):
        raise fail(f"unknown --doc '{doc}' (choose subpage or inline)")
    if not wiki:
        raise fail("--wiki API_URL is required (or set WIKITOOLS_WIKI)")
    schema = _registry(templates).get(name)
    flavor = "portable" if portable else "classic"
    message = summary or f"Install the clean {flavor} infobox from the wikitools schema '{name}'"
    client = connect(wiki, profile, user_agent, maxlag)
    result = install_template(
        client,
        schema,
        summary=message,
        portable=portable,
        doc="inline" if doc == "inline" else "subpage",
        apply=apply,
    )
    report = InstallReport(applied=result.applied)
    saved = {o.title: o.status.value for o in result.outcomes}
    for page in result.pages:
        verb = {"create": "create", "update": "update", "unchanged": "keep"}[page.action]
        if result.applied and page.action != "unchanged":
            verb = "saved" if page.title in result.saved else saved.get(page.title, "unchanged")
        elif not result.applied:
            verb = f"would {verb}"
        note = f" ({page.note})" if page.note else ""
        term.line(f"{verb} {page.title}: {len(page.text)} characters{note}")
        if diff and page.action != "unchanged":
            write_diff(unified_diff(page.title, page.current or "", page.text))
    if result.applied:
        for problem in result.problems:
            term.line(f"problem in a sample render: {problem}")
        report.render_problems = len(result.problems)
    finish(report)


@app.command(cls=PlainCommand)
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Schema files (*.toml or *.json).", metavar="FILE")
    ],
) -> None:
    """Check schema files; print the first problem of each bad one (exit 2 if any)."""
    from wikitools.errors import SchemaError
    from wikitools.infobox import load_schema
    from wikitools.reporting.run import CheckReport

    report = CheckReport(failure_is_error=True, noun="schema file")
    for file in files:
        report.checked += 1
        try:
            schema = load_schema(file)
        except SchemaError as exc:
            term.error(str(exc))
            report.failed += 1
            continue
        term.line(f"{file}: ok ({schema.name}, {{{{{schema.template}}}}})")
    finish(report)
