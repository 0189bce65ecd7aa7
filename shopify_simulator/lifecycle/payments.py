"""``orderCapture`` and ``orderMarkAsPaid``: money received after checkout."""
from .cancel import uncaptured
from .common import change_order, now_iso, transaction, user_error
from .money import SIDES


def order_capture(source, info, args):
    """Captures part or all of an authorization. Every authorization can be captured several
    times until nothing is left (as a multi-capturable one); ``finalCapture`` voids the rest."""
    data = args["input"]

    def change(order, m):
        if order is None:
            return _refused(["id"], "Order does not exist."), False
        open_ = {t["id"]: (t, left) for t, left in uncaptured(order, m)}
        found = open_.get(data["parentTransactionId"])
        if found is None:
            return _refused(["parentTransactionId"], "The parent transaction is not an authorization of this "
                                                     "order with an amount left to capture."), False
        if data.get("currency") and data["currency"] != m.currencies[1]:
            return _refused(["currency"], f"Currency must be the order's presentment currency, {m.currencies[1]}."), False
        if m.multi and not data.get("currency"):
            return _refused(["currency"], "Currency is required for orders in more than one currency."), False
        authorization, left = found
        amount = m.parse(data["amount"])
        if amount is None or amount <= 0 or amount > left[1]:
            return _refused(["amount"], f"Amount must be more than zero and at most the {left[1]} left to "
                                        "capture (minor units)."), False
        pair = m.to_shop(amount, [left])
        now = now_iso(info)
        captured = transaction(info, order, m, "CAPTURE", authorization["gateway"], pair, now, authorization)
        rest = tuple(left[s] - pair[s] for s in SIDES)
        if data.get("finalCapture") and any(v > 0 for v in rest):
            transaction(info, order, m, "VOID", authorization["gateway"], tuple(max(0, v) for v in rest), now,
                        authorization)
        return {"transaction": captured, "userErrors": []}, True

    return change_order(info, data["id"], change)


def _refused(field, message):
    return {"transaction": None, "userErrors": [user_error(field, message)]}


def order_mark_as_paid(source, info, args):
    """Pays the outstanding balance: by capturing an open authorization that covers it, else by a
    SUCCESS SALE on the "manual" gateway (the mutation's description: "either create a new sale
    transaction for the full outstanding amount or capture an existing authorized transaction").
    PENDING manual sales stay as they were."""
    order_id = args["input"]["id"]

    def change(order, m):
        if order is None:
            return {"order": None, "userErrors": [user_error(["id"], "Order does not exist.")]}, False
        outstanding = m.get(order.get("totalOutstandingSet"))
        if order.get("cancelledAt") or outstanding[0] <= 0 or order.get("displayFinancialStatus") == "PAID":
            return {"order": None, "userErrors": [user_error(["id"], "Order cannot be marked as paid: nothing is "
                                                                     "outstanding.")]}, False
        now = now_iso(info)
        covering = [(t, left) for t, left in uncaptured(order, m) if all(left[s] >= outstanding[s] for s in SIDES)]
        if covering:
            transaction(info, order, m, "CAPTURE", covering[0][0]["gateway"], outstanding, now, covering[0][0])
        else:
            transaction(info, order, m, "SALE", "manual", outstanding, now)
        return {"order": order, "userErrors": []}, True

    return change_order(info, order_id, change)
