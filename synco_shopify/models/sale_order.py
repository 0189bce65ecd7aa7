from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    shopify_order_id = fields.Many2one(
        "shopify.order", readonly=True, copy=False, index="btree_not_null", ondelete="restrict")
    shopify_note_attributes = fields.Text(
        string="Shopify note attributes", readonly=True, copy=False,
        help="The cart's note attributes as Shopify received them.",
    )

    # The database, not only the code, keeps a Shopify order from becoming two sale orders.
    _shopify_order_unique = models.UniqueIndex(
        "(shopify_order_id) WHERE shopify_order_id IS NOT NULL",
        "This Shopify order already has a sale order.",
    )
