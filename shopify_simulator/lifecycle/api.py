"""Convenience calls for tests (``Simulator.refund`` …): each one runs the real GraphQL mutation
through ``Simulator.execute`` (schema validation and resolvers, no HTTP, cost or token) and
returns its payload, or raises ``LifecycleError`` with the userErrors. The store is only read,
to choose defaults (the amount to refund, the authorization to capture)."""
import uuid
from decimal import Decimal

from .cancel import uncaptured
from .common import payments_left
from .money import OrderMoney

_MONEY = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }"
_ORDER = (f"id updatedAt edited displayFinancialStatus cancelledAt cancelReason "
          f"currentTotalPriceSet {{ {_MONEY} }} totalOutstandingSet {{ {_MONEY} }} "
          f"totalReceivedSet {{ {_MONEY} }} totalRefundedSet {{ {_MONEY} }}")
REFUND = f"""mutation Refund($input: RefundInput!) {{ refundCreate(input: $input) @idempotent(key: "KEY") {{
  refund {{ id createdAt note totalRefundedSet {{ {_MONEY} }}
    refundLineItems(first: 250) {{ nodes {{ id quantity restockType lineItem {{ id }}
      subtotalSet {{ {_MONEY} }} totalTaxSet {{ {_MONEY} }} }} }}
    transactions(first: 50) {{ nodes {{ id kind status gateway amountSet {{ {_MONEY} }} }} }}
    orderAdjustments(first: 10) {{ nodes {{ id reason amountSet {{ {_MONEY} }} }} }} }}
  order {{ {_ORDER} }} userErrors {{ field message }} }} }}"""
CANCEL = """mutation Cancel($id: ID!, $reason: OrderCancelReason!, $refund: Boolean, $restock: Boolean!,
  $note: String) { orderCancel(orderId: $id, reason: $reason, refund: $refund, restock: $restock,
  staffNote: $note, notifyCustomer: false) { job { id done } orderCancelUserErrors { field message code } } }"""
CAPTURE = f"""mutation Capture($input: OrderCaptureInput!) {{ orderCapture(input: $input) {{
  transaction {{ id kind status gateway amountSet {{ {_MONEY} }} parentTransaction {{ id }} }}
  userErrors {{ field message }} }} }}"""
MARK_AS_PAID = f"""mutation Paid($input: OrderMarkAsPaidInput!) {{ orderMarkAsPaid(input: $input) {{
  order {{ {_ORDER} }} userErrors {{ field message }} }} }}"""


class LifecycleError(RuntimeError):
    """A convenience call that Shopify (the simulator) refused; ``errors`` as returned."""

    def __init__(self, mutation, errors):
        super().__init__(f"{mutation} refused: {errors}")
        self.errors = errors


def run(sim, mutation, document, variables, errors_key="userErrors"):
    body = sim.execute(document, variables)
    if body.get("errors"):
        raise LifecycleError(mutation, body["errors"])
    payload = body["data"][mutation]
    if payload.get(errors_key):
        raise LifecycleError(mutation, payload[errors_key])
    return payload


def _at(sim, when):
    if when is not None:
        sim.clock.set(when)


def _text(amount):
    return str(Decimal(str(amount)))


def refund(sim, order_gid, lines=(), shipping=None, amount=None, when=None, note=None, reason=None,
           allow_over_refunding=False):
    """``lines``: (line gid, quantity[, restock type]); ``shipping``: 'full' or an amount (the
    presentment currency, same tax basis as the shipping price); ``amount``: the money to give
    back (presentment currency), None for what the refund comes to (capped at what is left of the
    payments), spread over the payments last first."""
    _at(sim, when)
    order = sim.store.node(order_gid)
    data = {"orderId": order_gid, "note": note, "allowOverRefunding": allow_over_refunding,
            "refundLineItems": [{"lineItemId": item[0], "quantity": item[1],
                                 "restockType": item[2] if len(item) > 2 else "NO_RESTOCK"} for item in lines]}
    if when is not None:
        data["processedAt"] = sim.clock.iso()
    if shipping == "full":
        data["shipping"] = {"fullRefund": True}
    elif shipping is not None:
        data["shipping"] = {"amount": _text(shipping)}
    if reason:
        data["discrepancyReason"] = reason
    if order is not None:
        m = OrderMoney(order)
        data["currency"] = m.currencies[1]
        if amount is None:
            amount = _calculated(sim, order, m, data)
        else:
            amount = m.parse(_text(amount))
        data["transactions"] = _spread(order, m, amount or 0)
    document = REFUND.replace("KEY", uuid.uuid4().hex)
    return run(sim, "refundCreate", document, {"input": data})


