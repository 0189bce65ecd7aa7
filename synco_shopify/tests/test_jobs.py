"""The three ways in, through queue_job: the Sync button, the bulk action, the
scheduled catch-up; jobs are run here the way queue_job's runner runs them."""
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import SyncoCase


def run_job(env, job_record):
    """Perform a stored job as queue_job's controller does (minus HTTP and commits)."""
    job = Job.load(env, job_record.uuid)
    job.set_started()
    job.store()
    with env.cr.savepoint():
        job.perform()
    job.set_done()
    job.store()
    env.flush_all()
    return job


@tagged("post_install", "-at_install")
class TestJobs(SyncoCase):
    def setUp(self):
        super().setUp()
        self.sim.faults.clear()
        self.addCleanup(self.sim.faults.clear)

    def test_sync_button_enqueues_one_urgent_job_on_channel_synco(self):
        order = self.list_orders(self.pick("source_web"))
        order.action_enqueue_sync()
        self.assertEqual(order.sync_state, "in_progress")
        job = order.job_id
        self.assertEqual(job.channel, "root.synco")
        self.assertEqual(job.priority, 1)
        self.assertEqual(job.state, "pending")
        self.assertEqual(order.job_state, "pending")
        run_job(self.env, job)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertEqual(job.state, "done")
        self.assertTrue(order.odoo_record_ref)
        notices = self.env["bus.bus"].search([("message", "like", "synco_shopify/orders_changed")])
        self.assertTrue(notices, "the list is told to reload")

    def test_bulk_action_queues_eligible_orders_in_batches_and_explains_the_rest(self):
        stored = [o for o in self.sim.data.orders if not o["cancelledAt"]][:60]
        orders = self.list_orders(stored)
        self.store.rule_financial_status_ids = self.env.ref("synco_shopify.financial_status_paid")
        eligible = orders.filtered("eligible")
        ineligible = orders - eligible
        self.assertTrue(eligible and ineligible)
        action = self.env["ir.actions.server"].browse(
            self.env.ref("synco_shopify.action_server_sync_orders").id
        ).with_context(active_model="shopify.order", active_ids=orders.ids).run()
        message = action["params"]["message"]
        self.assertIn(f"{len(eligible)} orders queued", message)
        self.assertIn(f"{len(ineligible)} not eligible", message)
        jobs = eligible.job_id
        self.assertEqual(len(jobs), -(-len(eligible) // 50))
        self.assertEqual(set(ineligible.mapped("sync_state")), {"not_synced"})
        for job in jobs:
            run_job(self.env, job)
        self.assertEqual(set(eligible.mapped("sync_state")), {"synced"})

    def test_passing_shopify_trouble_postpones_the_job(self):
        self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "1")
        order = self.list_orders(self.pick("tip"))
        order.action_enqueue_sync()
        self.sim.faults.inject("http_5xx", fraction=1.0)
        job = Job.load(self.env, order.job_id.uuid)
        with self.assertRaises(RetryableJobError):
            job.perform()
        self.sim.faults.clear()
        self.assertEqual(order.sync_state, "in_progress", "it waits for the retry")

    def test_shopify_refusing_the_app_fails_the_orders_once_with_the_reason(self):
        order = self.list_orders(self.pick("shipping_tax"))
        order.action_enqueue_sync()
        self.store.access_token = "shpat_revoked"
        run_job(self.env, order.job_id)
        self.assertEqual(order.sync_state, "failed")
        self.assertIn("access token", order.sync_error)
        self.assertNotIn("shpat_revoked", order.sync_error)

    def test_catch_up_rereads_an_overlap_and_picks_up_changed_orders(self):
        Import = self.env["shopify.order.import"]
        self.store.catchup_overlap_minutes = 10
        stored = dict(self.pick("source_web")[0])
        Import._catch_up(self.store)
        listed = self.env["shopify.order"].search([("shopify_gid", "=", stored["id"])])
        self.assertTrue(listed)
        self.assertEqual(self.env["shopify.order"].search_count([("store_id", "=", self.store.id)]),
                         len(self.sim.data.orders))
        # Shopify changes the order a few minutes before the last catch-up's watermark
        # (its search index lagged): the overlap still finds it.
        changed_at = (self.store.headers_synced_until - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        stored.update(tags=["vip"], updatedAt=changed_at)
        self.sim.upsert_orders([stored])
        self.sim.reset_stats()
        Import._catch_up(self.store)
        self.assertEqual(listed.tags, "vip")
        self.assertLess(self.sim.stats["orders_served"], len(self.sim.data.orders),
                        "a catch-up reads the window, not the whole shop")

    def test_catch_up_job_syncs_eligible_orders_when_the_store_asks(self):
        self.store.write({"auto_sync": True,
                          "rule_financial_status_ids": self.env.ref("synco_shopify.financial_status_paid")})
        self.store.with_context(queue_job__no_delay=False)._job_catch_up()
        queued = self.env["shopify.order"].search([("store_id", "=", self.store.id), ("sync_state", "=", "in_progress")])
        eligible = self.env["shopify.order"].search([("store_id", "=", self.store.id), ("eligible", "=", True)])
        self.assertTrue(queued)
        self.assertEqual(queued, eligible)
        self.assertEqual(set(queued.job_id.mapped("priority")), {20})

    def test_rule_change_recomputes_the_stored_eligibility(self):
        orders = self.list_orders([o for o in self.sim.data.orders if not o["cancelledAt"]][:40])
        self.assertEqual(orders.filtered("eligible"), orders)
        self.store.rule_financial_status_ids = self.env.ref("synco_shopify.financial_status_paid")
        domain = [("id", "in", orders.ids), ("eligible", "=", True)]
        paid = orders.filtered(lambda o: o.financial_status == "PAID")
        self.assertEqual(self.env["shopify.order"].search(domain), paid)
        for order in orders - paid:
            self.assertIn("Payment status is", order.ineligible_reason)

    def test_import_wizard_exports_large_ranges_with_a_bulk_operation(self):
        from odoo.addons.synco_shopify.wizards import order_import_wizard

        wizard = self.env["shopify.order.import.wizard"].create({
            "store_id": self.store.id,
            "date_from": fields.Date.today() - timedelta(days=365),
            "date_to": fields.Date.today(),
        })
        threshold = order_import_wizard.BULK_THRESHOLD
        order_import_wizard.BULK_THRESHOLD = 10
        self.addCleanup(setattr, order_import_wizard, "BULK_THRESHOLD", threshold)
        self.sim.reset_stats()
        wizard.action_import()
        self.assertIn("BulkRunQuery", self.sim.stats["by_operation"])
        self.assertEqual(self.env["shopify.order"].search_count([("store_id", "=", self.store.id)]),
                         len(self.sim.data.orders))

    def test_orders_of_a_job_that_died_are_released_with_its_reason(self):
        orders = self.list_orders(self.pick("source_web", 2))
        orders.action_enqueue_sync()
        orders.job_id.write({"state": "failed", "exc_message": "MemoryError: worker killed"})
        self.env["shopify.order"]._cron_catch_up()
        self.assertEqual(set(orders.mapped("sync_state")), {"failed"})
        self.assertIn("worker killed", orders[0].sync_error)
