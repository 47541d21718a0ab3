"""``wikitools lint``, ``fix``, ``rules`` and ``rule``: checking and repairing wikitext files.

Each command turns its options into one library call (:func:`wikitools.run.lint_paths`,
:func:`wikitools.run.fix_paths`), prints what comes back and ends with its report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wikitools.cli import options as opt
from wikitools.cli.common import DiagnosticPrinter, ProgressDisplay, deliver, fail, finish, term
from wikitools.cli.verify import refusal_line, verifier_factory

if TYPE_CHECKING:
    from wikitools.config import Config
    from wikitools.reporting.run import RunReport
    from wikitools.run import PageFix
    from wikitools.sources import SourceError

PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files, directories (*.wiki, *.mediawiki, *.wikitext) or - for stdin.",
        metavar="PATH",
    ),
]
FormatOpt = Annotated[
    str, typer.Option("--format", metavar="FORMAT", help="Output: text, json or github.")
]


def _settings(
    config_path: Path | None,
    select: str | None,
    ignore: str | None,
    output: str,
    paths: list[str] | None = None,
) -> Config:
    from wikitools.reporting.formatters import FORMATS

    if output not in FORMATS:
        raise fail(f"unknown format '{output}' (choose from {', '.join(FORMATS)})")
    return opt.load_settings(config_path, select, ignore, opt.config_start(paths))


def lint(
    paths: PathsArg,
    config: opt.ConfigOpt = None,
    select: opt.SelectOpt = None,
    ignore: opt.IgnoreOpt = None,
    output: FormatOpt = "text",
    site: opt.SiteOpt = None,
    follow_symlinks: opt.FollowSymlinksOpt = False,
) -> None:
    """Report problems in wikitext files, with line:column, rule code and message.

    Diagnostics go to stdout, the summary to stderr. Exit code 1 when anything was found.
    """
    from wikitools.parsing.lines import LineIndex
    from wikitools.reporting.formatters import locate
    from wikitools.reporting.run import LintReport
    from wikitools.run import lint_paths

    settings = _settings(config, select, ignore, output, paths)
    target = opt.load_target(site)
    report = LintReport()
    printer = DiagnosticPrinter(output)
    unreadable: list[SourceError] = []
    with ProgressDisplay("linting") as progress:
        for item in lint_paths(
            paths,
            settings,
            target,
            progress=progress,
            errors=unreadable,
            follow_symlinks=follow_symlinks,
        ):
            text = item.page.text
            printer.add(locate(item.page.name, LineIndex(text), item.diagnostics, settings), text)
            report.add(item.diagnostics, settings)
    printer.close()
    _report_unreadable(report, unreadable)
    finish(report)


def _report_unreadable(report: RunReport, unreadable: list[SourceError]) -> None:
    """One ``error:`` line per file or folder that could not be read (counted: exit 1)."""
    for problem in unreadable:
        term.line(f"error: {problem}", stderr=True)
    report.unreadable += len(unreadable)


def fix(
    paths: PathsArg,
    config: opt.ConfigOpt = None,
    select: opt.SelectOpt = None,
    ignore: opt.IgnoreOpt = None,
    output: FormatOpt = "text",
    unsafe_fixes: opt.UnsafeFixesOpt = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff on stdout; write nothing.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if a file would change, else 0."),
    ] = False,
    exit_non_zero_on_fix: Annotated[
        bool,
        typer.Option(
            "--exit-non-zero-on-fix",
            help="Exit 1 when a file was fixed, even if no problem remains.",
        ),
    ] = False,
    site: opt.SiteOpt = None,
    verify: opt.LocalVerifyOpt = False,
    verify_wiki: opt.VerifyWikiOpt = None,
    profile: opt.ProfileOpt = None,
    user_agent: opt.UserAgentOpt = None,
    maxlag: opt.MaxlagOpt = 5,
    follow_symlinks: opt.FollowSymlinksOpt = False,
) -> None:
    """Repair wikitext files in place (atomically), or show the repair as a diff.

    Problems left after fixing are printed as lint prints them (on stderr when stdout
    carries the fixed text of stdin or a diff). With --verify, a file is left as it is
    when its fixed text renders worse. Pages of a live wiki: see 'wikitools fix-wiki'.
    """
    from wikitools.parsing.lines import LineIndex
    from wikitools.reporting.formatters import locate
    from wikitools.reporting.run import FixReport
    from wikitools.run import fix_paths

    verify = verify or verify_wiki is not None
    settings = _settings(config, select, ignore, output, paths)
    settings = settings.with_overrides(unsafe_fixes=unsafe_fixes or None)
    target = opt.load_target(site)
    mode = "check" if check else "diff" if diff else "write"
    report = FixReport(mode=mode, exit_non_zero_on_fix=exit_non_zero_on_fix, verified=verify)
    to_stdout = diff or ("-" in paths and not check)
    printer = DiagnosticPrinter(output, content_on_stdout=to_stdout)
    opener = None
    if verify:
        opener = verifier_factory(
            verify_wiki, site=target, profile=profile, user_agent=user_agent, maxlag=maxlag
        )
    unreadable: list[SourceError] = []
    with ProgressDisplay("fixing") as progress:
        results = fix_paths(
            paths,
            settings,
            target,
            write=mode == "write",
            verifier=opener,
            progress=progress,
            errors=unreadable,
            follow_symlinks=follow_symlinks,
        )
    for item in results:
        if item.refused is not None:
            term.line(refusal_line(item.page.name, item.refused), stderr=True)
        located = locate(item.page.name, LineIndex(item.text), item.diagnostics, settings)
        printer.add(located, item.text)
        _deliver(item, mode)
        report.add(
            item.applied,
            item.diagnostics,
            settings,
            changed=item.changed,
            refused=item.refused is not None,
        )
    printer.close()
    _report_unreadable(report, unreadable)
    finish(report)


def _deliver(item: PageFix, mode: str) -> None:
    """Print stdin's text, the diff, or the note that a file was (or would be) fixed."""
    page = item.page
    changed = deliver(page.name, page.path, page.text, item.text, mode=mode, write=False)
    if changed and page.path is not None and mode != "diff":
        verb = "would fix" if mode == "check" else "fixed"
        term.note(f"{verb} {page.name}: {len(item.applied)} fix(es)")


