#!/usr/bin/env bash
# `make test`: setup, a fresh database with the addon, then every test (plain Python and Odoo).
set -uo pipefail
SCRIPT_NAME=test
source "$(dirname "$0")/common.sh"
cd "$here"
bash tools/setup.sh || exit $?
# Again, now that the venv exists: on a clean clone the paths were computed before it did
# (queue_job's addons directory, and the template database named after its manifest).
source tools/common.sh
ensure_postgres || exit 1
DB=${SYNCO_TEST_DB:-synco_test}

start=$(date +%s)
say "fresh database $DB"
fresh_db "$DB" || { echo "ERROR: installing synco_shopify on a fresh database failed" >&2; exit 1; }
say "database ready in $(( $(date +%s) - start )) s"

# pytest exits 5 when it collected nothing: for this project that is always a
# broken suite (a path or an import error), never success.
# pytest exits 5 when it collected nothing, and 0 when tests were skipped (Odoo skips
# its tours when it finds no browser): for this project both mean a broken run.
run_pytest() {
  local label=$1; shift
  say "$label: pytest $*"
  local log; log=$(mktemp)
  "$PY" -m pytest -rs "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 5 ]; then
    echo "ERROR: $label collected no tests (pytest exit 5): the suite is broken." >&2
    rc=1
  elif tail -n 1 "$log" | grep -q "skipped"; then
    echo "ERROR: $label skipped tests (see 'SKIPPED' above): nothing may be skipped." >&2
    rc=1
  fi
  rm -f "$log"
  return "$rc"
}

rc=0
run_pytest "plain Python" -q -p no:cacheprovider tests || rc=1
# --odoo-http serves Odoo on a free loopback port for the browser tours (HttpCase).
# No queue_job runner in the test process (root:0): tests run their jobs themselves
# (tour_job_runner.py for the tours); a runner would also run the jobs that the tests
# on committed data leave for a moment, behind their backs.
ODOO_QUEUE_JOB_CHANNELS=root:0 run_pytest "Odoo" -q -p no:cacheprovider --odoo-database="$DB" --odoo-addons-path="$ADDONS_PATH" \
  --odoo-log-level=warn --odoo-http --odoo-extra http-interface=127.0.0.1 synco_shopify/tests || rc=1
say "finished in $(( $(date +%s) - start )) s, exit $rc"
exit $rc
