"""The three ways in (Sync button, bulk action, scheduled catch-up) all run through
queue_job, on channel root.synco, so long work spreads over Odoo's workers."""
import random

from odoo import _, api, models
from odoo.exceptions import UserError

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
        pending to the documents an order already has."""
        self.check_access("read")
        eligible = self.filtered(lambda o: o._to_sync_or_update())
        skipped = self - eligible
        priority = PRIORITY_CLICK if len(self) == 1 else PRIORITY_BULK
        # The bookkeeping on the orders is the integration's, not the user's to write.
        eligible.sudo()._enqueue_batches(priority)
        if len(self) == 1 and skipped:
            reason = (_("it is already %s", dict(self._fields["sync_state"].selection)[self.sync_state])
                      if self.eligible else self.ineligible_reason)
            raise UserError(_("Order %(name)s cannot be synced: %(reason)s", name=self.name, reason=reason))
        return self._notify_enqueued(eligible, skipped)

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
        for store in self.store_id:
            orders = self.filtered(lambda o: o.store_id == store)
            for start in range(0, len(orders), BATCH_SIZE):
                batch = orders[start:start + BATCH_SIZE]
                job = batch.with_delay(
                    channel="root.synco", priority=priority, eta=eta,
                    description=_("Sync Shopify orders %s", ", ".join(batch[:5].mapped("name"))
                                  + ("…" if len(batch) > 5 else "")),
                )._job_sync(attempt)
                batch.write({"sync_state": "in_progress", "sync_error": False, "job_id": job.db_record().id})
        self._notify_list()

    def _notify_enqueued(self, queued, skipped):
        reasons = {}
        for order in skipped:
            if order.sync_state == "synced":
                reason = _("already synced")
            elif order.sync_state == "in_progress":
                reason = _("already in progress")
            else:
                reason = _("not eligible")
            reasons[reason] = reasons.get(reason, 0) + 1
        message = _("%s orders queued for sync.", len(queued))
        updates = queued.filtered(lambda o: o._has_documents())
        if updates:
            message += " " + _("%s of them apply changes made in Shopify.", len(updates))
        if reasons:
            message += " " + _("Skipped: %s.", ", ".join(f"{n} {r}" for r, n in reasons.items()))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Shopify sync"),
                "message": message,
                "type": "success" if queued else "warning",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
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
        back its own work: its orders are not in progress any more; say why."""
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
        return _("%(count)s headers refreshed, %(queued)s orders queued, %(updates)s updates queued",
                 count=count, queued=len(todo), updates=len(changed))
