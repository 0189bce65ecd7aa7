#!/usr/bin/env bash
# Builds whatever is missing for the tests and the demo, and nothing else:
#   - an Odoo 19.0 source tree at $ODOO_PATH (cloned shallowly from upstream when absent)
#   - .venv/ with Odoo's requirements (fixed for this Python) and the project's
#   - the Shopify Admin schemas, from the pinned @shopify/dev-mcp npm package
# A second run finds everything in place and returns in a second or two.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
ODOO_BRANCH=19.0
DEV_MCP_VERSION=$(cat tools/dev-mcp.version)
VENV=.venv
PY=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# -- Odoo source ---------------------------------------------------------------
if [ ! -f "$ODOO_PATH/odoo/release.py" ]; then
  if [ "${CI:-}" = "true" ] || [ "${SYNCO_NO_CLONE:-}" = "1" ]; then
    echo "ERROR: no Odoo 19.0 source tree at ODOO_PATH=$ODOO_PATH (odoo/release.py is missing)." >&2
    echo "       Put Odoo 19.0 there (e.g. git clone --depth 1 -b 19.0 https://github.com/odoo/odoo \"$ODOO_PATH\")" >&2
    echo "       or point ODOO_PATH at an existing checkout. Nothing was tested." >&2
    exit 3
  fi
  say "cloning Odoo $ODOO_BRANCH into $ODOO_PATH"
  git clone --depth 1 --branch "$ODOO_BRANCH" https://github.com/odoo/odoo.git "$ODOO_PATH"
fi
if ! grep -q "^version_info = (19, 0" "$ODOO_PATH/odoo/release.py"; then
  echo "ERROR: $ODOO_PATH is not Odoo 19.0 ($(grep '^version_info' "$ODOO_PATH/odoo/release.py"))." >&2
  exit 3
fi

# -- Debian packages: chromium for Odoo's tours, wkhtmltopdf for its PDF reports --
for tool in chromium wkhtmltopdf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian's $tool"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
    else
      echo "ERROR: $tool is needed by the tests (tours, PDF reports): apt-get install $tool" >&2
      exit 3
    fi
  fi
done

# -- virtualenv ----------------------------------------------------------------
stamp_src=$(cat "$ODOO_PATH/requirements.txt" requirements.txt tools/setup.sh tools/pip-constraints.txt | sha1sum | cut -c1-12)
if [ ! -f "$VENV/.synco-stamp" ] || [ "$(cat "$VENV/.synco-stamp")" != "$stamp_src" ]; then
  say "building $VENV (Odoo requirements + project requirements)"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade "pip<25" "setuptools<70" wheel
  # Odoo pins what Debian/Ubuntu ship. On a pip-installed Python 3.11 a few pins
  # need a hand: python-ldap needs OpenLDAP headers and only serves auth_ldap (not
  # used here); psycopg2 is built from source against libpq, so the binary wheel
  # of the same release stands in for it.
  grep -vE '^\s*(#|$)|^python-ldap|^psycopg2' "$ODOO_PATH/requirements.txt" > "$VENV/odoo-requirements.txt"
  echo "psycopg2-binary==2.9.10" >> "$VENV/odoo-requirements.txt"
  PIP_CONSTRAINT="$here/tools/pip-constraints.txt" \
    "$VENV/bin/python" -m pip install -q -r "$VENV/odoo-requirements.txt"
  # Odoo itself, editable, so that `import odoo` works and OCA wheels see their
  # `odoo` requirement satisfied instead of looking for it on PyPI.
  "$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation -e "$ODOO_PATH"
  "$VENV/bin/python" -m pip install -q -r requirements.txt
  echo "$stamp_src" > "$VENV/.synco-stamp"
fi

# -- Shopify Admin schemas -----------------------------------------------------
schemas=.cache/shopify-schemas/$DEV_MCP_VERSION
if [ ! -f "$schemas/.complete" ]; then
  say "fetching @shopify/dev-mcp@$DEV_MCP_VERSION schemas"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@shopify/dev-mcp@$DEV_MCP_VERSION" >/dev/null)
  mkdir -p "$schemas"
  tar -xzf "$tmp"/shopify-dev-mcp-*.tgz -C "$tmp" package/dist/data
  cp "$tmp"/package/dist/data/admin_20*.json.gz "$schemas/"
  rm -rf "$tmp"
  touch "$schemas/.complete"
fi
say "ready: ODOO_PATH=$ODOO_PATH, $VENV, $(ls "$schemas" | wc -l) schema files"
