"""Short transactions (issue 9, points 1 and 6), in real concurrent transactions on
committed data: no lock is held while Shopify answers; the prefetch job makes the batch's
shared records so that parallel sync jobs do not clash; a deadlock is a clash, not a
job's failure."""
import threading
import time

from odoo import Command, api
from odoo.orm.utils import SUPERUSER_ID
from odoo.tests import tagged

from shopify_simulator import Simulator

from .common import SHOP_GATEWAYS, TOKEN, SyncoCase, import_headers

# Records a sync makes that outlive the test's store: removed after each test (children first).
CLEANED = ("product.product", "product.template", "account.tax", "account.tax.group", "res.partner")


@tagged("post_install", "-at_install")
class TestShortTransactions(SyncoCase):
    """Runs on committed data in separate cursors (a test transaction is invisible to
    other connections), then removes what it committed."""

    def test_no_lock_is_held_while_shopify_answers(self):
        stored = self.pick("source_web")
        with Simulator(scenario=self.sim.data, token=TOKEN, plan="plus") as sim:
            (order_id,), store_id = self._commit(sim, stored)
            try:
                # Every answer of Shopify takes 3 s: the sync is caught in the middle of one.
                sim.faults.inject("slow", fraction=1.0, delay=3.0)
                before = sim.stats["graphql_requests"]
                errors = []
                thread = threading.Thread(target=self._sync_in_thread, args=(order_id, errors))
                thread.start()
                deadline = time.monotonic() + 20
                while sim.stats["graphql_requests"] == before and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertGreater(sim.stats["graphql_requests"], before, "the sync never asked Shopify")
                time.sleep(0.3)
                self.assertTrue(thread.is_alive(), "the sync is still waiting for Shopify")
                # Meanwhile, another transaction takes the order's row and posts an invoice in
                # the same sales journal; neither may wait for the sync.
                with self.registry.cursor() as cr:
                    cr.execute("SET LOCAL lock_timeout = '1s'")
                    cr.execute("SELECT id FROM shopify_order WHERE id = %s FOR UPDATE NOWAIT", [order_id])
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    invoice = env["account.move"].create({
                        "move_type": "out_invoice",
                        "partner_id": env["res.partner"].create({"name": "Walk-in"}).id,
                        "invoice_line_ids": [Command.create({"name": "Counter sale", "price_unit": 10.0,
                                                             "tax_ids": [Command.clear()]})],
                    })
                    invoice.action_post()
                    self.assertEqual(invoice.state, "posted")
                    self.assertTrue(thread.is_alive(), "all this happened while Shopify was answering")
                    cr.rollback()
                sim.faults.clear()
                thread.join(timeout=60)
                self.assertFalse(errors)
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    order = env["shopify.order"].browse(order_id)
                    self.assertEqual(order.sync_state, "synced", order.sync_error)
                    # The write-back is a job of its own, after the commit: the sync sent none.
                    self.assertFalse(sim.stats["by_operation"].get("SetOdooIds"))
                    self.assertEqual(order.writeback_state, "pending")
                    self.assertTrue(env["queue.job"].search_count([("method_name", "=", "_job_write_back")]))
            finally:
                self._remove(store_id)

    def test_prefetched_batches_share_new_records_without_clashing(self):
        """Two batches whose orders have the same new customer and products: their prefetch
        jobs run side by side, then their sync jobs; no order is re-queued, and each record
        exists once."""
        by_customer = {}
        for order in self.sim.data.orders:
            if (order["customer"] and not order["cancelledAt"] and order["id"] not in getattr(self, "_picked", ())
                    and not order.get("test")):
                by_customer.setdefault(order["customer"]["id"], []).append(order)
        pair = next(orders[:2] for orders in by_customer.values() if len(orders) >= 2)
        with Simulator(scenario=self.sim.data, token=TOKEN, plan="plus") as sim:
            order_ids, store_id = self._commit(sim, pair)
            try:
                before = sim.stats["by_operation"].get("OrdersFull", 0)
                self._in_parallel(lambda env, oid: env["shopify.order"].browse(oid)._job_prefetch(), order_ids)
                fetched = sim.stats["by_operation"].get("OrdersFull", 0)
                self.assertEqual(fetched - before, 2, "one fetch per prefetch job")
                summaries = self._in_parallel(
                    lambda env, oid: env["shopify.order.sync"]._sync_orders(env["shopify.order"].browse(oid)),
                    order_ids)
                self.assertEqual([len(s["deferred"]) for s in summaries], [0, 0], "nothing re-queued")
                self.assertEqual(sorted(s["synced"] for s in summaries), [1, 1])
                self.assertEqual(sim.stats["by_operation"].get("OrdersFull", 0), fetched,
                                 "the sync jobs used the prefetched payloads")
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    orders = env["shopify.order"].browse(order_ids)
                    self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
                    self.assertEqual(len(orders.sale_order_id.partner_id), 1, "one customer, not two")
                    self.assertFalse(any(orders.sudo().mapped("fetched_payload_json")), "used once, then cleared")
                    products = orders.sale_order_id.order_line.filtered(
                        lambda l: l.shopify_line_kind == "product").product_id
                    for product in products:
                        self.assertEqual(env["shopify.variant.link"].search_count(
                            [("store_id", "=", store_id), ("product_id", "=", product.id)]) <= 1, True)
            finally:
                self._remove(store_id)

    def test_a_deadlock_defers_the_order_instead_of_failing_the_job(self):
        """The sync holds the order's row and waits to insert a variant link; another
        transaction holds the link table and waits for the order's row: PostgreSQL breaks
        the cycle by rolling back the sync's insert. The order is deferred (tried again by
        a new job), not failed, and the job does not fail."""
        stored = self.pick("source_web")
        with Simulator(scenario=self.sim.data, token=TOKEN, plan="plus") as sim:
            (order_id,), store_id = self._commit(sim, stored)
            blocker = self.registry.cursor()
            try:
                # The blocker waits longer than the sync before looking for a deadlock: the
                # sync is the one that finds it, and is rolled back.
                blocker.execute("SET deadlock_timeout = '20s'")
                blocker.execute("LOCK TABLE shopify_variant_link IN EXCLUSIVE MODE")
                summaries, errors = [], []
                thread = threading.Thread(target=self._sync_in_thread, args=(order_id, errors, summaries))
                thread.start()
                # The sync now holds the order's row and waits on the link table.
                self._wait_for_lock_wait(blocker, "shopify_variant_link")
                # Granted once the sync, its insert rolled back, has committed.
                blocker.execute("SELECT id FROM shopify_order WHERE id = %s FOR UPDATE", [order_id])
                thread.join(timeout=60)
                self.assertFalse(errors)
                self.assertEqual(len(summaries[0]["deferred"]), 1, summaries)
            finally:
                blocker.rollback()
                blocker.close()
                self._remove(store_id)

    def _wait_for_lock_wait(self, cr, table):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with self.registry.cursor() as probe:
                probe.execute("""SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                                  WHERE NOT l.granted AND c.relname = %s""", [table])
                if probe.fetchone()[0]:
                    return
            time.sleep(0.05)
        self.fail(f"the sync never waited on {table}")

    # -- helpers -------------------------------------------------------------------------------
    def _sync_in_thread(self, order_id, errors, summaries=None):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                summary = env["shopify.order.sync"]._sync_orders(env["shopify.order"].browse(order_id))
                if summaries is not None:
                    summaries.append(summary)
        except Exception as exc:  # noqa: BLE001 - returned to the test, which fails on it
            errors.append(exc)

    def _in_parallel(self, body, order_ids):
        barrier = threading.Barrier(len(order_ids))
        results, errors = {}, []

        def worker(order_id):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait(timeout=10)
                    results[order_id] = body(env, order_id)
            except Exception as exc:  # noqa: BLE001 - the test fails on it
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(i,)) for i in order_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        self.assertFalse(errors)
        return [results[i] for i in order_ids]

    def _commit(self, sim, stored):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)],
                                                 limit=1)
            store = env["shopify.store"].create({
                "name": "Short transactions store",
                "shop_domain": f"short-{self._testMethodName[5:25].replace('_', '-').strip('-')}.myshopify.com",
                "api_base_url": sim.base_url,
                "access_token": TOKEN,
                # Sale orders only: what the test commits can be removed again (posted
                # entries could not be); the invoice it posts itself is rolled back.
                "sale_order_mode": "draft",
                "invoice_mode": "none",
                "gateway_mapping_ids": [Command.create({"gateway": g, "journal_id": bank.id})
                                        for g in SHOP_GATEWAYS],
                "rule_exclude_test": False,
                "rule_exclude_cancelled": False,
            })
            store.action_test_connection()
            orders = import_headers(store, stored)
            orders.write({"sync_state": "in_progress"})  # as queued
            self._last_ids = {model: env[model].with_context(active_test=False).search([], order="id desc", limit=1).id
                              for model in CLEANED}
            cr.commit()
            return orders.ids, store.id

    def _remove(self, store_id):
        """What the test committed: documents, records made for it, the store."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["shopify.order"].search([("store_id", "=", store_id)])
            sale_orders = env["sale.order"].search([("shopify_order_id", "in", orders.ids)])
            sale_orders.action_cancel()
            sale_orders.unlink()
            env["queue.job"].search([("model_name", "=", "shopify.order"),
                                     ("method_name", "in", ("_job_write_back", "_job_sync"))]).unlink()
            env["shopify.store"].browse(store_id).unlink()
            # What the syncs made and committed (customers, products, taxes): later tests
            # expect to make them themselves.
            for model in CLEANED:
                env[model].with_context(active_test=False).search([("id", ">", self._last_ids[model])]).unlink()
            cr.commit()
