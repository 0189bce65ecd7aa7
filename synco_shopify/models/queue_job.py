"""The sync job's state is the one truth about an order In Progress: an order is In
Progress exactly while the queue.job in its ``job_id`` is waiting, queued or running.
Whenever such a job leaves those states, or comes back to them, its orders follow in
the same transaction.

Every change queue_job makes through the ORM goes through ``write`` below (Job.store():
the runner's controller marking a job started, done, failed (from its own cursor, which
commits the failure), retried later; the buttons and wizards Done, Cancel, Requeue;
cancel_dependent_jobs; enqueue_waiting), or through ``unlink`` (the garbage collector,
a person deleting a job).

queue_job also changes states in raw SQL, which no ORM hook sees. Those changes never
cross the In Progress boundary but one:

* jobrunner/runner.py ``set_job_enqueued``: pending -> enqueued (both In Progress);
* jobrunner/runner.py ``requeue_dead_jobs`` (a job whose worker died: its
  queue_job_lock row is no longer locked): enqueued/started -> pending (all In
  Progress)... or -> failed ("JobFoundDead") once the job's retries are exhausted.
  That one is followed by a trigger of the database (``init`` below), in the runner's
  own statement: its orders fail with the job, and nothing can read them in between.
  (The scheduled catch-up still notifies the lists and lets chained batches through.)
* queue_job 19.0 has no requeue cron of its own (the runner does it, above), and its
  autovacuum deletes done and cancelled jobs only (through unlink).
"""
from odoo import _, models

IN_PROGRESS = ("wait_dependencies", "pending", "enqueued", "started")
# The jobs whose records are Shopify orders: the sync batches (shopify_order_jobs.py).
SYNC_MODEL = "shopify.order"


class QueueJob(models.Model):
    _inherit = "queue.job"

    def init(self):
        """The trigger that makes the runner's raw-SQL failure of a dead job (no ORM
        call to hook) fail the job's orders in the same statement."""
        super().init()
        self.env.cr.execute("""
            CREATE OR REPLACE FUNCTION synco_dead_sync_job() RETURNS trigger AS $$
            BEGIN
                UPDATE shopify_order
                   SET sync_state = 'failed',
                       sync_error = 'The sync job failed: ' || COALESCE(NEW.exc_info, NEW.exc_name),
                       last_sync_at = now() AT TIME ZONE 'UTC',
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE job_id = NEW.id AND sync_state = 'in_progress';
                RETURN NULL;
            END $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS synco_dead_sync_job ON queue_job;
            CREATE TRIGGER synco_dead_sync_job AFTER UPDATE OF state ON queue_job FOR EACH ROW
                WHEN (NEW.state = 'failed' AND OLD.state IN ('enqueued', 'started')
                      AND NEW.exc_name = 'JobFoundDead' AND NEW.model_name = 'shopify.order')
                EXECUTE FUNCTION synco_dead_sync_job();
        """)

    def write(self, vals):
        if "state" not in vals:
            return super().write(vals)
        syncs = self.filtered(lambda job: job.model_name == SYNC_MODEL)
        before = {job.id: job.state for job in syncs}
        result = super().write(vals)
        crossed = syncs.filtered(lambda job: (before[job.id] in IN_PROGRESS) != (job.state in IN_PROGRESS))
        if crossed:
            orders = self.env[SYNC_MODEL].sudo().search([("job_id", "in", crossed.ids)])
            for job in crossed:
                job._synco_settle_orders(orders.filtered(lambda o: o.job_id == job))
        return result

    def unlink(self):
        orders = self.env[SYNC_MODEL].sudo().search(
            [("job_id", "in", self.ids), ("sync_state", "=", "in_progress")])
        result = super().unlink()
        # Deleted while waiting: nothing will sync them.
        orders._release_in_progress()
        return result

    def _synco_settle_orders(self, orders):
        """Give ``orders`` (those whose job is self) the state self's state means."""
        self.ensure_one()
        if self.state in IN_PROGRESS:
            # Requeued by a person (or queue_job) after it failed, was cancelled or done:
            # its orders not synced since are In Progress again. Synced ones stay Synced
            # (the job skips them).
            orders.filtered(lambda o: o.sync_state in ("failed", "not_synced", "changed")).write(
                {"sync_state": "in_progress", "sync_error": False})
            return
        left = orders.filtered(lambda o: o.sync_state == "in_progress")
        if self.state == "failed":
            left._mark_failed(_("The sync job failed: %s", self.exc_message or self.exc_name or _("no reason given")))
            self._synco_let_chained_through()
        else:
            # Cancelled (by hand, or because the job before it in a chain was), or done
            # (the job settled each order it reached; set to done by hand, it ran nothing).
            left._release_in_progress()
        if left:
            left._notify_list()

    def _synco_let_chained_through(self):
        """The batches chained after a failed one run all the same: the failed batch's
        orders will be booked later anyway, and theirs should not wait for a person to
        requeue it (queue_job would hold them while their dependency is not done)."""
        waiting = self.sudo().dependent_ids.filtered(lambda job: job.state == "wait_dependencies")
        waiting.filtered(lambda job: all(dep.state in ("done", "failed") for dep in job.dependency_ids)).write(
            {"state": "pending"})
