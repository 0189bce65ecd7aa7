"""The three ways in (Sync button, bulk action, scheduled catch-up) all run through
queue_job, on channel root.synco, so long work spreads over Odoo's workers."""
import random
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from odoo import _, api, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.delay import chain
from odoo.addons.queue_job.exception import RetryableJobError

from ..shopify.api.errors import ShopifyError, ShopifyUnavailable, Throttled

# Orders per job: one Shopify request fetches them all and two write them back.
BATCH_SIZE = 50
PRIORITY_CLICK = 1
PRIORITY_BULK = 10
PRIORITY_CATCH_UP = 20
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
        """One job per BATCH_SIZE orders of a store, oldest orders first. Where the store
        posts invoices, the batches are chained (each waits for the one before): two
        workers running batches side by side would number a later batch's invoices
        before an earlier one's."""
        for store in self.store_id:
            orders = self.filtered(lambda o: o.store_id == store)._sorted_for_booking()
            delayables = []
            for start in range(0, len(orders), BATCH_SIZE):
                batch = orders[start:start + BATCH_SIZE]
                delayables.append((batch, batch.delayable(
                    channel="root.synco", priority=priority, eta=eta,
                    description=_("Sync Shopify orders %s", ", ".join(batch[:5].mapped("name"))
                                  + ("…" if len(batch) > 5 else "")),
                )._job_sync(attempt)))
            if store.invoice_mode == "posted" and len(delayables) > 1:
                chain(*(delayable for _batch, delayable in delayables)).delay()
            else:
                for _batch, delayable in delayables:
                    delayable.delay()
            for batch, delayable in delayables:
                batch.write({"sync_state": "in_progress", "sync_error": False,
                             "job_id": delayable._generated_job.db_record().id})
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
            self.filtered(lambda o: o.sync_state == "in_progress")._mark_failed(str(exc))
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
        # Orders another worker held are left as they are; anything still "in progress"
        # here (and not re-queued) was not reached and goes back to the list.
        (self - deferred)._release_in_progress()
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

    def _notify_list(self):
        """Tell every Shopify user's open list to reload (Odoo's bus)."""
        self.env.ref("synco_shopify.group_shopify_user").sudo()._bus_send(
            "synco_shopify/orders_changed", {"ids": self.ids})

    @api.model
    def _cron_catch_up(self):
        """Scheduled action: refresh headers of every store; sync the eligible new
        orders of stores that ask for it; retry pending write-backs."""
        for store in self.env["shopify.store"].search([]):
            store.with_delay(channel="root.synco", priority=PRIORITY_CATCH_UP,
                             identity_key=f"synco-catch-up-{store.id}",
                             description=_("Catch up Shopify orders of %s", store.name))._job_catch_up()
        # The orders' bookkeeping is the integration's, whoever the cron runs as.
        self.sudo()._retry_pending_writebacks()
        self.sudo()._release_orders_of_dead_jobs()
        return True

    @api.model
    def _release_orders_of_dead_jobs(self):
        """A job that failed on something unexpected (or was cancelled by hand) rolled
        back its own work: its orders are not in progress any more; say why. The batches
        chained after a failed one run all the same: its orders will be booked later
        anyway, and theirs should not wait for a person to requeue it."""
        blocked = self.env["queue.job"].sudo().search([
            ("state", "=", "wait_dependencies"), ("channel", "=", "root.synco"),
            ("dependency_ids.state", "=", "failed")])
        blocked.write({"state": "pending"})
        stuck = self.search([("sync_state", "=", "in_progress"),
                             ("job_id.state", "in", ("failed", "cancelled", "done"))])
        for order in stuck:
            job = order.job_id
            if job.state == "done":
                order._release_in_progress()
            else:
                order._mark_failed(_("The sync job %(state)s: %(reason)s", state=job.state,
                                     reason=job.exc_message or _("cancelled")))

    @api.model
    def _retry_pending_writebacks(self):
        """Write-backs Shopify refused or missed are sent again until they succeed;
        metafieldsSet is an upsert, so a repeat cannot duplicate anything."""
        # A changed order keeps its documents, and so the Odoo ID Shopify should carry.
        pending = self.search([("writeback_state", "=", "pending"), ("sync_state", "in", ("synced", "changed"))])
        for store in pending.store_id:
            self.env["shopify.order.sync"]._write_back(store, pending.filtered(lambda o: o.store_id == store))


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

