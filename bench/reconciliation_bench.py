"""Reconciliation report benchmark: a month of N Shopify orders (10,000 by default) with
their Odoo documents, then the report timed as an accountant uses it: Compute (the SQL
refresh), the pivot and graph reads, the three lists, the printed report. Prints figures;
asserts nothing (a benchmark is not a test).

    .venv/bin/python bench/reconciliation_bench.py --db synco_bench --addons-path ... --orders 10000

How the month is made: a simulated shop of --seed-orders orders is imported and its
bookable orders are synced for real (sale order, posted invoice, credit notes, payments);
then every order of the store and its documents (sale order and lines, invoices and
credit notes and their lines, payments) are copied by SQL, generation after generation,
with fresh Shopify ids, names and a processedAt spread over the month, until the month
holds N orders. The copies carry real documents made by the sync, so the report reads what
it reads in production; only their number is multiplied. The copies are committed (use a
database made for the bench) and left for a re-run with the same --month.
"""
import argparse
import math
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync_bench import _bookable, boot  # noqa: E402

# What changes on a copy; every other column is copied as it is. %(g)s is the generation.
ORDER_CHANGES = {
    "shopify_gid": "t.shopify_gid || '/copy' || m.gen",
    "name": "t.name || '-' || m.gen",
    "processed_at": "%(start)s::timestamp + ((m.gen * 7919 + t.id * 104729) %% %(seconds)s) * interval '1 second'",
    "created_at": "%(start)s::timestamp + ((m.gen * 7919 + t.id * 104729) %% %(seconds)s) * interval '1 second'",
    "sale_order_id": "NULL",
    "job_id": "NULL",
}


def columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'",
               [table])
    return [row[0] for row in cr.fetchall()]


def copy_rows(cr, table, source, changes, params):
    """INSERT INTO table (id, cols) SELECT m.new, <changed or copied cols> FROM <source>:
    ``source`` joins the map (m: old, new, gen, order_new) to the template rows (t)."""
    cols = columns(cr, table)
    select = ", ".join(changes.get(col, f"t.{col}") for col in cols)
    cr.execute(f"INSERT INTO {table} (id, {', '.join(cols)}) SELECT m.new, {select} {source}", params)


def make_month(env, store, month_start, month_end, target):
    cr = env.cr
    cr.execute("SELECT count(*) FROM shopify_order WHERE store_id = %s AND shopify_gid LIKE '%%/copy%%'", [store.id])
    if cr.fetchone()[0] >= target:
        return
    cr.execute("SELECT id FROM shopify_order WHERE store_id = %s AND shopify_gid NOT LIKE '%%/copy%%'", [store.id])
    template = [row[0] for row in cr.fetchall()]
    generations = math.ceil(target / len(template))
    params = {"start": month_start, "seconds": int((month_end - month_start).total_seconds()), "store": store.id,
              "template": tuple(template), "generations": generations}
    cr.execute("""
        DROP TABLE IF EXISTS bench_order_map;
        CREATE TEMP TABLE bench_order_map AS
        SELECT o.id AS old, g AS gen, nextval('shopify_order_id_seq') AS new
          FROM shopify_order o, generate_series(1, %(generations)s) g WHERE o.id IN %(template)s;
        CREATE INDEX ON bench_order_map (old, gen);
    """, params)
    copy_rows(cr, "shopify_order", "FROM bench_order_map m JOIN shopify_order t ON t.id = m.old",
              ORDER_CHANGES, params)
    # sale orders and their lines
    cr.execute("""
        CREATE TEMP TABLE bench_so_map AS
        SELECT so.id AS old, m.gen, m.new AS order_new, nextval('sale_order_id_seq') AS new
          FROM bench_order_map m JOIN sale_order so ON so.shopify_order_id = m.old
    """)
    copy_rows(cr, "sale_order", "FROM bench_so_map m JOIN sale_order t ON t.id = m.old",
              {"shopify_order_id": "m.order_new", "name": "t.name || '-' || m.gen"}, params)
    cr.execute("UPDATE shopify_order o SET sale_order_id = m.new FROM bench_so_map m WHERE o.id = m.order_new")
    cr.execute("""
        CREATE TEMP TABLE bench_sol_map AS
        SELECT l.id AS old, m.new AS so_new, nextval('sale_order_line_id_seq') AS new
          FROM bench_so_map m JOIN sale_order_line l ON l.order_id = m.old
    """)
    copy_rows(cr, "sale_order_line", "FROM bench_sol_map m JOIN sale_order_line t ON t.id = m.old",
              {"order_id": "m.so_new"}, params)
    # invoices and credit notes, and their lines
    cr.execute("""
        CREATE TEMP TABLE bench_move_map AS
        SELECT mv.id AS old, m.gen, m.new AS order_new, nextval('account_move_id_seq') AS new
          FROM bench_order_map m JOIN account_move mv ON mv.shopify_order_id = m.old;
        CREATE INDEX ON bench_move_map (old, gen);
    """)
    copy_rows(cr, "account_move", "FROM bench_move_map m JOIN account_move t ON t.id = m.old",
              {"shopify_order_id": "m.order_new", "name": "t.name || '-' || m.gen",
               "reversed_entry_id": "(SELECT r.new FROM bench_move_map r WHERE r.old = t.reversed_entry_id"
                                    " AND r.gen = m.gen)",
               "origin_payment_id": "NULL", "statement_line_id": "NULL"}, params)
    cr.execute("""
        CREATE TEMP TABLE bench_aml_map AS
        SELECT l.id AS old, m.new AS move_new, nextval('account_move_line_id_seq') AS new
          FROM bench_move_map m JOIN account_move_line l ON l.move_id = m.old
    """)
    copy_rows(cr, "account_move_line", "FROM bench_aml_map m JOIN account_move_line t ON t.id = m.old",
              {"move_id": "m.move_new", "full_reconcile_id": "NULL", "matching_number": "NULL",
               "reconciled": "false", "statement_line_id": "NULL", "payment_id": "NULL"}, params)
    # payments (without their journal entries: the report reads the payment)
    cr.execute("""
        CREATE TEMP TABLE bench_pay_map AS
        SELECT p.id AS old, m.gen, m.new AS order_new, nextval('account_payment_id_seq') AS new
          FROM bench_order_map m JOIN account_payment p ON p.shopify_order_id = m.old
    """)
    copy_rows(cr, "account_payment", "FROM bench_pay_map m JOIN account_payment t ON t.id = m.old",
              {"shopify_order_id": "m.order_new", "move_id": "NULL",
               "shopify_transaction_gid": "t.shopify_transaction_gid || '/copy' || m.gen"}, params)
    cr.execute("ANALYZE shopify_order; ANALYZE account_move; ANALYZE account_move_line; ANALYZE sale_order;"
               " ANALYZE sale_order_line; ANALYZE account_payment")


