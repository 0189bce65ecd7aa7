"""An order draft, priced on both sides, as the dict the simulator serves (GraphQL field names)."""
import time
from dataclasses import dataclass

from .. import fulfillments
from . import agreements, assemble_parts as parts
from .money import Purse
from .payments import collect
from .pricing import price_side

_CLOSE_AFTER = 2 * 86400  # fulfilled and settled orders are archived once this quiet


def iso(timestamp):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


@dataclass(slots=True)
class _Context:
    order: object
    ids: object
    purse: Purse
    sides: tuple
    applications: list
    iso: object = iso


def assemble(order, ids, now, rng):
    purse = Purse(order.shop_currency, order.currency)
    shop_side = price_side(order, 0)
    sides = (shop_side, shop_side if order.currency == order.shop_currency else price_side(order, 1))
    applications = [parts.discount_application(purse, i, d) for i, d in enumerate(order.discounts)]
    ctx = _Context(order, ids, purse, sides, applications)
    gid, legacy = ids.new("Order")

    refunded_quantity = [0] * len(order.lines)
    refunded_shipping = set()
    for refund in order.refunds:
        for index, quantity in refund.lines:
            refunded_quantity[index] += quantity
        refunded_shipping.update(refund.shipping)
    open_lines = {i for f in order.fulfillments if f.status not in ("CLOSED", "CANCELLED") for i in f.lines}
    line_items = [parts.line_item(ctx, i, line, refunded_quantity[i],
                                  line.quantity - refunded_quantity[i] if i in open_lines else 0)
                  for i, line in enumerate(order.lines)]
    shipping_lines = [parts.shipping_line(ctx, i, s, i in refunded_shipping) for i, s in enumerate(order.shipping)]
    payments = collect(order, sides, ids, purse, iso, rng)

    total = [s.total for s in sides]

    def bag(name):
        return purse.bag(total[0][name], total[1][name])

    received, refunded, capturable = payments.received, payments.refunded, payments.capturable
    net = (received[0] - refunded[0], received[1] - refunded[1])
    rounding = payments.rounding  # cash rounding counts as received (README "Cash rounding")
    settled = (net[0] + rounding[0], net[1] + rounding[1])
    statuses = [f.status for f in order.fulfillments]
    fulfillment = parts.fulfillment_status(statuses)
    counted = [(line, item) for line, item in zip(order.lines, line_items) if not (line.tip or line.gift_card)]
    data = {
        "id": gid, "legacyResourceId": legacy, "name": f"#{order.number}", "number": order.number,
        "confirmationNumber": order.confirmation, "createdAt": iso(order.created_at),
        "processedAt": iso(order.processed_at), "updatedAt": None,
        "cancelledAt": iso(order.cancel.at) if order.cancel else None,
        "cancelReason": order.cancel.reason if order.cancel else None, "closed": False, "closedAt": None,
        "test": order.test, "sourceName": order.source_name, "sourceIdentifier": order.source_identifier,
        "app": order.app, "retailLocation": order.retail_location, "email": order.email, "phone": order.phone,
        "note": order.note, "tags": order.tags, "poNumber": order.po_number, "currencyCode": order.shop_currency,
        "presentmentCurrencyCode": order.currency, "taxesIncluded": order.taxes_included, "taxExempt": False,
        "dutiesIncluded": order.duties_included, "estimatedTaxes": False,
        "displayFinancialStatus": payments.status, "displayFulfillmentStatus": fulfillment,
        "returnStatus": "NO_RETURN", "edited": False, "customer": order.customer,
        "purchasingEntity": order.company or order.customer,
        "billingAddress": order.billing, "shippingAddress": order.shipping_address,
        "displayAddress": order.shipping_address or order.billing,
        "discountCodes": [d.code for d in order.discounts if d.code],
        "discountCode": next((d.code for d in order.discounts if d.code), None),
        "paymentGatewayNames": payments.gateways, "customAttributes": order.attributes,
        "subtotalLineItemsQuantity": sum(line.quantity for line, _ in counted),
        "currentSubtotalLineItemsQuantity": sum(item["currentQuantity"] for _, item in counted),
        "totalWeight": str(sum(line.grams * line.quantity for line in order.lines)),
        "subtotalPriceSet": bag("line_items"), "currentSubtotalPriceSet": bag("current_line_items"),
        "totalDiscountsSet": bag("discounts"), "currentTotalDiscountsSet": bag("current_discounts"),
        "cartDiscountAmountSet": bag("cart_discounts"),
        "currentCartDiscountAmountSet": bag("current_cart_discounts"),
        "totalShippingPriceSet": bag("shipping_original"), "currentShippingPriceSet": bag("current_shipping"),
        "totalRefundedShippingSet": bag("refunded_shipping"),
        "totalTaxSet": bag("tax"), "currentTotalTaxSet": bag("current_tax"),
        "totalTipReceivedSet": bag("tips"),
        "originalTotalDutiesSet": bag("duties") if any(line.duty for line in order.lines) else None,
        "currentTotalDutiesSet": bag("duties") if any(line.duty for line in order.lines) else None,
        "originalTotalAdditionalFeesSet": bag("fees") if order.fees else None,
        "currentTotalAdditionalFeesSet": bag("fees") if order.fees else None,
        "totalPriceSet": bag("price"), "originalTotalPriceSet": bag("price"),
        "currentTotalPriceSet": bag("current_price"),
        "totalReceivedSet": purse.bag(*received), "totalRefundedSet": purse.bag(*refunded),
        "netPaymentSet": purse.bag(*net),
        "totalOutstandingSet": purse.bag(total[0]["current_price"] - settled[0],
                                         total[1]["current_price"] - settled[1]),
        "totalCapturableSet": purse.bag(*capturable),
        "totalCashRoundingAdjustment": {"paymentSet": purse.bag(*rounding), "refundSet": purse.bag(0, 0)},
        "capturable": capturable[0] > 0, "fullyPaid": received[0] + rounding[0] >= total[0]["price"],
        "unpaid": received[0] == 0, "refundable": net[0] > 0,
        "taxLines": _order_tax_lines(purse, sides, "tax_lines"),
        "currentTaxLines": _order_tax_lines(purse, sides, "current_tax_lines"),
        "additionalFees": [parts.additional_fee(ctx, i, fee) for i, fee in enumerate(order.fees)],
        "lineItems": line_items, "discountApplications": applications, "shippingLines": shipping_lines,
        "shippingLine": shipping_lines[0] if shipping_lines else None,
        "transactions": payments.transactions,
        "_scenarios": order.scenarios,
    }
    data["refunds"] = [parts.refund(ctx, i, r, line_items, shipping_lines, *payments.by_refund[i])
                       for i, r in enumerate(order.refunds)]
    data["fulfillmentOrders"] = [parts.fulfillment_order(ctx, data, f, line_items) for f in order.fulfillments]
    data["fulfillments"] = []
    for draft, fulfillment_order in zip(order.fulfillments, data["fulfillmentOrders"]):
        if draft.status == "CLOSED":  # a closed fulfillment order was shipped whole, in one shipment
            shipped = [item["lineItem"] for item in fulfillment_order["lineItems"]]
            data["fulfillments"].append(fulfillments.build(
                data, fulfillment_order, [(line, line["quantity"]) for line in shipped], ids.gid, iso(draft.at),
                totals=[(dict(line["originalTotalSet"]), dict(line["discountedTotalSet"])) for line in shipped]))
    data["agreements"] = agreements.build(ctx, data)
    if "channel_liable" in order.scenarios:
        _channel_liable(data, set())
    _dates(order, data, now)
    return data


