"""Which topics an order change fires, read from the order before and after the change (the
store's copy-on-write hands over both), so every code path that changes an order fires the same
way: the order mutations, ``POST /__simulator__/orders`` and ``Simulator.upsert_orders``.

- a new order: orders/create (and orders/paid when it arrives paid);
- a new refund: refunds/create (one per refund; ``orderCancel`` makes one too);
- cancelledAt set: orders/cancelled;
- displayFinancialStatus becomes PAID: orders/paid;
- a new OrderEditAgreement (``orderEditCommit``): orders/edited;
- and every change of an existing order: orders/updated, last.
Metafield writes do not change the order (README "Stored data") and fire nothing.
"""
from typing import NamedTuple

TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_CANCELLED", "ORDERS_PAID", "ORDERS_EDITED", "REFUNDS_CREATE")


class Fired(NamedTuple):
    topic: str
    subject: object  # the refund (refunds/create), the edit agreement (orders/edited), else None


def _paid(order):
    return order.get("displayFinancialStatus") == "PAID"


def _edits(order):
    return [a for a in order.get("agreements") or () if a.get("__typename") == "OrderEditAgreement"]


def fired(before, after):
    """The topics one change of an order fires, in the order they are sent."""
    if after is None:
        return []
    if before is None:
        # Shopify sends orders/create for a new order; whether orders/updated follows is not
        # published: the simulator chooses not to send it.
        return [Fired("ORDERS_CREATE", None)] + ([Fired("ORDERS_PAID", None)] if _paid(after) else [])
    found = []
    known = {refund["id"] for refund in before.get("refunds") or ()}
    found += [Fired("REFUNDS_CREATE", r) for r in after.get("refunds") or () if r["id"] not in known]
    if after.get("cancelledAt") and not before.get("cancelledAt"):
        found.append(Fired("ORDERS_CANCELLED", None))
    if _paid(after) and not _paid(before):
        found.append(Fired("ORDERS_PAID", None))
    known = {a["id"] for a in _edits(before)}
    found += [Fired("ORDERS_EDITED", a) for a in _edits(after) if a["id"] not in known]
    found.append(Fired("ORDERS_UPDATED", None))
    return found
