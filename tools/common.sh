# Sourced by the tools/*.sh scripts: paths and helpers shared by test, demo and bench.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
VENV=$here/.venv
PY=$VENV/bin/python
# Where pip put OCA queue_job: the venv's own site-packages, whatever its Python.
QJ_ADDONS=$(ls -d "$VENV"/lib/python3.*/site-packages/odoo/addons 2>/dev/null | head -1)
QJ_ADDONS=${QJ_ADDONS:-$VENV/lib/python3/site-packages/odoo/addons}
ADDONS_PATH=$ODOO_PATH/addons,$QJ_ADDONS,$here
# The modules every database of the project starts from; a template database with
# them installed makes a fresh test database a copy instead of a 70 s install.
BASE_MODULES=sale_management,sale_stock,account,queue_job

say() { printf '\033[1m[%s]\033[0m %s\n' "${SCRIPT_NAME:-synco}" "$*"; }

ensure_postgres() {
  if ! pg_isready -q 2>/dev/null; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 1 30); do pg_isready -q && return 0; sleep 1; done
    echo "ERROR: PostgreSQL did not start" >&2; return 1
  fi
}

odoo_bin() {
  "$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ADDONS_PATH" "$@"
}

db_exists() { psql -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1; }

# A template database per (Odoo tree, base module list); rebuilt only when either changes.
ensure_template() {
  local stamp; stamp=$( (cat "$ODOO_PATH/odoo/release.py"; echo "$BASE_MODULES"; cat "$QJ_ADDONS/queue_job/__manifest__.py") | sha1sum | cut -c1-10)
  TEMPLATE_DB=synco_tpl_$stamp
  if ! db_exists "$TEMPLATE_DB"; then
    say "building template database $TEMPLATE_DB ($BASE_MODULES), about a minute, once"
    for old in $(psql -d postgres -tAc "select datname from pg_database where datname like 'synco_tpl_%'"); do
      dropdb --if-exists "$old"
      rm -rf "$(filestore_of "$old")"
    done
    odoo_bin -d "$TEMPLATE_DB.tmp" -i "$BASE_MODULES" --stop-after-init --no-http \
      --log-level=warn >/dev/null || { dropdb --if-exists "$TEMPLATE_DB.tmp"; return 1; }
    psql -d postgres -qc "alter database \"$TEMPLATE_DB.tmp\" rename to \"$TEMPLATE_DB\""
  fi
  # The template's attachments (web assets, images) are files named after the database
  # it was built as: they follow its new name (templates built before this kept theirs).
  local store; store=$(filestore_of "$TEMPLATE_DB")
  if [ ! -d "$store" ] && [ -d "$store.tmp" ]; then
    mv "$store.tmp" "$store"
  fi
}

# filestore_of DB: the directory Odoo keeps DB's attachment files in (its own rule).
filestore_of() {
  PYTHONPATH="$ODOO_PATH" "$PY" -c 'import sys; from odoo.tools import config; print(config.filestore(sys.argv[1]))' "$1"
}

# fresh_db NAME: drops NAME, copies the template, installs the addon.
fresh_db() {
  local db=$1; shift
  ensure_template
  dropdb --if-exists --force "$db"
  createdb -T "$TEMPLATE_DB" "$db"
  # The copy's attachments point to files of the template's filestore: copied with it,
  # or every asset bundle and image of the new database is a FileNotFoundError.
  local from to; from=$(filestore_of "$TEMPLATE_DB"); to=$(filestore_of "$db")
  rm -rf "$to"
  if [ -d "$from" ]; then
    mkdir -p "$(dirname "$to")"
    cp -a "$from" "$to"
  fi
  odoo_bin -d "$db" -i synco_shopify --stop-after-init --no-http --log-level=warn "$@"
}

# require_free_ports PORT...: refuse to start when something already listens there.
require_free_ports() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "ERROR: port $port is already in use on 127.0.0.1 (another demo or soak still running?)." >&2
      return 1
    fi
  done
}

# wait_for_simulator PID LOG: until the simulator started as PID says its address in LOG.
wait_for_simulator() {
  local pid=$1 log=$2
  for _ in $(seq 1 100); do
    grep -q "http://" "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.2
  done
  echo "ERROR: the simulator did not start within 20 s (see $log)" >&2
  return 1
}
