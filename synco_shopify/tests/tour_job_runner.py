"""queue_job's runner, as far as a browser test needs it.

In test mode no job runner runs: this thread plays its part. It marks due jobs of
one channel ``enqueued`` (what ``jobrunner.runner.Database.set_job_enqueued`` does)
and asks Odoo to run each with ``GET /queue_job/runjob``, the route the real runner
calls, so a job is acquired, performed, marked done or failed by queue_job's own code.

Everything happens on the test's transaction: HttpCase's registry hands out test
cursors that share its connection, one thread at a time (the registry test lock).
The test thread itself uses that connection without the lock while it signs the
browser in, so the runner starts once the browser has been sent to its page, and
stops before the test waits for the last requests. It only works while the browser
test has released the lock, and never waits for it longer than one poll.
"""
import logging
import threading
import time
import traceback
from datetime import datetime, timedelta, timezone

import requests

from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, _registry_test_lock

_logger = logging.getLogger(__name__)

POLL_SECONDS = 0.3
# A real runner is never instantaneous (NOTIFY, channel capacity, an HTTP round
# trip); a job runs this long after it was first seen, so that the page that queued
# it can show "In Progress" before the job ends.
PICKUP_DELAY_SECONDS = 2.0
JOB_TIMEOUT_SECONDS = 60


class TourJobRunner:
    """Runs the jobs of ``channel`` while a browser test runs: ``start()`` once the
    browser is on its page, ``stop()`` before the test waits for its last requests."""

    def __init__(self, case, channel="root.synco", pickup_delay=PICKUP_DELAY_SECONDS):
        self.case = case
        self.channel = channel
        self.pickup_delay = pickup_delay
        self.seen = {}  # uuid -> monotonic time it was first seen pending
        self.ran = []  # uuids, in the order they were run
        self.errors = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="synco.tour_job_runner", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self, timeout=JOB_TIMEOUT_SECONDS):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
            if self._thread.is_alive():
                self.errors.append(f"the job runner did not stop within {timeout} s")

    def _loop(self):
        while not self._stop.wait(POLL_SECONDS):
            try:
                for uuid in self._take_due_jobs():
                    self._run(uuid)
            except Exception as exc:  # reported by the test, which fails on it
                _logger.exception("tour job runner")
                self.errors.append(traceback.format_exc())
                return

    def _take_due_jobs(self):
        # The test thread holds the lock outside its browser phase: then there is
        # nothing to run, and the runner must not hold up the test.
        if not _registry_test_lock.acquire(timeout=POLL_SECONDS):
            return []
        try:
            with self.case.registry.cursor() as cr:
                cr.execute("""
                    SELECT uuid, eta FROM queue_job
                     WHERE state = 'pending' AND channel = %s
                     ORDER BY priority, date_created, id
                """, [self.channel])
                now = time.monotonic()
                utc_now = datetime.now(timezone.utc).replace(tzinfo=None)
                due = []
                for uuid, eta in cr.fetchall():
                    first_seen = self.seen.setdefault(uuid, now)
                    if (eta is None or eta <= utc_now) and now - first_seen >= self.pickup_delay:
                        due.append(uuid)
                if due:
                    cr.execute("""
                        UPDATE queue_job SET state = 'enqueued', date_enqueued = %s
                         WHERE uuid IN %s AND state = 'pending'
                    """, [utc_now, tuple(due)])
                return due
        finally:
            _registry_test_lock.release()

    def _run(self, uuid):
        response = requests.get(
            f"{self.case.base_url()}/queue_job/runjob",
            params={"job_uuid": uuid},
            cookies={TEST_CURSOR_COOKIE_NAME: self.case.http_request_key},
            timeout=JOB_TIMEOUT_SECONDS,
        )
        self.ran.append(uuid)
        if response.status_code != 200:
            # queue_job has recorded the failure on the job (state failed, exc_info).
            _logger.info("job %s ended with HTTP %s", uuid, response.status_code)


def utc_in(**delta):
    """A naive UTC datetime, as queue_job stores its eta."""
    return datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(**delta)
