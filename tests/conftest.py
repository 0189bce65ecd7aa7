"""Shared set-up for the plain-Python tests (no Odoo, no database).

The Shopify layer lives inside the addon at ``synco_shopify/shopify``. Importing
it as ``synco_shopify.shopify`` would run the addon's ``__init__`` (which imports
``odoo``), so the package is registered here as a bare namespace: the layer is
then imported exactly as it is, and any ``import odoo`` inside it would show up
(``test_shopify_layer_never_imports_odoo`` checks that).
"""
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if "synco_shopify" not in sys.modules:
    _pkg = types.ModuleType("synco_shopify")
    _pkg.__path__ = [str(ROOT / "synco_shopify")]
    sys.modules["synco_shopify"] = _pkg


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """pytest-odoo's autouse fixture of this name loads an Odoo database; these
    tests need none, so this one replaces it for everything under tests/."""
    yield
