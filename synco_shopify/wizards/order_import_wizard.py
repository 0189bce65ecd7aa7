from datetime import datetime, time, timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError

# Above this many orders in the range, a Shopify bulk operation is cheaper than paging:
# it is not subject to the rate limit and runs on Shopify's side.
BULK_THRESHOLD = 2000


class ShopifyOrderImportWizard(models.TransientModel):
    _name = "shopify.order.import.wizard"
    _description = "Import Shopify orders"

    store_id = fields.Many2one("shopify.store", required=True)
    date_from = fields.Date(required=True, default=lambda self: fields.Date.today() - timedelta(days=30))
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    def action_import(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(_("The start date is after the end date."))
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + timedelta(days=1), time.min)
        query = (f"created_at:>='{start:%Y-%m-%dT%H:%M:%SZ}' "
                 f"created_at:<'{end:%Y-%m-%dT%H:%M:%SZ}'")
        counted = self.store_id._shopify_client().execute("OrdersCount", {"query": query})["ordersCount"]
        count = counted["count"] if counted else 0
        imported = self.env["shopify.order.import"]._import_headers(
            self.store_id, query, bulk=count > BULK_THRESHOLD)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Shopify orders imported"),
                "message": _("%(count)s orders of %(store)s imported.", count=imported, store=self.store_id.name),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
