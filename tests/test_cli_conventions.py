"""The command line follows ruff's conventions (issue 10): streams, exit codes, -q/-v, colour.

Subprocess tests run the real console entry point with real pipes, files and terminals
(pseudo-terminals), since CliRunner replaces the streams.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import wikitools
from wikitools.cli.app import app, hoist_root_flags
from wikitools.cli.terminal import ProgressDisplay

runner = CliRunner()
STRAY = "Georgian: x}}; born\n"  # B101, a safe fix
UNCLOSED = "Intro.\n{{Infobox person|name=Ann\n\nMore prose here.\n"  # B102, an unsafe fix
UNFIXABLE = 'Text<ref name="a"/> more.\n\n{{reflist}}\n'  # R105, no fix
CLEAN = "Just prose.\n"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
ENTRY = "from wikitools.cli.app import main; main()"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(extra)
    return env


def wikitools_cli(
    *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process, stdout and stderr captured through pipes."""
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args],
        capture_output=True,
        text=True,
        env=env or _env(),
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def on_terminals(*args: str, env: dict[str, str], entry: str = ENTRY) -> tuple[int, str, str]:
    """The CLI with stdout and stderr on two pseudo-terminals: exit code, stdout, stderr."""
    out_master, out_slave = pty.openpty()
    err_master, err_slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", entry, *args],
        stdin=subprocess.DEVNULL,
        stdout=out_slave,
        stderr=err_slave,
        env=env,
    )
    os.close(out_slave)
    os.close(err_slave)
    chunks: dict[int, list[bytes]] = {out_master: [], err_master: []}
    open_fds = [out_master, err_master]
    while open_fds:
        ready, _, _ = select.select(open_fds, [], [], 60)
        if not ready:
            break
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the other end closed (Linux reports EIO)
                data = b""
            if data:
                chunks[fd].append(data)
            else:
                open_fds.remove(fd)
    code = process.wait(timeout=60)
    os.close(out_master)
    os.close(err_master)
    decode = lambda fd: b"".join(chunks[fd]).decode("utf-8", "replace")  # noqa: E731
    return code, decode(out_master), decode(err_master)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.wiki"
    path.write_text(STRAY, encoding="utf-8")
    return path


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- streams ---------------------------------------------------------------------------------


def test_lint_redirected_to_a_file_puts_the_diagnostics_in_the_file(page: Path) -> None:
    report = page.parent / "out.txt"
    with report.open("w", encoding="utf-8") as stdout:
        done = subprocess.run(
            [sys.executable, "-c", ENTRY, "lint", str(page)],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            timeout=120,
            check=False,
        )
    assert done.returncode == 1
    written = report.read_text(encoding="utf-8")
    assert written.startswith(f"{page}:1:12: B101 Stray '}}}}'")
    assert "help: Remove the stray '}}'" in written
    assert not ANSI.search(written), "no colour in files"
    assert done.stderr.splitlines() == [
        "1 problem(s) in 1 of 1 file(s) checked; 1 fixable with `wikitools fix`."
    ]


@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_diagnostics_are_on_stdout_in_every_format(page: Path, output: str) -> None:
    result = runner.invoke(app, ["lint", str(page), "--format", output])
    assert result.exit_code == 1
    assert str(page) in result.stdout
    assert str(page) not in result.stderr


def test_fixing_stdin_keeps_stdout_for_the_text_and_diagnostics_go_to_stderr() -> None:
    result = runner.invoke(app, ["fix", "-"], input=UNFIXABLE)
    assert result.exit_code == 1
    assert result.stdout == UNFIXABLE
    assert "<stdin>:1:5: R105" in result.stderr


# -- version, usage errors, help -------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_exits_0(flag: str) -> None:
    done = wikitools_cli(flag)
    assert done.returncode == 0
    assert done.stdout == f"wikitools {wikitools.__version__}\n"
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "--bogus"], "error: No such option: --bogus"),
        (["lint"], "error: Missing argument 'PATH'"),
        (["nope"], "error: No such command 'nope'"),
        (["lint", "-", "--format", "xml"], "error: unknown format 'xml'"),
        (["fix", "--apply", "x.wiki"], "it is an option of 'wikitools fix-wiki'"),
    ],
)
def test_usage_errors_are_one_error_line(args: list[str], message: str) -> None:
    done = wikitools_cli(*args, input="x")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert message in lines[0]


