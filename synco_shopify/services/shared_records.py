"""The records that several orders share (customers, products, taxes), made before the
documents, in the prefetch job's own short transaction.

Why a step of its own: two sync jobs running side by side often need the same new
customer or product. Under Odoo's repeatable-read isolation, a job cannot see a row that
another job committed after it started, so a job that met the other's row (PostgreSQL
refuses the duplicate) could only put its order back in the queue. Here the shared
records are made by the prefetch job, which commits before its sync job starts: the sync
job then finds them all, whichever job made them.

Two prefetch jobs may still race for one record. The loser's insert waits for the winner
to commit, then fails on the unique index: its savepoint is rolled back and the record is
left to the winner (committed, so the sync job sees it). Records are made in one order
every job follows (taxes, then products, then customers, each sorted by its key), so two
jobs never wait for each other in a cycle, which is what a deadlock is; should one
happen anyway, it is rolled back the same way.
"""
import logging

from psycopg2 import errors as pg_errors

from odoo.exceptions import UserError, ValidationError

from ..shopify.reading.order_types import OrderDataError

_logger = logging.getLogger(__name__)

# Another job made it (or is making it): the sync job will find it.
RACES = (pg_errors.UniqueViolation, pg_errors.DeadlockDetected, pg_errors.SerializationFailure)
# The order's own problem: its sync job will say it on the order, with the same message.
ORDER_PROBLEMS = (OrderDataError, UserError, ValidationError)


def make_shared_records(env, store, orders, payloads):
    """Makes the customers, products and taxes the first syncs of ``orders`` (shopify.order
    records whose payloads are in ``payloads``, by gid) will need. Returns how many records
    were left to a parallel job. Never raises for one order's data: the sync job does."""
    from ..shopify.planning.plan import build_plan
    from ..shopify.reading.order import parse_order
    from .order_resolver import OrderResolver

    resolver = OrderResolver(env, store)
    settings = store._plan_settings()
    taxes, products, customers = {}, {}, {}
    for order in orders:
        payload = payloads.get(order.shopify_gid)
        if not payload or order._has_documents():
            continue  # an update: its records exist, or its sync makes the odd new one
        try:
            shopify_order = parse_order(payload, side=store._currency_side())
            if store._rules_refuse(shopify_order):
                continue  # not to be booked: nothing of it is made
            plan = build_plan(shopify_order, settings)
        except ORDER_PROBLEMS:
            continue
        for line in plan.lines:
            for key, _amount in line.taxes:
                taxes.setdefault(_sort_key(key), key)
            if line.kind == "product" and line.product:
                products.setdefault(_sort_key(line.product), line)
        customers.setdefault(_sort_key(plan.customer), plan)
    left = 0
    for kind, wanted, make in (("tax", taxes, resolver.tax), ("product", products, resolver.product),
                               ("customer", customers, resolver.partner)):
        for _key, item in sorted(wanted.items()):
            try:
                with env.cr.savepoint():
                    make(item)
            except RACES as exc:
                resolver.forget()  # what it found may be gone with the savepoint
                left += 1
                _logger.info("Shopify store %s: a %s was left to a parallel sync (%s)", store.id, kind,
                             type(exc).__name__)
            except ORDER_PROBLEMS:
                resolver.forget()
    return left


def _sort_key(value):
    """A total order on the plan's frozen dataclasses (None sorts first)."""
    return repr(value)
