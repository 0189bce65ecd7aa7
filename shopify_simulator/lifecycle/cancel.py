"""``orderCancel``: as Shopify does it, a refund of every remaining line item and of the remaining
shipping; with ``refund``, REFUND transactions give back the net received, last payment first;
authorizations never captured are voided whether or not money is refunded (the mutation's
description: the hold "will be automatically released")."""
from .common import change_order, now_iso, payments_left, state, transaction
from .money import SIDES
from .refund_parts import RefundDraft
from .settle import OPEN_FULFILLMENTS

_UNFINISHED_WORK = ("IN_PROGRESS",)


def _error(field, message, code):
    return {"field": field, "message": message, "code": code}


def _payload(errors, order=None, info=None):
    job = None if errors else {"id": state(info).gid("Job"), "done": True, "query": {}}
    result = None if errors else {"id": state(info).gid("OrderCancelJobResult"), "done": True, "errors": [],
                                  "order": order, "status": "SUCCEEDED"}
    return {"job": job, "jobResult": result, "orderCancelUserErrors": errors,
            "userErrors": [{"field": e["field"], "message": e["message"]} for e in errors]}


def order_cancel(source, info, args):
    """The job is done when the mutation answers: the simulator cancels synchronously."""

    def change(order, m):
        if order is None:
            return _payload([_error(["orderId"], "Order does not exist.", "NOT_FOUND")]), False
        if order.get("cancelledAt"):
            return _payload([_error(["orderId"], "Order has already been cancelled.", "INVALID")]), False
        if any(f["status"] in _UNFINISHED_WORK for f in order.get("fulfillmentOrders") or ()):
            # The description: "no outstanding fulfillments that can't be cancelled"; the
            # simulator reads work in progress as such.
            return _payload([_error(["orderId"], "Order has fulfillments in progress that can't be cancelled.",
                                    "INVALID")]), False
        _cancel(info, order, m, args)
        return _payload([], order, info), True

    return change_order(info, args["orderId"], change)


def _cancel(info, order, m, args):
    now = now_iso(info)
    fulfilled = {item["lineItem"]["id"] for f in order.get("fulfillmentOrders") or ()
                 if f["status"] == "CLOSED" for item in f["lineItems"]}
    draft = RefundDraft(info, order, m)
    for line in order["lineItems"]:
        left = line["quantity"] - draft.gone[line["id"]]
        if left > 0 and not (line.get("title") == "Tip" and line.get("variant") is None):
            restock = "CANCEL" if args["restock"] and line["id"] not in fulfilled else "NO_RESTOCK"
            draft.line(line, left, restock)
    for line in order.get("shippingLines") or ():
        remaining = draft.remaining_shipping(line)
        if not line.get("isRemoved") and any(remaining):
            draft.shipping(line, remaining)
    transactions = []
    # refundMethod (2025-10+) says the same as refund; store credit is not modelled.
    if args.get("refund") or (args.get("refundMethod") or {}).get("originalPaymentMethodsRefund"):
        received, refunded = m.get(order["totalReceivedSet"]), m.get(order["totalRefundedSet"])
        left = [received[s] - refunded[s] for s in SIDES]
        for payment, room in reversed(payments_left(order, m)):
            amount = tuple(min(room[s], max(0, left[s])) for s in SIDES)
            if any(amount):
                transactions.append(transaction(info, order, m, "REFUND", payment["gateway"], amount, now, payment))
                left = [left[s] - amount[s] for s in SIDES]
    _void_authorizations(info, order, m, now)
    # Shopify keeps the staff note with the cancellation, not on the refund; the simulator drops it.
    draft.refund(now, now, "Order canceled", transactions, draft.adjustments(transactions))
    order.update({"cancelledAt": now, "cancelReason": args["reason"], "closed": True, "closedAt": now})
    for fulfillment in order.get("fulfillmentOrders") or ():
        if fulfillment["status"] in OPEN_FULFILLMENTS:
            fulfillment["status"], fulfillment["updatedAt"] = "CANCELLED", now
            for item in fulfillment["lineItems"]:
                item["remainingQuantity"] = 0


def _void_authorizations(info, order, m, now):
    """Voids what is left of each authorization (all of it when nothing was captured)."""
    for t, left in uncaptured(order, m):
        transaction(info, order, m, "VOID", t["gateway"], left, now, t)


def uncaptured(order, m):
    """(authorization, (shop, presentment) still capturable) of each open authorization."""
    settled, voided = {}, set()
    for t in order.get("transactions") or ():
        if t["status"] == "SUCCESS" and t["kind"] in ("CAPTURE", "VOID") and t.get("parentTransaction"):
            key, amount = t["parentTransaction"]["id"], m.get(t["amountSet"])
            old = settled.get(key, (0, 0))
            settled[key] = (old[0] + amount[0], old[1] + amount[1])
            if t["kind"] == "VOID":
                voided.add(key)
    found = []
    for t in list(order.get("transactions") or ()):
        if t["status"] == "SUCCESS" and t["kind"] == "AUTHORIZATION" and t["id"] not in voided:
            amount, done = m.get(t["amountSet"]), settled.get(t["id"], (0, 0))
            left = tuple(max(0, amount[s] - done[s]) for s in SIDES)
            if any(left):
                found.append((t, left))
    return found
