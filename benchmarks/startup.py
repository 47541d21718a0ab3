"""Start-up cost of the ``wikitools`` command, against bare imports of its parsers.

Usage: python benchmarks/startup.py [FILE.wiki] [--repeat N]

Each command runs as a fresh process, in turns, ``--repeat`` times; the CPU time (user + sys)
of each run is read from the child's resource usage, and the median counts. The baselines,
``python -c "import mwparserfromhell"`` and ``python -c "import mwparserfromhell, lxml.etree"``,
run in the same loop, so load on the machine hits all of them alike. The ratios are what
counts (the target is ``wikitools lint one.wiki`` <= 3x the second baseline); the library's
own share shows as ``lint_text`` in a bare interpreter. Without FILE a small page with a few
findings is written to a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PAGE = """'''Example''' is a page with a [[link]] and a template call {{Infobox thing
| name = Example
}}.

== Section ==
A paragraph with a <ref>citation</ref> and an unclosed {{cite web|url=https://example.org.

{{reflist}}
"""


def wikitools_command() -> list[str]:
    """The console script next to this interpreter, or ``python -m`` on the CLI module."""
    script = Path(sys.executable).with_name("wikitools")
    if script.is_file():
        return [str(script)]
    found = shutil.which("wikitools")
    if found:
        return [found]
    return [sys.executable, "-c", "from wikitools.cli.app import main; main()"]


#: The children may write bytecode caches (the warm-up run does), as a tool run twice has them.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def cpu_seconds(command: list[str]) -> float:
    """The user + sys CPU seconds one run of ``command`` costs (output discarded)."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
    )
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="a page to lint (default: a sample)")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = args.file
        if page is None:
            page = Path(tmp) / "one.wiki"
            page.write_text(PAGE, encoding="utf-8")
        wikitools = wikitools_command()
        commands = {
            "python (empty)": [sys.executable, "-c", "pass"],
            "import mwparserfromhell": [sys.executable, "-c", "import mwparserfromhell"],
            "import mwparserfromhell, lxml.etree": [
                sys.executable,
                "-c",
                "import mwparserfromhell, lxml.etree",
            ],
            "library: lint_text(one.wiki)": [
                sys.executable,
                "-c",
                "import sys; from wikitools import lint_text; "
                "lint_text(open(sys.argv[1], encoding='utf-8').read())",
                str(page),
            ],
            "wikitools --version": [*wikitools, "--version"],
            "wikitools lint one.wiki": [*wikitools, "lint", str(page)],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file and bytecode caches
            cpu_seconds(command)
        for _ in range(args.repeat):
            for name, command in commands.items():
                samples[name].append(cpu_seconds(command))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    bare = medians["import mwparserfromhell"]
    parsers = medians["import mwparserfromhell, lxml.etree"]
    print(f"CPU seconds (user+sys), median of {args.repeat} runs")
    for name, seconds in medians.items():
        print(
            f"{name:<38} {seconds:7.3f} s   {seconds / bare:5.2f}x mwparserfromhell"
            f"   {seconds / parsers:5.2f}x mwparserfromhell+lxml"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
