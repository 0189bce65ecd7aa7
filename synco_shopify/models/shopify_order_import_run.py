"""One import of a store's order headers (the Import wizard, a new store's first catch-up),
run as queued jobs with its progress kept here and shown on the store.

A large import goes through a Shopify bulk export, in three jobs: start the export; poll it
(one request, then the job asks queue_job to run it again a little later, so no worker sleeps
while Shopify writes the file); read the file into the Shopify Orders list. A smaller one
pages the headers in one job.

Progress is written on a cursor of its own and committed at once (``_progress``): a job's
own transaction commits only at its end, or is rolled back to be retried, and the store's
form must show how far the import got while it runs. After its creation a run is written
only that way, never in a job's transaction, so the two never collide on its row (a job
reading a row another transaction changed since its snapshot fails to update it).
"""
import logging

import psycopg2

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..shopify.api.errors import BulkOperationFailed, ShopifyError, ShopifyUnavailable, Throttled

_logger = logging.getLogger(__name__)

RUNNING = ("queued", "exporting", "importing")
PRIORITY = 15  # after a clicked sync (1) and bulk syncs (10), before scheduled catch-ups (20)
PASSING_ERRORS = (ShopifyUnavailable, Throttled)
RETRY_SECONDS = 60
# Polls come every POLL_MIN seconds at first, then further apart as the export takes longer.
POLL_MIN, POLL_MAX = 5, 60
# Shopify keeps an export running for as long as it takes (its result then lives 7 days);
# past this the import gives up waiting and says so (the export keeps running on Shopify).
EXPORT_DEADLINE_HOURS = 24
# Another bulk query of the shop running (the bulk sync of many orders): the start waits
# for it, this many times RETRY_SECONDS at most.
START_RETRIES = 60