def _calculated(sim, order, m, data):
    """What refundCreate will see as owed for this refund (presentment): what the lines and
    shipping come to, less what the customer still had to pay (plus what they were owed)."""
    from ..store import clone_order
    from .refund_parts import RefundDraft
    from .refunds import Refused, _shipping

    class _Info:  # RefundDraft only needs the simulator, for ids and restock locations
        context = type("Context", (), {"sim": sim})()

    copy = clone_order(order)
    draft = RefundDraft(_Info, copy, m)
    lines = {line["id"]: line for line in copy["lineItems"]}
    try:
        for item in data["refundLineItems"]:
            draft.line(lines[item["lineItemId"]], item["quantity"], "NO_RESTOCK")
        _shipping(draft, m, data.get("shipping"))
    except (KeyError, Refused):
        return 0  # the mutation itself reports what is wrong
    outstanding = m.get(order.get("totalOutstandingSet"))
    return max(0, draft.calculated[1] - outstanding[1])


def _spread(order, m, amount):
    """REFUND transactions for ``amount`` (presentment minor units), last payment first."""
    found, left = [], amount
    digits = m.digits[1]
    for payment, room in reversed(payments_left(order, m)):
        take = min(left, room[1])
        if take > 0:
            found.append({"orderId": order["id"], "kind": "REFUND", "gateway": payment["gateway"],
                          "parentId": payment["id"], "amount": str(Decimal(take).scaleb(-digits))})
            left -= take
    if left > 0:  # more than the payments hold: the mutation decides (allowOverRefunding)
        gateway = found[-1]["gateway"] if found else "manual"
        found.append({"orderId": order["id"], "kind": "REFUND", "gateway": gateway,
                      "amount": str(Decimal(left).scaleb(-digits))})
    return found


def cancel(sim, order_gid, refund=True, restock=True, when=None, reason="OTHER", staff_note=None):
    _at(sim, when)
    return run(sim, "orderCancel", CANCEL, {"id": order_gid, "reason": reason, "refund": refund,
                                            "restock": restock, "note": staff_note}, "orderCancelUserErrors")


def capture(sim, order_gid, amount=None, when=None, transaction_gid=None, final=None):
    """Captures ``amount`` (presentment currency; None: all that is left) of the given
    authorization, or of the order's first one with something left."""
    _at(sim, when)
    order = sim.store.node(order_gid)
    data = {"id": order_gid, "parentTransactionId": transaction_gid, "amount": _text(amount or 0)}
    if order is not None:
        m = OrderMoney(order)
        data["currency"] = m.currencies[1]
        open_ = [(t, left) for t, left in uncaptured(order, m) if transaction_gid in (None, t["id"])]
        if open_:
            data["parentTransactionId"] = open_[0][0]["id"]
            if amount is None:
                data["amount"] = str(Decimal(open_[0][1][1]).scaleb(-m.digits[1]))
    data["parentTransactionId"] = data["parentTransactionId"] or "gid://shopify/OrderTransaction/0"
    if final is not None:
        data["finalCapture"] = final
    return run(sim, "orderCapture", CAPTURE, {"input": data})


