"""The first stage of a sync job: fetch the batch from Shopify and make its shared records,
in a job of its own that commits before the sync job starts.

A batch is queued as two chained jobs (models/shopify_order_jobs.py):
  prefetch: Shopify's answers for the batch (HTTP, with no lock held), stored on the
            orders; then the customers, products and taxes the batch will need
            (services/shared_records.py); committed.
  sync:     the documents, in a short transaction that needs no HTTP call and finds
            every shared record made (services/order_sync.py).
The prefetch is an optimisation the sync job can do without: whatever it could not do
(Shopify down, a payload gone stale), the sync job fetches itself. So it never fails,
and never holds the sync job back.
"""
import json
import logging
from datetime import timedelta

from odoo import _, fields, models

from ..shopify.api.errors import ShopifyError

_logger = logging.getLogger(__name__)

# A payload older than this is fetched again by the sync job. A bulk export feeds every
# batch of a large sync, the last of which may run an hour later; booking a payload that
# old is still right: the order's updatedAt is kept as synced, so a change made since
# shows the order Changed at the next header refresh, and its update follows.
FRESH_FOR = timedelta(hours=6)
# How long a job waits for Shopify's bulk export before leaving the batches to OrdersFull
# pages (an export of a few thousand orders takes seconds to minutes on Shopify's side).
BULK_DEADLINE_SECONDS = 900


class ShopifyOrder(models.Model):
    _inherit = "shopify.order"

    # Not the synced payload (payload_json, which says what Odoo holds): what the prefetch
    # read, kept until the sync job uses it. Never prefetched by the ORM: it is large.
    fetched_payload_json = fields.Text(copy=False, prefetch=False, groups="base.group_system")
    fetched_at = fields.Datetime(copy=False, groups="base.group_system")

    def _job_prefetch(self):
        """Job body (see the module's docstring). Returns what it did, in words."""
        self = self.sudo()  # the integration's bookkeeping, as _job_sync
        todo = self.filtered(lambda o: o.sync_state == "in_progress")
        fetched = made_by_others = 0
        for store in todo.store_id:
            orders = todo.filtered(lambda o: o.store_id == store)
            payloads = orders._prefetched_payloads()  # a bulk export's, when one ran
            missing = orders.filtered(lambda o: o.shopify_gid not in payloads)
            if missing:
                try:
                    from ..shopify.api import orders_api

                    got = orders_api.fetch_orders(store._shopify_client(), missing.mapped("shopify_gid"))
                except ShopifyError as exc:
                    _logger.info("Prefetch of %d orders of store %s left to the sync job: %s",
                                 len(missing), store.id, exc)
                    continue
                fetched += len(got)
                payloads.update(missing._store_payloads(got))
            if not store.shop_timezone:
                continue  # the sync job fails the batch with the reason
            from ..services.shared_records import make_shared_records

            writer_env = self.with_company(store.company_id).with_context(
                tracking_disable=True, mail_create_nolog=True, mail_notrack=True).env
            try:
                with self.env.cr.savepoint():
                    made_by_others += make_shared_records(writer_env, store, orders.with_env(writer_env), payloads)
            except Exception:  # noqa: BLE001 - never fail: the sync job makes them itself
                _logger.exception("Shared records of %d orders of store %s left to the sync job", len(orders),
                                  store.id)
        return _("%(fetched)s orders fetched; %(others)s shared records left to parallel syncs.",
                 fetched=fetched, others=made_by_others)

    def _job_prefetch_bulk(self):
        """Job body, before the batches of a large sync: every order of self through one
        Shopify bulk export (not subject to the rate limit), stored for the batches'
        prefetch and sync jobs. Whatever it cannot export is fetched by them, by pages."""
        from ..shopify.api import orders_api

        self = self.sudo()
        todo = self.filtered(lambda o: o.sync_state == "in_progress")
        exported = 0
        for store in todo.store_id:
            orders = todo.filtered(lambda o: o.store_id == store)
            try:
                got = orders_api.fetch_orders_bulk(store._shopify_client(), orders.mapped("shopify_gid"),
                                                   deadline_seconds=BULK_DEADLINE_SECONDS)
            except ShopifyError as exc:
                # Another export running (Shopify allows one, or five, at a time), or too slow.
                _logger.info("Bulk export of %d orders of store %s left to pages: %s", len(orders), store.id, exc)
                continue
            exported += len(orders._store_payloads(got))
        return _("%(exported)s of %(count)s orders exported in bulk.", exported=exported, count=len(todo))

    def _store_payloads(self, payloads):
        """Keeps ``payloads`` (a list, as fetched) on the orders of self; returns them by gid.
        One statement for all of them: a bulk export stores thousands, and the ORM would
        write each order's different payload with a statement of its own."""
        by_gid = {p["id"]: p for p in payloads}
        kept = self.filtered(lambda o: o.shopify_gid in by_gid)
        if kept:
            self.env.cr.execute(
                """UPDATE shopify_order AS o
                      SET fetched_payload_json = v.payload, fetched_at = %s,
                          write_date = %s, write_uid = %s
                     FROM unnest(%s::int[], %s::text[]) AS v(id, payload)
                    WHERE o.id = v.id""",
                [fields.Datetime.now(), fields.Datetime.now(), self.env.uid, kept.ids,
                 [json.dumps(by_gid[o.shopify_gid]) for o in kept]])
            kept.invalidate_recordset(["fetched_payload_json", "fetched_at", "write_date", "write_uid"])
        return {o.shopify_gid: by_gid[o.shopify_gid] for o in kept}

    def _prefetched_payloads(self):
        """{gid: payload} of the orders of self prefetched recently enough (read only: the
        sync clears them once it holds the orders' locks)."""
        kept = self.sudo().filtered("fetched_at")
        oldest = fields.Datetime.now() - FRESH_FOR
        return {o.shopify_gid: json.loads(o.fetched_payload_json)
                for o in kept if o.fetched_at >= oldest and o.fetched_payload_json}

    def _clear_prefetched(self):
        kept = self.sudo().filtered("fetched_at")
        if kept:
            kept.write({"fetched_payload_json": False, "fetched_at": False})
