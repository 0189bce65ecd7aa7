"""After a mutation, every derived figure of an order recomputed from its facts (lines, refunds,
committed edits, adjustments, transactions), on each currency side separately.

Facts are what the mutations append; the figures are what Shopify derives from them:
current totals, line quantities, the payment totals and ``displayFinancialStatus``. The
independent checker (totals.py) recomputes the same figures its own way.
"""
from ..fulfillments import fulfilled_units
from ..generator.assemble_parts import fulfillment_status
from ..totals import is_tip_line
from .money import SIDES, OrderMoney
from .shares import gone_units, refunded_shipping, shipping_tax_taken, taken

OPEN_FULFILLMENTS = ("OPEN", "IN_PROGRESS", "SCHEDULED", "ON_HOLD", "INCOMPLETE")


def _plus(target, pair, sign=1):
    target[0] += sign * pair[0]
    target[1] += sign * pair[1]


class _Taxes:
    """Current tax lines by (title, rate), in the order they first appear."""

    def __init__(self):
        self.amounts, self.templates = {}, {}

    def add(self, tax_line, amount):
        key = (tax_line["title"], tax_line.get("rate"))
        self.templates.setdefault(key, tax_line)
        _plus(self.amounts.setdefault(key, [0, 0]), amount)

    def lines(self, m):
        return [{**{k: v for k, v in self.templates[key].items() if k != "priceSet"}, "priceSet": m.bag(amount)}
                for key, amount in self.amounts.items()]


def settle(order, now):
    m = OrderMoney(order)
    current_total = _current(order, m)
    _payments(order, m, current_total)
    statuses = [f["status"] for f in order.get("fulfillmentOrders") or ()]
    # Cancelled fulfillment orders leave nothing to do: the others decide, unless all are cancelled.
    kept = [s for s in statuses if s != "CANCELLED"] or statuses
    order["displayFulfillmentStatus"] = fulfillment_status(kept, shipped=any(fulfilled_units(order).values()))
    order["updatedAt"] = now
    return order


def _current(order, m):
    refunded, removed = gone_units(order)
    applications = {a["index"]: a for a in order.get("discountApplications") or ()}
    subtotal, discounts, cart, tips, duties, fees, shipping = ([0, 0] for _ in range(7))
    taxes = _Taxes()
    for tax_line in order.get("taxLines") or ():
        taxes.add(tax_line, (0, 0))  # keep every rate the order was taxed at, even once all is refunded
    counted = 0
    # [C] Units refunded or removed come out of those not shipped yet first: what an open
    # fulfillment order still has to ship is what the line has now less what was shipped.
    shipped = fulfilled_units(order)
    open_lines = {item["lineItem"]["id"] for f in order.get("fulfillmentOrders") or ()
                  if f["status"] in OPEN_FULFILLMENTS for item in f["lineItems"]}
    for line in order.get("lineItems") or ():
        whole, gone = line["quantity"], refunded[line["id"]] + removed[line["id"]]
        tip = is_tip_line(line)
        line["currentQuantity"] = line["refundableQuantity"] = whole - gone
        line["nonFulfillableQuantity"] = whole if tip else gone
        if "unfulfilledQuantity" in line:
            line["unfulfilledQuantity"] = (max(0, whole - gone - shipped.get(line["id"], 0))
                                           if line["id"] in open_lines else 0)
        if not tip and not line.get("isGiftCard"):
            counted += whole - gone
        unit = m.get(line["originalUnitPriceSet"])
        allocation_shares, tax_shares = taken(m, line, gone)
        for allocation, gone_share in zip(line.get("discountAllocations") or (), allocation_shares):
            left = [m.get(allocation["allocatedAmountSet"])[s] - gone_share[s] for s in SIDES]
            _plus(discounts, left)
            application = applications.get(allocation["discountApplication"]["index"]) or {}
            if application.get("targetSelection") != "EXPLICIT":
                _plus(cart, left)
            _plus(subtotal, left, -1)
        _plus(tips if tip else subtotal, (unit[0] * (whole - gone), unit[1] * (whole - gone)))
        for tax_line, gone_share in zip(line.get("taxLines") or (), tax_shares):
            tax = m.get(tax_line["priceSet"])
            taxes.add(tax_line, (tax[0] - gone_share[0], tax[1] - gone_share[1]))
        for duty in line.get("duties") or ():  # never refunded
            _plus(duties, m.get(duty["price"]))
            for tax_line in duty.get("taxLines") or ():
                taxes.add(tax_line, m.get(tax_line["priceSet"]))
    refunded_net = refunded_shipping(m, order)
    shipping_refunded = [0, 0]
    for line in order.get("shippingLines") or ():
        if line.get("isRemoved"):
            continue
        net, back = m.get(line["discountedPriceSet"]), refunded_net[line["id"]]
        _plus(shipping, (net[0] - back[0], net[1] - back[1]))
        _plus(shipping_refunded, back)
        line["currentDiscountedPriceSet"] = m.bag((net[0] - back[0], net[1] - back[1]))
        for s in (line.get("discountAllocations") or ()):
            _plus(discounts, m.get(s["allocatedAmountSet"]))
        for tax_line, gone_share in zip(line.get("taxLines") or (), shipping_tax_taken(m, line, back)):
            tax = m.get(tax_line["priceSet"])
            taxes.add(tax_line, (tax[0] - gone_share[0], tax[1] - gone_share[1]))
    for fee in order.get("additionalFees") or ():  # never refunded
        _plus(fees, m.get(fee["price"]))
        for tax_line in fee.get("taxLines") or ():
            taxes.add(tax_line, m.get(tax_line["priceSet"]))
    adjustments = [0, 0]
    for refund in order.get("refunds") or ():
        for adjustment in refund.get("orderAdjustments") or ():
            _plus(adjustments, m.get(adjustment["amountSet"]))
    tax = [sum(a[s] for a in taxes.amounts.values()) for s in SIDES]
    total = [subtotal[s] + shipping[s] + (0 if order["taxesIncluded"] else tax[s])
             + (0 if order.get("dutiesIncluded") else duties[s]) + tips[s] + fees[s] + adjustments[s] for s in SIDES]
    order.update({
        "currentSubtotalPriceSet": m.bag(subtotal), "currentTotalTaxSet": m.bag(tax),
        "currentTaxLines": taxes.lines(m), "currentTotalDiscountsSet": m.bag(discounts),
        "currentCartDiscountAmountSet": m.bag(cart), "currentShippingPriceSet": m.bag(shipping),
        "totalRefundedShippingSet": m.bag(shipping_refunded), "currentTotalPriceSet": m.bag(total),
        "currentSubtotalLineItemsQuantity": counted,
    })
    now_left = {line["id"]: line["currentQuantity"] for line in order.get("lineItems") or ()}
    for fulfillment in order.get("fulfillmentOrders") or ():
        if fulfillment["status"] in OPEN_FULFILLMENTS:
            for item in fulfillment["lineItems"]:
                line_id = item["lineItem"]["id"]
                item["remainingQuantity"] = max(0, now_left.get(line_id, 0) - shipped.get(line_id, 0))
    return total