COMMANDS = [
    [],
    ["lint"],
    ["fix"],
    ["fix-wiki"],
    ["rules"],
    ["rule"],
    ["pull"],
    ["push"],
    ["infobox"],
    ["infobox", "convert"],
    ["infobox", "render"],
    ["infobox", "list"],
    ["infobox", "install"],
    ["infobox", "validate"],
    ["dump"],
    ["dump", "stats"],
    ["dump", "lint"],
    ["dump", "fix"],
    ["sandbox"],
    ["sandbox", "start"],
    ["sandbox", "status"],
    ["sandbox", "stop"],
    ["sandbox", "import"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "wikitools")
def test_help_is_plain_text(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    text = result.stdout
    assert "Usage: wikitools" in text
    for artifact in ("<bool>", "<str>", "<list", "``", ":func:", ":class:", "╭", "│"):
        assert artifact not in text, f"{artifact!r} in the help of {command}"


def test_completion_is_offered() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


# -- quiet and verbose -----------------------------------------------------------------------


def test_quiet_prints_nothing_for_a_clean_file(tmp_path: Path) -> None:
    clean = _write(tmp_path, "clean.wiki", CLEAN)
    done = wikitools_cli("-q", "lint", str(clean))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    done = wikitools_cli("-q", "fix", str(clean))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_quiet_keeps_the_diagnostics_and_drops_the_summary(page: Path) -> None:
    result = runner.invoke(app, ["-q", "lint", str(page)])
    assert result.exit_code == 1
    assert f"{page}:1:12: B101" in result.stdout
    assert result.stderr == ""
    result = runner.invoke(app, ["--quiet", "fix", str(page)])
    assert result.exit_code == 0 and result.output == ""
    assert page.read_text(encoding="utf-8") == "Georgian: x; born\n"


def test_verbose_shows_info_and_very_verbose_debug(page: Path) -> None:
    plain = wikitools_cli("lint", str(page))
    assert "INFO" not in plain.stderr and "DEBUG" not in plain.stderr
    info = wikitools_cli("-v", "lint", str(page))
    assert "INFO wikitools.run: linting 1 file(s)" in info.stderr
    assert "DEBUG" not in info.stderr
    debug = wikitools_cli("-vv", "lint", str(page))
    assert re.search(r"DEBUG wikitools\.run: .*page\.wiki: 1 finding\(s\) in", debug.stderr)
    assert info.stdout == plain.stdout == debug.stdout


def test_root_flags_work_after_the_command_name_too(page: Path) -> None:
    """``wikitools lint -q FILE`` as ruff accepts ``ruff check -q``; ``--`` ends the flags."""
    front = runner.invoke(app, ["-q", "lint", str(page)])
    after = runner.invoke(app, ["lint", str(page), "-q"])
    assert (after.exit_code, after.stdout, after.stderr) == (
        front.exit_code,
        front.stdout,
        front.stderr,
    )
    verbose = runner.invoke(app, ["lint", "-vv", str(page)])
    assert "DEBUG wikitools.run" in verbose.stderr
    literal = runner.invoke(app, ["lint", "--", "-q"])
    assert literal.exit_code == 2 and "-q: no such file" in literal.stderr


def test_hoisting_keeps_the_other_arguments_in_order() -> None:
    assert hoist_root_flags(["fix", "a.wiki", "-q", "--diff", "-vv", "--", "-v"]) == [
        "-q",
        "-vv",
        "fix",
        "a.wiki",
        "--diff",
        "--",
        "-v",
    ]


# -- exit codes of fix -----------------------------------------------------------------------


def test_check_exits_1_only_when_something_would_change(tmp_path: Path) -> None:
    fixable = _write(tmp_path, "fixable.wiki", STRAY)
    unfixable = _write(tmp_path, "unfixable.wiki", UNFIXABLE)
    clean = _write(tmp_path, "clean.wiki", CLEAN)
    # Findings remain but nothing would change: 0 (it was 1, against the README).
    assert runner.invoke(app, ["fix", "--check", str(unfixable)]).exit_code == 0
    assert runner.invoke(app, ["fix", "--check", str(clean)]).exit_code == 0
    result = runner.invoke(app, ["fix", "--check", str(fixable), str(unfixable)])
    assert result.exit_code == 1
    assert f"would fix {fixable}: 1 fix(es)" in result.stderr
    assert fixable.read_text(encoding="utf-8") == STRAY, "--check writes nothing"


def test_fix_exits_1_while_problems_remain_and_on_request_when_it_fixed(tmp_path: Path) -> None:
    unfixable = _write(tmp_path, "unfixable.wiki", UNFIXABLE)
    assert runner.invoke(app, ["fix", str(unfixable)]).exit_code == 1
    fixable = _write(tmp_path, "fixable.wiki", STRAY)
    assert runner.invoke(app, ["fix", str(fixable)]).exit_code == 0
    again = _write(tmp_path, "again.wiki", STRAY)
    result = runner.invoke(app, ["fix", "--exit-non-zero-on-fix", str(again)])
    assert result.exit_code == 1
    assert again.read_text(encoding="utf-8") == "Georgian: x; born\n"
    clean = _write(tmp_path, "clean.wiki", CLEAN)
    assert runner.invoke(app, ["fix", "--exit-non-zero-on-fix", str(clean)]).exit_code == 0


def test_unsafe_fixes_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, "unclosed.wiki", UNCLOSED)
    lint = runner.invoke(app, ["lint", str(path)])
    assert "1 more fix(es) available with `wikitools fix --unsafe-fixes`" in lint.stderr
    fix = runner.invoke(app, ["fix", str(path)])
    assert fix.exit_code == 1
    assert "1 problem(s) remain; 1 more fix(es) available with `--unsafe-fixes`." in fix.stderr
    assert path.read_text(encoding="utf-8") == UNCLOSED
    unsafe = runner.invoke(app, ["fix", "--unsafe-fixes", str(path)])
    assert unsafe.exit_code == 0
    assert "available with" not in unsafe.stderr


# -- colour and progress ---------------------------------------------------------------------


def test_no_colour_in_pipes(page: Path) -> None:
    done = wikitools_cli("lint", str(page))
    assert done.stdout and not ANSI.search(done.stdout + done.stderr)


def test_colour_can_be_forced_and_turned_off(page: Path) -> None:
    forced = runner.invoke(app, ["lint", str(page)], env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[1;31mB101\x1b[0m" in forced.stdout
    assert ANSI.sub("", forced.stdout).startswith(f"{page}:1:12: B101")
    off = runner.invoke(app, ["lint", str(page)], env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert not ANSI.search(off.stdout)


def test_colour_on_a_terminal_unless_no_color(page: Path) -> None:
    code, stdout, _ = on_terminals("lint", str(page), env=_env())
    assert code == 1
    assert "\x1b[1;31mB101\x1b[0m" in stdout
    code, stdout, _ = on_terminals("lint", str(page), env=_env(NO_COLOR="1"))
    assert code == 1 and "B101" in stdout and not ANSI.search(stdout)


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    for index in range(4):
        _write(tmp_path, f"p{index}.wiki", STRAY)
    # The bar waits half a second before it shows; here it shows at once (a long run).
    no_delay = "from wikitools.cli.terminal import ProgressDisplay; ProgressDisplay.DELAY = 0; "
    code, stdout, stderr = on_terminals(
        "lint", str(tmp_path), env=_env(NO_COLOR="1"), entry=no_delay + ENTRY
    )
    assert code == 1
    assert re.search(r"linting .*/4", stderr), "a progress display on the terminal's stderr"
    assert stdout.count("B101") == 4, "diagnostics stay on stdout"
    piped = wikitools_cli("lint", str(tmp_path))
    assert "linting" not in piped.stderr and "\r" not in piped.stderr
    quiet = on_terminals("-q", "lint", str(tmp_path), env=_env(), entry=no_delay + ENTRY)
    assert quiet[2] == "", "-q shows no progress"


def test_progress_waits_before_it_shows() -> None:
    display = ProgressDisplay("linting")
    display.enabled = True  # as on a terminal
    with display:
        display(1, 4)
        assert display._bar is None, "a short run shows no bar"
        display._started -= ProgressDisplay.DELAY
        display(2, 4)
        assert display._bar is not None
    assert display._bar is None


# -- fix-wiki, and the old spelling ----------------------------------------------------------


def test_fix_wiki_is_its_own_command() -> None:
    local = runner.invoke(app, ["fix", "--help"]).stdout
    live = runner.invoke(app, ["fix-wiki", "--help"]).stdout
    for option in ("--apply", "--category", "--summary", "--wiki ", "--bot"):
        assert option in live and option not in local
    for option in ("--check", "--verify-wiki", "--site", "--exit-non-zero-on-fix"):
        assert option in local and option not in live


def test_old_fix_wiki_spelling_still_works_with_a_deprecation_line() -> None:
    done = wikitools_cli("fix", "--wiki", "http://127.0.0.1:9/api.php", "Some page")
    lines = done.stderr.splitlines()
    assert lines[0] == (
        "warning: 'wikitools fix --wiki' is deprecated; use 'wikitools fix-wiki' instead"
    )
    # It ran fix-wiki: which tried the (unreachable) wiki.
    assert done.returncode == 2
    assert lines[1].startswith("error: cannot connect to 127.0.0.1:9")
    new = wikitools_cli("fix-wiki", "--wiki", "http://127.0.0.1:9/api.php", "Some page")
    assert new.stderr.splitlines() == lines[1:]


# -- import weight ---------------------------------------------------------------------------

HEAVY = ("requests", "lxml", "wikitools.dumps", "wikitools.mediawiki", "wikitools.sandbox")
HEAVY += ("wikitools.infobox", "wikitools.bot", "wikitools.verify", "rich", "pydantic")


def test_the_command_line_imports_nothing_heavy_for_version_and_lint(page: Path) -> None:
    """What the CLI adds to ``import wikitools`` for ``--version`` and ``lint one.wiki``."""
    probe = f"""
import sys
import wikitools
before = set(sys.modules)
from wikitools.cli.app import app
from wikitools.cli.terminal import ProgressDisplay
from typer.testing import CliRunner
for args in (["--version"], ["lint", {str(page)!r}]):
    CliRunner().invoke(app, args)
print("\\n".join(sorted(set(sys.modules) - before)))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=_env()
    )
    added = done.stdout.split()
    assert "wikitools.cli.app" in added
    heavy = [m for m in added if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


def test_json_formats_are_arrays(tmp_path: Path) -> None:
    clean = _write(tmp_path, "clean.wiki", CLEAN)
    result = runner.invoke(app, ["lint", str(clean), "--format", "json"])
    assert json.loads(result.stdout) == []