def mark_as_paid(sim, order_gid, when=None):
    _at(sim, when)
    return run(sim, "orderMarkAsPaid", MARK_AS_PAID, {"input": {"id": order_gid}})


EDIT_BEGIN = """mutation Begin($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id
  lineItems(first: 250) { nodes { id quantity variant { id } } } } userErrors { field message } } }"""
EDIT_ADD = """mutation Add($id: ID!, $variant: ID!, $quantity: Int!, $location: ID) { orderEditAddVariant(id: $id,
  variantId: $variant, quantity: $quantity, locationId: $location, allowDuplicates: true) {
  calculatedLineItem { id quantity } userErrors { field message } } }"""
EDIT_SET = """mutation Set($id: ID!, $line: ID!, $quantity: Int!, $restock: Boolean) { orderEditSetQuantity(id: $id,
  lineItemId: $line, quantity: $quantity, restock: $restock) { calculatedLineItem { id quantity }
  userErrors { field message } } }"""
EDIT_COMMIT = f"""mutation Commit($id: ID!, $note: String) {{ orderEditCommit(id: $id, notifyCustomer: false,
  staffNote: $note) {{ order {{ {_ORDER} lineItems(first: 250) {{ nodes {{ id quantity currentQuantity
  variant {{ id }} }} }} }} successMessages userErrors {{ field message }} }} }}"""


def edit(sim, order_gid, add=(), set_quantity=(), when=None, restock=False, location=None, staff_note=None):
    """Begins an edit, adds (variant gid, quantity) lines, sets (line gid, quantity) — LineItem
    ids are accepted and mapped to their CalculatedLineItem ids — and commits."""
    _at(sim, when)
    begun = run(sim, "orderEditBegin", EDIT_BEGIN, {"id": order_gid})
    calculated = begun["calculatedOrder"]["id"]
    for variant, quantity in add:
        run(sim, "orderEditAddVariant", EDIT_ADD, {"id": calculated, "variant": variant, "quantity": quantity,
                                                   "location": location})
    for line, quantity in set_quantity:
        calculated_line = line.replace("/LineItem/", "/CalculatedLineItem/")
        run(sim, "orderEditSetQuantity", EDIT_SET, {"id": calculated, "line": calculated_line,
                                                    "quantity": quantity, "restock": restock})
    return run(sim, "orderEditCommit", EDIT_COMMIT, {"id": calculated, "note": staff_note})


FULFILL = """mutation Fulfill($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) {
  fulfillment { id name status createdAt totalQuantity location { id name }
    fulfillmentLineItems(first: 250) { nodes { id quantity lineItem { id } } } }
  userErrors { field message } } }"""


def fulfill(sim, order_gid, lines=None, when=None, tracking=None):
    """Ships (line gid, quantity) pairs — each from the open fulfillment order that holds the
    line — or, with ``lines`` None, everything the open fulfillment orders have left.
    ``tracking``: a FulfillmentTrackingInput (company, number, url)."""
    _at(sim, when)
    order = sim.store.node(order_gid) or {}
    open_orders = [f for f in order.get("fulfillmentOrders") or () if f["status"] in ("OPEN", "IN_PROGRESS")]
    requests = {}
    if lines is None:
        requests = {f["id"]: None for f in open_orders}
    for line_gid, quantity in lines or ():
        holder = next(((f, item) for f in open_orders for item in f["lineItems"]
                       if item["lineItem"]["id"] == line_gid), None)
        if holder is None:
            raise LifecycleError("fulfillmentCreate", [{"field": ["lines"], "message": f"{line_gid} is in no open "
                                                                                       "fulfillment order"}])
        requests.setdefault(holder[0]["id"], []).append({"id": holder[1]["id"], "quantity": quantity})
    data = {"lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": key, **({"fulfillmentOrderLineItems": items} if items else {})}
        for key, items in requests.items()]}
    if tracking:
        data["trackingInfo"] = tracking
    return run(sim, "fulfillmentCreate", FULFILL, {"fulfillment": data})
