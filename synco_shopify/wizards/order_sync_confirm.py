from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.misc import format_date

# Orders named in the warning; the rest are counted.
LISTED = 10


class ShopifyOrderSyncConfirm(models.TransientModel):
    """Asked before a sync that would post invoices dated before the last invoice posted
    in their journal: Odoo numbers invoices in the order they are posted, so those would
    break the date order of the numbers (which several countries require)."""

    _name = "shopify.order.sync.confirm"
    _description = "Confirm a Shopify sync that posts back-dated invoices"

    order_ids = fields.Many2many("shopify.order", string="Orders to sync", readonly=True)
    message = fields.Html(readonly=True, sanitize=True)

    @api.model
    def _ask(self, orders, early):
        """The dialog for ``orders`` (the user's selection), of which ``early`` (as
        ``_invoices_dated_before_posted`` returns) would be numbered out of date order."""
        wizard = self.create({"order_ids": [fields.Command.set(orders.ids)], "message": self._message(early)})
        return {
            "type": "ir.actions.act_window",
            "name": _("Invoices dated before the last posted one"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _message(self, early):
        rows = sorted(early.items(), key=lambda item: (item[1][0], item[0].id))
        items = Markup("").join(
            Markup("<li>%s</li>") % _("%(order)s would be invoiced on %(day)s in %(journal)s, whose last posted "
                                      "invoice is dated %(last)s",
                                      order=order.name, day=format_date(self.env, day), journal=journal.name,
                                      last=format_date(self.env, last))
            for order, (day, journal, last) in rows[:LISTED])
        if len(rows) > LISTED:
            more = len(rows) - LISTED
            items += Markup("<li>%s</li>") % (
                _("and 1 more order") if more == 1 else _("and %s more orders", more))
        lead = (_("1 order would get an invoice dated before the last invoice posted in its journal.")
                if len(rows) == 1 else
                _("%s orders would get invoices dated before the last invoice posted in their journal.", len(rows)))
        return Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
            lead, items,
            _("Odoo numbers invoices in the order they are posted: these would get numbers after invoices "
              "dated later, which the law of several countries forbids. Sync anyway only where that is "
              "allowed; otherwise cancel and leave these orders out of the selection."))

    def action_sync_anyway(self):
        self.ensure_one()
        return self.order_ids.with_context(synco_check_invoice_dates=False).action_enqueue_sync()
