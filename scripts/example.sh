#!/usr/bin/env bash
# Set up (once), then lint the bundled example article against the wiki it lives on
# (examples/site) and show its repair as a unified diff.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
# An editable install compiles no bytecode (a regular one does): without it every run
# compiles the sources again, which is most of a one-file lint's start-up.
.venv/bin/python -m compileall -q src/wikitools >/dev/null
.venv/bin/wikitools lint examples/joseph_stalin.wiki --site examples/site || true
.venv/bin/wikitools fix examples/joseph_stalin.wiki --site examples/site --diff || true
