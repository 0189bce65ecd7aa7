"""Fulfillments: the shipments of an order (``Order.fulfillments``), as the generator makes them
for its closed fulfillment orders and as ``fulfillmentCreate`` makes them (lifecycle/fulfillments.py).

What the schema documents is served: ``createdAt``, ``location`` ("the location that the
fulfillment was processed at": the fulfillment order's assigned location), ``status``,
``fulfillmentLineItems`` (``lineItem``, ``quantity``, ``originalTotalSet``, ``discountedTotalSet``),
``name``, ``totalQuantity``, ``requiresShipping``, ``trackingInfo``, ``order``, ``fulfillmentOrders``.
Where Shopify's docs are silent, the simulator chooses [C]:
- [C] ``name`` is the order's name, a period and the fulfillment's number in the order (#1001.1,
  #1001.2), as REST's Fulfillment.name is described and shown.
- [C] ``displayStatus`` is FULFILLED, ``deliveredAt``/``inTransitAt``/``estimatedDeliveryAt`` are
  null (no carrier events are modelled) and ``events`` is empty.
- [C] ``discountedTotalSet`` ("doesn't include order-level discounts") is the original total less
  the fulfilled units' share of the line's own discounts (``LineItem.totalDiscountSet``),
  rounded half-up per side.
"""
from decimal import Decimal

from . import gids
from .generator.money import Purse, half_up
from .totals import minor_units


def build(order, fulfillment_order, items, new_gid, when, tracking=(), totals=None):
    """A SUCCESS Fulfillment of ``items`` ([(line item dict, quantity)]) from ``fulfillment_order``,
    created at ``when`` (ISO text); ``new_gid(type name)`` hands out ids. ``totals``: the items'
    (originalTotalSet, discountedTotalSet) when the caller has them (the generator, shipping whole
    lines), else computed. The caller appends it to ``order["fulfillments"]``."""
    if totals is None:
        currencies = (order["currencyCode"], order["presentmentCurrencyCode"])
        purse = Purse(*currencies)
        totals = [_totals(purse, currencies, line, quantity) for line, quantity in items]
    gid = new_gid("Fulfillment")
    number = len(order.get("fulfillments") or ()) + 1
    lines = [{"id": new_gid("FulfillmentLineItem"), "lineItem": line, "quantity": quantity,
              "originalTotalSet": original, "discountedTotalSet": discounted}
             for (line, quantity), (original, discounted) in zip(items, totals)]
    return {
        "id": gid, "legacyResourceId": str(gids.number(gid)), "name": f"{order['name']}.{number}",
        "status": "SUCCESS", "displayStatus": "FULFILLED", "createdAt": when, "updatedAt": when,
        "deliveredAt": None, "inTransitAt": None, "estimatedDeliveryAt": None,
        "location": (fulfillment_order.get("assignedLocation") or {}).get("location"),
        "order": {"id": order["id"]}, "fulfillmentOrders": [fulfillment_order],
        "requiresShipping": any(line.get("requiresShipping") for line, _ in items),
        "totalQuantity": sum(quantity for _, quantity in items),
        "trackingInfo": [dict(entry) for entry in tracking], "events": [],
        "fulfillmentLineItems": lines,
    }


def _totals(purse, currencies, line, quantity):
    unit = _pair(line["originalUnitPriceSet"], currencies)
    discount = _pair(line.get("totalDiscountSet"), currencies)
    original = tuple(unit[s] * quantity for s in (0, 1))
    whole = line["quantity"] or 1
    discounted = tuple(original[s] - half_up(discount[s] * quantity, whole) for s in (0, 1))
    return purse.bag(*original), purse.bag(*discounted)


def _pair(bag, currencies):
    if bag is None:
        return (0, 0)
    return tuple(int(Decimal(bag[side]["amount"]).scaleb(minor_units(code)))
                 for side, code in zip(("shopMoney", "presentmentMoney"), currencies))


def fulfilled_units(order):
    """{LineItem id: units shipped} over the order's fulfillments that were not cancelled."""
    shipped = {}
    for fulfillment in order.get("fulfillments") or ():
        if fulfillment.get("status") != "SUCCESS":
            continue
        for item in fulfillment.get("fulfillmentLineItems") or ():
            key = item["lineItem"]["id"]
            shipped[key] = shipped.get(key, 0) + (item.get("quantity") or 0)
    return shipped
