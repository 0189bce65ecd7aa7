from odoo import fields, models


class ShopifyVariantLink(models.Model):
    """Remembers which product a Shopify variant became, per store."""

    _name = "shopify.variant.link"
    _description = "Shopify variant link"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade", index=True)
    variant_gid = fields.Char(required=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")

    _variant_unique = models.UniqueIndex("(store_id, variant_gid)")