def rules(
    output: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="Output: text or json.")
    ] = "text",
) -> None:
    """List every code: code, name, fix safety, where it applies and summary."""
    import json

    from wikitools.lint.scope import EVERYWHERE
    from wikitools.registry import code_registry, rule_for
    from wikitools.reporting.run import RunReport

    out = term.out
    if output == "json":
        data = []
        for info in code_registry():
            found = rule_for(info.code)
            data.append(
                {
                    "code": info.code,
                    "name": info.name,
                    "summary": info.summary,
                    "origin": info.origin,
                    "severity": info.severity.value,
                    "fix": found.fix_availability.value if found else "never",
                    "fix_safety": [a.value for a in info.fix_safety],
                    "needs_site": bool(found and found.needs_site),
                    "applies_to": (found.applies_to if found else EVERYWHERE).as_dict(),
                }
            )
        out.print(json.dumps(data, indent=2), markup=False)
        finish(RunReport())
    for info in code_registry():
        found = rule_for(info.code)
        site = " [site]" if found and found.needs_site else ""
        scope = found.applies_to.label if found else info.origin
        out.print(
            f"{info.code:<5} {info.name:<32} fix {info.fix_label:<19} "
            f"on {scope:<9} {info.summary}{site}",
            markup=False,
        )
    finish(RunReport())


#: Where the codes that are not rules come from, for ``wikitools rule``.
_ORIGINS = {
    "engine": "every page linted or fixed (reported by the lint runner and the fix loop)",
    "infobox": "pages given to 'wikitools infobox convert' (reported by the conversion)",
}


def rule(
    code: Annotated[str, typer.Argument(help="A code or name, e.g. B101 or W001.", metavar="CODE")],
) -> None:
    """Print the documentation of one code (a rule, an engine or an infobox code)."""
    from wikitools.lint.codes import DOC_SECTIONS
    from wikitools.registry import code_registry, rule_for
    from wikitools.reporting.run import RunReport

    out = term.out
    found = code_registry().find(code)
    out.print(f"{found.code} {found.name}: {found.summary}", markup=False)
    checker = rule_for(found.code)
    where = checker.applies_to.description if checker else _ORIGINS[found.origin]
    out.print(f"Applies to: {where}", markup=False)
    out.print(f"Fix applicability: {found.fix_label}\n", markup=False)
    sections = found.sections()
    for section in DOC_SECTIONS:
        out.print(f"{section}:", markup=False)
        out.print(_indent(sections.get(section, "")) + "\n", markup=False)
    finish(RunReport())


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())
