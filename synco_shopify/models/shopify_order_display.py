"""What the Orders list and form show of an order, beside its stored facts: whether its
eligibility still means anything, its job's state where it adds something, and the
counts of the list's tabs."""
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

JOB_STATUSES = [
    ("queued", "Queued"),
    ("waiting", "Waiting in line"),
    ("retry", "Will retry"),
    ("running", "Running"),
    ("failed", "Job failed"),
    ("cancelled", "Job cancelled"),
]


# The jobs that run before a batch's sync job (models/shopify_order_prefetch.py).
PREFETCH_STAGES = ("_job_prefetch", "_job_prefetch_bulk")


class ShopifyOrder(models.Model):
    _inherit = "shopify.order"

    # Eligibility says what may be synced next: once an order has documents, its outcome
    # (Synced, Changed, Failed update) is what matters, whatever the rules say now.
    eligibility_shown = fields.Boolean(compute="_compute_eligibility_shown")
    # The job's own state, only while it tells something the Sync Status does not: a
    # done job says nothing (the order's outcome does).
    job_status = fields.Selection(JOB_STATUSES, string="Job Status", compute="_compute_job_status",
                                  compute_sudo=True)

    @api.depends("sync_state", "odoo_record_ref")
    def _compute_eligibility_shown(self):
        for order in self:
            order.eligibility_shown = order.sync_state in ("not_synced", "failed") and not order.odoo_record_ref

    @api.depends("job_id.state", "job_id.retry", "job_id.dependency_ids.state")
    def _compute_job_status(self):
        for order in self:
            job = order.job_id
            while job.state == "wait_dependencies":
                # Waiting for its own first stages only (the prefetch, then a bulk export):
                # the batch's work has begun, and says so as they do. Waiting for another
                # batch's sync is "Waiting in line".
                stages = job.dependency_ids
                if not stages or not all(dep.method_name in PREFETCH_STAGES for dep in stages):
                    break
                job = stages.sorted("id")[:1]
            if job.state in ("pending", "enqueued"):
                # Back to pending after a Shopify hiccup (RetryableJobError): it runs again later.
                order.job_status = "retry" if job.retry else "queued"
            else:
                order.job_status = {
                    "wait_dependencies": "waiting",
                    "started": "running",
                    "failed": "failed",
                    "cancelled": "cancelled",
                }.get(job.state, False)

    @api.model
    def tab_counts(self, domain, tabs):
        """How many orders of ``domain`` each tab holds: ``tabs`` maps a tab's name to its
        domain (the search view's filter). One query, whatever the number of tabs, with
        the user's access rules."""
        query = self._search(Domain(domain))
        if query.is_empty():
            return dict.fromkeys(tabs, 0)
        names = list(tabs)
        counts = [SQL("COUNT(*) FILTER (WHERE %s)", self._tab_condition(tabs[name], query)) for name in names]
        self.env.cr.execute(query.select(*counts))
        return dict(zip(names, self.env.cr.fetchone()))

    def _tab_condition(self, domain, query):
        domain = Domain(domain).optimize_full(self)
        if domain.is_true():
            return SQL("TRUE")
        if domain.is_false():
            return SQL("FALSE")
        return domain._to_sql(self, query.table, query)
