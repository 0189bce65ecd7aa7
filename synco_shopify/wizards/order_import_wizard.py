from datetime import datetime, time, timedelta

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..services import order_import
from ..shopify.api.errors import ShopifyError


class ShopifyOrderImportWizard(models.TransientModel):
    """Checks and counts while the user waits (a wrong date, a refused token or an unreachable
    address is said at once), then queues the import: the headers are read by jobs
    (shopify.order.import.run), which show their progress on the store."""

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
        running = self.env["shopify.order.import.run"]._running_for(store)
        if running:
            raise UserError(_("An import of %(store)s is under way (%(progress)s): wait for it to end.",
                              store=store.name, progress=running.progress))
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + timedelta(days=1), time.min)
        query = (f"created_at:>='{start:%Y-%m-%dT%H:%M:%SZ}' "
                 f"created_at:<'{end:%Y-%m-%dT%H:%M:%SZ}'")
        close = {"type": "ir.actions.act_window_close"}
        try:
            # The count is asked while the user waits: an unreachable address says so fast.
            count = self.env["shopify.order.import"]._count(store, query, interactive=True)
        except ShopifyError as exc:
            store._record_connection_error(exc)
            return store._shopify_error_notification(_("Import failed"), [(store, exc)], next_action=close)
        if not count:
            return _notification(_("Shopify orders"), _("%s has no orders in that range.", store.name),
                                 "warning", close)
        self.env["shopify.order.import.run"]._queue(store, query, count, bulk=count > order_import.BULK_THRESHOLD)
        return _notification(
            _("Shopify import queued"),
            _("%(count)s orders of %(store)s will be imported in the background; the store shows "
              "how far it got (Imports tab).", count=f"{count:,}", store=store.name),
            "success", close)


def _notification(title, message, kind, next_action):
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {"title": title, "message": message, "type": kind, "next": next_action},
    }
