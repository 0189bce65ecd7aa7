"""Two workers on the same order, in real concurrent transactions: one sale order."""
import threading

from psycopg2 import IntegrityError

from odoo import api
from odoo.orm.utils import SUPERUSER_ID
from odoo.tests import tagged
from odoo.tools import mute_logger

from shopify_simulator import Simulator

from .common import TOKEN, SyncoCase, import_headers, sync_concurrently


@tagged("post_install", "-at_install")
class TestDatabaseRefusesDuplicates(SyncoCase):
    def test_a_second_sale_order_for_one_shopify_order_is_refused_by_postgres(self):
        order = self.list_orders(self.pick("source_web"))
        order.action_sync()
        self.assertTrue(order.sale_order_id)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            order.sale_order_id.copy({"shopify_order_id": order.id})
            self.env.flush_all()

    def test_a_transaction_is_registered_once(self):
        order = self.list_orders(self.pick("multi_gateway"))
        order.action_sync()
        payment = order.payment_ids[:1]
        self.assertTrue(payment)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            payment.copy({"shopify_transaction_gid": payment.shopify_transaction_gid})
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestConcurrentSync(SyncoCase):
    """Runs on committed data in separate cursors (a test transaction is invisible to
    other connections), then removes what it committed."""

    def test_two_concurrent_syncs_give_one_sale_order(self):
        stored = self.pick("source_pos")
        with Simulator(scenario=self.sim.data, token=TOKEN, plan="plus") as sim:
            order_id, store_id = self._commit_store_and_order(sim, stored)
            try:
                summaries, errors = sync_concurrently(self.registry, order_id)
                self.assertFalse(errors)
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    order = env["shopify.order"].browse(order_id)
                    self.assertEqual(order.sync_state, "synced", order.sync_error)
                    self.assertEqual(env["sale.order"].search_count([("shopify_order_id", "=", order_id)]), 1)
                outcomes = sorted((s["synced"], s["skipped"]) for s in summaries)
                # One worker synced it; the other found it locked (skipped) or already synced.
                self.assertEqual(outcomes, [(0, 1), (1, 0)])
                # The write-back is a job of its own, queued once by the sync that made it.
                self.assertFalse(sim.stats["by_operation"].get("SetOdooIds"))
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    jobs = env["queue.job"].search([("method_name", "=", "_job_write_back"),
                                                    ("model_name", "=", "shopify.order")]).filtered(
                        lambda job: job.records.exists().store_id.id == store_id)
                    self.assertEqual(len(jobs), 1)
                    jobs.unlink()
                    cr.commit()
            finally:
                self._remove_committed(order_id, store_id)

    def test_parallel_jobs_creating_the_same_customer_retry_instead_of_failing(self):
        by_customer = {}
        for order in self.sim.data.orders:
            if order["customer"] and not order["cancelledAt"] and order["id"] not in getattr(self, "_picked", ()):
                by_customer.setdefault(order["customer"]["id"], []).append(order)
        pair = next(orders[:2] for orders in by_customer.values() if len(orders) >= 2)
        with Simulator(scenario=self.sim.data, token=TOKEN, plan="plus") as sim:
            order_ids, store_id = self._commit_store_and_orders(sim, pair)
            try:
                barrier = threading.Barrier(2)
                outcomes = {}

                def worker(order_id):
                    for attempt in range(3):  # what the job does with deferred orders
                        with self.registry.cursor() as cr:
                            env = api.Environment(cr, SUPERUSER_ID, {})
                            if attempt == 0:
                                barrier.wait(timeout=10)
                            summary = env["shopify.order.sync"]._sync_orders(env["shopify.order"].browse(order_id))
                        if summary["synced"]:
                            outcomes[order_id] = attempt
                            return

                threads = [threading.Thread(target=worker, args=(i,)) for i in order_ids]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=60)
                self.assertEqual(set(outcomes), set(order_ids), "both orders end synced, at most after a retry")
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    orders = env["shopify.order"].browse(order_ids)
                    self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
                    self.assertEqual(len(orders.sale_order_id.partner_id), 1, "one customer, not two")
                    self.assertEqual(env["shopify.customer.link"].search_count(
                        [("store_id", "=", store_id), ("customer_gid", "=", pair[0]["customer"]["id"])]), 1)
            finally:
                for order_id in order_ids:
                    self._remove_committed(order_id, None)
                self._remove_committed(None, store_id)

    def _commit_store_and_order(self, sim, stored):
        ids, store_id = self._commit_store_and_orders(sim, stored)
        return ids[0], store_id

    def _commit_store_and_orders(self, sim, stored):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            store = env["shopify.store"].create({
                "name": "Concurrency store",
                "shop_domain": "concurrency.myshopify.com",
                "api_base_url": sim.base_url,
                "access_token": TOKEN,
                "sale_order_mode": "draft",
                "invoice_mode": "none",
                "rule_exclude_test": False,
                "rule_exclude_cancelled": False,
            })
            store.action_test_connection()
            orders = import_headers(store, stored)
            cr.commit()
            return orders.ids, store.id

    def _remove_committed(self, order_id, store_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if order_id:
                env["sale.order"].search([("shopify_order_id", "=", order_id)]).unlink()
            if store_id:
                env["shopify.store"].browse(store_id).unlink()
            cr.commit()
