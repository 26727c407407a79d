#!/usr/bin/env bash
# Creates .venv and installs marsad into it (idempotent; re-run after pulling).
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh test,browser
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip >/dev/null 2>&1 || true
  spec="."
  [ -n "$extras" ] && spec=".[${extras}]"
  .venv/bin/pip install -q -e "$spec" 2>&1 | grep -vE "^WARNING: (Location|lxml)" || true
  .venv/bin/python -c "import marsad" # fail loudly if the install did not work
  rm -f .venv/.installed-*
  touch "$stamp"
fi
