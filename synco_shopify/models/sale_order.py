from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "shopify.document.link.mixin"]
    _shopify_links = ('shopify_order_id', 'shopify_cancelled')

    shopify_order_id = fields.Many2one(
        "shopify.order", readonly=True, copy=False, index="btree_not_null", ondelete="restrict")
    shopify_note = fields.Text(
        string="Shopify note", readonly=True, copy=False,
        help="The customer's note on the Shopify order (kept apart from the terms and conditions).",
    )
    shopify_cancelled = fields.Boolean(
        string="Cancelled in Shopify", readonly=True, copy=False,
        help="Shopify cancelled the order after it was invoiced: its refunds are credit notes.",
    )
    shopify_note_attributes = fields.Text(
        string="Shopify note attributes", readonly=True, copy=False,
        help="The cart's note attributes as Shopify received them.",
    )

    # The database, not only the code, keeps a Shopify order from becoming two sale orders.
    _shopify_order_unique = models.UniqueIndex(
        "(shopify_order_id) WHERE shopify_order_id IS NOT NULL",
        "This Shopify order already has a sale order.",
    )

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        if self.shopify_order_id and "synco_invoice_dates" in self.env.context:
            # The sync's own invoice of the sale (an invoice someone makes by hand from the
            # order is not Shopify's). Created with its Shopify date: setting it afterwards
            # would recompute the invoice's lines a second time.
            values["shopify_order_id"] = self.shopify_order_id.id
            values["shopify_source_gid"] = self.shopify_order_id.shopify_gid
            values["shopify_document_kind"] = "sale"
            invoice_date = self.env.context.get("synco_invoice_dates", {}).get(self.id)
            if invoice_date:
                values["invoice_date"] = invoice_date
        return values
