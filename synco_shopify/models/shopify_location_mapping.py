from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
    # Where the goods of this location's shipments leave from, when Shopify ships (the store's
    # "Who ships"): a location of the warehouse; empty, the warehouse's stock.
    stock_location_id = fields.Many2one(
        "stock.location", string="Ships from", check_company=True,
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', warehouse_id)]",
        help="Where the stock of this location's Shopify shipments leaves from. Empty: the "
        "warehouse's stock location.")

    @api.constrains("warehouse_id", "stock_location_id")
    def _check_stock_location(self):
        for mapping in self.filtered("stock_location_id"):
            if mapping.stock_location_id.warehouse_id != mapping.warehouse_id:
                raise ValidationError(_(
                    "Location mapping %(location)s: %(stock)s is not a location of warehouse %(warehouse)s.",
                    location=mapping.location_name or mapping.location_gid,
                    stock=mapping.stock_location_id.display_name, warehouse=mapping.warehouse_id.display_name))

    def _ships_from(self):
        """The stock location a shipment of this Shopify location leaves from."""
        self.ensure_one()
        return self.stock_location_id or self.warehouse_id.lot_stock_id

    _location_unique = models.UniqueIndex("(store_id, location_gid)", "A location is mapped once per store.")
