from odoo import _, fields, models
from odoo.exceptions import UserError

# One status per order, the first that applies. "No Odoo document" is an order Odoo
# should hold (eligible, or once synced) with no live sale order, invoice or credit note:
# never synced, still queued, or whose documents were cancelled. An order the store's
# rules leave out (test, cancelled, unpaid...) and never synced is Excluded instead.
STATUSES = [
    ("failed", "Failed"),
    ("missing", "No Odoo document"),
    ("different", "Differs"),
    ("matched", "Matches"),
    ("excluded", "Excluded by the store's rules"),
]


class ShopifyReconciliationOrder(models.Model):
    """One Shopify order of a reconciliation: its status and totals on both sides.
    Written by the reconciliation's SQL refresh only."""

    _name = "shopify.reconciliation.order"
    _description = "Shopify reconciliation: order"
    _order = "shop_date, name, id"
    _rec_name = "name"

    reconciliation_id = fields.Many2one("shopify.reconciliation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="reconciliation_id.company_id", store=True)
    store_id = fields.Many2one("shopify.store", readonly=True)
    order_id = fields.Many2one("shopify.order", string="Shopify order", readonly=True, index=True)
    name = fields.Char(string="Order", readonly=True)
    shop_date = fields.Date(string="Shop day", readonly=True, index=True)
    status = fields.Selection(STATUSES, readonly=True, index=True)
    sync_state = fields.Char(readonly=True)
    sync_error = fields.Text(readonly=True)
    odoo_ref = fields.Char(string="Odoo documents", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    shopify_total = fields.Monetary(string="Shopify total", readonly=True)
    odoo_total = fields.Monetary(string="Odoo total", readonly=True)
    difference = fields.Monetary(readonly=True, help="Odoo − Shopify, on the order's total")
    differences = fields.Text(string="What differs", readonly=True,
                              help="Each figure that differs: Shopify, Odoo, difference (Odoo − Shopify)")
    line_ids = fields.One2many("shopify.reconciliation.line", "order_row_id", string="Figures", readonly=True)

    def action_open_shopify_order(self):
        """The Shopify order for those who may read it; for the others this row's figures."""
        self.ensure_one()
        order = self.order_id.with_env(self.env)
        if not order.has_access("read"):
            raise UserError(_("Only Shopify users open the Shopify order itself; its figures are here."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "shopify.order",
            "res_id": order.id,
            "views": [(False, "form")],
        }
