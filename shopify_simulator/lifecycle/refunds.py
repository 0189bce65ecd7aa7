"""``refundCreate``: refunded line items and shipping, REFUND transactions, and an
OrderAdjustment for money that does not match what was refunded (README "Refunds")."""
from .common import (change_order, idempotency_key, input_time, now_iso, payments_left, state, transaction,
                     user_error)
from .money import SIDES, ZERO, add
from .refund_parts import RefundDraft

RESTOCK_TYPES = ("NO_RESTOCK", "CANCEL", "RETURN")
# OrderAdjustmentInputDiscrepancyReason -> OrderAdjustmentDiscrepancyReason. Shopify does not
# publish the mapping; OTHER has no namesake, so the simulator chooses REFUND_DISCREPANCY.
DISCREPANCY = {"CUSTOMER": "CUSTOMER", "DAMAGE": "DAMAGE", "RESTOCK": "RESTOCK", "OTHER": "REFUND_DISCREPANCY"}


class Refused(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.error = user_error(field, message)


def refund_create(source, info, args):
    data = args["input"]
    key = idempotency_key(info)
    remembered = state(info).idempotent.get(("refundCreate", key)) if key else None
    if remembered is not None:
        return remembered

    def change(order, m):
        if order is None:
            return {"order": None, "refund": None, "userErrors": [user_error(["orderId"], "Order does not exist")]}, False
        try:
            return {"order": order, "refund": _refund(info, order, m, data), "userErrors": []}, True
        except Refused as refused:
            return {"order": None, "refund": None, "userErrors": [refused.error]}, False

    payload = change_order(info, data["orderId"], change)
    if key and not payload["userErrors"]:
        state(info).idempotent[("refundCreate", key)] = payload
    return payload


def _refund(info, order, m, data):
    now = now_iso(info)
    when = input_time(data.get("processedAt"), now)
    if data.get("currency") and data["currency"] != m.currencies[1]:
        raise Refused(["currency"], f"Currency must be the order's presentment currency, {m.currencies[1]}.")
    if m.multi and not data.get("currency") and (data.get("transactions") or (data.get("shipping") or {}).get("amount")):
        raise Refused(["currency"], "Currency is required for orders in more than one currency.")
    draft = RefundDraft(info, order, m)
    lines = {line["id"]: line for line in order["lineItems"]}
    for index, item in enumerate(data.get("refundLineItems") or ()):
        line = lines.get(item["lineItemId"])
        where = ["refundLineItems", str(index)]
        if line is None:
            raise Refused(where + ["lineItemId"], "Line item does not exist on this order.")
        restock = item.get("restockType") or "NO_RESTOCK"
        if restock not in RESTOCK_TYPES:
            raise Refused(where + ["restockType"], f"Restock type {restock} is not accepted for new refunds.")
        if line.get("title") == "Tip" and line.get("variant") is None:
            raise Refused(where + ["lineItemId"], "Tips are not refunded by the Shopify simulator.")
        left = line["quantity"] - draft.gone[line["id"]]
        if item["quantity"] < 1 or item["quantity"] > left:
            raise Refused(where + ["quantity"],
                          f"Quantity cannot refund more items than were purchased ({left} refundable).")
        draft.line(line, item["quantity"], restock, item.get("locationId"))
    _shipping(draft, m, data.get("shipping"))
    transactions = _transactions(info, order, m, data, draft)
    if not (draft.items or draft.shipping_items or transactions):
        raise Refused(None, "A refund needs line items, shipping or transactions.")
    adjustments = draft.adjustments(transactions, DISCREPANCY.get(data.get("discrepancyReason"), "REFUND_DISCREPANCY"))
    return draft.refund(when, now, data.get("note"), transactions, adjustments)


def _shipping(draft, m, shipping):
    if not shipping:
        return
    if shipping.get("fullRefund"):
        for line in draft.order.get("shippingLines") or ():
            remaining = draft.remaining_shipping(line)
            if not line.get("isRemoved") and any(remaining):
                draft.shipping(line, remaining)
        return
    if shipping.get("amount") is None:
        return
    amount = m.parse(shipping["amount"])
    parts = None if amount is None or amount < 0 else draft.shipping_share(amount)
    if parts is None:
        raise Refused(["shipping", "amount"], "Shipping refund amount is more than the shipping left to refund.")
    for line, pair in parts:
        draft.shipping(line, pair)


def _transactions(info, order, m, data, draft):
    """The REFUND transactions asked for, after checking them against what was received."""
    payments = payments_left(order, m)
    by_id = {t["id"]: (t, room) for t, room in payments}
    received, refunded = m.get(order.get("totalReceivedSet")), m.get(order.get("totalRefundedSet"))
    net = tuple(received[s] - refunded[s] for s in SIDES)
    outstanding = m.get(order.get("totalOutstandingSet"))
    suggested = tuple(max(0, draft.calculated[s] - outstanding[s]) for s in SIDES)
    planned, total = [], ZERO
    for index, item in enumerate(data.get("transactions") or ()):
        where = ["transactions", str(index)]
        if item["kind"] != "REFUND":
            raise Refused(where + ["kind"], "A refund's transactions must be of kind REFUND.")
        if item["orderId"] != order["id"]:
            raise Refused(where + ["orderId"], "The transaction belongs to another order.")
        amount = m.parse(item["amount"])
        if amount is None or amount <= 0:
            raise Refused(where + ["amount"], "Amount must be greater than zero.")
        parent = None
        if item.get("parentId"):
            parent = by_id.get(item["parentId"])
            if parent is None:
                raise Refused(where + ["parentId"], "Parent transaction does not exist or cannot be refunded.")
        else:
            parent = next(((t, room) for t, room in reversed(payments) if t["gateway"] == item["gateway"]), None)
        known = [suggested, net] + ([parent[1]] if parent else [])
        pair = m.to_shop(amount, known)
        planned.append((item["gateway"], pair, parent[0] if parent else None))
        total = add(total, pair)
    if planned and not data.get("allowOverRefunding") and any(total[s] > net[s] for s in SIDES):
        raise Refused(["transactions"], "The amount refunded is more than the order received and has not "
                                        "refunded yet; set allowOverRefunding to refund it anyway.")
    when = input_time(data.get("processedAt"), now_iso(info))
    return [transaction(info, order, m, "REFUND", gateway, pair, when, parent) for gateway, pair, parent in planned]
