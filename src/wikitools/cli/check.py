"""``wikitools lint``, ``fix``, ``rules`` and ``rule``: checking and repairing wikitext files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from wikitools.api import fix_text
from wikitools.cli import verify as verifying
from wikitools.cli import wiki as live
from wikitools.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    change_note,
    cli_errors,
    deliver,
    err,
    fail,
    out,
)
from wikitools.cli.options import (
    ConfigOpt,
    IgnoreOpt,
    SelectOpt,
    SiteOpt,
    UnsafeFixesOpt,
    load_settings,
)
from wikitools.config import Config
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.fixloop import FixResult
from wikitools.lint.rule import DOC_SECTIONS, all_rules
from wikitools.lint.runner import Linter
from wikitools.lint.selection import find_rule
from wikitools.parsing.lines import LineIndex
from wikitools.reporting.formatters import (
    FORMATS,
    format_github,
    format_json,
    format_text,
    locate,
)
from wikitools.site.context import SiteContext
from wikitools.site.loader import load_site
from wikitools.sources import LocalPage, read_pages
from wikitools.titles import DEFAULT
from wikitools.verify.verifier import Change

PathsArg = Annotated[
    list[str], typer.Argument(help="Files, directories (*.wiki, *.mediawiki, *.wikitext) or -.")
]
FormatOpt = Annotated[str, typer.Option("--format", help="Output: text, json or github.")]

#: The title ``--verify`` renders a file as when its name gives none.
RENDER_TITLE = "Sandbox"


def _settings(
    config_path: Path | None, select: str | None, ignore: str | None, output: str
) -> Config:
    if output not in FORMATS:
        raise fail(f"unknown format '{output}' (choose from {', '.join(FORMATS)})")
    return load_settings(config_path, select, ignore)


class _Report:
    """Collects diagnostics across files and prints them in the chosen format."""

    def __init__(self, output: str, config: Config) -> None:
        self.output = output
        self.config = config
        self.records: list[dict[str, Any]] = []
        self.count = 0

    def add(self, name: str, text: str, diagnostics: list[Diagnostic]) -> None:
        lines = LineIndex(text)
        for item in locate(name, lines, diagnostics, self.config):
            self.count += 1
            if self.output == "json":
                self.records.append(item.as_dict(lines))
            elif self.output == "github":
                out.print(format_github(item), markup=False)
            else:
                err.print(format_text(item), markup=False)

    def finish(self) -> None:
        if self.output == "json":
            out.print(format_json(self.records), markup=False)


def lint(
    paths: PathsArg,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: FormatOpt = "text",
    site: SiteOpt = None,
) -> None:
    """Report problems in wikitext files, with line:column, rule code and message."""
    with cli_errors():
        settings = _settings(config, select, ignore, output)
        target = load_site(site) if site else None
        linter = Linter(settings, target)
        report = _Report(output, settings)
        for page in read_pages(paths, target.namespaces if target else DEFAULT):
            report.add(page.name, page.text, linter.check(page.document()))
        report.finish()
    if output == "text":
        err.print(f"{report.count} problem(s) found." if report.count else "No problems found.")
    raise typer.Exit(EXIT_PROBLEMS if report.count else EXIT_OK)


def fix(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, directories or - ; with --wiki: page titles."),
    ] = None,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    output: FormatOpt = "text",
    unsafe_fixes: UnsafeFixesOpt = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff; write nothing.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if anything would change.")
    ] = False,
    site: SiteOpt = None,
    wiki: live.WikiOpt = None,
    category: live.CategoryOpt = None,
    depth: live.DepthOpt = 0,
    prefix: live.PrefixOpt = None,
    embedded_in: live.EmbeddedOpt = None,
    search: live.SearchOpt = None,
    titles_file: live.TitlesFileOpt = None,
    summary: live.SummaryOpt = None,
    apply: live.ApplyOpt = False,
    verify: verifying.LocalVerifyOpt = False,
    verify_wiki: verifying.VerifyWikiOpt = None,
    minor: live.MinorOpt = True,
    bot: live.BotFlagOpt = False,
    profile: live.ProfileOpt = None,
    user_agent: live.UserAgentOpt = None,
    maxlag: live.MaxlagOpt = 5,
) -> None:
    """Repair wikitext files in place (atomically), or show the repair as a diff.

    With --wiki, repair pages of a live wiki instead (a dry run unless --apply). With
    --verify, a file is left as it is when its fixed text renders worse.
    """
    changed = 0
    refused = 0
    paths = paths or []
    verify = verify or verify_wiki is not None
    with cli_errors():
        settings = _settings(config, select, ignore, output)
        settings = settings.with_overrides(unsafe_fixes=unsafe_fixes or None)
        if wiki is not None:
            if site:
                raise fail("--site describes an offline wiki; with --wiki the live wiki is asked")
            if verify_wiki is not None:
                raise fail("--verify-wiki is for files; with --wiki the live wiki renders")
            if check:
                raise fail("--check works on files; with --wiki the default is a dry run")
            pages = live.selection(None, category, depth, prefix, embedded_in, search, titles_file)
            live.fix_live(
                paths,
                wiki=wiki,
                config=settings,
                unsafe=settings.unsafe_fixes,
                pages=pages,
                summary=summary,
                apply=apply,
                verify=verify,
                diff=diff,
                minor=minor,
                bot=bot,
                output=output,
                profile=profile,
                user_agent=user_agent,
                maxlag=maxlag,
            )
        live_only = [
            name
            for name, given in (
                ("--category", category),
                ("--prefix", prefix),
                ("--embedded-in", embedded_in),
                ("--search", search),
                ("--titles-file", titles_file),
                ("--summary", summary),
                ("--apply", apply),
            )
            if given
        ]
        if live_only:
            raise fail(f"{live_only[0]} needs --wiki (it works on a live wiki)")
        target = load_site(site) if site else None
        linter = Linter(settings, target)
        report = _Report(output, settings)
        fixed_count = 0
        inputs = read_pages(paths, target.namespaces if target else DEFAULT)
        results = [
            fix_text(
                page.text,
                title=page.title,
                namespace=page.namespace,
                model=page.model,
                linter=linter,
                unsafe=settings.unsafe_fixes,
            )
            for page in inputs
        ]
        verdicts: list[str | None] = [None] * len(inputs)
        if verify:
            verdicts = _verify_files(
                inputs, results, verify_wiki, target, profile, user_agent, maxlag
            )
        for page, result, reason in zip(inputs, results, verdicts, strict=True):
            name, text, path = page.name, page.text, page.path
            if reason is not None:
                refused += 1
                err.print(verifying.refusal_line(name, reason), markup=False)
                report.add(name, text, linter.check(page.document()))
                deliver(name, path, text, text, diff=diff, check=check)
                continue
            report.add(name, result.text, [*result.problems, *result.remaining])
            fixed_count += len(result.applied)
            if not deliver(name, path, text, result.text, diff=diff, check=check):
                continue
            changed += 1
            note = change_note(name, path, diff=diff, check=check)
            if note:
                err.print(f"{note}: {len(result.applied)} fix(es)", markup=False)
        report.finish()
    if output == "text":
        verb = "would be fixed" if (diff or check) else "fixed"
        refusals = f"; {refused} file(s) refused by verify" if verify else ""
        err.print(
            f"{fixed_count} problem(s) {verb} in {changed} file(s); "
            f"{report.count} problem(s) remain{refusals}."
        )
    if report.count or refused or (check and changed):
        raise typer.Exit(EXIT_PROBLEMS)
    raise typer.Exit(EXIT_OK)


def _verify_files(
    pages: list[LocalPage],
    results: list[FixResult],
    url: str | None,
    site: SiteContext | None,
    profile: str | None,
    user_agent: str | None,
    maxlag: int,
) -> list[str | None]:
    """Why each input's fix is refused (None: kept); renders only the inputs that changed."""
    changes = [
        Change(page.title or RENDER_TITLE, page.text, result.text)
        for page, result in zip(pages, results, strict=True)
    ]
    if all(change.old_text == change.new_text for change in changes):
        return [None] * len(changes)
    with verifying.open_verifier(
        url, site=site, profile=profile, user_agent=user_agent, maxlag=maxlag
    ) as judge:
        verdicts = judge.judge_many(changes)
    return [verdict.reason if verdict.refused else None for verdict in verdicts]


