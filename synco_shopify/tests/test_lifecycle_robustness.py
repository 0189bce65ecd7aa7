"""An order's later life under trouble: a Shopify fetch that fails half-way writes nothing,
and an update racing another sync of the same order (real concurrent transactions) books
each refund once."""
from odoo import api
from odoo.orm.utils import SUPERUSER_ID
from odoo.tests import tagged

from shopify_simulator import Simulator

from ..shopify.api.errors import ShopifyUnavailable
from .common import TOKEN, SyncoCase, sync_concurrently


@tagged("post_install", "-at_install", "synco")
class TestUpdateFetchFailsHalfWay(SyncoCase):
    def test_refund_details_failing_after_the_orders_came_writes_nothing(self):
        self.store.invoice_policy = "all"
        stored = next(o for o in self.pick("source_web", 6) if o["displayFinancialStatus"] == "PAID")
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        line = next(line for line in self.sim.store.node(stored["id"])["lineItems"] if line["currentQuantity"])
        self.sim.refund(stored["id"], lines=[(line["id"], 1, "RETURN")])
        order.sync_state = "changed"
        moves, payments = order.invoice_ids, order.payment_ids
        # The orders arrive; the refunds' details (the second request) never do.
        self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "0")
        self.sim.faults.inject("http_5xx", count=50, skip=1)
        with self.assertRaises(ShopifyUnavailable):
            self.env["shopify.order.sync"]._sync_orders(order)
        self.sim.faults.clear()
        self.assertEqual((order.invoice_ids, order.payment_ids), (moves, payments), "nothing half-written")
        self.assertEqual(order.sync_state, "changed")
        self.assertGreaterEqual(self.sim.stats["faults_served"], 1, "the second request failed")
        # The job retries later: the refund is booked once.
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        credit = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(credit), 1)
        refunds_paid = [t for t in self.sim.store.node(stored["id"])["transactions"]
                        if t["kind"] == "REFUND" and t["status"] == "SUCCESS"]
        self.assertEqual(len(order.payment_ids - payments), len(refunds_paid), "the refund's payment, once")


@tagged("post_install", "-at_install", "synco")
class TestNullableShippingLineId(SyncoCase):
    def test_a_shipping_line_without_id_does_not_fail_the_order(self):
        """ShippingLine.id is nullable in Shopify's schema: such an order syncs, and a refund
        of its shipping is credited on it."""
        stored = next(o for o in self.pick("shipping_tax", 4) if len(o["shippingLines"]) == 1
                      and o["displayFinancialStatus"] == "PAID")
        self.sim.refund(stored["id"], shipping="full")
        changed = self.sim.store.node(stored["id"])
        changed["shippingLines"][0]["id"] = None
        for refund in changed["refunds"]:
            for item in refund["refundShippingLines"]:
                item["shippingLine"] = {"id": None}  # the line it names has no id either
        self.sim.upsert_orders([changed])
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        credit = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(credit.invoice_line_ids.mapped("shopify_line_kind"), ["shipping"])


@tagged("post_install", "-at_install", "synco")
class TestUpdateRacingASync(SyncoCase):
    """Committed data in separate cursors (a test transaction is invisible to other
    connections), removed at the end."""

    def test_an_update_racing_the_first_sync_books_the_refund_once(self):
        stored = self.pick("source_web")
        with Simulator(scenario=self.sim.data, token=TOKEN, plan="plus") as sim:
            line = next(line for line in sim.store.node(stored[0]["id"])["lineItems"] if line["currentQuantity"])
            sim.refund(stored[0]["id"], lines=[(line["id"], 1, "NO_RESTOCK")])
            order_id, store_id = self._commit(sim, stored)
            try:
                self._race(order_id, changed=False)
                self._assert_booked_once(order_id)
                # A refund after it, and two updates at once: one credit note more, not two.
                line = next(line for line in sim.store.node(stored[0]["id"])["lineItems"] if line["currentQuantity"])
                sim.refund(stored[0]["id"], lines=[(line["id"], 1, "RETURN")])
                self._race(order_id, changed=True)
                self._assert_booked_once(order_id, refunds=2)
            finally:
                self._remove(order_id, store_id)

    def _race(self, order_id, changed):
        if changed:
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["shopify.order"].browse(order_id).sync_state = "changed"
        summaries, errors = sync_concurrently(self.registry, order_id)
        self.assertFalse(errors)
        # One worker synced it; the other found it locked or already up to date.
        self.assertEqual(sorted(s["synced"] for s in summaries), [0, 1])

    def _assert_booked_once(self, order_id, refunds=1):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["shopify.order"].browse(order_id)
            self.assertEqual(order.sync_state, "synced", order.sync_error)
            self.assertEqual(env["sale.order"].search_count([("shopify_order_id", "=", order_id)]), 1)
            moves = env["account.move"].search([("shopify_order_id", "=", order_id)])
            self.assertEqual(sorted(moves.mapped("move_type")), ["out_invoice"] + ["out_refund"] * refunds)
            self.assertEqual(len(set(moves.mapped("shopify_source_gid"))), len(moves))

    def _commit(self, sim, stored):
        from odoo.addons.synco_shopify.shopify.api import orders_api

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            store = env["shopify.store"].create({
                "name": "Race store", "shop_domain": "race.myshopify.com", "api_base_url": sim.base_url,
                "access_token": TOKEN, "sale_order_mode": "confirmed", "invoice_mode": "draft",
                "invoice_policy": "all", "rule_exclude_test": False, "rule_exclude_cancelled": False,
            })
            store.action_test_connection()
            search = " OR ".join(f"id:{orders_api.legacy_id(o['id'])}" for o in stored)
            orders = env["shopify.order.import"]._upsert_page(
                store, list(orders_api.iter_order_headers(store._shopify_client(), search)))
            cr.commit()
            return orders.id, store.id

    def _remove(self, order_id, store_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.move"].search([("shopify_order_id", "=", order_id)]).unlink()
            sale_orders = env["sale.order"].search([("shopify_order_id", "=", order_id)])
            sale_orders._action_cancel()
            sale_orders.unlink()
            # The write-back job its syncs queued (the runner of a test run runs none).
            env["queue.job"].search([("model_name", "=", "shopify.order")]).filtered(
                lambda job: job.records.exists().store_id.id == store_id).unlink()
            env["shopify.store"].browse(store_id).unlink()
            cr.commit()
