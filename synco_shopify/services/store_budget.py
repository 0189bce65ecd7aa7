"""The rate-limit ledger of a store in PostgreSQL, shared by every worker and server of
the database (the SharedCostBucket protocol of shopify/api/throttle.py).

Each call is its own short transaction on a cursor of its own, never the job's: the row
is locked for one UPDATE, and a job's rollback does not forget points that Shopify
charged. The transaction reads committed data (not Odoo's repeatable read): workers
updating the row at once then wait for each other and add up, where a snapshot would
refuse all but one. Time is the database's clock, the one clock that all servers share.
"""
import logging

import psycopg2
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo.sql_db import Cursor
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# A booking whose answer never came (a worker killed mid-request) would count as in flight
# for ever: a store idle this long has nothing in flight (a request times out in 30 s).
IDLE_SECONDS = 60
# Points refilled since counted_at, capped at the maximum: the arithmetic of MemoryLedger.
_REFILLED = SQL("LEAST(maximum, available + restore_rate * "
                "EXTRACT(EPOCH FROM (clock_timestamp() AT TIME ZONE 'UTC') - counted_at))")


class StoreBudgetLedger:
    def __init__(self, registry, store_id):
        self.registry = registry
        self.store_id = store_id

    def reserve(self, points):
        try:
            return self._reserve(points)
        except psycopg2.Error as exc:
            # The ledger only spares Shopify's throttling: without it, the client's own
            # view and Shopify's THROTTLED answers still keep the sync right.
            _logger.warning("Shopify budget of store %s not read: %s", self.store_id, exc)
            return None

    def settle(self, status, booked, refund):
        try:
            self._settle(status, booked, refund)
        except psycopg2.Error as exc:
            _logger.warning("Shopify budget of store %s not updated: %s", self.store_id, exc)

    def _cursor(self):
        cr = self.registry.cursor()
        if isinstance(cr, Cursor):  # not the test cursor of an HTTP test, which is the test's transaction
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        return cr

    def _reserve(self, points):
        with self._cursor() as cr:
            cr.execute(SQL(
                """UPDATE shopify_store_budget
                      SET available = %(refilled)s - %(points)s,
                          in_flight = (CASE WHEN counted_at < (clock_timestamp() AT TIME ZONE 'UTC')
                                                         - make_interval(secs => %(idle)s)
                                            THEN 0 ELSE COALESCE(in_flight, 0) END) + %(points)s,
                          counted_at = clock_timestamp() AT TIME ZONE 'UTC'
                    WHERE store_id = %(store)s
                RETURNING available, restore_rate""",
                refilled=_REFILLED, points=float(points), store=self.store_id, idle=IDLE_SECONDS))
            row = cr.fetchone()
        if not row:
            return None  # no answer seen yet: nothing is assumed, nothing booked
        available, rate = row
        return max(0.0, -available / rate) if rate and rate > 0 else 0.0

    def _settle(self, status, booked, refund):
        # Shopify's figure predates the requests still in flight (booked, not answered yet):
        # it is believed less their points.
        with self._cursor() as cr:
            if status:
                cr.execute(SQL(
                    """INSERT INTO shopify_store_budget AS budget
                              (store_id, maximum, available, restore_rate, counted_at, in_flight)
                       VALUES (%(store)s, %(maximum)s, %(reported)s, %(rate)s, clock_timestamp() AT TIME ZONE 'UTC', 0)
                  ON CONFLICT (store_id) DO UPDATE
                          SET available = LEAST(
                                  LEAST(budget.maximum, budget.available + budget.restore_rate * EXTRACT(
                                      EPOCH FROM (clock_timestamp() AT TIME ZONE 'UTC') - budget.counted_at))
                                  + %(refund)s,
                                  EXCLUDED.maximum,
                                  EXCLUDED.available - GREATEST(0, COALESCE(budget.in_flight, 0) - %(booked)s)),
                              in_flight = GREATEST(0, COALESCE(budget.in_flight, 0) - %(booked)s),
                              maximum = EXCLUDED.maximum,
                              restore_rate = EXCLUDED.restore_rate,
                              counted_at = EXCLUDED.counted_at""",
                    store=self.store_id, maximum=float(status["maximumAvailable"]),
                    reported=float(status["currentlyAvailable"]), rate=float(status["restoreRate"]),
                    refund=float(refund), booked=float(booked)))
            elif refund or booked:
                cr.execute(SQL(
                    """UPDATE shopify_store_budget
                          SET available = LEAST(maximum, %(refilled)s + %(refund)s),
                              in_flight = GREATEST(0, COALESCE(in_flight, 0) - %(booked)s),
                              counted_at = clock_timestamp() AT TIME ZONE 'UTC'
                        WHERE store_id = %(store)s""",
                    refilled=_REFILLED, refund=float(refund), booked=float(booked), store=self.store_id))
