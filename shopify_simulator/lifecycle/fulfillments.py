"""``fulfillmentCreate``: a shipment of fulfillment order line items (README "Order mutations").

As the mutation's description says: the fulfillment orders belong to one order and are assigned
to one location; without ``fulfillmentOrderLineItems`` every remaining item of a fulfillment
order is fulfilled. Fulfilled units leave ``remainingQuantity``; a fulfillment order with
nothing left is CLOSED, one partly fulfilled IN_PROGRESS (Shopify's fulfillment order
lifecycle). Where the docs are silent, the simulator chooses [C]:
- [C] the userErrors' messages and fields (``["fulfillment", ...]``);
- [C] only OPEN and IN_PROGRESS fulfillment orders can be fulfilled;
- [C] ``notifyCustomer``, ``originAddress`` and ``message`` are accepted and not stored.
"""
from .. import fulfillments
from .common import change_order, now_iso, state, user_error

_FULFILLABLE = ("OPEN", "IN_PROGRESS")


class _Refused(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.error = user_error(["fulfillment", *field], message)


def fulfillment_create(source, info, args):
    data = args["fulfillment"]
    requests = data["lineItemsByFulfillmentOrder"]
    if not requests:
        return _refused(["lineItemsByFulfillmentOrder"], "At least one fulfillment order is required.")
    order_id = _order_of(info, [r["fulfillmentOrderId"] for r in requests])
    if order_id is None:
        return _refused(["lineItemsByFulfillmentOrder"], "Fulfillment orders must exist and belong to one order.")

    def change(order, m):
        if order is None:
            return _refused(["lineItemsByFulfillmentOrder"], "Order does not exist."), False
        try:
            created = _fulfill(info, order, requests, _tracking(data.get("trackingInfo")))
        except _Refused as refused:
            return {"fulfillment": None, "userErrors": [refused.error]}, False
        return {"fulfillment": created, "userErrors": []}, True

    return change_order(info, order_id, change)


def _refused(field, message):
    return {"fulfillment": None, "userErrors": [user_error(["fulfillment", *field], message)]}


def _order_of(info, fulfillment_order_ids):
    """The one order all these fulfillment orders belong to, else None."""
    owners = {f["id"]: order["id"] for order in info.context.sim.store.objects("Order")
              for f in order.get("fulfillmentOrders") or () if f["id"] in fulfillment_order_ids}
    orders = set(owners.values())
    return orders.pop() if len(orders) == 1 and len(owners) == len(set(fulfillment_order_ids)) else None


def _fulfill(info, order, requests, tracking):
    by_id = {f["id"]: f for f in order.get("fulfillmentOrders") or ()}
    items, touched = [], []
    for i, request in enumerate(requests):
        where = ["lineItemsByFulfillmentOrder", str(i)]
        fulfillment_order = by_id[request["fulfillmentOrderId"]]
        if fulfillment_order["status"] not in _FULFILLABLE:
            raise _Refused(where, f"Fulfillment order {fulfillment_order['id']} is {fulfillment_order['status']} "
                                  "and cannot be fulfilled.")
        lines = {item["id"]: item for item in fulfillment_order["lineItems"]}
        wanted = request.get("fulfillmentOrderLineItems")
        if not wanted:  # "If left blank, all line items of the fulfillment order will be fulfilled."
            wanted = [{"id": key, "quantity": item["remainingQuantity"]} for key, item in lines.items()
                      if item["remainingQuantity"] > 0]
        for j, want in enumerate(wanted):
            item = lines.get(want["id"])
            if item is None:
                raise _Refused([*where, "fulfillmentOrderLineItems", str(j)],
                               f"Fulfillment order line item {want['id']} is not in this fulfillment order.")
            if not 0 < want["quantity"] <= item["remainingQuantity"]:
                raise _Refused([*where, "fulfillmentOrderLineItems", str(j)],
                               f"Quantity must be between 1 and the {item['remainingQuantity']} left to fulfill.")
            items.append((fulfillment_order, item, want["quantity"]))
        touched.append(fulfillment_order)
    if not items:
        raise _Refused(["lineItemsByFulfillmentOrder"], "Nothing is left to fulfill.")
    locations = {(f.get("assignedLocation") or {}).get("location", {}).get("id") for f in touched}
    if len(locations) > 1:
        raise _Refused(["lineItemsByFulfillmentOrder"], "Fulfillment orders must be assigned to the same location.")
    now = now_iso(info)
    lines_now = {line["id"]: line for line in order["lineItems"]}
    created = fulfillments.build(order, touched[0], [(lines_now[item["lineItem"]["id"]], quantity)
                                                      for _, item, quantity in items],
                                 state(info).gid, now, tracking)
    created["fulfillmentOrders"] = touched
    order.setdefault("fulfillments", []).append(created)
    for fulfillment_order, item, quantity in items:
        item["remainingQuantity"] -= quantity
    for fulfillment_order in touched:
        done = all(item["remainingQuantity"] == 0 for item in fulfillment_order["lineItems"])
        fulfillment_order["status"] = "CLOSED" if done else "IN_PROGRESS"
        fulfillment_order["updatedAt"] = now
    return created


def _tracking(given):
    """FulfillmentTrackingInput as FulfillmentTrackingInfo entries (company, number, url)."""
    if not given:
        return ()
    numbers = given.get("numbers") or ([given["number"]] if given.get("number") else [])
    urls = given.get("urls") or ([given["url"]] if given.get("url") else [])
    return tuple({"company": given.get("company"), "number": number, "url": urls[k] if k < len(urls) else None}
                 for k, number in enumerate(numbers)) or ({"company": given.get("company"), "number": None,
                                                           "url": None},)

