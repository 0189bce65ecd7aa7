"""The three ways in, through queue_job: the Sync button, the bulk action, the
scheduled catch-up; jobs are run here the way queue_job's runner runs them."""
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from lxml import etree

from odoo import fields
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import TOKEN, SyncoCase, run_job, run_job_to_outcome


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
        # The sync job waits for its prefetch (Shopify's answers and the shared records),
        # which is queued: so is the order.
        self.assertEqual(job.state, "wait_dependencies")
        prefetch = job.dependency_ids
        self.assertEqual((prefetch.method_name, prefetch.state, prefetch.priority, prefetch.channel),
                         ("_job_prefetch", "pending", 1, "root.synco"))
        self.assertEqual(order.job_status, "queued")
        run_job(self.env, prefetch)
        self.assertEqual(job.state, "pending")
        self.sim.reset_stats()
        run_job(self.env, job)
        self.assertFalse(self.sim.stats["by_operation"].get("OrdersFull"), "the sync job fetched nothing")
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

    # -- the job's state is the orders' ------------------------------------------------------------
    def _failing_job(self, orders):
        """Queue ``orders`` and make their job fail as queue_job fails it: Shopify answers
        5xx to every call, the job is retried until its last try, then stored failed by
        the controller's failure path with FailedJobError's message."""
        self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "1")
        orders.action_enqueue_sync()
        job = orders.job_id
        run_prefetch(self.env, job)
        job.max_retries = 1
        stale(orders)
        self.sim.faults.inject("http_5xx", fraction=1.0)
        run_job_to_outcome(self.env, job)
        self.sim.faults.clear()
        return job

    def test_a_failed_job_fails_its_orders_in_the_same_transaction_and_a_requeue_resumes_them(self):
        orders = self.list_orders(self.pick("source_web", 2, exclude=unpaid_ids(self.sim)))
        job = self._failing_job(orders)
        self.assertEqual(job.state, "failed")
        self.assertIn("Max. retries (1) reached", job.exc_message)
        self.assertEqual(set(orders.mapped("sync_state")), {"failed"})
        self.assertIn("Max. retries (1) reached", orders[0].sync_error)
        self.assertEqual(order_job_status(orders), {"failed"})
        # A person requeues the job (queue_job's Requeue button): its orders are In Progress again.
        job.requeue()
        self.assertEqual(job.state, "pending")
        self.assertEqual(set(orders.mapped("sync_state")), {"in_progress"})
        self.assertEqual(orders.mapped("sync_error"), [False, False])
        self.assertEqual(order_job_status(orders), {"queued"})
        run_job(self.env, job)
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
        self.assertEqual(order_job_status(orders), {False})

    def test_a_cancelled_job_gives_its_orders_back(self):
        stored, synced = self.pick("source_web", 2, exclude=unpaid_ids(self.sim))
        fresh, changed = self.list_orders([stored]), self.list_orders([synced])
        changed._sync_now()
        changed.sudo().sync_state = "changed"  # Shopify changed it since (as the header import marks it)
        (fresh | changed).action_enqueue_sync()
        self.assertEqual(set((fresh | changed).mapped("sync_state")), {"in_progress"})
        (fresh | changed).job_id.button_cancelled()
        self.assertEqual((fresh.sync_state, changed.sync_state), ("not_synced", "changed"))
        self.assertEqual(order_job_status(fresh | changed), {"cancelled"})

    def test_a_job_deleted_while_waiting_gives_its_orders_back(self):
        order = self.list_orders(self.pick("source_web"))
        order.action_enqueue_sync()
        order.job_id.unlink()
        self.assertEqual((order.sync_state, order.job_status), ("not_synced", False))

    def test_a_job_found_dead_too_often_fails_its_orders_at_the_next_catch_up(self):
        """The one state change queue_job makes in raw SQL across In Progress: its runner's
        requeue of dead jobs fails a job whose retries are spent. The query run here is
        the runner's own."""
        from odoo.addons.queue_job.jobrunner.runner import Database

        orders = self.list_orders(self.pick("source_web", 2))
        orders.action_enqueue_sync()
        job = orders.job_id
        self.env.flush_all()  # the runner's statement runs on what is in the database
        # Its worker was killed while running it, again and again: started, no lock held.
        self.env.cr.execute("UPDATE queue_job SET state = 'started', retry = 6, max_retries = 5, "
                            "date_enqueued = now() at time zone 'utc' - interval '1 minute' WHERE id = %s", [job.id])
        self.env.cr.execute(Database._query_requeue_dead_jobs(None))
        self.env.invalidate_all()
        self.assertEqual((job.state, job.exc_name), ("failed", "JobFoundDead"))
        # In the runner's own statement (a trigger): never In Progress beside a failed job.
        self.assertEqual(set(orders.mapped("sync_state")), {"failed"})
        self.assertIn("Job found dead", orders[0].sync_error)
        self.env["shopify.order"]._cron_catch_up()
        self.assertEqual(set(orders.mapped("sync_state")), {"failed"})

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
        self.assertEqual(set(jobs.mapped("state")), {"wait_dependencies"})
        # The prefetches may all run (they number nothing); the syncs wait for them, then
        # for each other, oldest batch first.
        pending = self.env["queue.job"].search([("channel", "=", "root.synco"), ("state", "=", "pending")]).filtered(
            lambda job: job.records.exists().store_id == self.store)
        self.assertEqual((len(pending), set(pending.mapped("method_name"))), (3, {"_job_prefetch"}))
        oldest = sorted(orders, key=lambda o: (o.processed_at, o.number))[:2]
        first = orders.filtered(lambda o: o.id in {r.id for r in oldest}).job_id
        self.assertEqual(set(first.dependency_ids.mapped("method_name")), {"_job_prefetch"})
        self.assertEqual(order_job_status(first.records), {"queued"})
        self.assertEqual(order_job_status(orders - first.records), {"waiting"})
        for later in jobs - first:
            self.assertIn("_job_sync", later.dependency_ids.mapped("method_name"), "after the batch before")

        ran = run_queue(self.env)
        self.assertEqual(len(ran.filtered(lambda j: j.method_name == "_job_sync")), 3)
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
        run_prefetch(self.env, order.job_id)
        order.invalidate_recordset(["job_status"])
        self.assertEqual(order.job_status, "queued")
        # Shopify throttled the job: queue_job put it back, to run again later.
        order.job_id.write({"retry": 1, "eta": fields.Datetime.now() + timedelta(minutes=1)})
        order.invalidate_recordset(["job_status"])
        self.assertEqual(order.job_status, "retry")
        order.job_id.write({"retry": 0, "eta": False})
        stale(order)
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
        self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "1")
        orders.action_enqueue_sync()
        oldest = orders._sorted_for_booking()[0]
        run_prefetch(self.env, oldest.job_id)
        first = orders.job_id.filtered(lambda j: j.state == "pending")
        second = orders.job_id - first
        self.assertEqual(first.records, oldest)
        self.assertEqual(second.state, "wait_dependencies")
        first.max_retries = 1
        stale(oldest)
        self.sim.faults.inject("http_5xx", fraction=1.0)
        run_job_to_outcome(self.env, first)
        self.sim.faults.clear()
        self.assertEqual(first.state, "failed")
        # The next batch's sync, chained after the failed one, is let through by the failure
        # itself, not by a cron.
        self.assertEqual(second.state, "pending", "let through by the failure itself")
        self.assertEqual(first.records.sync_state, "failed")
        self.assertEqual(second.records.sync_state, "in_progress")
        run_queue(self.env)
        self.assertEqual(second.records.sync_state, "synced", second.records.sync_error)

    def test_a_large_sync_reads_its_orders_through_one_bulk_export(self):
        """From the bulk threshold, one bulk export job runs before every batch: the batches'
        prefetch and sync jobs find the orders read, and ask Shopify for none of them."""
        from odoo.addons.synco_shopify.shopify.api import orders_api

        self.patch(orders_api, "BULK_THRESHOLD", 3)
        orders = self.list_orders(self.pick("source_web", 3, exclude=unpaid_ids(self.sim)))
        orders.action_enqueue_sync()
        first = self.env["queue.job"].search([("channel", "=", "root.synco"), ("state", "=", "pending")]).filtered(
            lambda job: job.records.exists().store_id == self.store)
        self.assertEqual(first.method_name, "_job_prefetch_bulk")
        self.sim.reset_stats()
        ran = run_queue(self.env)
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
        self.assertEqual(ran.filtered(lambda job: job.method_name == "_job_sync"), orders.job_id)
        calls = self.sim.stats["by_operation"]
        self.assertEqual(calls.get("BulkRunQuery"), 1)
        self.assertFalse(calls.get("OrdersFull"), "no order was read by pages")

    # -- the write-back of custom.odoo_id, a job of its own ------------------------------------------
    def write_back_jobs(self):
        return self.env["queue.job"].search([("method_name", "=", "_job_write_back")]).filtered(
            lambda job: job.records.exists().store_id == self.store)

    def test_the_write_back_is_a_job_queued_by_the_sync_once_per_store(self):
        first, second = (self.list_orders(self.pick("source_web")) for _i in range(2))
        first.action_enqueue_sync()
        second.action_enqueue_sync()
        self.sim.reset_stats()
        run_job(self.env, first.job_id)
        self.assertEqual(first.sync_state, "synced", first.sync_error)
        self.assertFalse(self.sim.stats["by_operation"].get("SetOdooIds"), "the sync sends no metafield")
        self.assertIsNone(self.sim.metafield(first.shopify_gid, "custom", "odoo_id"))
        job = self.write_back_jobs()
        self.assertEqual((len(job), job.state, job.channel), (1, "pending", "root.synco"))
        # A second sync while that job waits adds its order to it, not a second job.
        run_job(self.env, second.job_id)
        self.assertEqual(self.write_back_jobs(), job)
        self.assertEqual(job.records, first, "queued for the first order only")
        run_job(self.env, job)
        for order in first | second:
            self.assertEqual(order.writeback_state, "done")
            self.assertEqual(self.sim.metafield(order.shopify_gid, "custom", "odoo_id")["value"], order.odoo_record_ref)
        self.assertEqual(self.sim.stats["by_operation"]["SetOdooIds"], 1, "both in one metafieldsSet call")

    def test_a_rolled_back_sync_queues_no_write_back_and_writes_no_metafield(self):
        order = self.list_orders(self.pick("source_web"))
        self.sim.reset_stats()
        with self.assertRaises(InterruptedError), self.env.cr.savepoint():
            order._sync_now()
            self.assertEqual((order.sync_state, order.writeback_state), ("synced", "pending"))
            self.assertEqual(len(self.write_back_jobs()), 1)
            raise InterruptedError("the sync's transaction rolls back")
        self.env.invalidate_all()
        self.assertEqual(order.sync_state, "not_synced")
        self.assertFalse(self.write_back_jobs())
        self.assertFalse(self.sim.stats["by_operation"].get("SetOdooIds"))
        self.assertIsNone(self.sim.metafield(order.shopify_gid, "custom", "odoo_id"))

    def test_a_write_back_job_retries_passing_trouble_and_leaves_refusals_on_the_orders(self):
        self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "1")
        orders = self.list_orders(self.pick("source_web", 2))
        orders._sync_now()
        job = self.write_back_jobs()
        self.sim.faults.inject("http_5xx", fraction=1.0)
        run_job_to_outcome(self.env, job)
        self.sim.faults.clear()
        self.assertEqual((job.state, job.retry), ("pending", 1), "postponed, to run again")
        self.assertTrue(job.eta)
        self.assertEqual(set(orders.mapped("writeback_state")), {"pending"})
        # Shopify refuses the app (a revoked token): waiting will not help. The job is done,
        # the reason is on each order, still pending.
        self.store.access_token = "shpat_revoked"
        run_job_to_outcome(self.env, job)
        self.assertEqual(job.state, "done", (job.result, job.exc_info))
        self.assertEqual(set(orders.mapped("writeback_state")), {"pending"})
        self.assertIn("access token", orders[0].writeback_error)
        self.assertNotIn("shpat_revoked", orders[0].writeback_error)
        # The scheduled catch-up queues it again; this time it is written.
        self.store.access_token = TOKEN
        self.env["shopify.order"]._cron_catch_up()
        self.run_write_backs()
        self.assertEqual(set(orders.mapped("writeback_state")), {"done"})
        self.assertFalse(any(orders.mapped("writeback_error")))

def shop_day(order):
    """The day Shopify processed ``order``, in the shop's time zone (its invoice day)."""
    zone = ZoneInfo(order.store_id.shop_timezone)
    return order.processed_at.replace(tzinfo=timezone.utc).astimezone(zone).date()


def run_prefetch(env, sync_jobs):
    """Run the prefetch jobs the sync jobs wait for (their first stage)."""
    for job in sync_jobs.dependency_ids.filtered(lambda j: j.method_name == "_job_prefetch" and j.state == "pending"):
        run_job(env, job)


def stale(orders):
    """Makes the prefetched payloads too old to be booked: the sync job fetches again
    (and meets whatever Shopify answers now)."""
    orders.sudo().write({"fetched_at": fields.Datetime.now() - timedelta(hours=7)})


def order_job_status(orders):
    orders.invalidate_recordset(["job_status"])
    return set(orders.mapped("job_status"))
