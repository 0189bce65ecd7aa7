"""Shopify's published Admin GraphQL schemas, one per API version.

The introspection files come from the pinned npm package ``@shopify/dev-mcp``
(``tools/dev-mcp.version``); ``tools/setup.sh`` unpacks them into
``.cache/shopify-schemas/<version>/``. They are never committed.
"""
import functools
import gzip
import json
import os
import re
from pathlib import Path

from graphql import build_client_schema

ROOT = Path(__file__).resolve().parent.parent
_FILE = re.compile(r"^admin_(\d{4}-\d{2})\.json\.gz$")


def schema_dir():
    env = os.environ.get("SYNCO_SCHEMA_DIR")
    if env:
        return Path(env)
    pinned = (ROOT / "tools" / "dev-mcp.version").read_text().strip()
    return ROOT / ".cache" / "shopify-schemas" / pinned


def versions():
    """Every stable API version the pinned package ships, oldest first."""
    folder = schema_dir()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"No Shopify schemas in {folder}: run `make setup` (tools/setup.sh) first."
        )
    found = sorted(m.group(1) for p in folder.iterdir() if (m := _FILE.match(p.name)))
    if not found:
        raise FileNotFoundError(f"No admin_<version>.json.gz files in {folder}.")
    return found


def latest():
    return versions()[-1]


@functools.lru_cache(maxsize=None)
def load(version):
    """The executable schema of one version (built once per process)."""
    if version not in versions():
        raise KeyError(f"API version {version} is not served (supported: {', '.join(versions())})")
    with gzip.open(schema_dir() / f"admin_{version}.json.gz") as fh:
        introspection = json.load(fh)
    return build_client_schema(introspection["data"], assume_valid=True)
