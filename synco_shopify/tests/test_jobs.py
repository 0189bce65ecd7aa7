"""The three ways in, through queue_job: the Sync button, the bulk action, the
scheduled catch-up; jobs are run here the way queue_job's runner runs them."""
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from lxml import etree

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
    job.enqueue_waiting()  # the jobs chained after it may run now
    env.flush_all()
    return job


def run_queue(env, channel="root.synco"):
    """Run the due jobs one at a time in the runner's order (priority, then creation),
    as a runner with one worker would, until none is left; returns them in run order."""
    ran = env["queue.job"]
    while True:
        job = env["queue.job"].search([("state", "=", "pending"), ("channel", "=", channel)],
                                      order="priority, date_created, id", limit=1)
        if not job:
            return ran
        run_job(env, job)
        ran |= job


def unpaid_ids(sim):
    """The shop's orders not fully paid: left out where a test wants invoices (the store
    invoices paid orders only)."""
    return [o["id"] for o in sim.data.orders if o["displayFinancialStatus"] != "PAID"]


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
        # The orders just queued open in a list of their own, which no filter empties.
        batch = action["params"]["next"]
        self.assertEqual((batch["type"], batch["res_model"]), ("ir.actions.act_window", "shopify.order"))
        self.assertEqual(self.env["shopify.order"].search(batch["domain"]), eligible)
        self.assertIn(f"Sync of {len(eligible)} orders", batch["name"])
        self.assertEqual(batch["views"][0], (self.env.ref("synco_shopify.shopify_order_view_list").id, "list"))
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

    # -- invoice numbers follow the invoice dates ------------------------------------------------
    def test_bulk_sync_books_oldest_first_in_batches_that_wait_for_each_other(self):
        """The list shows (and a user selects) the newest orders first; their invoices are
        numbered oldest first, across batches, even with two workers: each batch waits for
        the one before."""
        from odoo.addons.synco_shopify.models import shopify_order_jobs

        self.patch(shopify_order_jobs, "BATCH_SIZE", 2)
        orders = self.list_orders(self.spread(6))
        self.assertGreater(orders[0].processed_at, orders[-1].processed_at, "listed newest first")
        self.env["ir.actions.server"].browse(self.env.ref("synco_shopify.action_server_sync_orders").id).with_context(
            active_model="shopify.order", active_ids=orders.ids).run()
        jobs = orders.job_id
        self.assertEqual(len(jobs), 3)
        first = jobs.filtered(lambda j: j.state == "pending")
        self.assertEqual(len(first), 1, "one batch may run; the others wait for it")
        self.assertEqual(set((jobs - first).mapped("state")), {"wait_dependencies"})
        oldest = sorted(orders, key=lambda o: (o.processed_at, o.number))[:2]
        self.assertEqual(set(first.records.ids), {o.id for o in oldest})
        self.assertEqual(order_job_status(orders - first.records), {"waiting"})

        ran = run_queue(self.env)
        self.assertEqual(len(ran), 3)
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
        invoices = orders.invoice_ids.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        self.assertEqual(len(invoices), 6)
        self.assertEqual(len(set(invoices.mapped("invoice_date"))), 6)
        self.assertNumberedByDate(invoices)

    def test_a_batch_writes_its_orders_oldest_first(self):
        orders = self.list_orders(self.pick("source_web", 4, exclude=unpaid_ids(self.sim)))
        self.assertGreater(orders[0].processed_at, orders[-1].processed_at, "listed newest first")
        orders._sync_now()
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
        oldest_first = [o.id for o in sorted(orders, key=lambda o: (o.processed_at, o.number))]
        self.assertEqual(orders.sale_order_id.sorted("id").shopify_order_id.ids, oldest_first)
        self.assertEqual(orders.invoice_ids.sorted("id").shopify_order_id.ids, oldest_first)
        self.assertNumberedByDate(orders.invoice_ids)

    def spread(self, count, step=20):
        """``count`` paid web orders of the shop, weeks apart (every ``step``-th one)."""
        unpaid = set(unpaid_ids(self.sim))
        candidates = [o["id"] for o in self.sim.data.orders if "source_web" in o["_scenarios"]
                      and o["id"] not in unpaid and o["id"] not in getattr(type(self), "_picked", ())
                      and not o["cancelledAt"]]
        chosen = set(candidates[::step][:count])
        return self.pick("source_web", count, exclude=[i for i in candidates if i not in chosen] + list(unpaid))

    def assertNumberedByDate(self, invoices):
        for prefix in set(invoices.mapped("sequence_prefix")):
            numbered = invoices.filtered(lambda m: m.sequence_prefix == prefix).sorted("sequence_number")
            dates = numbered.mapped("invoice_date")
            self.assertEqual(dates, sorted(dates), f"{numbered.mapped('name')} dated {dates}")

    def test_sync_warns_before_posting_invoices_dated_before_the_journals_last(self):
        picked = self.spread(4)
        listed = self.list_orders(picked)
        newest = listed[0]
        early = listed[2:]
        self.assertTrue(all(shop_day(o) < shop_day(newest) for o in early))
        newest._sync_now()
        last = newest.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(last.state, "posted")

        # The bulk action (and every Sync button) asks first; nothing is queued meanwhile.
        action = self.env["ir.actions.server"].browse(self.env.ref("synco_shopify.action_server_sync_orders").id
                                                      ).with_context(active_model="shopify.order",
                                                                     active_ids=early.ids).run()
        self.assertEqual((action["res_model"], action["target"]), ("shopify.order.sync.confirm", "new"))
        self.assertEqual(set(early.mapped("sync_state")), {"not_synced"})
        self.assertFalse(early.job_id)
        wizard = self.env["shopify.order.sync.confirm"].browse(action["res_id"])
        for order in early:
            self.assertIn(order.name, wizard.message)
        self.assertIn("2 orders would get invoices dated before", wizard.message)
        self.assertIn(last.journal_id.name, wizard.message)
        result = wizard.action_sync_anyway()
        self.assertIn("2 orders queued for sync.", result["params"]["message"])
        self.assertEqual(set(early.mapped("sync_state")), {"in_progress"})

        # An order processed days after the last posted invoice is queued at once.
        after = (last.invoice_date + timedelta(days=2)).isoformat()
        later = self.list_orders(self.pick("source_web", 1, exclude=unpaid_ids(self.sim)
                                           + [o["id"] for o in self.sim.data.orders if o["processedAt"] < after]))
        self.assertEqual(later.with_context(synco_check_invoice_dates=True).action_enqueue_sync()["tag"],
                         "display_notification")

    def test_the_invoice_date_check_costs_the_same_for_two_orders_or_ten(self):
        listed = self.list_orders(self.spread(11, step=8))
        listed[0]._sync_now()
        last_day = listed[0].invoice_ids.invoice_date

        def queries(orders):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            early = orders._invoices_dated_before_posted()
            return self.env.cr.sql_log_count - before, len(early)

        (few, found_few), (many, found_many) = queries(listed[1:3]), queries(listed[1:])
        self.assertEqual((found_few, found_many), (2, 10), "orders weeks older than the last invoice")
        self.assertTrue(all(shop_day(o) < last_day for o in listed[1:]))
        self.assertEqual(few, many)

    def test_every_sync_button_and_the_bulk_action_ask_for_the_date_check(self):
        for view in ("shopify_order_view_list", "shopify_order_view_form"):
            arch = etree.fromstring(self.env.ref(f"synco_shopify.{view}").arch)
            buttons = arch.findall(".//button[@name='action_enqueue_sync']")
            self.assertEqual(len(buttons), 3)
            for button in buttons:
                self.assertIn("'synco_check_invoice_dates': True", button.get("context") or "", view)
        code = self.env.ref("synco_shopify.action_server_sync_orders").code
        self.assertIn("synco_check_invoice_dates=True", code)

    # -- what the list says ----------------------------------------------------------------------
    def test_one_order_queued_is_worded_in_the_singular(self):
        order = self.list_orders(self.pick("source_web"))
        message = order.action_enqueue_sync()["params"]["message"]
        self.assertEqual(message, "1 order queued for sync.")
        two = self.list_orders(self.pick("source_web", 2))
        self.store.rule_source_ids = self.env["shopify.order.source"].search([("code", "=", "pos")])
        message = (order | two).action_enqueue_sync()["params"]["message"]
        self.assertEqual(message, "0 orders queued for sync. Skipped: 1 already in progress, 2 not eligible.")

    def test_job_status_shows_the_job_only_where_it_adds_to_the_order(self):
        order = self.list_orders(self.pick("shipping_tax"))
        order.action_enqueue_sync()
        self.assertEqual(order.job_status, "queued")
        # Shopify throttled the job: queue_job put it back, to run again later.
        order.job_id.write({"retry": 1, "eta": fields.Datetime.now() + timedelta(minutes=1)})
        order.invalidate_recordset(["job_status"])
        self.assertEqual(order.job_status, "retry")
        order.job_id.write({"retry": 0, "eta": False})
        self.store.access_token = "shpat_revoked"
        run_job(self.env, order.job_id)
        order.invalidate_recordset(["job_status"])
        # The job is done; the order failed: the list says Failed, not "Done".
        self.assertEqual((order.sync_state, order.job_id.state), ("failed", "done"))
        self.assertFalse(order.job_status)
        list_arch = self.env["shopify.order"].get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('name="job_status"', list_arch)
        self.assertNotIn('name="job_state"', list_arch)

    def test_batches_chained_after_a_failed_one_are_let_through(self):
        from odoo.addons.synco_shopify.models import shopify_order_jobs

        self.patch(shopify_order_jobs, "BATCH_SIZE", 1)
        orders = self.list_orders(self.pick("source_web", 2, exclude=unpaid_ids(self.sim)))
        orders.action_enqueue_sync()
        first = orders.job_id.filtered(lambda j: j.state == "pending")
        second = orders.job_id - first
        self.assertEqual(second.state, "wait_dependencies")
        first.write({"state": "failed", "exc_message": "MemoryError: worker killed"})
        self.env["shopify.order"]._cron_catch_up()
        self.assertEqual(second.state, "pending")
        self.assertEqual(first.records.sync_state, "failed")
        self.assertEqual(second.records.sync_state, "in_progress")


def shop_day(order):
    """The day Shopify processed ``order``, in the shop's time zone (its invoice day)."""
    zone = ZoneInfo(order.store_id.shop_timezone)
    return order.processed_at.replace(tzinfo=timezone.utc).astimezone(zone).date()


def order_job_status(orders):
    orders.invalidate_recordset(["job_status"])
    return set(orders.mapped("job_status"))
