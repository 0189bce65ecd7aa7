"""What every order mutation shares: the order it works on, userErrors, fresh transactions,
restock locations, timestamps from the simulator clock."""
from graphql import GraphQLError, get_directive_values

from ..clock import format_time, parse_time
from .money import OrderMoney
from .settle import settle

GATEWAY_NAMES = {"shopify_payments": "Shopify Payments", "manual": "Manual", "cash": "Cash",
                 "gift_card": "Gift card", "paypal": "PayPal Express Checkout", "bogus": "Bogus"}
_MANUAL = {"manual", "Bank Deposit", "Cash on Delivery (COD)", "Money Order"}


def user_error(field, message, code=None, with_code=False):
    error = {"field": field, "message": message}
    if with_code:
        error["code"] = code
    return error


def state(info):
    return info.context.sim.lifecycle


def now_iso(info):
    return info.context.sim.clock.iso()


def input_time(value, default):
    """A DateTime input as Shopify prints it, or ``default`` when absent."""
    return format_time(parse_time(value)) if value else default


def change_order(info, order_id, change):
    """Runs ``change(order, m) -> (payload, changed)`` on a copy of the order, settles its
    figures when it changed, and swaps it in (ShopStore's copy-on-write). ``change`` gets None
    for an unknown order."""
    sim, now = info.context.sim, now_iso(info)

    def run(order):
        if order is None:
            return change(None, None)
        payload, changed = change(order, OrderMoney(order))
        if changed:
            settle(order, now)
        return payload, changed

    return sim.store.mutate_order(order_id, run)


def transaction(info, order, m, kind, gateway, amount, when, parent=None, status="SUCCESS"):
    """A new OrderTransaction shaped like the generator's, appended to the order."""
    created = {
        "id": state(info).gid("OrderTransaction"), "kind": kind, "status": status, "gateway": gateway,
        "formattedGateway": parent["formattedGateway"] if parent else GATEWAY_NAMES.get(gateway, gateway),
        "processedAt": when, "createdAt": now_iso(info), "test": order.get("test", False), "errorCode": None,
        "paymentId": None, "amountSet": m.bag(amount),
        "parentTransaction": {"id": parent["id"]} if parent else None,
        "manualPaymentGateway": parent.get("manualPaymentGateway", False) if parent else gateway in _MANUAL,
    }
    order.setdefault("transactions", []).append(created)
    return created


def payments_left(order, m):
    """Successful SALE/CAPTURE transactions, each with the (shop, presentment) not yet refunded
    from it, in the order they happened."""
    refunded = {}
    for t in order.get("transactions") or ():
        if t["status"] == "SUCCESS" and t["kind"] == "REFUND" and t.get("parentTransaction"):
            amount, key = m.get(t["amountSet"]), t["parentTransaction"]["id"]
            old = refunded.get(key, (0, 0))
            refunded[key] = (old[0] + amount[0], old[1] + amount[1])
    found = []
    for t in order.get("transactions") or ():
        if t["status"] == "SUCCESS" and t["kind"] in ("SALE", "CAPTURE"):
            amount, back = m.get(t["amountSet"]), refunded.get(t["id"], (0, 0))
            found.append((t, (amount[0] - back[0], amount[1] - back[1])))
    return found


def restock_location(info, order, line, restock_type, location_id=None):
    """Where restocked units go: the given location, else the one the line was to ship from,
    else the shop's first active location. NO_RESTOCK has none."""
    if restock_type not in ("RETURN", "CANCEL"):
        return None
    if location_id:
        return info.context.sim.node(location_id)
    for fulfillment in order.get("fulfillmentOrders") or ():
        if any(item["lineItem"]["id"] == line["id"] for item in fulfillment["lineItems"]):
            assigned = fulfillment.get("assignedLocation") or {}
            if assigned.get("location"):
                return assigned["location"]
    active = [loc for loc in info.context.sim.store.objects("Location") if loc.get("isActive", True)]
    return active[0] if active else None


def idempotency_key(info, since="2026-04"):
    """The @idempotent key of this field; required from ``since`` (refundCreate's description:
    "As of 2026-04, the idempotency key is required"). Shopify does not publish the error of a
    missing key; the simulator chooses a top-level error with code IDEMPOTENCY_KEY_REQUIRED."""
    directive = info.schema.get_directive("idempotent")
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values) if directive else None
    key = (values or {}).get("key")
    if key is not None and not key.strip():
        raise GraphQLError("The idempotency key cannot be an empty string or whitespace only.",
                           extensions={"code": "BAD_REQUEST"})
    if key is None and info.context.version >= since:
        raise GraphQLError(f"The {info.field_name} mutation requires an idempotency key: add "
                           "@idempotent(key: \"<unique key>\") to the field.",
                           extensions={"code": "IDEMPOTENCY_KEY_REQUIRED"})
    return key
