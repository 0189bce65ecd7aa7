"""Webhooks end to end: the simulator, as Shopify, delivers signed webhooks to Odoo's intake
route over real HTTP; the queued jobs (run as queue_job's runner runs them) bring the order
in without any poll. Dropped deliveries are recovered by the catch-up."""
import time
from decimal import Decimal

from odoo.tests import HttpCase, tagged
from odoo.tests.common import release_test_lock

from shopify_simulator import Simulator

from .common import TOKEN, SyncoCase

SECRET = "shpss_e2e_secret"


@tagged("post_install", "-at_install", "synco")
class TestWebhooksEndToEnd(HttpCase, SyncoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The class's simulator, signing with the app's secret and retrying fast.
        cls.sim.stop()
        cls.sim = Simulator(scenario=cls.sim.data, token=TOKEN, plan="plus", webhook_secret=SECRET,
                            webhook_retry_scale=0.0005)
        cls.sim.start()
        cls.addClassCleanup(cls.sim.stop)
        cls.store.write({"api_base_url": cls.sim.base_url, "auto_sync": True, "auto_apply_changes": True,
                         "invoice_policy": "all"})
        cls.store.sudo().webhook_secret = SECRET

    def setUp(self):
        super().setUp()
        # The deliveries come from the simulator, not from this test's browser session: Odoo's
        # test server lets requests without the test's cookie through (its own switch for that).
        self.http_request_allow_all = True
        self.sim.faults.clear()  # the class shares one simulator
        self.addCleanup(self.sim.faults.clear)
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.store.action_webhooks_subscribe()

    def run_jobs(self, rounds=6):
        """queue_job's runner, in the test: every pending job of the channel, until none is left."""
        from .common import run_job

        for _round in range(rounds):
            pending = self.env["queue.job"].search([("state", "=", "pending"), ("channel", "=", "root.synco")])
            if not pending:
                return
            for record in pending:
                run_job(self.env, record)  # and lets the jobs waiting for it run next

    def shopify(self, change, *args, **kwargs):
        """A change in Shopify (the simulator): its deliveries reach Odoo at once, so the test
        thread lets go of its cursor while Shopify acts."""
        with release_test_lock():
            return change(*args, **kwargs)

    def catch_up(self):
        """The scheduled catch-up, reading what changed in the last minutes (not the shop's
        whole history, which this test does not need)."""
        from datetime import timedelta

        self.store.write({"headers_synced_until": self.sim.clock.now().replace(tzinfo=None) - timedelta(minutes=5),
                          "catchup_overlap_minutes": 0})
        self.store._job_catch_up()

    def delivered(self, timeout=10):
        # Odoo's test server answers a request once the test thread lets go of its cursor.
        with release_test_lock():
            idle = self.sim.webhooks.wait_idle(timeout)
        self.assertTrue(idle, f"the simulator delivered everything: {self.sim.webhooks.deliveries()[-3:]}")

    def order_of(self, gid):
        return self.env["shopify.order"].search([("store_id", "=", self.store.id), ("shopify_gid", "=", gid)])

    def test_subscribe_check_unsubscribe(self):
        self.assertIn("Subscribed to ORDERS_CREATE, ORDERS_UPDATED", self.store.webhook_message)
        subs = self.sim.execute("{ webhookSubscriptions(first: 10) { nodes { topic uri includeFields } } }")
        nodes = subs["data"]["webhookSubscriptions"]["nodes"]
        self.assertEqual(sorted(n["topic"] for n in nodes), ["ORDERS_CREATE", "ORDERS_UPDATED"])
        self.assertTrue(all(n["uri"] == self.store.webhook_callback_url for n in nodes))
        self.assertEqual(nodes[0]["includeFields"], ["id", "admin_graphql_api_id", "updated_at"])
        self.store.action_webhooks_subscribe()  # again: nothing more
        self.store.action_webhooks_check()
        self.assertIn("Subscribed to", self.store.webhook_message)
        self.store.action_webhooks_unsubscribe()
        self.assertIn("Not subscribed to ORDERS_CREATE, ORDERS_UPDATED", self.store.webhook_message)

    def test_a_new_order_arrives_synced_without_any_poll_and_a_refund_as_a_credit_note(self):
        started = time.monotonic()
        stored = self.shopify(self.sim.new_order, 8)  # a paid web order (seed 8)
        self.delivered()
        self.run_jobs()
        order = self.order_of(stored["id"])
        self.assertTrue(order, f"the delivery brought the order in: {self.sim.webhooks.deliveries()}, "
                               f"{self.env['shopify.webhook.delivery'].search([]).read(['order_gid', 'state'])}")
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertTrue(order.invoice_ids)
        print(f"\nwebhook: new order to {order.sync_state} in {time.monotonic() - started:.2f} s (jobs run at once)")
        line = next(line for line in self.sim.store.node(stored["id"])["lineItems"] if line["currentQuantity"])
        self.shopify(self.sim.refund, stored["id"], lines=[(line["id"], 1, "RETURN")])
        self.delivered()
        self.run_jobs()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertEqual(len(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")), 1)

    def test_duplicate_and_out_of_order_deliveries_end_in_the_latest_state_once(self):
        stored = next(o for o in self.pick("source_web", 6) if o["displayFinancialStatus"] == "PAID")
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.sim.faults.inject("webhook_duplicate", count=4)
        self.sim.faults.inject("webhook_out_of_order", count=1)
        line = next(line for line in self.sim.store.node(stored["id"])["lineItems"] if line["currentQuantity"])
        self.shopify(self.sim.refund, stored["id"], lines=[(line["id"], 1, "RETURN")])
        self.shopify(self.sim.refund, stored["id"], lines=[], amount=Decimal("1.00"))  # a second change
        self.delivered()
        deliveries = self.env["shopify.webhook.delivery"].search([("order_gid", "=", stored["id"])])
        sent = {d["webhook_id"] for d in self.sim.webhooks.deliveries() if d["order_id"] == stored["id"]}
        self.assertEqual(set(deliveries.mapped("webhook_id")), sent, "each delivery recorded once")
        self.assertEqual(len(sent), 2, "two changes, each delivered (twice, and out of order)")
        self.run_jobs()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertEqual(len(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")), 2,
                         "a credit note per refund, each once")

    def test_dropped_deliveries_are_recovered_by_the_catch_up(self):
        self.sim.faults.inject("webhook_drop", count=10)
        stored = self.shopify(self.sim.new_order, 12)  # a paid web order (seed 12)
        self.delivered()
        self.assertFalse(self.order_of(stored["id"]), "nothing arrived")
        self.catch_up()  # the scheduled catch-up, the safety net
        self.run_jobs()
        order = self.order_of(stored["id"])
        self.assertTrue(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)

    def test_a_badly_signed_delivery_is_refused_and_counted(self):
        before = self.store.webhook_refused_count
        self.sim.faults.inject("webhook_bad_signature", count=1)
        stored = self.shopify(self.sim.new_order)
        self.delivered(timeout=15)
        self.store.invalidate_recordset(["webhook_refused_count"])
        self.assertGreater(self.store.webhook_refused_count, before)
        self.assertFalse(self.env["shopify.webhook.delivery"].search([("order_gid", "=", stored["id"])]),
                         "a refused delivery leaves no record")
        self.assertFalse(self.order_of(stored["id"]))
        # Shopify's retries carry the same bad signature; the catch-up brings the order in.
        self.catch_up()
        self.run_jobs()
        self.assertTrue(self.order_of(stored["id"]))