def timed(label, fn, note=""):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<48} {time.perf_counter() - start:8.3f} s  {note}", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seed-orders", type=int, default=60, help="orders of the simulated shop, synced for real")
    parser.add_argument("--month", default="2026-03", help="the month the copies are spread over (YYYY-MM)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    year, month = map(int, args.month.split("-"))
    date_from = date(year, month, 1)
    date_to = date.fromordinal(date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1)  # its last day
    odoo, registry = boot(args.db, args.addons_path)
    from odoo.api import Environment
    from odoo.orm.utils import SUPERUSER_ID

    from bench.store_setup import ensure_catalog, prepare_store
    from shopify_simulator import Simulator

    with Simulator(orders=args.seed_orders, seed=args.seed, token="shpat_bench", plan="plus") as sim, \
            registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {})
        store = prepare_store(env, sim)
        ensure_catalog(env, sim)
        if not env["shopify.order"].search_count([("store_id", "=", store.id), ("sync_state", "=", "synced")]):
            env["shopify.order.import"]._import_headers(store, None)
            bookable = [o["id"] for o in sim.data.orders if _bookable(o)]
            orders = env["shopify.order"].search([("store_id", "=", store.id), ("shopify_gid", "in", bookable)])
            timed(f"sync of the {len(orders)} template orders", lambda: env["shopify.order.sync"]._sync_orders(orders))
            cr.commit()
        zone_start, zone_end = env["shopify.reconciliation"].new(
            {"store_id": store.id, "date_from": date_from, "date_to": date_to})._utc_bounds()
        timed(f"copying up to {args.orders} orders into {args.month}",
              lambda: make_month(env, store, zone_start, zone_end, args.orders))
        cr.commit()

        rec = env["shopify.reconciliation"].create({
            "store_id": store.id, "date_from": date_from, "date_to": date_to,
            "refresh_headers": False})
        timed("Compute (SQL refresh)", rec.action_refresh)
        timed("Compute again (replaces the figures)", rec.action_refresh)
        cr.commit()
        Line = env["shopify.reconciliation.line"]
        domain = [("reconciliation_id", "=", rec.id)]
        measures = ["shopify_amount:sum", "odoo_amount:sum", "difference:sum"]
        print(f"orders {rec.order_count}: {rec.matched_count} match, {rec.different_count} differ, "
              f"{rec.missing_count} no document, {rec.failed_count} failed, {rec.excluded_count} excluded; "
              f"{Line.search_count(domain)} figure lines")
        env.invalidate_all()
        timed("pivot: figure x tax/gateway", lambda: Line.formatted_read_group(domain, ["measure", "detail"], measures))
        timed("pivot: figure x status", lambda: Line.formatted_read_group(domain, ["measure", "status"], measures))
        timed("graph: day x status (totals)", lambda: Line.formatted_read_group(
            domain + [("measure", "=", "total")], ["shop_date:day", "status"], ["shopify_amount:sum"]))
        timed("pivot drill-down: one cell's lines (80)", lambda: Line.web_search_read(
            domain + [("measure", "=", "tax")], {"order_name": {}, "shopify_amount": {}, "odoo_amount": {}},
            limit=80))
        Rows = env["shopify.reconciliation.order"]
        spec = {"name": {}, "status": {}, "shop_date": {}, "odoo_ref": {}, "shopify_total": {}, "odoo_total": {},
                "difference": {}, "differences": {}, "sync_error": {}}
        for status in ("missing", "failed", "different"):
            timed(f"list '{status}' (first 80 and count)", lambda s=status: Rows.web_search_read(
                [("reconciliation_id", "=", rec.id), ("status", "=", s)], spec, limit=80, count_limit=100_000))
        report = "synco_shopify.action_report_shopify_reconciliation"
        html = timed("printed report: HTML (QWeb)",
                     lambda: env["ir.actions.report"]._render_qweb_html(report, rec.ids)[0])
        print(f"  {len(html) / 1e6:.1f} MB of HTML")
        try:
            timed("printed report: PDF (wkhtmltopdf)",
                  lambda: env["ir.actions.report"]._render_qweb_pdf(report, rec.ids))
        except Exception as exc:  # noqa: BLE001 - a machine without wkhtmltopdf still gets the other figures
            print(f"printed report: PDF not timed: {exc}")
        cr.rollback()


if __name__ == "__main__":
    main()
