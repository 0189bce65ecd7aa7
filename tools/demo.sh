#!/usr/bin/env bash
# `make demo`: the simulator with a few hundred orders, a demo database with the
# addon and a store connected to it, and Odoo on http://localhost:8069 (admin/admin)
# with the queue_job runner. Ctrl-C stops everything.
#
# `bash tools/demo.sh --print-config` prints the Odoo configuration the demo runs with
# and exits (the tests check that it keeps Odoo and the job runner on loopback).
set -euo pipefail
SCRIPT_NAME=demo
source "$(dirname "$0")/common.sh"
cd "$here"

DB=${SYNCO_DEMO_DB:-synco_demo}
HTTP_PORT=${SYNCO_DEMO_PORT:-8069}
SIM_PORT=${SYNCO_SIM_PORT:-8765}
SIM_ORDERS=${SYNCO_SIM_ORDERS:-300}
SIM_TOKEN=shpat_demo_token
# The demo app's client secret: the simulator signs its webhooks with it, Odoo checks them.
SIM_WEBHOOK_SECRET=shpss_demo_webhook_secret
conf=var/odoo-demo.conf

# /queue_job/runjob needs no login (queue_job's runner calls it): Odoo listens on
# loopback only and the runner targets loopback, so nothing else can reach the route.
# In production, block /queue_job/ at the reverse proxy too (README.md, Production).
demo_conf() {
  cat <<CONF
[options]
addons_path = $ADDONS_PATH
db_name = $DB
dbfilter = ^$DB\$
http_port = $HTTP_PORT
http_interface = 127.0.0.1
server_wide_modules = base,web,queue_job
workers = 0
log_level = info
logfile = $here/var/odoo-demo.log

[queue_job]
channels = root:2,root.synco:2
scheme = http
host = 127.0.0.1
port = $HTTP_PORT
CONF
}

if [ "${1:-}" = "--print-config" ]; then
  demo_conf
  exit 0
fi

bash tools/setup.sh
# Again, now that the venv exists: on a clean clone the paths were computed before it did
# (queue_job's addons directory, and the template database named after its manifest).
source tools/common.sh
ensure_postgres
mkdir -p var
require_free_ports "$SIM_PORT" "$HTTP_PORT" || { echo "       Stop it, or set SYNCO_SIM_PORT / SYNCO_DEMO_PORT." >&2; exit 1; }

say "starting the Shopify simulator on 127.0.0.1:$SIM_PORT ($SIM_ORDERS orders)"
"$PY" -m shopify_simulator --host 127.0.0.1 --port "$SIM_PORT" --orders "$SIM_ORDERS" --seed 7 \
  --token "$SIM_TOKEN" --plan standard --webhook-secret "$SIM_WEBHOOK_SECRET" > var/simulator.log 2>&1 &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true' EXIT
wait_for_simulator "$sim_pid" var/simulator.log || exit 1

say "fresh demo database $DB"
fresh_db "$DB"

demo_conf > "$conf"

say "connecting the demo store and importing its orders"
SYNCO_SIM_URL="http://127.0.0.1:$SIM_PORT" SYNCO_SIM_TOKEN="$SIM_TOKEN" \
SYNCO_SIM_WEBHOOK_SECRET="$SIM_WEBHOOK_SECRET" SYNCO_DEMO_URL="http://127.0.0.1:$HTTP_PORT" \
  odoo_bin shell -c "$conf" -d "$DB" --no-http --logfile= --log-level=warn < tools/demo_setup.py

say "Odoo on http://localhost:$HTTP_PORT (admin / admin): Shopify > Orders. Ctrl-C stops."
odoo_bin -c "$conf"
