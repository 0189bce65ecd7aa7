"""Imports of order headers run as jobs (issue 9, point 5): the Import wizard checks and
counts while the user waits, then queues; a new store's first catch-up of a large history
goes through the same bulk jobs; the store shows how far an import got, or why it stopped.

The jobs are performed here as queue_job's controller performs them, a RetryableJobError
included (the job goes back to pending, to run again later). Their progress is written on
cursors of their own: the tests put the registry in test mode, where those cursors are the
test's transaction, except the last test, which checks with real commits that progress is
seen while the job's transaction is still open."""
import time
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..services import order_import
from ..shopify.api import bulk_steps
from .common import SyncoCase, run_job_to_outcome

CANCEL = "mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }"


def perform(env, job_record):
    """Perform a stored job as queue_job's controller does (common.run_job_to_outcome);
    True when it was postponed (RetryableJobError). A job that fails fails the test."""
    job = run_job_to_outcome(env, job_record)
    assert job.state != "failed", job.exc_info
    return job.state == "pending"


def run_jobs(env, run, deadline=30.0):
    """Perform the run's jobs as they come, until none is left; a postponed poll runs again
    a moment later (not at its eta: the simulator's exports take a second). Returns the
    number of postponements."""
    postponed, stop = 0, time.monotonic() + deadline
    while time.monotonic() < stop:
        job = env["queue.job"].search([("identity_key", "=", run._job_key()), ("state", "=", "pending")],
                                      order="id", limit=1)
        if not job:
            run.invalidate_recordset()
            return postponed
        if perform(env, job):
            postponed += 1
            time.sleep(0.2)
    raise AssertionError(f"import {run.id} still running after {deadline} s")


