from odoo import fields, models


class ShopifyStoreBudget(models.Model):
    """Shopify's rate-limit bucket of one store as every worker and server of this
    database sees it: the points booked by requests in flight and Shopify's last
    throttleStatus. Shopify keeps one bucket per app and shop, so the workers share one
    ledger (services/store_budget.py), written in short transactions of their own."""

    _name = "shopify.store.budget"
    _description = "Shopify rate-limit budget of a store"
    _log_access = False

    # Not a foreign key: the ledger is written on cursors of its own, which must not wait
    # for (or fail on) a store created in a transaction not committed yet. A deleted
    # store leaves one row behind that nothing reads.
    store_id = fields.Integer(required=True, readonly=True)
    maximum = fields.Float(readonly=True, help="Shopify's maximumAvailable")
    available = fields.Float(readonly=True, help="Points left when counted (negative: booked ahead)")
    restore_rate = fields.Float(readonly=True, help="Shopify's restoreRate, points per second")
    in_flight = fields.Float(readonly=True, help="Points booked by requests not answered yet")
    counted_at = fields.Datetime(readonly=True, help="When available was counted (database clock, UTC)")

    _store_unique = models.UniqueIndex("(store_id)", "A store has one rate-limit budget.")
