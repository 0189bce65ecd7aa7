"""The three ways in (Sync button, bulk action, scheduled catch-up) all run through
queue_job, on channel root.synco, so long work spreads over Odoo's workers."""
import random
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from odoo import _, api, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.delay import chain, group
from odoo.addons.queue_job.exception import RetryableJobError

from ..services.order_writeback import WRITEBACK_LIMIT
from ..shopify.api.errors import ShopifyError, ShopifyUnavailable, Throttled

# Orders per job: one Shopify request fetches them all and two write them back.
BATCH_SIZE = 50
PRIORITY_CLICK = 1
PRIORITY_BULK = 10
PRIORITY_CATCH_UP = 20
# Short jobs (a metafieldsSet per 25 orders): ahead of bulk batches, so that Shopify
# names the Odoo records while a long bulk sync still runs.
PRIORITY_WRITE_BACK = 5
# A clash with a parallel sync resolves once that sync commits; a clash that comes back
# this many times is not one (a duplicate in the data): the order fails instead.
MAX_DEFERRALS = 5
# Shopify errors worth another try later; the others (authentication, bad version,
# invalid document) will not get better by waiting.
PASSING_ERRORS = (ShopifyUnavailable, Throttled)


class ShopifyOrder(models.Model):
    _inherit = "shopify.order"

    def action_enqueue_sync(self):
        """Queue the eligible, unsynced orders of self, and the synced ones that changed
        in Shopify (the Update button); say what was queued and what was skipped, and why.
        First syncs and updates run through the same job: the sync applies what is
        pending to the documents an order already has.

        The buttons and the bulk action ask, with the context key
        ``synco_check_invoice_dates`` (as Odoo's Post button asks ``validate_analytic``),
        to be warned first when an invoice would be dated before the last one posted in
        its journal; code (scripts, webhooks, the catch-up) has nobody to ask."""
        self.check_access("read")
        eligible = self.filtered(lambda o: o._to_sync_or_update())
        skipped = self - eligible
        if len(self) == 1 and skipped:
            reason = (_("it is already %s", dict(self._fields["sync_state"].selection)[self.sync_state])
                      if self.eligible else self.ineligible_reason)
            raise UserError(_("Order %(name)s cannot be synced: %(reason)s", name=self.name, reason=reason))
        if self.env.context.get("synco_check_invoice_dates") and eligible:
            early = eligible._invoices_dated_before_posted()
            if early:
                return self.env["shopify.order.sync.confirm"]._ask(self, early)
        priority = PRIORITY_CLICK if len(self) == 1 else PRIORITY_BULK
        # The bookkeeping on the orders is the integration's, not the user's to write.
        eligible.sudo()._enqueue_batches(priority)
        return self._notify_enqueued(eligible, skipped)

    # -- chronological invoice numbers --------------------------------------------------------
    def _sorted_for_booking(self):
        """Oldest first, as Shopify processed them (then by Shopify's number): the order
        in which their invoices get their numbers, which several countries require to
        follow the invoice dates."""
        return self.sorted(lambda o: (o.processed_at or o.created_at or datetime.min, o.number or 0, o.id))

    def _invoices_dated_before_posted(self):
        """{order: (its invoice day, the journal, the journal's last posted invoice day)}
        for the orders of self whose first sync would post an invoice dated before the last
        invoice posted in the sales journal it would go to: Odoo would give it the next
        number, out of date order. Updates are not checked: their documents are dated on
        Shopify's refunds and edits, which only the sync reads."""
        from ..services.order_writer import PAID_STATUSES

        orders = self.sudo().filtered(lambda o: (
            o.store_id.invoice_mode == "posted" and o.processed_at and o.store_id.shop_timezone
            and not o.has_invoice and o.sync_state in ("not_synced", "failed")
            and (o.store_id.invoice_policy == "all" or o.financial_status in PAID_STATUSES)))
        journals = {key: self._invoice_journal(*key)
                    for key in {(o.store_id.company_id, o.currency_id) for o in orders}}
        if not any(journals.values()):
            return {}
        # One query for every journal of the selection.
        last_days = dict(self.env["account.move"].sudo()._read_group(
            [("journal_id", "in", [j.id for j in journals.values() if j]), ("state", "=", "posted"),
             ("move_type", "=", "out_invoice")],
            ["journal_id"], ["invoice_date:max"]))
        early = {}
        for order in orders:
            journal = journals[(order.store_id.company_id, order.currency_id)]
            last_day = last_days.get(journal)
            # The writer's invoice date (lifecycle plan): processedAt's day in the shop's zone.
            day = order._shop_day(order.processed_at)
            if last_day and day < last_day:
                early[order] = (day, journal, last_day)
        return early

    @api.model
    def _invoice_journal(self, company, currency):
        """The sales journal Odoo gives an invoice of ``company`` in ``currency`` made
        without a journal (as the writer makes them): asked of a draft that is never saved."""
        draft = self.env["account.move"].sudo().with_company(company).new({
            "move_type": "out_invoice", "company_id": company.id, "currency_id": currency.id})
        return draft.journal_id

    def _shop_day(self, moment):
        """The day of ``moment`` (naive UTC, as Odoo stores it) in the shop's time zone."""
        return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(self.store_id.shop_timezone)).date()

    def _to_sync_or_update(self):
        """Queued by Sync, Update, Retry and the bulk action: an eligible order not synced
        yet (or failed), and an order whose documents must follow Shopify (changed, or
        failed while updating). The latter are updated whatever the rules say now: the
        order was eligible when its documents were made, and they must stay right."""
        self.ensure_one()
        if self.sync_state == "changed":
            return True
        if self.sync_state == "failed" and self._has_documents():
            return True
        return self.eligible and self.sync_state in ("not_synced", "failed")

    def _release_in_progress(self):
        """Orders a sync left In Progress (not reached, or held by nobody any more) go back
        to what they were: Changed in Shopify when they have documents, else Not Synced."""
        left = self.sudo().filtered(lambda o: o.sync_state == "in_progress")  # the integration's bookkeeping
        with_documents = left.filtered(lambda o: o._has_documents())
        with_documents.write({"sync_state": "changed"})
        (left - with_documents).write({"sync_state": "not_synced"})

    def _enqueue_batches(self, priority, eta=None, attempt=0):
        """Per BATCH_SIZE orders of a store, oldest orders first, two chained jobs: the
        prefetch (Shopify's answers and the shared records, models/shopify_order_prefetch.py),
        then the sync (the documents). Above the bulk threshold, one bulk export runs
        before all of them. Where the store posts invoices, the syncs are chained too
        (each waits for the one before, and for every prefetch): two workers running
        batches side by side would number a later batch's invoices before an earlier one's.

        An order's job is its sync job: In Progress while it waits, runs, or is retried."""
        from ..shopify.api.orders_api import BULK_THRESHOLD

        for store in self.store_id:
            orders = self.filtered(lambda o: o.store_id == store)._sorted_for_booking()
            stages = []
            for start in range(0, len(orders), BATCH_SIZE):
                batch = orders[start:start + BATCH_SIZE]
                names = ", ".join(batch[:5].mapped("name")) + ("…" if len(batch) > 5 else "")
                options = {"channel": "root.synco", "priority": priority, "eta": eta}
                stages.append((batch,
                               batch.delayable(**options, description=_("Fetch Shopify orders %s", names))
                               ._job_prefetch(),
                               batch.delayable(**options, description=_("Sync Shopify orders %s", names))
                               ._job_sync(attempt)))
            first = []
            if len(orders) >= BULK_THRESHOLD and not attempt:
                first = [orders.delayable(
                    channel="root.synco", priority=priority, eta=eta,
                    description=_("Export %s Shopify orders in bulk", len(orders)))._job_prefetch_bulk()]
            if store.invoice_mode == "posted":
                # The prefetches number nothing: they run side by side, ahead of the syncs,
                # which run one after the other, oldest first.
                prefetches = [prefetch for _batch, prefetch, _sync in stages]
                chain(*first, group(*prefetches) if len(prefetches) > 1 else prefetches[0],
                      *(sync for _batch, _prefetch, sync in stages)).delay()
            elif first:
                chain(*first, group(*(chain(prefetch, sync) for _batch, prefetch, sync in stages))).delay()
            else:
                for _batch, prefetch, sync in stages:
                    chain(prefetch, sync).delay()
            for batch, _prefetch, sync in stages:
                batch.write({"sync_state": "in_progress", "sync_error": False,
                             "job_id": sync._generated_job.db_record().id})
        self._notify_list()

    def _notify_enqueued(self, queued, skipped):
        reasons = {}
        for order in skipped:
            if order.sync_state == "synced":
                reason = "synced"
            elif order.sync_state == "in_progress":
                reason = "in_progress"
            else:
                reason = "not_eligible"
            reasons[reason] = reasons.get(reason, 0) + 1
        # Separate strings for one and for many, so that each language words both.
        if len(queued) == 1:
            message = _("1 order queued for sync.")
        else:
            message = _("%s orders queued for sync.", len(queued))
        updates = queued.filtered(lambda o: o._has_documents())
        if updates and len(queued) == 1:
            message += " " + _("It applies changes made in Shopify.")
        elif len(updates) == 1:
            message += " " + _("1 of them applies changes made in Shopify.")
        elif updates:
            message += " " + _("%s of them apply changes made in Shopify.", len(updates))
        if reasons:
            message += " " + _("Skipped: %s.", ", ".join(self._skip_reason(key, n) for key, n in reasons.items()))
        following = {"type": "ir.actions.client", "tag": "soft_reload"}
        if len(self) > 1 and queued:
            following = self._batch_action(queued)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Shopify sync"),
                "message": message,
                "type": "success" if queued else "warning",
                "next": following,
            },
        }

    def _skip_reason(self, key, count):
        """'1 already synced', '3 not eligible': one string per reason and number."""
        tr = self.env._
        if key == "synced":
            return tr("1 already synced") if count == 1 else tr("%s already synced", count)
        if key == "in_progress":
            return tr("1 already in progress") if count == 1 else tr("%s already in progress", count)
        return tr("1 not eligible") if count == 1 else tr("%s not eligible", count)

    def _batch_action(self, queued):
        """The orders just queued, in a list of their own: a filtered list (Not Synced)
        would drop them the moment they are In Progress; this one keeps them while the
        jobs settle them, live (the list reloads on the bus)."""
        when = datetime.now().astimezone(ZoneInfo(self.env.user.tz or "UTC")).strftime("%H:%M")
        if len(queued) == 1:
            name = _("Sync of 1 order at %s", when)
        else:
            name = _("Sync of %(count)s orders at %(time)s", count=len(queued), time=when)
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "shopify.order",
            "views": [(self.env.ref("synco_shopify.shopify_order_view_list").id, "list"), (False, "form")],
            "domain": [("id", "in", queued.ids)],
            "context": {"create": False},
            "target": "current",
        }

    def _job_sync(self, attempt=0):
        """Job body: sync the batch. Passing Shopify trouble retries the job later
        (with backoff); an order whose data is wrong fails alone, with its reason.

        The job runs as the user who queued it, and queuing was the access check: the
        sync itself makes customers, products, tax mappings and accounting documents,
        which a Shopify User may not create by hand, so it runs as the integration."""
        self = self.sudo()
        # Read before the sync: an order with documents is an update, not a first sync.
        updating = self.filtered(lambda o: o._has_documents())
        try:
            summary = self.env["shopify.order.sync"]._sync_orders(self)
        except PASSING_ERRORS as exc:
            raise RetryableJobError(str(exc), seconds=60) from None
        except ShopifyError as exc:
            # Nothing will change by retrying: say so on every order of the batch.
            self._of_this_job().filtered(lambda o: o.sync_state == "in_progress")._mark_failed(str(exc))
            self._notify_list()
            return _("Shopify refused: %s", exc)
        deferred = summary["deferred"]
        if deferred and attempt >= MAX_DEFERRALS:
            deferred._mark_failed(_(
                "This order kept clashing with other syncs creating the same customer, product or "
                "tax (%s attempts): sync it again once the other syncs are done.", attempt + 1))
            deferred = deferred.browse()
        elif deferred:
            # Their new customer, product or tax was being made by a parallel job: a
            # new job, a few seconds later, runs in a transaction that sees it.
            deferred._enqueue_batches(self.job_id[:1].priority or PRIORITY_BULK,
                                      eta=random.randint(3, 10), attempt=attempt + 1)
        # Orders another worker held are left as they are; anything of this job still "in
        # progress" here (and not re-queued) was not reached and goes back to the list.
        # (Its queue.job turning Done would release them too: models/queue_job.py.)
        (self._of_this_job() - deferred)._release_in_progress()
        self._notify_list()
        # The sync may count updates itself; if not, an order with documents before the
        # job that is Synced after it was updated.
        if "updated" in summary:
            updated, synced = summary["updated"], summary["synced"]
        else:
            updated = len(updating.filtered(lambda o: o.sync_state == "synced"))
            synced = max(summary["synced"] - updated, 0)
        return _("%(synced)s synced, %(updated)s updated, %(failed)s failed, %(skipped)s skipped, "
                 "%(deferred)s re-queued",
                 synced=synced, updated=updated, failed=summary["failed"], skipped=summary["skipped"],
                 deferred=len(deferred))

    def _job_write_back(self):
        """Job body: write back the Odoo IDs the store of self still lacks: whichever of
        its orders are pending when it runs, not only self (the job absorbed the orders
        of the syncs that found it waiting). Passing Shopify trouble retries the job
        later; any other refusal stays on the orders (pending, with Shopify's reason)."""
        store = self.exists().store_id.sudo()
        if not store:
            return _("Nothing to write back: the orders are gone.")
        Writeback = self.env["shopify.order.writeback"].sudo()
        orders = self.sudo().search(Writeback._pending_domain(store), order="id", limit=WRITEBACK_LIMIT + 1)
        try:
            written, refused = Writeback._write_back(store, orders[:WRITEBACK_LIMIT])
        except PASSING_ERRORS as exc:
            raise RetryableJobError(str(exc), seconds=60) from None
        except ShopifyError as exc:
            return _("Write-back of %(store)s refused: %(error)s", store=store.name, error=exc)
        store._clear_connection_error()
        if len(orders) > WRITEBACK_LIMIT:
            # This job has started: the store's identity key makes a new one.
            orders[WRITEBACK_LIMIT:]._enqueue_write_back()
        if written or refused:
            orders._notify_list()
        return _("%(written)s written, %(refused)s refused", written=written, refused=refused)

    def _of_this_job(self):
        """The orders of self whose job is the one running (queue_job puts its uuid in the
        context): an order of the batch queued again since, by another job, is that job's
        to settle. Called outside a job, every order of self."""
        uuid = self.env.context.get("job_uuid")
        return self.filtered(lambda o: o.job_id.uuid == uuid) if uuid else self

    def _notify_list(self):
        """Tell every Shopify user's open list to reload (Odoo's bus)."""
        self.env.ref("synco_shopify.group_shopify_user").sudo()._bus_send(
            "synco_shopify/orders_changed", {"ids": self.ids})

    @api.model
    def _cron_catch_up(self):
        """Scheduled action: it only queues. Each store's catch-up (headers, then the
        eligible new orders of stores that ask for it) is a job of its own, so a store
        with bad credentials fails alone; so is each store's write-back of the Odoo IDs
        Shopify still lacks."""
        for store in self.env["shopify.store"].search([]):
            store.with_delay(channel="root.synco", priority=PRIORITY_CATCH_UP,
                             identity_key=f"synco-catch-up-{store.id}",
                             description=_("Catch up Shopify orders of %s", store.name))._job_catch_up()
        # The orders' bookkeeping is the integration's, whoever the cron runs as.
        Order = self.sudo()
        pending = Order.search([("writeback_state", "=", "pending"), ("odoo_record_ref", "!=", False),
                                ("sync_state", "!=", "in_progress")])
        pending._enqueue_write_back()
        Order._settle_orders_of_dead_jobs()
        return True

    @api.model
    def _settle_orders_of_dead_jobs(self):
        """What the database trigger of models/queue_job.py cannot do when queue_job's
        runner fails a job found dead in raw SQL (the orders themselves follow at once):
        tell the lists, and let the batches chained after it run. Also a safety net for
        any state change made behind the ORM's back (a job edited in SQL by hand)."""
        failed_jobs = self.env["queue.job"].sudo().search([
            ("state", "=", "failed"), ("model_name", "=", "shopify.order"),
            ("dependent_ids.state", "=", "wait_dependencies")])
        for job in failed_jobs:
            job._synco_let_chained_through()
        stuck = self.search([("sync_state", "=", "in_progress"),
                             "|", ("job_id", "=", False), ("job_id.state", "in", ("failed", "cancelled", "done"))])
        for job in stuck.job_id:
            job._synco_settle_orders(stuck.filtered(lambda o: o.job_id == job))
        # A job deleted by hand left its orders without one.
        stuck.filtered(lambda o: not o.job_id)._release_in_progress()

    # -- write-back of custom.odoo_id -------------------------------------------------------------
    def _enqueue_write_back(self):
        """Queue the write-back of the Odoo IDs of self: one job per store. The sync calls
        this in its own transaction, so the job exists only if the sync commits, and runs
        only once the documents it names are committed.

        A store's job has an identity key: while one is waiting (pending, enqueued, or
        waiting for dependencies: queue_job's Job.job_record_with_same_identity_key), no
        other is made, and that one writes back whatever is pending in the store when it
        runs, not only the orders it was queued for. Once it has started, a new one is
        queued. An order committed just after the waiting job read the store (a few
        milliseconds between this call and the sync's commit) is picked up by the
        scheduled catch-up, which queues the write-back of every pending order."""
        for store in self.store_id:
            self.filtered(lambda o: o.store_id == store).with_delay(
                channel="root.synco", priority=PRIORITY_WRITE_BACK, identity_key=f"synco-write-back-{store.id}",
                description=_("Write Odoo IDs back to Shopify for %s", store.name))._job_write_back()

