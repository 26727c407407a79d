#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh machine, then runs it:
# the virtualenv with marsad and its test extras, Debian's chromium for the
# browser tests, and a throwaway PostgreSQL cluster on 127.0.0.1 for the
# store tests.  Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test,browser,postgres
if [ -f scripts/install_browser.sh ]; then
  bash scripts/install_browser.sh || echo "note: chromium not installed; browser tests will be skipped" >&2
fi
if [ -f scripts/postgres.sh ] && [ -z "${MARSAD_TEST_PG:-}" ]; then
  if url=$(bash scripts/postgres.sh start); then
    export MARSAD_TEST_PG="$url"
    trap 'bash scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT
  else
    echo "note: PostgreSQL could not be started; PostgreSQL store tests will be skipped" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
