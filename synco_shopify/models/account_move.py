from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    shopify_order_id = fields.Many2one(
        "shopify.order", readonly=True, copy=False, index="btree_not_null", ondelete="restrict")

    _shopify_invoice_unique = models.UniqueIndex(
        "(shopify_order_id) WHERE shopify_order_id IS NOT NULL AND move_type = 'out_invoice'",
        "This Shopify order already has an invoice.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # An invoice-only order that was synced as a draft now has a number: send it.
        # Whoever posts it (an accountant reviewing drafts) need not see Shopify orders.
        orders = posted.shopify_order_id.sudo().filtered(
            lambda o: not o.sale_order_id and o.sync_state == "synced")
        orders.write({"writeback_state": "pending"})
        return posted
