"""The one code registry: rule, engine and infobox codes accepted alike everywhere."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

import wikitools
from wikitools import Config, Linter, fix_text, lint_text
from wikitools.cli.app import app
from wikitools.config import config_from_mapping
from wikitools.document import Document
from wikitools.errors import ConfigError
from wikitools.fixes.model import Applicability, Edit, Fix
from wikitools.infobox import convert_infobox
from wikitools.lint import runner as lint_runner
from wikitools.lint.codes import CodeInfo, CodeRegistry
from wikitools.lint.diagnostic import Diagnostic
from wikitools.lint.rule import FixAvailability, Rule, RuleContext
from wikitools.parsing.tree import RoundTripError
from wikitools.registry import code_registry
from wikitools.rules import ALL_RULES
from wikitools.rules.braces import StrayLinkClose, StrayTemplateClose
from wikitools.site.memory import MemorySite

cli = CliRunner()
SRC = Path(wikitools.__file__).parent
BROKEN = "Georgian: ჯუღაშვილი}}; born\n"


class Unparseable(Rule):
    """A rule that meets a page the parser cannot reproduce (as a tree-based rule does).

    What it does:
    Raises RoundTripError.

    Why it matters:
    It shows how the runner reports W001.

    Example:
    Any text.

    Use instead:
    Nothing.

    Fix safety:
    No fix.
    """

    code = "X901"
    name = "always-unparseable"
    summary = "Test rule"

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise RoundTripError("the wikitext parser does not reproduce this page exactly")


class Grows(Rule):
    """A rule whose safe fix never settles: it always asks for one more character.

    What it does:
    Inserts "x" at the start of every page.

    Why it matters:
    It shows how the fix loop reports W002.

    Example:
    Any text.

    Use instead:
    Nothing.

    Fix safety:
    Safe (wrongly).
    """

    code = "X902"
    name = "always-grows"
    summary = "Test rule"
    fix_availability = FixAvailability.ALWAYS
    fix_safety: ClassVar[tuple[Applicability, ...]] = (Applicability.SAFE,)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        yield ctx.diagnostic(0, 0, "grow", Fix.of("grow", [Edit.insert(0, "x")]))


def test_one_registry_holds_rule_engine_and_infobox_codes() -> None:
    codes = {info.code for info in code_registry()}
    assert {rule.code for rule in ALL_RULES} <= codes
    assert {"W001", "W002"} <= codes
    assert {f"IB00{n}" for n in range(1, 10)} <= codes
    assert len(codes) == len(ALL_RULES) + 2 + 9
    names = [info.name for info in code_registry()]
    assert len(names) == len(set(names)), "every code has its own name"


def test_registry_refuses_a_taken_name_or_code() -> None:
    info = CodeInfo("W001", "unparseable-page", "x", "")
    with pytest.raises(ValueError, match="taken"):
        CodeRegistry([info, CodeInfo("IB007", "unparseable-page", "x", "")])
    with pytest.raises(ValueError, match="taken"):
        CodeRegistry([info, CodeInfo("W001", "other-name", "x", "")])
    with pytest.raises(ValueError, match="three digits"):
        CodeInfo("W1", "bad-code", "x", "")


@pytest.mark.parametrize("code", ["W001", "W002", "IB002", "ib007", "fix-not-converging", "B101"])
def test_rule_command_documents_every_code(code: str) -> None:
    result = cli.invoke(app, ["rule", code])
    assert result.exit_code == 0, result.output
    info = code_registry().find(code)
    assert result.stdout.startswith(f"{info.code} {info.name}: {info.summary}")
    for section in ("What it does:", "Why it matters:", "Example:", "Use instead:", "Fix safety:"):
        assert section in result.stdout
    assert info.sections()["What it does"].splitlines()[0] in result.stdout


def test_unknown_code_is_a_one_line_error() -> None:
    result = cli.invoke(app, ["rule", "Q123"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "no rule or code 'Q123'" in result.output


def test_rules_lists_every_code_with_its_real_fix_safety() -> None:
    listing = json.loads(cli.invoke(app, ["rules", "--format", "json"]).stdout)
    by_code = {item["code"]: item for item in listing}
    assert set(by_code) == {info.code for info in code_registry()}
    assert by_code["B106"]["fix_safety"] == ["unsafe"]
    assert by_code["B101"]["fix_safety"] == ["safe", "unsafe"]
    assert by_code["W001"]["fix_safety"] == [] and by_code["W001"]["origin"] == "engine"
    text = cli.invoke(app, ["rules"]).stdout
    b106 = next(line for line in text.splitlines() if line.startswith("B106"))
    assert "fix unsafe " in b106 and "always" not in b106
    assert any(line.startswith("IB002") for line in text.splitlines())


@pytest.mark.parametrize("selector", ["W001", "W", "unparseable-page", "IB002", "IB", "W002"])
def test_select_and_ignore_accept_every_code(selector: str, tmp_path: Path) -> None:
    page = tmp_path / "page.wiki"
    page.write_text(BROKEN, encoding="utf-8")
    ignored = cli.invoke(app, ["lint", str(page), "--ignore", selector])
    assert ignored.exit_code == 1, ignored.output  # B101 still reported
    selected = cli.invoke(app, ["lint", str(page), "--select", selector])
    assert selected.exit_code == 0, selected.output  # no rule picked: nothing to report


def test_config_select_and_ignore_accept_every_code(tmp_path: Path) -> None:
    (tmp_path / "wikitools.toml").write_text('ignore = ["W001", "IB003"]\n', encoding="utf-8")
    page = tmp_path / "page.wiki"
    page.write_text(BROKEN, encoding="utf-8")
    result = cli.invoke(app, ["lint", str(page), "--config", str(tmp_path / "wikitools.toml")])
    assert result.exit_code == 1, result.output
    with pytest.raises(ConfigError, match="unknown rule selector 'Q9'"):
        lint_text(BROKEN, config_from_mapping({"ignore": ["Q9"]}))


def test_w001_is_reported_and_ignored_like_any_code() -> None:
    document = Document("A page.")
    [found] = Linter(rules=[Unparseable]).check(document)
    assert (found.code, found.name) == ("W001", "unparseable-page")
    for selector in ("W001", "W", "unparseable-page"):
        assert Linter(Config(ignore=(selector,)), rules=[Unparseable]).check(document) == []
    suppressed = Document("A page.<!-- wikitools-ignore-page: W001 -->")
    assert Linter(rules=[Unparseable]).check(suppressed) == []


def test_w002_is_reported_and_ignored_like_any_code() -> None:
    result = fix_text("A page.", linter=Linter(rules=[Grows]))
    assert not result.changed
    assert [(d.code, d.name) for d in result.problems] == [("W002", "fix-not-converging")]
    quiet = fix_text("A page.", linter=Linter(Config(ignore=("W002",)), rules=[Grows]))
    assert not quiet.changed and quiet.problems == ()


def test_linter_runs_the_rules_it_is_given() -> None:
    text = "a}} b]] c"
    assert {d.code for d in Linter(rules=[StrayTemplateClose]).check(Document(text))} == {"B101"}
    assert {d.code for d in Linter().check(Document(text))} == {"B101", "B103"}
    both = Linter(Config(ignore=("B101",)), rules=[StrayTemplateClose, StrayLinkClose])
    assert {d.code for d in both.check(Document(text))} == {"B103"}
    with pytest.raises(TypeError):
        lint_runner.Linter()


def test_suppression_accepts_old_codes_like_ignore() -> None:
    class Renamed(StrayTemplateClose):
        code = "X101"
        name = "renamed-stray-close"
        aliases: ClassVar[tuple[str, ...]] = ("X001",)

    text = "a}} <!-- wikitools-ignore: X001 -->"
    assert [d.code for d in Linter(rules=[Renamed]).check(Document("a}}"))] == ["X101"]
    assert Linter(rules=[Renamed]).check(Document(text)) == []
    assert Linter(Config(ignore=("X001",)), rules=[Renamed]).check(Document("a}}")) == []


def test_diagnostics_carry_their_subject() -> None:
    site = MemorySite({})
    [t101] = lint_text("{{Ka icon}}", Config(select=("T101",)), site)
    assert t101.subject == "Template:Ka icon"
    [a103] = lint_text("Gori Template:Lang-ka\nNext", Config(select=("A103",)))
    assert a103.subject == "Template:Lang-ka"
    [r105] = lint_text('A<ref name="x" />', Config(select=("R105",)))
    assert r105.subject == "x"
    result = convert_infobox("{{Infobox person|name=A|hobbies=chess|caption={{sfn|S|2000}}}}")
    subjects = {d.code: d.subject for d in result.diagnostics}
    assert subjects["IB001"] == "Infobox person"
    assert subjects["IB002"] == "hobbies"
    assert subjects["IB003"] == "sfn"


def test_json_output_has_the_subject(tmp_path: Path) -> None:
    page = tmp_path / "page.wiki"
    page.write_text('A<ref name="x" />', encoding="utf-8")
    result = cli.invoke(app, ["lint", str(page), "--format", "json", "--select", "R105"])
    [record] = json.loads(result.stdout)
    assert record["subject"] == "x"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["lint", "fixes"])
def test_lint_and_fixes_import_no_higher_layer(package: str) -> None:
    higher = ("wikitools.rules", "wikitools.infobox", "wikitools.registry", "wikitools.api")
    for path in sorted((SRC / package).glob("*.py")):
        bad = {name for name in _imports(path) if name.startswith(higher)}
        assert not bad, f"{path.name} imports {sorted(bad)}"
