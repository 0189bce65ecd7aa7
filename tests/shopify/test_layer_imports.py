"""The Shopify layer is plain Python: it must import with Odoo made unimportable."""
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "synco_shopify" / "shopify"

PROBE = textwrap.dedent("""
    import importlib, importlib.abc, sys, types

    class BlockOdoo(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "odoo" or name.startswith("odoo."):
                raise ImportError(f"the Shopify layer imported {{name}}")
            return None

    sys.meta_path.insert(0, BlockOdoo())
    sys.path.insert(0, {root!r})
    package = types.ModuleType("synco_shopify")
    package.__path__ = [{addon!r}]
    sys.modules["synco_shopify"] = package
    for module in {modules!r}:
        importlib.import_module(module)
    print(len({modules!r}))
""")


def layer_modules():
    found = []
    for path in sorted(LAYER.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def run_probe(modules):
    code = PROBE.format(root=str(ROOT), addon=str(ROOT / "synco_shopify"), modules=modules)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_every_shopify_layer_module_imports_without_odoo():
    modules = layer_modules()
    assert "synco_shopify.shopify.api.client" in modules
    done = run_probe(modules)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(modules))


def test_blocker_catches_a_module_that_imports_odoo(tmp_path):
    # Negative control: the same probe fails as soon as anything pulls in odoo.
    done = run_probe(["odoo.tools"])
    assert done.returncode != 0
    assert "imported odoo" in done.stderr