@tagged("post_install", "-at_install")
class TestOrderImportJobs(SyncoCase):
    def setUp(self):
        super().setUp()
        self.sim.faults.clear()
        self.addCleanup(self.sim.faults.clear)
        self.registry_enter_test_mode()
        self.Run = self.env["shopify.order.import.run"]
        self.Order = self.env["shopify.order"]

    def _wizard(self, days=365):
        return self.env["shopify.order.import.wizard"].create({
            "store_id": self.store.id,
            "date_from": fields.Date.today() - timedelta(days=days),
            "date_to": fields.Date.today(),
        })

    def _last_run(self):
        return self.Run.search([("store_id", "=", self.store.id)], limit=1)

    def _store_orders(self):
        return self.Order.search_count([("store_id", "=", self.store.id)])

    def test_wizard_queues_a_bulk_import_and_its_jobs_import_the_headers(self):
        self.patch(order_import, "BULK_THRESHOLD", 10)
        self.sim.faults.inject("bulk_slow", count=1, delay=1.0)  # RUNNING long enough to be polled again
        self.sim.reset_stats()
        action = self._wizard().action_import()
        # In the request: the count, nothing else; the user is told it was queued.
        self.assertEqual(set(self.sim.stats["by_operation"]), {"OrdersCount"})
        self.assertEqual((action["params"]["type"], action["params"]["title"]), ("success", "Shopify import queued"))
        self.assertIn(f"{len(self.sim.data.orders):,} orders", action["params"]["message"])
        run = self._last_run()
        self.assertEqual((run.kind, run.method, run.state, run.total), ("wizard", "bulk", "queued",
                                                                        len(self.sim.data.orders)))
        job = self.env["queue.job"].search([("identity_key", "=", run._job_key())])
        self.assertEqual((len(job), job.channel, job.state), (1, "root.synco", "pending"))
        self.assertEqual(self._store_orders(), 0)
        self.store.invalidate_recordset()
        self.assertTrue(self.store.import_running)
        self.assertEqual(self.store.import_state, "queued")
        # A second import of the store waits for this one.
        with self.assertRaisesRegex(UserError, "under way"):
            self._wizard().action_import()

        # The first job starts the export and hands over to a poll job.
        self.assertFalse(perform(self.env, job))
        run.invalidate_recordset()
        self.assertEqual(run.state, "exporting")
        self.assertTrue(run.operation_gid.startswith("gid://shopify/BulkOperation/"))
        self.assertEqual(self.sim.stats["by_operation"].get("BulkRunQuery"), 1)
        poll = self.env["queue.job"].search([("identity_key", "=", run._job_key()), ("state", "=", "pending")])
        self.assertEqual(poll.max_retries, 0, "polled for as long as the export runs")
        # Still running: the poll job is put back for later; the store says so meanwhile.
        self.assertTrue(perform(self.env, poll), "postponed (RetryableJobError)")
        self.assertEqual((poll.state, poll.retry), ("pending", 0), "a poll is not a failed try")
        self.assertGreater(poll.eta, fields.Datetime.now())
        self.store.invalidate_recordset()
        self.assertRegex(self.store.import_progress, r"^Bulk export running: [\d,]+ objects$")
        self.assertEqual(self.store.import_state, "exporting")

        run_jobs(self.env, run)
        self.assertEqual(self._store_orders(), len(self.sim.data.orders))
        self.assertEqual((run.state, run.read_count, run.imported_count),
                         ("done", len(self.sim.data.orders), len(self.sim.data.orders)))
        self.store.invalidate_recordset()
        self.assertEqual(self.store.import_state, "done")
        self.assertFalse(self.store.import_running)
        self.assertEqual(self.store.import_progress, "Done: 300 orders read, 300 new or changed")
        self.assertTrue(self.store.import_finished_at)
        # The form shows it: the progress while an import runs, the Imports tab after.
        arch = self.store.get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("import_progress", "import_state", "import_finished_at", 'name="imports"'):
            self.assertIn(name, arch)

    def test_a_small_range_is_paged_in_one_job(self):
        self.sim.reset_stats()
        self._wizard().action_import()
        run = self._last_run()
        self.assertEqual(run.method, "pages")
        self.assertEqual(set(self.sim.stats["by_operation"]), {"OrdersCount"})
        self.assertEqual(run_jobs(self.env, run), 0)
        self.assertEqual(self._store_orders(), len(self.sim.data.orders))
        self.assertEqual(run.state, "done")
        self.assertNotIn("BulkRunQuery", self.sim.stats["by_operation"])
        self.assertIn("OrderHeaders", self.sim.stats["by_operation"])

    def test_an_import_says_how_far_it_got_after_each_page(self):
        seen = []
        imported = self.env["shopify.order.import"]._import_headers(
            self.store, None, progress=lambda read, new: seen.append((read, new)))
        self.assertEqual(seen, [(250, 250), (300, 300)])
        self.assertEqual(imported, 300)

    def test_a_range_without_orders_queues_nothing(self):
        wizard = self.env["shopify.order.import.wizard"].create({
            "store_id": self.store.id, "date_from": "2001-01-01", "date_to": "2001-01-31"})
        action = wizard.action_import()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertFalse(self._last_run())

    def test_a_failing_bulk_operation_shows_its_error_on_the_store(self):
        self.patch(order_import, "BULK_THRESHOLD", 10)
        self.sim.faults.inject("bulk_slow", count=1, delay=5.0)
        self._wizard().action_import()
        run = self._last_run()
        perform(self.env, self.env["queue.job"].search([("identity_key", "=", run._job_key())]))
        run.invalidate_recordset()
        # The export is cancelled on Shopify's side (by the merchant, another app...).
        client = self.store._shopify_client()
        cancelled = client.execute(CANCEL, {"id": run.operation_gid})["bulkOperationCancel"]
        self.assertFalse(cancelled["userErrors"])
        stop = time.monotonic() + 5
        while bulk_steps.poll(client, run.operation_gid)["status"] != "CANCELED":
            self.assertLess(time.monotonic(), stop)
            time.sleep(0.05)
        run_jobs(self.env, run)
        self.assertEqual(run.state, "failed")
        self.assertIn("ended CANCELED", run.progress)
        self.store.invalidate_recordset()
        self.assertEqual(self.store.import_state, "failed")
        self.assertIn("ended CANCELED", self.store.import_progress)
        self.assertNotEqual(self.store.connection_state, "error", "the connection is fine")
        self.assertEqual(self._store_orders(), 0)
        # Nothing runs any more: the wizard may start another import.
        self.assertFalse(self.store.import_running)

    def test_a_refused_token_during_the_import_fails_it_on_the_store(self):
        self._wizard().action_import()
        run = self._last_run()
        self.store.sudo().access_token = "shpat_revoked_by_the_merchant_77"
        run_jobs(self.env, run)
        self.assertEqual(run.state, "failed")
        self.assertIn("401", run.progress)
        self.assertEqual(self.store.connection_state, "error")
        self.assertEqual(self._store_orders(), 0)

    def test_a_run_whose_job_was_cancelled_shows_as_stopped(self):
        self._wizard().action_import()
        run = self._last_run()
        job = self.env["queue.job"].search([("identity_key", "=", run._job_key())])
        job.button_cancelled()
        self.store.invalidate_recordset()
        self.assertEqual(self.store.import_state, "stopped")
        self.assertIn("cancelled", self.store.import_progress)
        self.assertFalse(self.store.import_running)
        self._wizard().action_import()  # not refused: nothing runs
        self.assertEqual(self.Run.search_count([("store_id", "=", self.store.id)]), 2)

    def test_a_first_catch_up_of_a_large_history_goes_through_the_bulk_jobs(self):
        self.patch(order_import, "BULK_THRESHOLD", 10)
        self.assertFalse(self.store.headers_synced_until)
        Import = self.env["shopify.order.import"]
        self.sim.reset_stats()
        before = fields.Datetime.now()
        self.assertEqual(Import._catch_up(self.store), 0)
        # Counted, queued; no page of the history read in the catch-up.
        self.assertEqual(set(self.sim.stats["by_operation"]), {"OrdersCount"})
        run = self._last_run()
        self.assertEqual((run.kind, run.method, run.query), ("catch_up", "bulk", False))
        self.assertGreaterEqual(run.caught_up_at, before)
        self.assertFalse(self.store.headers_synced_until, "set once the headers are in")
        # The next catch-ups leave it to that import (no second export, no request).
        self.sim.reset_stats()
        self.assertEqual(Import._catch_up(self.store), 0)
        self.assertEqual(self.sim.stats["requests"], 0)
        self.assertEqual(self.Run.search_count([("store_id", "=", self.store.id)]), 1)

        run_jobs(self.env, run)
        self.assertEqual(run.state, "done")
        self.assertEqual(self._store_orders(), len(self.sim.data.orders))
        self.assertEqual(self.store.headers_synced_until, run.caught_up_at)
        self.assertIn("BulkRunQuery", self.sim.stats["by_operation"])
        # From then on the catch-up reads its window, page by page.
        self.sim.reset_stats()
        Import._catch_up(self.store)
        self.assertIn("OrderHeaders", self.sim.stats["by_operation"])
        self.assertNotIn("BulkRunQuery", self.sim.stats["by_operation"])

    def test_a_first_catch_up_of_a_small_history_pages_it_at_once(self):
        self.assertEqual(self.env["shopify.order.import"]._catch_up(self.store), len(self.sim.data.orders))
        self.assertTrue(self.store.headers_synced_until)
        self.assertFalse(self._last_run())


