#!/usr/bin/env bash
# Set up (once) and repair the bundled example article: prints the fix as a unified diff.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
.venv/bin/wikitools lint examples/joseph_stalin.wiki --site examples/site || true
.venv/bin/wikitools fix examples/joseph_stalin.wiki --site examples/site --diff
