#!/usr/bin/env bash
# `make scale`: the same N orders synced by one prefork Odoo, then by two on one database.
# queue_job's runner runs in both servers, the one holding PostgreSQL's advisory lock is the
# master; every runner asks tools/rr_proxy.py to run a job, which hands it to the server with
# the fewest jobs in flight. Each run starts from a fresh simulator (same seed: the same
# orders, no metafield left by the run before) and a fresh database. No faults: the figures
# are throughput, duplicates and THROTTLED answers (make soak is the faulted run).
# Prints figures (bench/scale.py); not a pass/fail test.
#
# SYNCO_SCALE_ORDERS (1000), SYNCO_SCALE_DB (synco_scale), SYNCO_SCALE_PORT (8089: servers on
# 8089 and 8090, the proxy on 8091, long-polling on 8092 and 8093), SYNCO_SCALE_SIM_PORT (8785),
# SYNCO_SCALE_JOBS (2 jobs at once per server: root.synco:2 on one server, :4 on two),
# SYNCO_SCALE_WORKERS (jobs + 1 HTTP workers per server: one left for the bench's calls),
# SYNCO_SCALE_INVOICE_MODE (the store's default, posted: its sync batches are chained and run
# one at a time, whatever the servers; draft or none lets them run side by side).
set -euo pipefail
SCRIPT_NAME=scale
source "$(dirname "$0")/common.sh"
cd "$here"

DB=${SYNCO_SCALE_DB:-synco_scale}
PORT=${SYNCO_SCALE_PORT:-8089}
SIM_PORT=${SYNCO_SCALE_SIM_PORT:-8785}
ORDERS=${SYNCO_SCALE_ORDERS:-1000}
JOBS=${SYNCO_SCALE_JOBS:-2}
WORKERS=${SYNCO_SCALE_WORKERS:-$(( JOBS + 1 ))}
PROXY_PORT=$(( PORT + 2 ))
SIM_TOKEN=shpat_scale_token

bash tools/setup.sh
# Again, now that the venv exists (see soak.sh).
source tools/common.sh
ensure_postgres
mkdir -p var
require_free_ports "$SIM_PORT" "$PORT" $(( PORT + 1 )) "$PROXY_PORT" $(( PORT + 3 )) $(( PORT + 4 )) || exit 1

pids=()
servers=()
stop_all() {
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    pkill -9 -P "$pid" 2>/dev/null || true
    kill -9 "$pid" 2>/dev/null || true
    { wait "$pid"; } 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  servers=()
  pids=()
}
trap stop_all EXIT

# write_conf NAME HTTP_PORT CAPACITY: one server's configuration; every server has the same
# [queue_job] section, whichever wins the election runs the channels.
write_conf() {
  cat > "var/odoo-scale-$1.conf" <<CONF
[options]
addons_path = $ADDONS_PATH
db_name = $DB
dbfilter = ^$DB\$
http_port = $2
gevent_port = $(( $2 + 3 ))
http_interface = 127.0.0.1
server_wide_modules = base,web,queue_job
workers = $WORKERS
max_cron_threads = 1
limit_time_cpu = 900
limit_time_real = 1800
limit_memory_soft = 4294967296
limit_memory_hard = 6442450944
log_level = warn
logfile = $here/var/odoo-scale-$1.log

[queue_job]
channels = root:$3,root.synco:$3
scheme = http
host = 127.0.0.1
port = $PROXY_PORT
CONF
}

# run_servers LABEL COUNT: one measured run on COUNT servers (A, then B).
run_servers() {
  local label=$1 count=$2 names=(A B) capacity=$(( JOBS * $2 )) i backends=() args=()
  say "[$label] Shopify simulator on 127.0.0.1:$SIM_PORT ($(( ORDERS * 13 / 10 )) orders, Standard plan)"
  "$PY" -m shopify_simulator --host 127.0.0.1 --port "$SIM_PORT" --orders $(( ORDERS * 13 / 10 )) --seed 11 \
    --token "$SIM_TOKEN" --plan standard > "var/scale-simulator-$label.log" 2>&1 &
  pids+=($!)
  wait_for_simulator "$!" "var/scale-simulator-$label.log" || return 1
  say "[$label] fresh database $DB"
  fresh_db "$DB"
  for (( i = 0; i < count; i++ )); do
    write_conf "${names[$i]}" $(( PORT + i )) "$capacity"
    backends+=("http://127.0.0.1:$(( PORT + i ))")
  done
  say "[$label] connecting the store and importing its orders"
  SYNCO_SETUP_INVOICE_MODE=${SYNCO_SCALE_INVOICE_MODE:-} SYNCO_SIM_URL="http://127.0.0.1:$SIM_PORT" SYNCO_SIM_TOKEN="$SIM_TOKEN" \
    odoo_bin shell -c var/odoo-scale-A.conf -d "$DB" --no-http --logfile= --log-level=warn < tools/soak_setup.py
  "$PY" tools/rr_proxy.py --port "$PROXY_PORT" "${backends[@]}" > "var/scale-proxy-$label.log" 2>&1 &
  pids+=($!)
  for (( i = 0; i < count; i++ )); do
    : > "var/odoo-scale-${names[$i]}.log"
    say "[$label] Odoo ${names[$i]} on 127.0.0.1:$(( PORT + i )), $WORKERS workers, runner channel root.synco:$capacity"
    # Started directly: $! is then Odoo's main process, whose workers run the jobs.
    "$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" -c "var/odoo-scale-${names[$i]}.conf" &
    servers+=($!)
    args+=(--server "${names[$i]}=$!")
  done
  for (( i = 0; i < count; i++ )); do
    for _ in $(seq 1 150); do
      curl -sf "http://127.0.0.1:$(( PORT + i ))/web/login" >/dev/null 2>&1 && break
      sleep 0.4
    done
  done
  "$PY" bench/scale.py run --label "$label" --url "http://127.0.0.1:$PORT" --db "$DB" \
    --sim-url "http://127.0.0.1:$SIM_PORT" --token "$SIM_TOKEN" --proxy-url "http://127.0.0.1:$PROXY_PORT" \
    --orders "$ORDERS" --save "var/scale-$label.json" "${args[@]}"
  stop_all
}

run_servers one-server 1
run_servers two-servers 2
echo
"$PY" bench/scale.py compare var/scale-one-server.json var/scale-two-servers.json
