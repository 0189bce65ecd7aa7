"""Tells Shopify which Odoo record each synced order became: the order metafield
``custom.odoo_id``, set with metafieldsSet, 25 orders per call.

It runs outside the sync (a job of its own, queued by the sync's transaction), so a
sync that rolls back never leaves a metafield naming documents that do not exist, and
no HTTP call waits while the sync holds its locks. Here too nothing is locked while
Shopify answers: the orders are read, Shopify is called, and only then are the results
written (a few short UPDATEs before the commit). Under Odoo's repeatable-read isolation,
an order a sync changed meanwhile makes that last write fail to serialize, and queue_job
runs the job again (sending again is safe: metafieldsSet is an upsert).
"""
import logging

from odoo import api, models

from ..shopify.api.errors import ShopifyError

_logger = logging.getLogger(__name__)

# Orders written back per job: ten metafieldsSet calls. A store with more waiting gets
# a follow-up job; one job never holds a worker for long.
WRITEBACK_LIMIT = 250


class ShopifyOrderWriteback(models.AbstractModel):
    _name = "shopify.order.writeback"
    _description = "Shopify order write-back (custom.odoo_id)"

    @api.model
    def _pending_domain(self, store):
        """The orders of ``store`` whose Odoo ID Shopify does not carry yet. Orders in
        progress are left to the sync running them (it queues their write-back again);
        a failed update keeps its documents, and so the Odoo ID Shopify should show."""
        return [("store_id", "=", store.id), ("writeback_state", "=", "pending"),
                ("odoo_record_ref", "!=", False), ("sync_state", "!=", "in_progress")]

    @api.model
    def _write_back(self, store, orders):
        """Sets custom.odoo_id on Shopify for ``orders`` (of ``store``), and records each
        order's outcome: written, or refused with Shopify's reason (it stays pending).
        Returns ``(written, refused)`` counts. When Shopify cannot be reached or refuses
        the call, the orders stay pending with the error, and the ShopifyError propagates
        (the job decides whether to try again later)."""
        orders = orders.sudo().filtered(lambda o: o.writeback_state == "pending" and o.odoo_record_ref)
        if not orders:
            return 0, 0
        from ..shopify.api import orders_api

        # Read first: what is sent is what gets recorded as written, whatever happens
        # to the orders while Shopify answers.
        sent = {o.shopify_gid: o.odoo_record_ref for o in orders}
        try:
            results = orders_api.set_odoo_ids(store._shopify_client(), list(sent.items()))
        except ShopifyError as exc:
            orders.write({"writeback_error": str(exc)})
            _logger.warning("Store %s: write-back of %d orders postponed: %s", store.name, len(orders), exc)
            raise
        written = refused = 0
        for order in orders:
            error = results.get(order.shopify_gid)
            if error:
                order.writeback_error = str(error)
                refused += 1
            else:
                # What Shopify's metafield now says, as the list would read it next time.
                order.write({"writeback_state": "done", "writeback_error": False,
                             "shopify_odoo_ref": sent[order.shopify_gid]})
                written += 1
        return written, refused
