#!/usr/bin/env bash
# Set up (once) and run the whole test suite: ruff, mypy (strict on src/), pytest.
# Integration tests install Debian's MediaWiki 1.39 when missing (as root) and start it themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras=dev
# In CI the opt-in Spark test must run too: install its extra (pyspark; Java is the machine's).
if [ "${CI:-}" = "true" ]; then
  extras=dev,spark
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
# An editable install compiles no bytecode (a regular one does): without it every run
# compiles the sources again, which is most of a one-file lint's start-up.
.venv/bin/python -m compileall -q src/wikitools >/dev/null
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