class ShopifyStore(models.Model):
    _inherit = "shopify.store"

    def _job_catch_up(self):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():  # nothing half-imported
                count = self.env["shopify.order.import"]._catch_up(self)
        except PASSING_ERRORS as exc:
            raise RetryableJobError(str(exc), seconds=120) from None
        except ShopifyError as exc:
            # A revoked token, a wrong address: waiting will not fix it, an administrator
            # will. Said on the store, where they look; the next catch-up tries again.
            self._record_connection_error(exc)
            return _("Catch-up of %(store)s stopped: %(error)s", store=self.name, error=exc)
        self._clear_connection_error()
        Order = self.env["shopify.order"].sudo()
        todo = changed = Order
        if self.auto_sync:
            todo = Order.search([
                ("store_id", "=", self.id), ("eligible", "=", True), ("sync_state", "=", "not_synced")])
        if self.auto_apply_changes:
            # The headers just read marked them (order_import): their updates go through
            # the same jobs as first syncs.
            changed = Order.search([("store_id", "=", self.id), ("sync_state", "=", "changed")])
        if todo or changed:
            (todo | changed)._enqueue_batches(PRIORITY_CATCH_UP)
        return " ".join([
            _("1 header refreshed,") if count == 1 else _("%s headers refreshed,", count),
            _("1 order queued,") if len(todo) == 1 else _("%s orders queued,", len(todo)),
            _("1 update queued.") if len(changed) == 1 else _("%s updates queued.", len(changed)),
        ])
