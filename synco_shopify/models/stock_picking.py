from odoo import fields, models


class StockPicking(models.Model):
    """A delivery Synco validated for a Shopify shipment, keyed by it: the same shipment never
    validates a second delivery (the unique index holds even against a parallel sync)."""

    _name = "stock.picking"
    _inherit = ["stock.picking", "shopify.document.link.mixin"]
    _shopify_links = ("shopify_order_id", "shopify_fulfillment_gid")

    shopify_order_id = fields.Many2one(
        "shopify.order", readonly=True, copy=False, index="btree_not_null", ondelete="restrict")
    shopify_fulfillment_gid = fields.Char(string="Shopify shipment ID", readonly=True, copy=False)
    shopify_fulfillment_name = fields.Char(
        string="Shopify shipment", readonly=True, copy=False,
        help="The Shopify fulfillment this delivery carried out: Shopify shipped it, on this delivery's date.")

    _shopify_fulfillment_unique = models.UniqueIndex(
        "(shopify_order_id, shopify_fulfillment_gid) WHERE shopify_fulfillment_gid IS NOT NULL",
        "This Shopify shipment already validated a delivery.",
    )

    def _send_confirmation_email(self):
        # Shopify told the customer when it shipped; Odoo's own shipping email would be a second one.
        if self.env.context.get("synco_shopify_shipment"):
            return None
        return super()._send_confirmation_email()
