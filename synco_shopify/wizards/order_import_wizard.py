from datetime import datetime, time, timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..shopify.api.errors import ShopifyError

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
        store = self.store_id
        # Importing changes the store's orders: a Manager's, in one of their companies;
        # checked before anything is sent to Shopify.
        store.check_access("write")
        if self.date_from > self.date_to:
            raise UserError(_("The start date is after the end date."))
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + timedelta(days=1), time.min)
        query = (f"created_at:>='{start:%Y-%m-%dT%H:%M:%SZ}' "
                 f"created_at:<'{end:%Y-%m-%dT%H:%M:%SZ}'")
        try:
            # The count is asked while the user waits: an unreachable address says so fast.
            counted = store._shopify_client(interactive=True).execute(
                "OrdersCount", {"query": query})["ordersCount"]
            count = counted["count"] if counted else 0
            with self.env.cr.savepoint():  # nothing half-imported
                imported = self.env["shopify.order.import"]._import_headers(
                    store, query, bulk=count > BULK_THRESHOLD)
        except ShopifyError as exc:
            store._record_connection_error(exc)
            return store._shopify_error_notification(
                _("Import failed"), [(store, exc)], next_action={"type": "ir.actions.act_window_close"})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Shopify orders imported"),
                "message": _("%(count)s orders of %(store)s imported.", count=imported, store=store.name),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