def _payments(order, m, current_total):
    received, refunded, settled, voided = [0, 0], [0, 0], {}, set()
    transactions = order.get("transactions") or []
    for t in transactions:
        if t["status"] != "SUCCESS":
            continue
        amount = m.get(t["amountSet"])
        if t["kind"] in ("SALE", "CAPTURE"):
            _plus(received, amount)
        elif t["kind"] in ("REFUND", "CHANGE"):
            _plus(refunded, amount)
        if t["kind"] in ("CAPTURE", "VOID") and t.get("parentTransaction"):
            _plus(settled.setdefault(t["parentTransaction"]["id"], [0, 0]), amount)
            if t["kind"] == "VOID":
                voided.add(t["parentTransaction"]["id"])
    capturable = [0, 0]
    for t in transactions:
        if t["status"] == "SUCCESS" and t["kind"] == "AUTHORIZATION" and t["id"] not in voided:
            done = settled.get(t["id"], (0, 0))
            amount = m.get(t["amountSet"])
            _plus(capturable, [max(0, amount[s] - done[s]) for s in SIDES])
    rounding = order.get("totalCashRoundingAdjustment") or {}
    paid_rounding, refund_rounding = m.get(rounding.get("paymentSet")), m.get(rounding.get("refundSet"))
    net = [received[s] - refunded[s] for s in SIDES]
    # What the customer has to pay for: the total as ordered and edited, before refunds (refunds
    # show as (PARTIALLY_)REFUNDED instead). Each edit's sales add up to what it changed.
    owed = list(m.get(order.get("totalPriceSet")))
    for agreement in order.get("agreements") or ():
        if agreement.get("__typename") == "OrderEditAgreement":
            for sale in agreement["sales"]:
                _plus(owed, m.get(sale["totalAmount"]))
    # Cash rounding (README): received + paymentSet is what the rounded cash payment settled.
    settled_net = [received[s] + paid_rounding[s] - refunded[s] - refund_rounding[s] for s in SIDES]
    order.update({
        "totalReceivedSet": m.bag(received), "totalRefundedSet": m.bag(refunded), "netPaymentSet": m.bag(net),
        "totalOutstandingSet": m.bag([current_total[s] - settled_net[s] for s in SIDES]),
        "totalCapturableSet": m.bag(capturable), "capturable": capturable[0] > 0,
        "fullyPaid": received[0] + paid_rounding[0] >= owed[0], "unpaid": received[0] == 0,
        "refundable": net[0] > 0,
        "paymentGatewayNames": list(dict.fromkeys(t["gateway"] for t in transactions)),
        "displayFinancialStatus": financial_status(
            owed[0], received[0] + paid_rounding[0], refunded[0], capturable[0],
            bool(voided) or order.get("cancelledAt") is not None),
    })


def financial_status(total, received, refunded, capturable, voided):
    """As the generator derives it, ``total`` being the total as edited; a cancelled order that
    received nothing shows VOIDED (its authorizations were voided, or there was nothing to void)."""
    if voided and not received:
        return "VOIDED"
    if refunded:
        return "REFUNDED" if refunded >= received else "PARTIALLY_REFUNDED"
    if not received:
        return "PAID" if total <= 0 else "AUTHORIZED" if capturable else "PENDING"
    return "PARTIALLY_PAID" if received < total else "PAID"
