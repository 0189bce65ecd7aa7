"""Times the fetch stage of a sync of many orders: one bulk export (orders_api.fetch_orders_bulk)
against OrdersFull pages (orders_api.fetch_orders), on a simulated shop whose rate limit is
Shopify's for the plan (Standard: 100 points/s, 2,000-point bucket). Prints figures, no verdict.

    .venv/bin/python bench/bulk_fetch.py                       # 10,000 orders, Standard plan
    .venv/bin/python bench/bulk_fetch.py --orders 2000 --plan advanced
    .venv/bin/python bench/bulk_fetch.py --paged-orders 2000   # pages for 2,000 only, scaled up

Each method starts with a full bucket (the bench waits for it to refill in between). Both
results are compared, ignoring the last line cursor that only a paged read has.
"""
import argparse
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "synco_shopify" not in sys.modules:
    # The plain Shopify layer without the addon's __init__ (which imports odoo), as tests/ do.
    package = types.ModuleType("synco_shopify")
    package.__path__ = [str(ROOT / "synco_shopify")]
    sys.modules["synco_shopify"] = package

from shopify_simulator import Simulator  # noqa: E402
from synco_shopify.shopify.api import orders_api  # noqa: E402
from synco_shopify.shopify.api.auth import StaticToken  # noqa: E402
from synco_shopify.shopify.api.client import ShopifyClient  # noqa: E402
from synco_shopify.shopify.api.versions import DEFAULT_API_VERSION  # noqa: E402

TOKEN = "shpat_bench_bulk_fetch"
SHOP = "synco-demo.myshopify.com"


def measure(sim, client, fetch, gids):
    sim.reset_stats()
    before = client.counters.as_dict()
    started = time.monotonic()
    orders = fetch(client, gids)
    seconds = time.monotonic() - started
    served, after = sim.stats, client.counters.as_dict()
    return orders, {
        "orders": len(orders),
        "seconds": seconds,
        "requests": served["requests"],
        "cost_requested": served["cost_requested"],
        "cost_actual": served["cost_actual"],
        "throttled": served["throttled"],
        "client_throttle_waits": after["throttle_waits"] - before["throttle_waits"],
        "client_wait_seconds": after["throttle_wait_seconds"] - before["throttle_wait_seconds"],
        "by_operation": served["by_operation"],
    }


def wait_for_full_bucket(sim):
    status = sim.bucket.status()
    missing = status["maximumAvailable"] - status["currentlyAvailable"]
    if missing > 0:
        time.sleep(missing / status["restoreRate"] + 0.5)


def show(name, figures, scale=1.0):
    note = f"  (measured on {figures['orders']} orders, scaled x{scale:.2f})" if scale != 1.0 else ""
    print(f"{name:6} {figures['seconds'] * scale:9.1f} s  {figures['requests'] * scale:8.0f} requests  "
          f"cost requested {figures['cost_requested'] * scale:9.0f}  actual {figures['cost_actual'] * scale:9.0f}  "
          f"THROTTLED {figures['throttled'] * scale:5.0f}  client waits {figures['client_throttle_waits'] * scale:5.0f} "
          f"({figures['client_wait_seconds'] * scale:.0f} s){note}")
    print(f"       by operation: {figures['by_operation']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--plan", default="standard", choices=("standard", "advanced", "plus"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--version", default=DEFAULT_API_VERSION)
    parser.add_argument("--paged-orders", type=int, default=None,
                        help="read only this many orders page by page and scale the figures up")
    parser.add_argument("--skip-paged", action="store_true")
    args = parser.parse_args()

    started = time.monotonic()
    with Simulator(orders=args.orders, seed=args.seed, token=TOKEN, shop=SHOP, plan=args.plan) as sim:
        gids = [order["id"] for order in sim.data.orders]
        print(f"{len(gids)} orders generated and served in {time.monotonic() - started:.1f} s "
              f"({args.plan} plan, API {args.version}, bulk threshold {orders_api.BULK_THRESHOLD})")
        with ShopifyClient(SHOP, args.version, StaticToken(TOKEN), base_url=sim.base_url, timeout=(5, 120),
                           max_retry_seconds=600) as client:
            bulk_orders, bulk = measure(sim, client, orders_api.fetch_orders_bulk, gids)
            show("bulk", bulk)
            if args.skip_paged:
                return
            wait_for_full_bucket(sim)
            subset = gids[:args.paged_orders] if args.paged_orders else gids
            paged_orders, paged = measure(sim, client, orders_api.fetch_orders, subset)
            scale = len(gids) / len(subset)
            show("paged", paged, scale)
    for order in paged_orders:
        order["lineItems"]["pageInfo"]["endCursor"] = None
    same = paged_orders == bulk_orders[:len(paged_orders)]
    print(f"same payloads: {same}")
    print(f"paged / bulk: time x{paged['seconds'] * scale / bulk['seconds']:.1f}, "
          f"requests x{paged['requests'] * scale / max(1, bulk['requests']):.1f}, "
          f"actual cost x{paged['cost_actual'] * scale / max(1, bulk['cost_actual']):.1f}")


if __name__ == "__main__":
    main()