def _channel_liable(node, seen):
    """A marketplace's order: every tax line says the channel remits it (TaxLine.channelLiable,
    "most marketplaces are the liable party for sales tax", Shopify's 2021-07 changelog). The
    docs say nothing else changes: the tax stays in the order's totals the buyer paid."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        if "channelLiable" in node:
            node["channelLiable"] = True
        for value in node.values():
            if isinstance(value, (dict, list)):
                _channel_liable(value, seen)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, (dict, list)):
                _channel_liable(value, seen)


def _order_tax_lines(purse, sides, name):
    """Order.taxLines: every tax line of the order (items, shipping, duties, fees) summed by
    title and rate, so that they add up to totalTaxSet."""
    shop, presentment = getattr(sides[0], name), getattr(sides[1], name)
    return [{"title": title, "rate": float(rate), "ratePercentage": float(rate * 100), "source": "Shopify",
             "channelLiable": False, "priceSet": purse.bag(amount, presentment[(title, rate)])}
            for (title, rate), amount in shop.items()]


def _dates(order, data, now):
    events = [order.created_at, order.processed_at, *(r.at for r in order.refunds),
              *(f.at for f in order.fulfillments if f.status == "CLOSED")]
    if order.cancel:
        events.append(order.cancel.at)
    if order.payment.flow == "auth_capture":
        events.append(order.payment.captured_at)
    last = max(events)
    settled = data["displayFinancialStatus"] in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED")
    if order.cancel:
        data["closed"], data["closedAt"] = True, iso(order.cancel.at)
    elif data["displayFulfillmentStatus"] == "FULFILLED" and settled and now - last > _CLOSE_AFTER:
        last += 3600
        data["closed"], data["closedAt"] = True, iso(last)
    data["updatedAt"] = iso(min(now, last + 37))
