"""What a committed edit does to the stored order: new line items for added variants, fewer
units on lowered lines, and the OrderEditAgreement that records both (edits.py runs it)."""
from decimal import Decimal

from ..generator.pricing import _taxes
from ..generator.taxes import TaxRate
from ..sales import agreement, sale
from ..totals import is_tip_line
from .common import restock_location, state
from .money import ZERO, add, neg, share
from .settle import OPEN_FULFILLMENTS
from .shares import gone_units, leaving


def order_tax_rates(order):
    """The tax titles and rates of the order's other taxed lines (an added line is taxed like
    them; Shopify would ask its tax engine, which the simulator does not have)."""
    for line in order["lineItems"]:
        if line.get("taxLines") and not line.get("isGiftCard") and not is_tip_line(line):
            return [(t, TaxRate(t["title"], Decimal(repr(t["rate"])))) for t in line["taxLines"]]
    return []


def unit_price(m, variant):
    """The variant's price in the shop's currency; the presentment side is converted at the
    order's own rate (Shopify does not publish the rate it uses; the simulator chooses this)."""
    shop = m.parse(variant["price"], 0)
    rate = m._rate
    return (shop, shop if not m.multi else share(shop, rate[1], rate[0]))


def add_line(info, order, m, variant, quantity, location_id, line_gid):
    """Appends the new line item and returns its ORDER sale."""
    gid = state(info).gid
    unit = unit_price(m, variant)
    total = (unit[0] * quantity, unit[1] * quantity)
    rates = order_tax_rates(order)
    taxes = list(zip(*(_taxes(total[s], [r for _, r in rates], order["taxesIncluded"]) for s in (0, 1)))) \
        if rates else []
    product = info.context.sim.node((variant.get("product") or {}).get("id")) or {}
    line = {
        "id": line_gid, "name": product.get("title", "") + _suffix(variant), "title": product.get("title"),
        "variantTitle": None if variant.get("title") == "Default Title" else variant.get("title"),
        "sku": variant.get("sku"), "vendor": product.get("vendor"), "quantity": quantity,
        "currentQuantity": quantity, "refundableQuantity": quantity, "unfulfilledQuantity": quantity,
        "nonFulfillableQuantity": 0, "isGiftCard": False, "requiresShipping": True, "taxable": True,
        "variant": variant,
        "product": {"id": product["id"], "legacyResourceId": product.get("legacyResourceId"),
                    "title": product.get("title")} if product else None,
        "originalUnitPriceSet": m.bag(unit), "originalTotalSet": m.bag(total), "totalDiscountSet": m.bag(ZERO),
        "discountedTotalSet": m.bag(total), "discountedUnitPriceSet": m.bag(unit),
        "discountedUnitPriceAfterAllDiscountsSet": m.bag(unit),
        "taxLines": [{**template, "priceSet": m.bag(amount)} for (template, _), amount in zip(rates, taxes)],
        "discountAllocations": [], "duties": [], "customAttributes": [],
    }
    order["lineItems"].append(line)
    _fulfil_from(info, order, line, location_id)
    tax = add(*taxes) if taxes else ZERO
    money = total if order["taxesIncluded"] else add(total, tax)
    return sale(gid, m.bag, "ProductSale", "PRODUCT", "ORDER", quantity, money, tax, ZERO,
                list(zip(line["taxLines"], taxes)), lineItem=line)


def _suffix(variant):
    title = variant.get("title")
    return f" - {title}" if title and title != "Default Title" else ""


def _fulfil_from(info, order, line, location_id):
    """Adds the new line to the first open fulfillment order, or opens one."""
    for fulfillment in order.get("fulfillmentOrders") or ():
        if fulfillment["status"] in OPEN_FULFILLMENTS:
            break
    else:
        location = restock_location(info, order, line, "RETURN", location_id)
        if location is None or "fulfillmentOrders" not in order:
            return
        address = location.get("address") or {}
        fulfillment = {
            "id": state(info).gid("FulfillmentOrder"), "status": "OPEN", "requestStatus": "UNSUBMITTED",
            "createdAt": info.context.sim.clock.iso(), "updatedAt": info.context.sim.clock.iso(),
            "orderId": order["id"], "orderName": order.get("name"), "orderProcessedAt": order.get("processedAt"),
            "assignedLocation": {"name": location.get("name"), "location": location,
                                 **{k: address.get(k) for k in ("address1", "address2", "city", "province", "zip",
                                                                 "countryCode", "phone")}},
            "lineItems": []}
        order["fulfillmentOrders"].append(fulfillment)
    fulfillment["lineItems"].append({"id": state(info).gid("FulfillmentOrderLineItem"), "lineItem": line,
                                     "totalQuantity": line["quantity"], "remainingQuantity": line["quantity"]})


def lower_line(info, order, m, line, removed):
    """The UPDATE sale of ``removed`` units leaving a line: their cumulative shares of its
    allocations and tax lines, negative. The line's own taxLines and discountAllocations stay as
    ordered (the schema: they include "removed quantities")."""
    refunded, gone_by_edit = gone_units(order)
    before = refunded[line["id"]] + gone_by_edit[line["id"]]
    price, allocations, taxes = leaving(m, line, before, removed)
    discount, tax = add(*allocations) if allocations else ZERO, add(*taxes) if taxes else ZERO
    net = (price[0] - discount[0], price[1] - discount[1])
    money = net if order["taxesIncluded"] else add(net, tax)
    return sale(state(info).gid, m.bag, "ProductSale", "PRODUCT", "UPDATE", -removed, neg(money), neg(tax),
                neg(discount), [(t, neg(a)) for t, a in zip(line.get("taxLines") or (), taxes)], lineItem=line)


def record(info, order, m, sales, now):
    order.setdefault("agreements", []).append(agreement(state(info).gid, "OrderEditAgreement", "ORDER_EDIT", now,
                                                        sales))
    order["edited"] = True
