"""``wikitools infobox``: convert infoboxes onto clean templates, render and list the templates."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from wikitools.bot.install import install_template
from wikitools.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    change_note,
    cli_errors,
    deliver,
    err,
    fail,
    out,
    write_diff,
)
from wikitools.cli.wiki import (
    ApplyOpt,
    MaxlagOpt,
    ProfileOpt,
    SummaryOpt,
    UserAgentOpt,
    WikiOpt,
    connect,
)
from wikitools.config import Config
from wikitools.errors import SchemaError
from wikitools.infobox import (
    ConversionResult,
    Flavor,
    SchemaRegistry,
    convert_infobox,
    load_schema,
    render_template,
)
from wikitools.lint.diagnostic import Severity
from wikitools.parsing.lines import LineIndex
from wikitools.reporting.formatters import format_text, locate, unified_diff
from wikitools.site.loader import load_site
from wikitools.sources import read_pages
from wikitools.titles import DEFAULT

app = typer.Typer(
    help="Convert infoboxes onto clean templates; render, list and install those templates.",
    no_args_is_help=True,
)


TemplatesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--templates",
        envvar="WIKITOOLS_TEMPLATES",
        help="Extra folder of template schemas (*.toml, *.json); repeatable. "
        "A schema named like a built-in one replaces it.",
    ),
]


def _registry(folders: list[Path] | None) -> SchemaRegistry:
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


def _report(name: str, result: ConversionResult, records: list[dict[str, Any]] | None) -> int:
    """Print warnings and errors (all findings as JSON records); return how many errors."""
    lines = LineIndex(result.original)
    errors = 0
    for item in locate(name, lines, result.diagnostics, Config()):
        severity = item.diagnostic.severity
        errors += severity is Severity.ERROR
        if records is not None:
            records.append(item.as_dict(lines))
        elif severity is not Severity.INFO:
            err.print(format_text(item), markup=False)
    return errors


@app.command()
def convert(
    paths: Annotated[
        list[str], typer.Argument(help="Files, directories (*.wiki, *.mediawiki, *.wikitext) or -.")
    ],
    to: Annotated[
        str | None,
        typer.Option("--to", help="Convert every infobox onto this template schema."),
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
        str, typer.Option("--format", help="Findings as text (stderr) or json (stdout).")
    ] = "text",
    site: Annotated[
        str | None,
        typer.Option(
            "--site",
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
    records: list[dict[str, Any]] | None = [] if output == "json" else None
    changed = errors = 0
    with cli_errors():
        registry = _registry(templates)
        target = registry.get(to) if to else None
        target_site = load_site(site) if site else None
        used: set[str] = set()
        for page in read_pages(paths, target_site.namespaces if target_site else DEFAULT):
            if not page.is_wikitext:
                continue  # a module or a stylesheet holds no infobox call
            name, text, path = page.name, page.text, page.path
            result = convert_infobox(
                text,
                target,
                registry=registry,
                date_style="dmy" if date_format == "dmy" else "mdy",
                fallback=not no_fallback,
                tables=not no_tables,
                site=target_site,
            )
            errors += _report(name, result, records)
            if not deliver(name, path, text, result.text, diff=diff, check=check):
                continue
            changed += 1
            used.update(c.schema for c in result.conversions if c.fix is not None)
            if change_note(name, path, diff=diff, check=check):
                verb = "would convert" if check else "converted"
                err.print(f"{verb} {_summary(name, result)}", markup=False)
    if records is not None:
        out.print(json.dumps(records, ensure_ascii=False, indent=2), markup=False)
    elif changed:
        verb = "would change" if (diff or check) else "changed"
        flag = " --portable" if portable else ""
        hints = ", ".join(sorted(used))
        err.print(
            f"{changed} file(s) {verb}. Templates needed: {hints} "
            f"(wikitools infobox install NAME --wiki URL{flag})",
            markup=False,
        )
    if errors or (check and changed):
        raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_OK)


@app.command()
def render(
    name: Annotated[str, typer.Argument(help="Schema name (see 'wikitools infobox list').")],
    flavor: Annotated[
        str, typer.Option("--flavor", help="classic, portable or templatedata.")
    ] = "classic",
    templates: TemplatesOpt = None,
) -> None:
    """Print the template page (or its TemplateData JSON) generated from a schema."""
    choices = [f.value for f in Flavor]
    if flavor not in choices:
        raise fail(f"unknown flavor '{flavor}' (choose from {', '.join(choices)})")
    with cli_errors():
        schema = _registry(templates).get(name)
        text = render_template(schema, Flavor(flavor))
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command("list")
def list_templates(
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    templates: TemplatesOpt = None,
) -> None:
    """List the template schemas: name, wiki template, parameters and source templates."""
    with cli_errors():
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
        return
    for row in rows:
        role = " (fallback)" if row["fallback"] else ""
        sources = ", ".join(row["sources"][:4]) + (" …" if len(row["sources"]) > 4 else "")
        out.print(
            f"{row['name']:<14} {{{{{row['template']}}}}}{role}: {row['parameters']} parameters"
            + (f"; converts {sources}" if sources else ""),
            markup=False,
        )


@app.command()
def install(
    name: Annotated[str, typer.Argument(help="Schema name (see 'wikitools infobox list').")],
    wiki: WikiOpt = None,
    summary: SummaryOpt = None,
    apply: ApplyOpt = False,
    portable: Annotated[
        bool, typer.Option("--portable", help="Install the Fandom Portable Infobox flavor.")
    ] = False,
    doc: Annotated[
        str,
        typer.Option(
            "--doc", help="Where TemplateData goes: subpage (Template:NAME/doc) or inline."
        ),
    ] = "subpage",
    diff: Annotated[bool, typer.Option("--diff", help="Show what would change.")] = False,
    profile: ProfileOpt = None,
    user_agent: UserAgentOpt = None,
    maxlag: MaxlagOpt = 5,
    templates: TemplatesOpt = None,
) -> None:
    """Create or update the template page and its TemplateData on a wiki (dry run by default)."""
    if doc not in ("subpage", "inline"):
        raise fail(f"unknown --doc '{doc}' (choose subpage or inline)")
    if not wiki:
        raise fail("--wiki API_URL is required (or set WIKITOOLS_WIKI)")
    with cli_errors():
        schema = _registry(templates).get(name)
        flavor = "portable" if portable else "classic"
        message = (
            summary or f"Install the clean {flavor} infobox from the wikitools schema '{name}'"
        )
        client = connect(wiki, profile, user_agent, maxlag)
        result = install_template(
            client,
            schema,
            summary=message,
            portable=portable,
            doc="inline" if doc == "inline" else "subpage",
            apply=apply,
        )
    for page in result.pages:
        verb = {"create": "create", "update": "update", "unchanged": "keep"}[page.action]
        if result.applied and page.action != "unchanged":
            verb = "saved" if page.title in result.saved else "unchanged"
        elif not result.applied:
            verb = f"would {verb}"
        note = f" ({page.note})" if page.note else ""
        err.print(f"{verb} {page.title}: {len(page.text)} characters{note}", markup=False)
        if diff and page.action != "unchanged":
            write_diff(unified_diff(page.title, page.current or "", page.text))
    if not result.applied:
        err.print("dry run: nothing was written (pass --apply to save)", markup=False)
        raise typer.Exit(EXIT_OK)
    for problem in result.problems:
        err.print(f"problem in a sample render: {problem}", markup=False)
    raise typer.Exit(EXIT_PROBLEMS if result.problems else EXIT_OK)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Schema files (*.toml or *.json).")],
) -> None:
    """Check schema files; print the first problem of each bad one (exit 2 if any)."""
    bad = 0
    for file in files:
        try:
            schema = load_schema(file)
        except SchemaError as exc:
            err.print(f"error: {exc}", markup=False)
            bad += 1
            continue
        out.print(f"{file}: ok ({schema.name}, {{{{{schema.template}}}}})", markup=False)
    if bad:
        raise typer.Exit(2)
