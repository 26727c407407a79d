#!/usr/bin/env bash
# The main job on the embedded SQLite default: set up, ingest the example
# articles into ./marsad.db, and show what marsad found.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
M=.venv/bin/marsad
DB="${MARSAD_DB:-marsad.db}"
$M ingest examples/ --db "$DB" -q || true   # re-running is idempotent
echo
$M stats --db "$DB"
echo
echo '$ marsad search "القاهره"   # spelt with ه: finds القاهرة'
$M search "القاهره" --db "$DB" --limit 3
if $M --help | grep -q " stories"; then
  echo; echo '$ marsad stories'; $M stories --db "$DB" | head -20
fi
echo
echo "Next: .venv/bin/marsad export --format jsonl --db $DB | head -1"
if $M --help | grep -q " serve"; then
  echo "      .venv/bin/marsad serve --db $DB   # then open http://127.0.0.1:8000/"
fi
