"""The webhook intake over real HTTP: signed deliveries are recorded once and queue one job;
unsigned, forged, oversized and unknown ones are refused and leave nothing; the job refreshes
the order and follows the store's rules; a store of company B never touches company A."""
import json
from datetime import datetime, timezone

from odoo.tests import HttpCase, tagged

from ..shopify.api.webhooks import MAX_BODY_BYTES, signature
from .common import SyncoCase

SECRET = "shpss_webhook_test"


@tagged("post_install", "-at_install", "synco")
class TestWebhookIntake(HttpCase, SyncoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.sudo().webhook_secret = SECRET

    def deliver(self, stored, *, webhook_id, topic="orders/updated", secret=SECRET, body=None, store=None,
                updated_at=None, sign=True, triggered_at=None):
        store = store or self.store
        body = body if body is not None else json.dumps({
            "id": int(stored["id"].rsplit("/", 1)[-1]), "admin_graphql_api_id": stored["id"],
            "updated_at": updated_at or stored["updatedAt"]}).encode()
        headers = {"X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": webhook_id, "X-Shopify-Event-Id": webhook_id,
                   "X-Shopify-Shop-Domain": store.shop_domain, "Content-Type": "application/json",
                   "X-Shopify-Triggered-At": triggered_at or datetime.now(timezone.utc).isoformat()}
        if sign:
            headers["X-Shopify-Hmac-Sha256"] = signature(secret, body)
        return self.url_open(f"/synco/webhook/{store.webhook_token}", data=body, headers=headers)

    def jobs(self, method="_job_webhook"):
        return self.env["queue.job"].search([("method_name", "=", method)])

    def run_pending(self, method):
        """What queue_job's runner does with each pending job: perform it, mark it done. A
        sync job first has its prefetch run (the job it waits for)."""
        from .common import run_job

        for record in self.jobs(method).filtered(lambda j: j.state in ("pending", "wait_dependencies")):
            for first in record.dependency_ids.filtered(lambda j: j.state == "pending"):
                run_job(self.env, first)
            run_job(self.env, record)

    def test_refused_deliveries_leave_nothing(self):
        stored = self.pick("source_web")[0]
        Delivery = self.env["shopify.webhook.delivery"]
        refused_before = self.store.webhook_refused_count
        self.assertEqual(self.deliver(stored, webhook_id="w-unsigned", sign=False).status_code, 401)
        self.assertEqual(self.deliver(stored, webhook_id="w-forged", secret="not-the-secret").status_code, 401)
        big = b"{" + b" " * (MAX_BODY_BYTES + 1) + b"}"
        self.assertEqual(self.deliver(stored, webhook_id="w-big", body=big).status_code, 413)
        # a signed body replayed under a new webhook id, long after Shopify made it
        replay = self.deliver(stored, webhook_id="w-replay", triggered_at="2026-01-01T00:00:00Z")
        self.assertEqual(replay.status_code, 400)
        unknown = self.url_open("/synco/webhook/not-a-token", data=b"{}", headers={"X-Shopify-Topic": "orders/updated"})
        self.assertEqual(unknown.status_code, 404)
        self.assertFalse(Delivery.search([("store_id", "=", self.store.id)]))
        self.assertFalse(self.jobs())
        self.store.invalidate_recordset(["webhook_refused_count"])
        self.assertEqual(self.store.webhook_refused_count, refused_before + 3)

    def test_a_duplicate_delivery_queues_one_job(self):
        stored = self.pick("source_web")[0]
        for _attempt in range(3):  # Shopify's retries carry the same webhook id
            self.assertEqual(self.deliver(stored, webhook_id="w-dup").status_code, 200)
        deliveries = self.env["shopify.webhook.delivery"].search([("webhook_id", "=", "w-dup")])
        self.assertEqual(len(deliveries), 1)
        self.store.invalidate_recordset(["webhook_last_delivery_at"])
        self.assertEqual(self.store.webhook_last_delivery_at, deliveries.create_date, "the store shows it")
        self.assertEqual(len(self.jobs()), 1)
        # another delivery for the same order while its job is pending: recorded, same job
        self.assertEqual(self.deliver(stored, webhook_id="w-other", topic="orders/create").status_code, 200)
        self.assertEqual(len(self.jobs()), 1)
        self.assertEqual(len(self.env["shopify.webhook.delivery"].search([("order_gid", "=", stored["id"])])), 2)

    def test_the_job_refreshes_the_order_and_follows_the_rules(self):
        self.store.write({"auto_sync": True})
        stored = self.pick("source_web")[0]
        self.assertEqual(self.deliver(stored, webhook_id="w-new", topic="orders/create").status_code, 200)
        self.run_pending("_job_webhook")
        order = self.env["shopify.order"].search([("shopify_gid", "=", stored["id"])])
        self.assertTrue(order, "the delivery brought the order into the list")
        self.assertEqual(len(self.jobs("_job_sync")), 1, "an eligible new order is queued for sync with automatic sync")
        self.run_pending("_job_sync")
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        # a change in Shopify, then deliveries out of order: the order ends in its latest state
        line = next(line for line in self.sim.store.node(stored["id"])["lineItems"] if line["currentQuantity"])
        self.sim.refund(stored["id"], lines=[(line["id"], 1, "RETURN")])
        self.store.auto_apply_changes = True
        self.deliver(stored, webhook_id="w-new-2", updated_at=self.sim.store.node(stored["id"])["updatedAt"])
        self.deliver(stored, webhook_id="w-old", updated_at=stored["updatedAt"])  # arrives late
        self.run_pending("_job_webhook")
        self.assertEqual(order.sync_state, "in_progress", "changed, and queued for its update")
        self.run_pending("_job_sync")
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertEqual(len(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")), 1)

    def test_a_store_of_another_company_never_touches_this_one(self):
        other = self.env["res.company"].create({"name": "Company B"})
        store_b = self.store.copy({"name": "Store B", "company_id": other.id, "shop_domain": "b-shop.myshopify.com"})
        store_b.sudo().write({"webhook_secret": "secret-b", "access_token": self.store.sudo().access_token})
        stored = self.pick("source_web")[0]
        # signed for store B: recorded on store B only
        self.assertEqual(self.deliver(stored, webhook_id="w-b", store=store_b, secret="secret-b").status_code, 200)
        delivery = self.env["shopify.webhook.delivery"].search([("webhook_id", "=", "w-b")])
        self.assertEqual(delivery.store_id, store_b)
        # store A's secret does not open store B's address
        self.assertEqual(self.deliver(stored, webhook_id="w-a", store=store_b).status_code, 401)
        self.run_pending("_job_webhook")
        touched = self.env["shopify.order"].search([("shopify_gid", "=", stored["id"])])
        self.assertEqual(touched.store_id, store_b)
        self.assertEqual(touched.company_id, other)


@tagged("post_install", "-at_install", "synco")
class TestWebhookAddress(SyncoCase):
    def test_the_store_warns_when_shopify_cannot_reach_its_address(self):
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("web.base.url", "http://localhost:8069")
        self.store.invalidate_recordset(["webhook_callback_url", "webhook_url_warning"])
        self.assertTrue(self.store.webhook_callback_url.startswith("http://localhost:8069/synco/webhook/"))
        self.assertIn("it is not https", self.store.webhook_url_warning)
        self.assertIn("localhost is not a public host", self.store.webhook_url_warning)
        Param.set_param("web.base.url", "https://erp.example.com")
        self.store.invalidate_recordset(["webhook_callback_url", "webhook_url_warning"])
        self.assertFalse(self.store.webhook_url_warning)


@tagged("post_install", "-at_install", "synco")
class TestWebhookJobRefused(SyncoCase):
    def test_a_refused_refresh_is_said_on_the_store_not_retried(self):
        stored = self.pick("source_web")[0]
        self.store.sudo().access_token = "shpat_revoked"
        result = self.store._job_webhook(stored["id"])
        self.assertIn("Shopify refused the refresh", result)
        self.assertEqual(self.store.connection_state, "error")
        self.assertTrue(self.store.connection_message)