class ShopifyOrderImportRun(models.Model):
    _name = "shopify.order.import.run"
    _description = "Import of Shopify order headers"
    _order = "id desc"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade", index=True, readonly=True)
    kind = fields.Selection([("wizard", "Import"), ("catch_up", "First catch-up")], required=True, readonly=True)
    method = fields.Selection([("bulk", "Bulk export"), ("pages", "Pages")], required=True, readonly=True)
    query = fields.Char(readonly=True, help="Shopify's order search; empty: every order")
    total = fields.Integer(readonly=True, help="Orders Shopify counted when the import was queued")
    caught_up_at = fields.Datetime(
        readonly=True, help="A first catch-up: where the store's next catch-up starts once this import is done")
    # Written by the jobs through _progress only.
    state = fields.Selection([
        ("queued", "Queued"), ("exporting", "Bulk export running"), ("importing", "Importing"),
        ("done", "Done"), ("failed", "Failed"),
    ], required=True, default="queued", readonly=True)
    progress = fields.Char(readonly=True)
    read_count = fields.Integer(readonly=True)
    imported_count = fields.Integer(readonly=True, help="Orders listed for the first time or changed")
    operation_gid = fields.Char(string="Bulk operation", readonly=True)
    date_finished = fields.Datetime(readonly=True)

    # -- queuing ---------------------------------------------------------------------------
    def _queue(self, store, query, total, *, bulk, kind="wizard", caught_up_at=False):
        """Record the import and queue its first job (in the caller's transaction: both
        exist once it commits)."""
        run = self.sudo().create({
            "store_id": store.id, "kind": kind, "method": "bulk" if bulk else "pages", "query": query or False,
            "total": total, "caught_up_at": caught_up_at,
            "progress": _("Queued: %s orders to import", f"{total:,}"),
        })
        if bulk:
            run._delay(_("start the bulk export"), max_retries=START_RETRIES)._job_bulk_start()
        else:
            run._delay(_("read the headers"))._job_import()
        return run

    def _delay(self, step, **options):
        # One identity key for every job of the run: the store tells a run whose job died.
        return self.with_delay(
            channel="root.synco", priority=PRIORITY, identity_key=self._job_key(),
            description=_("Import Shopify orders of %(store)s: %(step)s", store=self.store_id.name, step=step),
            **options)

    def _job_key(self):
        return f"synco-import-run-{self.id}"

    def _live_job(self):
        return self.env["queue.job"].sudo().search([
            ("identity_key", "=", self._job_key()),
            ("state", "in", ("wait_dependencies", "pending", "enqueued", "started"))], limit=1)

    def _is_running(self):
        """Under way: not finished, and one of its jobs still to run (a job cancelled by
        hand, or failed past its retries, ends the run)."""
        self.ensure_one()
        return self.state in RUNNING and bool(self._live_job())

    def _running_for(self, store):
        """The store's import under way, if any (at most one at a time: a shop runs one
        bulk query at a time before API version 2026-01)."""
        runs = self.sudo().search([("store_id", "=", store.id), ("state", "in", RUNNING)], limit=5)
        return runs.filtered(lambda run: run._is_running())[:1]

    def _stopped_reason(self):
        job = self.env["queue.job"].sudo().search([("identity_key", "=", self._job_key())], limit=1,
                                                   order="id desc")
        return _("Its job %(state)s: %(reason)s", state=job.state or _("is gone"),
                 reason=job.exc_message or job.result or _("no reason given"))

    # -- progress --------------------------------------------------------------------------
    def _progress(self, **values):
        """Write on a short transaction of its own (see the module's docstring). Progress
        only informs: a database hiccup here is logged, the import goes on."""
        self.ensure_one()
        try:
            with self.env.registry.cursor() as cr:
                env = self.env(cr=cr, su=True)
                self.with_env(env).write(values)
                env.flush_all()
        except psycopg2.Error as exc:
            _logger.warning("Progress of Shopify import %s not written: %s", self.id, exc)

    def _fail(self, error):
        """Say on the run (shown on the store) why the import stopped; a refused token or a
        wrong address also on the store's connection, where an administrator looks."""
        if not isinstance(error, BulkOperationFailed):
            self.store_id._record_connection_error(error)
        self._progress(state="failed", progress=_("Failed: %s", error), date_finished=fields.Datetime.now())
        return _("Import failed: %s", error)

    # -- jobs ------------------------------------------------------------------------------
    def _job_bulk_start(self):
        run = self.sudo()
        from ..shopify.api import bulk_steps

        try:
            operation = bulk_steps.start_order_headers(run.store_id._shopify_client(), run.query or None)
        except PASSING_ERRORS as exc:
            raise RetryableJobError(str(exc), seconds=RETRY_SECONDS) from None
        except (ShopifyError, UserError) as exc:  # UserError: the store lost its credentials
            if bulk_steps.busy(exc):
                run._progress(progress=_("Waiting for another bulk export of the shop to end"))
                raise RetryableJobError(str(exc), seconds=RETRY_SECONDS) from None
            return run._fail(exc)
        run._progress(state="exporting", operation_gid=operation["id"],
                      progress=_("Bulk export running: %s objects", 0))
        # Polled from the next job, retried (without counting) until the export ends.
        run._delay(_("wait for the bulk export"), eta=POLL_MIN, max_retries=0)._job_bulk_poll(operation["id"])
        return _("Bulk export %s started", operation["id"])

    def _job_bulk_poll(self, operation_id):
        run = self.sudo()
        from ..shopify.api import bulk_steps

        waited = (fields.Datetime.now() - run.create_date).total_seconds()
        try:
            operation = bulk_steps.poll(run.store_id._shopify_client(), operation_id)
            finished = bulk_steps.finished(operation)
        except PASSING_ERRORS as exc:
            if waited > EXPORT_DEADLINE_HOURS * 3600:
                return run._fail(exc)
            raise RetryableJobError(str(exc), seconds=RETRY_SECONDS) from None
        except (ShopifyError, UserError) as exc:  # UserError: the store lost its credentials
            return run._fail(exc)
        objects = f"{bulk_steps.object_count(operation):,}"
        if not finished:
            if waited > EXPORT_DEADLINE_HOURS * 3600:
                return run._fail(BulkOperationFailed(
                    f"Bulk operation {operation_id} still {operation['status']} after {EXPORT_DEADLINE_HOURS} hours",
                    "It keeps running on Shopify: start the import again later."))
            run._progress(state="exporting", progress=_("Bulk export running: %s objects", objects))
            # Not a failure: queue_job runs the job again later, without counting a retry.
            raise RetryableJobError(_("Bulk export running: %s objects", objects),
                                    seconds=int(min(POLL_MAX, max(POLL_MIN, waited / 10))), ignore_retry=True)
        run._progress(state="importing", progress=_("Bulk export done (%s objects): importing", objects))
        run._delay(_("read the bulk export"))._job_import(operation_id)
        return _("Bulk export %(operation)s completed: %(objects)s objects", operation=operation_id, objects=objects)

    def _job_import(self, operation_id=None):
        """Read the headers (from the finished export, or page by page) into the list, in
        this job's transaction: all of them or, on an error, none."""
        run = self.sudo()
        store = run.store_id
        from ..shopify.api import bulk_steps

        Import = self.env["shopify.order.import"]
        total = run.total

        def progress(read, imported):
            run._progress(state="importing", read_count=read, imported_count=imported,
                          progress=_("Importing headers: %(read)s / %(total)s",
                                     read=f"{read:,}", total=f"{max(total, read):,}"))

        try:
            with self.env.cr.savepoint():
                if operation_id:
                    client = store._shopify_client()
                    operation = bulk_steps.poll(client, operation_id)
                    bulk_steps.finished(operation)  # an expired export says so
                    total = int(operation.get("rootObjectCount") or 0) or total
                    read, imported = Import._import_payloads(store, bulk_steps.results(client, operation), progress)
                else:
                    read, imported = Import._import_payloads(store, Import._header_pages(store, run.query or None),
                                                             progress)
                if run.caught_up_at and (not store.headers_synced_until
                                         or store.headers_synced_until < run.caught_up_at):
                    store.headers_synced_until = run.caught_up_at
                self.env.flush_all()
        except PASSING_ERRORS as exc:
            run._progress(progress=_("Interrupted (%s): starting again in a minute", exc))
            raise RetryableJobError(str(exc), seconds=RETRY_SECONDS) from None
        except (ShopifyError, UserError) as exc:  # UserError: the store lost its credentials
            return run._fail(exc)
        except psycopg2.OperationalError:
            # A clash with another transaction: queue_job runs the job again shortly.
            run._progress(progress=_("Interrupted by a concurrent change: starting again"))
            raise
        except Exception as exc:
            run._progress(state="failed", progress=_("Failed: %s", exc), date_finished=fields.Datetime.now())
            raise
        # Said just before this job commits (the import above is flushed already).
        run._progress(state="done", read_count=read, imported_count=imported, date_finished=fields.Datetime.now(),
                      progress=_("Done: %(read)s orders read, %(imported)s new or changed",
                                 read=f"{read:,}", imported=f"{imported:,}"))
        self.env["shopify.order"]._notify_list()
        return _("%(read)s headers read, %(imported)s new or changed", read=read, imported=imported)
