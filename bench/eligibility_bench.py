"""Eligibility at scale: N Shopify order headers in one store; time a rule change
(the stored eligibility is recomputed) and the Eligible filter's search. Prints figures.

    .venv/bin/python bench/eligibility_bench.py --db synco_bench --addons-path ... --orders 100000
"""
import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATUSES = ["PAID"] * 6 + ["PARTIALLY_PAID", "PENDING", "AUTHORIZED", "REFUNDED", "PARTIALLY_REFUNDED", "VOIDED"]
FULFILLMENT = ["UNFULFILLED", "FULFILLED", "PARTIALLY_FULFILLED", "IN_PROGRESS"]
SOURCES = ["web", "web", "web", "pos", "shopify_draft_order", "wholesale-app"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()

    from bench.sync_bench import boot

    odoo, registry = boot(args.db, args.addons_path)
    from odoo.api import Environment
    from odoo.orm.utils import SUPERUSER_ID

    rng = random.Random(5)
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {})
        store = env["shopify.store"].create({"name": "Eligibility bench", "shop_domain": "eligibility.myshopify.com",
                                             "access_token": "x", "api_base_url": "http://127.0.0.1:9"})
        start = time.perf_counter()
        now = datetime(2026, 11, 1)
        for offset in range(0, args.orders, 5000):
            env["shopify.order"].create([{
                "store_id": store.id,
                "shopify_gid": f"gid://shopify/Order/{9_000_000 + i}",
                "name": f"#{100_000 + i}",
                "created_at": now - timedelta(minutes=i),
                "processed_at": now - timedelta(minutes=i),
                "financial_status": rng.choice(STATUSES),
                "fulfillment_status": rng.choice(FULFILLMENT),
                "source_name": rng.choice(SOURCES),
                "email": f"buyer{i % 7000}@example.com",
                "amount_total": rng.randint(500, 50_000) / 100,
            } for i in range(offset, min(offset + 5000, args.orders))])
            env.flush_all()
            env.invalidate_all()
        cr.commit()
        print(f"{args.orders} order headers created in {time.perf_counter() - start:.1f} s")

        Order = env["shopify.order"]
        domain = [("store_id", "=", store.id), ("eligible", "=", True)]
        for label, values in (
            ("rule: paid only", {"rule_financial_status_ids": [(6, 0, env.ref("synco_shopify.financial_status_paid").ids)]}),
            ("rule: + web source", {"rule_source_ids": [(6, 0, env.ref("synco_shopify.order_source_web").ids)]}),
            ("rule: no rules", {"rule_financial_status_ids": [(5,)], "rule_source_ids": [(5,)]}),
        ):
            start = time.perf_counter()
            store.write(values)
            env.flush_all()
            recompute = time.perf_counter() - start
            env.invalidate_all()
            start = time.perf_counter()
            count = Order.search_count(domain)
            first_page = Order.search(domain, limit=80, order="created_at desc")
            search = time.perf_counter() - start
            print(f"{label:<22} recompute {recompute:6.2f} s   Eligible filter: {count:>6} orders, "
                  f"count + first page {search * 1000:6.1f} ms")
            cr.commit()
        Order.search([("store_id", "=", store.id)]).unlink()
        store.unlink()
        cr.commit()


if __name__ == "__main__":
    main()
