from odoo import fields, models


class ShopifyShippingMapping(models.Model):
    """Which delivery product (and carrier) a Shopify shipping method becomes.
    A code left empty matches every shipping line without a mapping of its own."""

    _name = "shopify.shipping.mapping"
    _description = "Shopify shipping mapping"
    # Its journal, warehouse, tax or product belong to the store\'s company (Odoo checks on save).
    _check_company_auto = True
    _order = "store_id, sequence, id"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    shipping_code = fields.Char(help="Shopify shipping line code or title; empty = any")
    product_id = fields.Many2one(
        "product.product", required=True, domain="[('type', '=', 'service')]", check_company=True,
    )