@tagged("post_install", "-at_install")
class TestImportProgressIsCommitted(TransactionCase):
    """Progress is seen by others while the job's own transaction is still open (and stays
    when that transaction is rolled back to be retried)."""

    def test_progress_is_seen_before_the_job_commits(self):
        with self.registry.cursor() as cr:  # a store and a run as the wizard leaves them: committed
            env = self.env(cr=cr)
            store = env["shopify.store"].create({"name": "Progress", "shop_domain": "progress.myshopify.com"})
            # No job queued: a job runner serving this database would run it meanwhile.
            run_id = env["shopify.order.import.run"].create({
                "store_id": store.id, "kind": "wizard", "method": "bulk", "total": 5000}).id
            store_id = store.id
        self.addCleanup(self._delete, store_id, run_id)
        with self.registry.cursor() as job_cr:  # the job's transaction, its snapshot taken
            job_env = self.env(cr=job_cr)
            run = job_env["shopify.order.import.run"].browse(run_id)
            self.assertEqual(run.state, "queued")
            run._progress(state="importing", progress="Importing headers: 250 / 5,000")
            with self.registry.cursor() as reader:
                reader.execute("SELECT state, progress FROM shopify_order_import_run WHERE id = %s", [run_id])
                self.assertEqual(reader.fetchone(), ("importing", "Importing headers: 250 / 5,000"))
                store_seen = self.env(cr=reader)["shopify.store"].browse(store_id)
                self.assertEqual((store_seen.import_state, store_seen.import_progress),
                                 ("stopped", "Importing headers: 250 / 5,000. Its job is gone: no reason given"))
            job_cr.rollback()
        with self.registry.cursor() as reader:
            reader.execute("SELECT progress FROM shopify_order_import_run WHERE id = %s", [run_id])
            self.assertEqual(reader.fetchone()[0], "Importing headers: 250 / 5,000")

    def _delete(self, store_id, run_id):
        with self.registry.cursor() as cr:
            self.env(cr=cr)["shopify.store"].browse(store_id).unlink()  # its runs, messages and followers too
