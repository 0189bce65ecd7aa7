"""Sync benchmark: Shopify simulator -> confirmed sale order + posted invoice + payment
+ write-back, N orders end to end; and, in the same run, the same orders created with a
plain ORM loop one at a time (partner, sale order, confirm, invoice, post, payment), the
reference. Prints figures; asserts nothing (a benchmark is not a test).

    .venv/bin/python bench/sync_bench.py --db synco_bench --orders 50 500
"""
import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def boot(db, addons_path):
    import odoo
    from odoo.tools import config

    config.parse_config(["-d", db, f"--addons-path={addons_path}", "--log-level=warn", "--no-http"])
    from odoo.modules.registry import Registry

    return odoo, Registry(db)


def figures(label, count, seconds, queries, requests=None, cost=None):
    line = f"{label:<22} {count:>5} orders  {count / seconds:8.2f} orders/s  {queries / count:8.1f} SQL/order"
    if requests is not None:
        line += f"  {requests / count:6.3f} Shopify requests/order  {cost / count:7.1f} query cost/order"
    print(line, flush=True)


def run(odoo, registry, sim, n, batch, used):
    from odoo.api import Environment
    from odoo.orm.utils import SUPERUSER_ID

    from bench.plain_loop import plain_loop
    from bench.store_setup import ensure_catalog, prepare_store

    gids = [o["id"] for o in sim.data.orders if _bookable(o) and o["id"] not in used][:2 * n]
    if len(gids) < 2 * n:
        raise SystemExit(f"the simulated shop has only {len(gids)} fresh bookable orders, {2 * n} needed")
    used.update(gids)
    synco_gids, plain_gids = gids[:n], gids[n:2 * n]
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {})
        store = prepare_store(env, sim)
        # A merchant's catalog is in Odoo before its orders are: both paths match
        # products by SKU instead of creating them (created once, untimed).
        ensure_catalog(env, sim)
        env["shopify.order.import"]._import_headers(store, None)
        cr.commit()
        orders = env["shopify.order"].search([("shopify_gid", "in", synco_gids)])
        orders.write({"sync_state": "in_progress"})
        cr.commit()

        # Synco, as its jobs run it: per batch of `batch` orders, the prefetch job (Shopify's
        # answers and the shared records), the sync job (the documents), then the write-back
        # job it queued; each job one transaction.
        sim.reset_stats()
        start_queries, start = cr.sql_log_count, time.perf_counter()
        for index in range(0, len(orders), batch):
            orders[index:index + batch]._job_prefetch()
            cr.commit()
            orders[index:index + batch]._job_sync()
            cr.commit()
            _run_write_backs(env)
            cr.commit()
        synco_seconds = time.perf_counter() - start
        synco_queries = cr.sql_log_count - start_queries
        stats = sim.stats
        synced = orders.filtered(lambda o: o.sync_state == "synced")
        failed = orders - synced
        figures("synco (batched jobs)", len(orders), synco_seconds, synco_queries,
                stats["graphql_requests"], stats["cost_requested"])
        print(f"  Shopify calls: {dict(sorted(stats['by_operation'].items()))}")
        if failed:
            print(f"  ! {len(failed)} failed: {failed[:3].mapped('sync_error')}")
        written = sum(1 for o in synced if sim.metafield(o.shopify_gid, "custom", "odoo_id"))
        print(f"  {len(synced)}/{len(orders)} synced, {written} written back, "
              f"{sum(synced.mapped(lambda o: len(o.payment_ids)))} payments")

        # The reference: the same kind of orders by hand, one at a time.
        payloads = _fetch(store, plain_gids)
        start_queries, start = cr.sql_log_count, time.perf_counter()
        plain_loop(env, payloads, commit=cr.commit)
        plain_seconds = time.perf_counter() - start
        figures("plain ORM loop", len(payloads), plain_seconds, cr.sql_log_count - start_queries)
        ratio = (len(orders) / synco_seconds) / (len(payloads) / plain_seconds)
        print(f"  throughput ratio synco / plain loop: {ratio:.2f}x")
        return synco_queries / len(orders)


def _run_write_backs(env):
    """The write-back jobs the sync queued, performed as queue_job's runner would."""
    from odoo.addons.queue_job.job import Job

    for record in env["queue.job"].search([("method_name", "=", "_job_write_back"), ("state", "=", "pending")]):
        job = Job.load(env, record.uuid)
        job.set_started()
        job.perform()
        job.set_done()
        job.store()


def _fetch(store, gids):
    from odoo.addons.synco_shopify.shopify.api import orders_api

    return orders_api.fetch_orders(store._shopify_client(), gids)


def _bookable(order):
    return (not order["cancelledAt"] and not order["test"]
            and any(line["currentQuantity"] for line in order["lineItems"])
            and order["displayFinancialStatus"] in ("PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a database with synco_shopify installed (it is written to)")
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--orders", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--batch", type=int, default=50, help="orders per job, as the addon enqueues them")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    odoo, registry = boot(args.db, args.addons_path)
    from shopify_simulator import Simulator

    per_order, used = {}, set()
    total = sum(args.orders) * 2
    # About 70 % of generated orders are paid, uncancelled and have something to book.
    with Simulator(orders=int(total * 1.6) + 50, seed=args.seed, token="shpat_bench", plan="plus") as sim:
        for n in args.orders:
            print(f"\n== N = {n} ==")
            per_order[n] = run(odoo, registry, sim, n, args.batch, used)
    print(f"\npeak memory (max RSS of this process) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if len(per_order) > 1:
        low, high = min(args.orders), max(args.orders)
        print(f"SQL queries per order: N={low} {per_order[low]:.1f}, N={high} {per_order[high]:.1f} "
              f"({(per_order[high] / per_order[low] - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
