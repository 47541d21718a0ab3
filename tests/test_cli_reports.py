"""Run reports own each command's counts, summary line and exit code (wikitools.reporting.run)."""

from __future__ import annotations

import io
import json

from wikitools.api import lint_text
from wikitools.config import Config
from wikitools.lint.diagnostic import Diagnostic
from wikitools.reporting.formatters import JsonArrayWriter
from wikitools.reporting.run import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEMS,
    CheckReport,
    EditReport,
    FixReport,
    LintReport,
    PullReport,
)

STRAY = lint_text("Georgian: x}}; born\n")  # B101, a safe fix
UNCLOSED = lint_text("Intro.\n{{Infobox person|name=Ann\n\nMore prose.\n")  # B102, unsafe
UNFIXABLE = lint_text('Text<ref name="a"/> more.\n\n{{reflist}}\n')  # R105, no fix


def test_inputs_are_what_the_tests_say() -> None:
    assert [d.code for d in STRAY] == ["B101"]
    assert [d.code for d in UNCLOSED] == ["B102"]
    assert [d.code for d in UNFIXABLE] == ["R105"] and UNFIXABLE[0].fix is None


def test_lint_report_counts_fixable_and_unsafe_findings() -> None:
    report = LintReport()
    for diagnostics in (STRAY, UNCLOSED, UNFIXABLE, []):
        report.add(diagnostics, Config())
    assert (report.seen, report.with_findings, report.findings.total) == (4, 3, 3)
    assert report.findings.by_code == {"B101": 1, "B102": 1, "R105": 1}
    assert report.exit_code == EXIT_PROBLEMS
    assert report.summary() == (
        "3 problem(s) in 3 of 4 file(s) checked; 1 fixable with `wikitools fix`, "
        "1 more fix(es) available with `wikitools fix --unsafe-fixes`."
    )
    unsafe = LintReport()
    unsafe.add(UNCLOSED, Config(unsafe_fixes=True))
    assert unsafe.findings.fixable == 1 and unsafe.findings.unsafe_fixable == 0
    clean = LintReport(unit="page")
    clean.add([], Config())
    assert clean.exit_code == EXIT_OK
    assert clean.summary() == "No problems found in 1 page(s)."


def test_fix_report_exit_codes_by_mode() -> None:
    def report(
        mode: str, *, changed: bool, remaining: list[Diagnostic], **options: bool
    ) -> FixReport:
        made = FixReport(mode=mode, **options)
        made.add(STRAY if changed else [], remaining, Config(), changed=changed)
        return made

    # --check: 1 exactly when something would change, whatever remains.
    assert report("check", changed=False, remaining=UNFIXABLE).exit_code == EXIT_OK
    assert report("check", changed=True, remaining=[]).exit_code == EXIT_PROBLEMS
    # Writing (and --diff): 1 while problems remain; fixing everything is success...
    assert report("write", changed=True, remaining=[]).exit_code == EXIT_OK
    assert report("write", changed=True, remaining=UNFIXABLE).exit_code == EXIT_PROBLEMS
    assert report("diff", changed=False, remaining=UNFIXABLE).exit_code == EXIT_PROBLEMS
    # ...unless asked to fail on a fix.
    strict = report("write", changed=True, remaining=[], exit_non_zero_on_fix=True)
    assert strict.exit_code == EXIT_PROBLEMS
    refused = FixReport(verified=True)
    refused.add([], STRAY, Config(), changed=False, refused=True)
    assert refused.exit_code == EXIT_PROBLEMS
    assert refused.summary() == (
        "0 problem(s) fixed in 0 file(s); 1 problem(s) remain; 1 file(s) refused by verify."
    )


def test_fix_report_hint_and_dump_summary() -> None:
    report = FixReport(unit="page", written=2, destination="out.xml")
    report.add(STRAY, UNCLOSED, Config(), changed=True)
    report.add([], [], Config(), changed=False)
    assert report.summary() == (
        "fixed 1 problem(s) in 1 of 2 page(s) checked; 1 problem(s) remain; "
        "1 more fix(es) available with `--unsafe-fixes`; wrote 2 page(s) to out.xml"
    )


def test_edit_and_pull_reports() -> None:
    edits = EditReport(applied=False)
    for status in ("would change", "unchanged", "unchanged"):
        edits.add(status)
    assert edits.exit_code == EXIT_OK
    assert edits.summary() == "1 would change, 2 unchanged (dry run: nothing saved; use --apply)"
    edits.add("conflict")
    assert edits.exit_code == EXIT_PROBLEMS
    edits.fatal = "stopped: the account is blocked"
    assert edits.exit_code == EXIT_ERROR
    assert edits.summary() == "1 would change, 2 unchanged, 1 conflict before the run stopped"
    pulled = PullReport(directory="pages")
    pulled.add("written")
    assert (pulled.exit_code, pulled.summary()) == (
        EXIT_OK,
        "1 written, 0 up to date, 0 missing or skipped (pages)",
    )
    pulled.add("missing")
    assert pulled.exit_code == EXIT_PROBLEMS


def test_check_reports() -> None:
    schemas = CheckReport(failure_is_error=True, noun="schema file", checked=3, failed=1)
    assert schemas.exit_code == EXIT_ERROR and schemas.summary() == "2 of 3 schema file(s) ok"
    stopped = CheckReport(checked=1, failed=1)
    assert stopped.exit_code == EXIT_PROBLEMS and stopped.summary() is None


def test_json_array_writer_gives_one_valid_array() -> None:
    for records in ([], [{"a": 1}], [{"a": 1}, {"b": "ü"}]):
        stream = io.StringIO()
        writer = JsonArrayWriter(stream)
        writer.start()
        for record in records:
            writer.add(record)
        writer.close()
        assert json.loads(stream.getvalue()) == records
        assert stream.getvalue().endswith("]\n")
    lines = io.StringIO()
    writer = JsonArrayWriter(lines, lines=True)
    writer.start()
    writer.add({"a": 1})
    writer.add({"b": 2})
    writer.close()
    assert [json.loads(line) for line in lines.getvalue().splitlines()] == [{"a": 1}, {"b": 2}]


def test_the_command_line_decides_no_exit_code_but_the_reports() -> None:
    """``finish(report)`` is the one exit of a command; the root only turns errors into 2."""
    import ast
    from pathlib import Path

    import wikitools.cli

    exits = []
    for path in sorted(Path(wikitools.cli.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    name = ast.unparse(node.func)
                    if name in ("typer.Exit", "sys.exit", "Exit", "exit", "ctx.exit"):
                        exits.append((path.name, function.name, name))
    assert exits == [("app.py", "main", "sys.exit"), ("common.py", "finish", "typer.Exit")]
