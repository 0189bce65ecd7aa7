#!/usr/bin/env bash
# `make soak`: 1,000 orders synced through queue_job's real runner (root.synco:2) on a
# prefork Odoo, with a fifth of Shopify's answers faulted and one worker killed with
# SIGKILL half-way. Prints figures (bench/soak.py); not a pass/fail test.
#
# SYNCO_SOAK_ORDERS (1000), SYNCO_SOAK_DB (synco_soak), SYNCO_SOAK_PORT (8079),
# SYNCO_SOAK_SIM_PORT (8775), SYNCO_SOAK_FAULTS (0.2), SYNCO_SOAK_WORKERS (4 HTTP workers),
# SYNCO_SOAK_CHANNEL (2 jobs at once), SYNCO_SOAK_KILL (1; 0 kills no worker),
# SYNCO_SOAK_INVOICE_MODE (the store's default, posted, chains the sync batches: one runs at a
# time; draft or none lets as many run as the channel allows).
# The THROTTLED figure of 4 jobs at once on one Standard store, nothing else in the way:
#   SYNCO_SOAK_CHANNEL=4 SYNCO_SOAK_WORKERS=5 SYNCO_SOAK_FAULTS=0 SYNCO_SOAK_KILL=0 \
#   SYNCO_SOAK_INVOICE_MODE=draft make soak
set -euo pipefail
SCRIPT_NAME=soak
source "$(dirname "$0")/common.sh"
cd "$here"

DB=${SYNCO_SOAK_DB:-synco_soak}
HTTP_PORT=${SYNCO_SOAK_PORT:-8079}
SIM_PORT=${SYNCO_SOAK_SIM_PORT:-8775}
ORDERS=${SYNCO_SOAK_ORDERS:-1000}
FAULTS=${SYNCO_SOAK_FAULTS:-0.2}
WORKERS=${SYNCO_SOAK_WORKERS:-4}
CHANNEL=${SYNCO_SOAK_CHANNEL:-2}
KILL=${SYNCO_SOAK_KILL:-1}
# The prefork server's long-polling process listens too: next to the soak's port, not on
# Odoo's default 8072 that a demo may hold.
GEVENT_PORT=$(( HTTP_PORT + 3 ))
SIM_TOKEN=shpat_soak_token
conf=var/odoo-soak.conf

bash tools/setup.sh
# Again, now that the venv exists: on a clean clone the paths were computed before it did
# (queue_job's addons directory, and the template database named after its manifest).
source tools/common.sh
ensure_postgres
mkdir -p var
require_free_ports "$SIM_PORT" "$HTTP_PORT" "$GEVENT_PORT" || exit 1

# The shop holds more orders than the soak syncs: some are test or cancelled orders, or
# have nothing left to book; the soak takes the first $ORDERS eligible ones.
say "starting the Shopify simulator on 127.0.0.1:$SIM_PORT ($(( ORDERS * 13 / 10 )) orders, Standard plan)"
"$PY" -m shopify_simulator --host 127.0.0.1 --port "$SIM_PORT" --orders $(( ORDERS * 13 / 10 )) --seed 11 \
  --token "$SIM_TOKEN" --plan standard > var/soak-simulator.log 2>&1 &
sim_pid=$!
odoo_pid=
cleanup() {
  if [ -n "$odoo_pid" ]; then
    kill "$odoo_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$odoo_pid" 2>/dev/null || break; sleep 0.5; done
    pkill -9 -P "$odoo_pid" 2>/dev/null || true
    kill -9 "$odoo_pid" 2>/dev/null || true
  fi
  kill "$sim_pid" 2>/dev/null || true
}
trap cleanup EXIT
wait_for_simulator "$sim_pid" var/soak-simulator.log || exit 1

say "fresh database $DB"
fresh_db "$DB"
cat > "$conf" <<CONF
[options]
addons_path = $ADDONS_PATH
db_name = $DB
dbfilter = ^$DB\$
http_port = $HTTP_PORT
gevent_port = $GEVENT_PORT
http_interface = 127.0.0.1
server_wide_modules = base,web,queue_job
workers = $WORKERS
max_cron_threads = 1
limit_time_cpu = 900
limit_time_real = 1800
limit_memory_soft = 4294967296
limit_memory_hard = 6442450944
log_level = warn
logfile = $here/var/odoo-soak.log

[queue_job]
channels = root:$CHANNEL,root.synco:$CHANNEL
scheme = http
host = 127.0.0.1
port = $HTTP_PORT
CONF

say "connecting the store and importing its orders"
SYNCO_SETUP_INVOICE_MODE=${SYNCO_SOAK_INVOICE_MODE:-} SYNCO_SIM_URL="http://127.0.0.1:$SIM_PORT" SYNCO_SIM_TOKEN="$SIM_TOKEN" \
  odoo_bin shell -c "$conf" -d "$DB" --no-http --logfile= --log-level=warn < tools/soak_setup.py

: > var/odoo-soak.log
say "Odoo on 127.0.0.1:$HTTP_PORT with $WORKERS workers and the job runner (root.synco:$CHANNEL)"
# Started directly (not through the odoo_bin function, which would fork a subshell): $!
# is then Odoo's main process, whose workers the soak kills.
"$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" -c "$conf" &
odoo_pid=$!
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/web/login" >/dev/null 2>&1 && break
  sleep 0.4
done

"$PY" bench/soak.py --url "http://127.0.0.1:$HTTP_PORT" --db "$DB" --sim-url "http://127.0.0.1:$SIM_PORT" \
  --token "$SIM_TOKEN" --orders "$ORDERS" --fault-rate "$FAULTS" --enqueue-chunk "${SYNCO_SOAK_ENQUEUE_CHUNK:-0}" \
  $( [ "$KILL" = 0 ] || echo --odoo-pid "$odoo_pid" ) "$@"