def rules(
    output: Annotated[str, typer.Option("--format", help="Output: text or json.")] = "text",
) -> None:
    """List every rule: code, name, fix availability, where it applies and summary."""
    if output == "json":
        data = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "fix": r.fix_availability.value,
                "needs_site": r.needs_site,
                "applies_to": r.applies_to.as_dict(),
            }
            for r in all_rules()
        ]
        out.print(json.dumps(data, indent=2), markup=False)
        return
    for rule in all_rules():
        site = " [site]" if rule.needs_site else ""
        out.print(
            f"{rule.code}  {rule.name:<32} fix {rule.fix_availability.value:<9} "
            f"on {rule.applies_to.label:<9} {rule.summary}{site}",
            markup=False,
        )


def rule(code: Annotated[str, typer.Argument(help="A rule code or name, e.g. B101.")]) -> None:
    """Print one rule's documentation."""
    with cli_errors():
        found = find_rule(all_rules(), code)
    out.print(f"{found.code} {found.name}: {found.summary}", markup=False)
    out.print(f"Applies to: {found.applies_to.description}\n", markup=False)
    sections = found.doc_sections()
    for section in DOC_SECTIONS:
        out.print(f"{section}:", markup=False)
        out.print(_indent(sections.get(section, "")) + "\n", markup=False)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())
