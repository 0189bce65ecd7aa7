from odoo import fields, models


class ShopifyLocationMapping(models.Model):
    """The warehouse that ships what a Shopify location fulfils."""

    _name = "shopify.location.mapping"
    _description = "Shopify location mapping"
    # Its journal, warehouse, tax or product belong to the store\'s company (Odoo checks on save).
    _check_company_auto = True
    _order = "store_id, location_name"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    location_gid = fields.Char(string="Shopify location ID", required=True)
    location_name = fields.Char()
    warehouse_id = fields.Many2one("stock.warehouse", required=True, check_company=True)

    _location_unique = models.UniqueIndex("(store_id, location_gid)", "A location is mapped once per store.")
