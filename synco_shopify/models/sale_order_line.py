from odoo import fields, models

LINE_KINDS = [
    ("product", "Product"),
    ("discount", "Discount"),
    ("shipping", "Shipping"),
    ("shipping_discount", "Shipping discount"),
    ("tip", "Tip"),
    ("duty", "Duty"),
    ("fee", "Additional fee"),
    ("gift_card", "Gift card"),
    ("adjustment", "Refund adjustment"),
    ("cash_rounding", "Cash rounding"),
]


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    shopify_line_kind = fields.Selection(LINE_KINDS, readonly=True, copy=False)
    shopify_line_gid = fields.Char(readonly=True, copy=False)

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        if self.shopify_line_kind:
            values.update(shopify_line_kind=self.shopify_line_kind, shopify_line_gid=self.shopify_line_gid)
        return values

    def _compute_price_unit(self):
        # Shopify's price is the price: a later quantity or pricelist change must not
        # reprice a synced line (Odoo would, see docs/odoo19.md §1).
        return super(SaleOrderLine, self.filtered(lambda line: not line.shopify_line_kind))._compute_price_unit()

    def _compute_discount(self):
        return super(SaleOrderLine, self.filtered(lambda line: not line.shopify_line_kind))._compute_discount()
