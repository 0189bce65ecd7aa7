from odoo import fields, models


class ShopifyCustomerLink(models.Model):
    """Remembers which partner a Shopify customer became, per store, so that repeat
    customers are matched by id before email."""

    _name = "shopify.customer.link"
    _description = "Shopify customer link"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade", index=True)
    customer_gid = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")

    _customer_unique = models.UniqueIndex("(store_id, customer_gid)")
