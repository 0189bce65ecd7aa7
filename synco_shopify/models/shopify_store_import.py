from odoo import _, fields, models

from .shopify_order_import_run import RUNNING


class ShopifyStore(models.Model):
    """The store's last import of order headers (Import wizard, first catch-up) and how far
    it got, read from its run (shopify.order.import.run), which its jobs keep up to date."""

    _inherit = "shopify.store"

    import_state = fields.Selection([
        ("queued", "Queued"), ("exporting", "Bulk export running"), ("importing", "Importing"),
        ("done", "Done"), ("failed", "Failed"), ("stopped", "Stopped"),
    ], string="Last import", compute="_compute_import")
    import_progress = fields.Char(string="Import progress", compute="_compute_import")
    import_kind = fields.Char(string="Import of", compute="_compute_import")
    import_started_at = fields.Datetime(string="Import queued at", compute="_compute_import")
    import_finished_at = fields.Datetime(string="Import finished at", compute="_compute_import")
    import_running = fields.Boolean(compute="_compute_import")

    def _compute_import(self):
        # The runs are the integration's bookkeeping: read as superuser for whoever sees the store.
        Run = self.env["shopify.order.import.run"].sudo()
        for store in self:
            run = Run.search([("store_id", "=", store.id)], limit=1) if store.id else Run
            state, progress = run.state, run.progress
            if state in RUNNING and not run._is_running():
                state, progress = "stopped", _("%(progress)s. %(reason)s",
                                               progress=progress, reason=run._stopped_reason())
            store.import_state = state or False
            store.import_progress = progress or False
            store.import_kind = (dict(run._fields["kind"].selection)[run.kind]
                                 + (f": {run.query}" if run.query else "")) if run else False
            store.import_started_at = run.create_date
            store.import_finished_at = run.date_finished
            store.import_running = state in RUNNING
