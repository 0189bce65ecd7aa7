#!/usr/bin/env bash
# `make bench`: the sync benchmark on a fresh database (figures only, no pass/fail).
set -euo pipefail
SCRIPT_NAME=bench
source "$(dirname "$0")/common.sh"
cd "$here"
bash tools/setup.sh
# Again, now that the venv exists (a clean clone computed the paths before it did).
source tools/common.sh
ensure_postgres
DB=${SYNCO_BENCH_DB:-synco_bench}
say "fresh database $DB"
fresh_db "$DB"
"$PY" bench/sync_bench.py --db "$DB" --addons-path "$ADDONS_PATH" --orders ${SYNCO_BENCH_ORDERS:-50 500} "$@"
