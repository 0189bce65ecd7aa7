"""Preview benchmark: the Preview of one order of 250+ lines (the simulator's many_lines
scenario), as the dialog computes it: Shopify's answer over HTTP, then the plan and the
matching of every line. Prints the figures (best and median of the runs, SQL queries);
asserts nothing. Everything it made (store, order header) is rolled back at the end.

    .venv/bin/python bench/preview_bench.py --db synco_bench [--runs 5] [--profile]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_ADDONS = f"/opt/odoo/addons,{ROOT}/.venv/lib/python3.11/site-packages/odoo/addons,{ROOT}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", default=DEFAULT_ADDONS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one more run, top 25 by own time")
    args = parser.parse_args()

    from bench.sync_bench import boot
    from shopify_simulator import Simulator
    from shopify_simulator.generator import generate

    odoo, registry = boot(args.db, args.addons_path)
    from odoo.api import Environment
    from odoo.orm.utils import SUPERUSER_ID

    from bench.store_setup import prepare_store

    data = generate(7, 2, scenarios=["many_lines"])
    with Simulator(orders=2, seed=7, token="shpat_bench", plan="plus", scenario=data) as sim, \
            registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {})
        try:
            measure(env, sim, prepare_store, args)
        finally:
            cr.rollback()  # the store and the header were the bench's own


def measure(env, sim, prepare_store, args):
    from odoo.addons.synco_shopify.services.order_preview import preview_order

    store = prepare_store(env, sim)
    env["shopify.order.import"]._import_headers(store, None)
    stored = max(sim.data.orders, key=lambda o: len(o["lineItems"]))
    order = env["shopify.order"].search([("store_id", "=", store.id), ("shopify_gid", "=", stored["id"])])
    runs = []
    for _run in range(args.runs):
        env.invalidate_all()  # each run reads Odoo as a fresh request would
        queries, start = env.cr.sql_log_count, time.perf_counter()
        preview = preview_order(order)
        runs.append((time.perf_counter() - start, preview.seconds["fetch"], preview.seconds["plan"],
                     env.cr.sql_log_count - queries))
    lines = len(preview.sale_order["lines"]) if preview.sale_order else len(preview.documents[0]["lines"])
    print(f"preview of {order.name}: {lines} lines, {len(preview.products)} products, "
          f"{len(preview.documents)} documents, {len(preview.payments)} payments, "
          f"{len(preview.reasons)} reasons to fail")
    for label, index in (("total", 0), ("Shopify (HTTP)", 1), ("plan + matching", 2)):
        values = [run[index] for run in runs]
        print(f"  {label:<16} best {min(values):6.3f} s   median {statistics.median(values):6.3f} s")
    print(f"  SQL queries      {runs[-1][3]} per preview ({args.runs} runs)")
    if args.profile:
        import cProfile
        import pstats

        env.invalidate_all()
        profiler = cProfile.Profile()
        profiler.runcall(preview_order, order)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
