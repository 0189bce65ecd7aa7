from odoo import fields, models

from .shopify_reconciliation_order import STATUSES

# What is compared, both sides in the order's currency (discounts and refunds as positive
# amounts). Tax has a line per tax, payments a line per gateway (the detail).
MEASURES = [
    ("orders", "Orders"),
    ("gross", "Gross sales"),
    ("discounts", "Discounts"),
    ("refunds", "Refunds and edits"),
    ("shipping", "Shipping"),
    ("tax", "Tax"),
    ("tips", "Tips"),
    ("payments", "Payments"),
    ("total", "Total"),
]


class ShopifyReconciliationLine(models.Model):
    """One figure of one order: what Shopify says, what Odoo has, the difference. The
    pivot and graph views read these; written by the reconciliation's SQL refresh only.
    Amounts in the order's currency (its row's). Few columns with foreign keys: a month
    of 10,000 orders writes some 70,000 lines, and each key is checked per line."""

    _name = "shopify.reconciliation.line"
    _description = "Shopify reconciliation: figure"
    _order = "shop_date, order_row_id, measure, detail"

    reconciliation_id = fields.Many2one("shopify.reconciliation", required=True, ondelete="cascade", index=True)
    order_row_id = fields.Many2one("shopify.reconciliation.order", string="Order", required=True,
                                   ondelete="cascade", index=True)
    order_name = fields.Char(related="order_row_id.name", string="Order name")
    shop_date = fields.Date(string="Shop day", readonly=True)
    status = fields.Selection(STATUSES, readonly=True)
    measure = fields.Selection(MEASURES, readonly=True, required=True)
    detail = fields.Char(string="Tax or gateway", readonly=True)
    shopify_amount = fields.Float(string="Shopify", readonly=True, digits=(16, 2))
    odoo_amount = fields.Float(string="Odoo", readonly=True, digits=(16, 2))
    difference = fields.Float(readonly=True, digits=(16, 2), help="Odoo − Shopify")

    def action_open_order_row(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "shopify.reconciliation.order",
            "res_id": self.order_row_id.id,
            "views": [(False, "form")],
        }
