"""Is every total of a Shopify order consistent? ``check_order(order) -> list[str]``.

An independent reference (it shares no computation with the generator) that recomputes an
order's figures from its parts, once per currency side (shopMoney, presentmentMoney), with
``Decimal`` and half-up rounding to the currency's minor unit, and lists every figure that
differs. ``order`` is an Order as the Admin GraphQL API returns it, connections as plain lists of
nodes (``lineItems: [ {...}, ... ]``). The rules, from §2 of docs/shopify-admin-api.md:

* A line's net = ``originalUnitPrice × quantity − Σ discountAllocations`` (every discount,
  order-level ones included). ``totalDiscountSet`` holds the line-level ones only (applications
  whose targetSelection is EXPLICIT); the others make ``cartDiscountAmountSet``.
* Tax is rounded per line and per tax line, on the net after discounts:
  ``round(net × rate)`` when prices exclude tax, ``round(net × rate / (1 + Σ rates of the line))``
  when ``taxesIncluded`` (the net then contains its tax). Shipping lines, duties and additional
  fees follow the same rule on their own amounts.
* A tip is a line item titled "Tip", without variant or product, not taxable and not shipped. It
  is never discounted and is not part of the subtotal; it is ``totalTipReceivedSet``.
* subtotal = Σ net of the other lines (tax included when ``taxesIncluded``).
* total = subtotal + Σ shipping after discounts + tax (only when prices exclude it)
  + duties (only when not ``dutiesIncluded``) + tips + additional fees.
* totalTax = Σ every tax line (items, shipping, duties, fees); ``Order.taxLines`` are those tax
  lines summed by title and rate.
* Refunds take from a line its refunded quantity's share of each allocation and of each tax line,
  ``round(amount × refunded / ordered)``, cumulated over the order's refunds; current figures
  are the originals minus what was refunded, and currentTotal follows the total's composition.
* Money: received = Σ successful SALE and CAPTURE; refunded = Σ successful REFUND (and CHANGE);
  net payment = received − refunded; outstanding = current total − net payment; capturable =
  successful authorizations not yet captured or voided.
* After checkout (totals_lifecycle.py): lines added by an edit are outside the figures "before
  returns" (subtotal, totalTax, taxLines, totalPrice) and inside the current ones; units removed
  by an edit leave like refunded units (the same cumulative shares); refunds' order adjustments
  (calculated − actual) are added to currentTotal; cash rounding's paymentSet and refundSet
  count with what was received and refunded; a cancelled order that received nothing is VOIDED.
"""
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from . import totals_lifecycle as later

SIDES = ("shopMoney", "presentmentMoney")
ZERO = Decimal(0)

# ISO 4217 minor units where they are not 2.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0,
                "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3}


def minor_units(currency):
    return _MINOR_UNITS.get(currency, 2)


def is_tip_line(line):
    """Shopify records a tip as a line item of its own, titled "Tip"."""
    return (line.get("title") == "Tip" and line.get("variant") is None and line.get("product") is None
            and not line.get("requiresShipping") and not line.get("taxable"))


def check_order(order):
    problems = []
    _check_money_format(order, problems)
    for side in SIDES:
        _SideCheck(order, side, problems).run()
    _check_statuses(order, problems)
    return problems


def _rate(tax_line):
    # A Float in the API; its shortest repr is the decimal rate Shopify holds (0.08875).
    return None if tax_line.get("rate") is None else Decimal(repr(tax_line["rate"]))


def _nodes(order, name):
    return order.get(name) or []


class _SideCheck:
    def __init__(self, order, side, problems):
        self.order, self.side, self.problems = order, side, problems
        self.label = "shop" if side == "shopMoney" else "presentment"
        currency = order["currencyCode"] if side == "shopMoney" else order["presentmentCurrencyCode"]
        self.unit = Decimal(1).scaleb(-minor_units(currency))
        self.included = bool(order["taxesIncluded"])
        self.applications = {a["index"]: a for a in _nodes(order, "discountApplications")}
        self.tax_by_key = defaultdict(Decimal)   # (title, rate) -> amount, every tax line
        self.current_tax_by_key = None           # the same after refunds, when attributable
        self.added, self.removed = later.edit_facts(order)  # line ids added; line id -> removal sales

    # -- helpers ---------------------------------------------------------------------------------
    def amount(self, bag):
        return ZERO if bag is None else Decimal(bag[self.side]["amount"])

    def round(self, value):
        return value.quantize(self.unit, ROUND_HALF_UP)

    def expect(self, what, actual, expected):
        if actual != expected:
            self.problems.append(f"{self.label}: {what} is {actual}, expected {expected}")

    def taxes(self, what, base, tax_lines):
        """Checks each tax line against its rate on ``base``; returns their sum."""
        rates = [_rate(t) for t in tax_lines]
        divisor = 1 + sum(r for r in rates if r is not None) if self.included else 1
        total = ZERO
        for tax_line, rate in zip(tax_lines, rates):
            amount = self.amount(tax_line["priceSet"])
            if rate is not None:
                self.expect(f"{what}: tax {tax_line['title']} {rate}", amount, self.round(base * rate / divisor))
            self.tax_by_key[(tax_line["title"], rate)] += amount
            total += amount
        return total

    def allocations(self, what, allocations, target_type):
        """Σ allocations, and the part of it from line-level (EXPLICIT) applications."""
        total = line_level = ZERO
        for allocation in allocations:
            amount = self.amount(allocation["allocatedAmountSet"])
            application = self.applications.get(allocation["discountApplication"]["index"])
            if application is None:
                self.problems.append(f"{what}: allocation to unknown discount application "
                                     f"{allocation['discountApplication']['index']}")
            elif application["targetType"] != target_type:
                self.problems.append(f"{what}: a {application['targetType']} discount allocated to a {target_type}")
            elif application["targetSelection"] == "EXPLICIT":
                line_level += amount
            if amount < 0:
                self.problems.append(f"{self.label}: {what}: negative allocation {amount}")
            total += amount
        return total, line_level

    # -- the order -------------------------------------------------------------------------------
    def run(self):
        order = self.order
        lines = self.line_items()
        shipping = self.shipping_lines()
        fees = fee_tax = ZERO
        for fee in order.get("additionalFees") or []:
            price = self.amount(fee["price"])
            fees += price
            fee_tax += self.taxes(f"fee {fee['name']}", price, fee["taxLines"])
        tax = lines["tax"] + lines["duty_tax"] + shipping["tax"] + fee_tax

        self.expect("subtotalPriceSet", self.amount(order["subtotalPriceSet"]), lines["subtotal"])
        self.expect("totalDiscountsSet", self.amount(order["totalDiscountsSet"]),
                    lines["discounts"] + shipping["discounts"])
        self.expect("cartDiscountAmountSet", self.amount(order.get("cartDiscountAmountSet")), lines["cart"])
        self.expect("totalShippingPriceSet", self.amount(order["totalShippingPriceSet"]), shipping["original"])
        self.expect("totalTaxSet", self.amount(order["totalTaxSet"]), tax)
        self.expect("totalTipReceivedSet", self.amount(order["totalTipReceivedSet"]), lines["tips"])
        self.expect("originalTotalDutiesSet", self.amount(order.get("originalTotalDutiesSet")), lines["duties"])
        self.expect("originalTotalAdditionalFeesSet", self.amount(order.get("originalTotalAdditionalFeesSet")),
                    fees)
        self.order_tax_lines("taxLines", self.tax_by_key)
        total = self.compose(lines["subtotal"], shipping["net"], tax, lines["duties"], lines["tips"], fees)
        added = self.line_items(added=True)  # after taxLines: their taxes count only from now on
        for name in ("subtotal", "tax", "discounts", "cart", "tips", "duties", "duty_tax"):
            lines[name] += added[name]
        tax += added["tax"] + added["duty_tax"]
        self.expect("totalPriceSet", self.amount(order["totalPriceSet"]), total)
        if not order.get("edited"):
            self.expect("originalTotalPriceSet", self.amount(order.get("originalTotalPriceSet")), total)

        refunded = self.refunds(lines, shipping)
        current_tax = tax - refunded["tax"]
        current_subtotal = lines["subtotal"] - refunded["subtotal"]
        current_shipping = shipping["net"] - refunded["shipping"]
        self.expect("currentSubtotalPriceSet", self.amount(order["currentSubtotalPriceSet"]), current_subtotal)
        self.expect("currentTotalTaxSet", self.amount(order["currentTotalTaxSet"]), current_tax)
        self.expect("currentShippingPriceSet", self.amount(order["currentShippingPriceSet"]), current_shipping)
        self.expect("Σ shippingLines.currentDiscountedPriceSet", shipping["current"], current_shipping)
        self.expect("totalRefundedShippingSet", self.amount(order.get("totalRefundedShippingSet")),
                    refunded["shipping"])
        self.expect("currentTotalDiscountsSet", self.amount(order["currentTotalDiscountsSet"]),
                    lines["discounts"] + shipping["discounts"] - refunded["discounts"])
        self.expect("currentCartDiscountAmountSet", self.amount(order.get("currentCartDiscountAmountSet")),
                    lines["cart"] - refunded["cart"])
        current_taxes = order.get("currentTaxLines") or []
        self.expect("Σ currentTaxLines", sum((self.amount(t["priceSet"]) for t in current_taxes), ZERO),
                    current_tax)
        if self.current_tax_by_key is not None:
            self.order_tax_lines("currentTaxLines", self.current_tax_by_key)
        current_total = self.compose(current_subtotal, current_shipping, current_tax,
                                     self.amount(order.get("currentTotalDutiesSet")), lines["tips"],
                                     self.amount(order.get("currentTotalAdditionalFeesSet")))
        current_total += later.adjustments(self)
        self.expect("currentTotalPriceSet", self.amount(order["currentTotalPriceSet"]), current_total)
        later.check_agreements(self, total)
        self.payments(current_total, total + later.edit_change(self, added))

    def compose(self, subtotal, shipping, tax, duties, tips, fees):
        """§2.1: tax is inside the prices when taxesIncluded; duties inside them when dutiesIncluded."""
        return (subtotal + shipping + (ZERO if self.included else tax)
                + (ZERO if self.order.get("dutiesIncluded") else duties) + tips + fees)

    def order_tax_lines(self, name, expected):
        found = defaultdict(Decimal)
        for tax_line in self.order.get(name) or []:
            found[(tax_line["title"], _rate(tax_line))] += self.amount(tax_line["priceSet"])
        for key in sorted(set(found) | set(expected), key=str):
            self.expect(f"{name} {key[0]} {key[1]}", found.get(key, ZERO), expected.get(key, ZERO))

    def line_items(self, added=False):
        figures = defaultdict(Decimal)
        for line in _nodes(self.order, "lineItems"):
            if (line["id"] in self.added) != added:
                continue
            what = f"line {line['name']}"
            original = self.amount(line["originalTotalSet"])
            self.expect(f"{what}: originalTotalSet", original,
                        self.amount(line["originalUnitPriceSet"]) * line["quantity"])
            discounts, line_level = self.allocations(what, line["discountAllocations"], "LINE_ITEM")
            if discounts > original:
                self.problems.append(f"{self.label}: {what}: discounts {discounts} exceed the line's {original}")
            self.expect(f"{what}: totalDiscountSet", self.amount(line["totalDiscountSet"]), line_level)
            net = original - discounts
            if is_tip_line(line):
                if discounts or line["taxLines"]:
                    self.problems.append(f"{what}: a tip is neither discounted nor taxed")
                figures["tips"] += original
            else:
                figures["subtotal"] += net
            if line.get("isGiftCard") and line["taxLines"]:
                self.problems.append(f"{what}: gift cards are not taxed")
            figures["tax"] += self.taxes(what, net, line["taxLines"])
            figures["discounts"] += discounts
            figures["cart"] += discounts - line_level
            for duty in line.get("duties") or []:
                price = self.amount(duty["price"])
                figures["duties"] += price
                figures["duty_tax"] += self.taxes(f"duty on {what}", price, duty["taxLines"])
        return figures

    def shipping_lines(self):
        figures = defaultdict(Decimal)
        for shipping in _nodes(self.order, "shippingLines"):
            if shipping.get("isRemoved"):
                continue
            what = f"shipping {shipping['title']}"
            original = self.amount(shipping["originalPriceSet"])
            discounts, _ = self.allocations(what, shipping["discountAllocations"], "SHIPPING_LINE")
            net = self.amount(shipping["discountedPriceSet"])
            self.expect(f"{what}: discountedPriceSet", net, original - discounts)
            figures["tax"] += self.taxes(what, net, shipping["taxLines"])
            figures["original"] += original
            figures["net"] += net
            figures["discounts"] += discounts
            figures["current"] += self.amount(shipping["currentDiscountedPriceSet"])
        return figures

    def refunds(self, lines, shipping):
        """What the refunds took back, after checking each refunded line's share."""
        order = self.order
        by_line = defaultdict(lambda: [0, ZERO, ZERO])   # line id -> quantity, subtotal, tax
        shipping_by_id = {s["id"]: s for s in _nodes(order, "shippingLines")}
        current = defaultdict(Decimal, self.tax_by_key)
        attributable = True
        refunded = defaultdict(Decimal)
        for refund in order.get("refunds") or []:
            for item in _nodes(refund, "refundLineItems"):
                entry = by_line[item["lineItem"]["id"]]
                entry[0] += item["quantity"]
                entry[1] += self.amount(item["subtotalSet"])
                entry[2] += self.amount(item["totalTaxSet"])
            for item in _nodes(refund, "refundShippingLines"):
                subtotal, tax = self.amount(item["subtotalAmountSet"]), self.amount(item["taxAmountSet"])
                refunded["shipping"] += subtotal
                refunded["tax"] += tax
                line = shipping_by_id.get(item["shippingLine"]["id"])
                if line is not None and subtotal == self.amount(line["discountedPriceSet"]):
                    for tax_line in line["taxLines"]:
                        current[(tax_line["title"], _rate(tax_line))] -= self.amount(tax_line["priceSet"])
                else:
                    attributable = False  # a partial shipping refund: only its total tax is known
        later.add_removals(self, by_line)
        for line in _nodes(order, "lineItems"):
            quantity, subtotal, tax = by_line.get(line["id"], (0, ZERO, ZERO))
            if not quantity:
                continue
            what = f"line {line['name']}: refund of {quantity}"
            ordered = line["quantity"]
            shares = [self.round(self.amount(a["allocatedAmountSet"]) * quantity / ordered)
                      for a in line["discountAllocations"]]
            self.expect(f"{what}: subtotal", subtotal,
                        self.amount(line["originalUnitPriceSet"]) * quantity - sum(shares, ZERO))
            tax_shares = [self.round(self.amount(t["priceSet"]) * quantity / ordered) for t in line["taxLines"]]
            self.expect(f"{what}: tax", tax, sum(tax_shares, ZERO))
            for tax_line, share in zip(line["taxLines"], tax_shares):
                current[(tax_line["title"], _rate(tax_line))] -= share
            refunded["subtotal"] += subtotal
            refunded["tax"] += tax
            refunded["discounts"] += sum(shares, ZERO)
            refunded["cart"] += sum((share for share, a in zip(shares, line["discountAllocations"])
                                     if self.applications.get(a["discountApplication"]["index"], {})
                                     .get("targetSelection") != "EXPLICIT"), ZERO)
        if attributable:
            self.current_tax_by_key = current
        return refunded

    def payments(self, current_total, owed):
        order = self.order
        received = refunded = capturable = ZERO
        transactions = order.get("transactions") or []
        settled = defaultdict(Decimal)   # authorization id -> captured or voided
        voided = set()
        for t in transactions:
            if t["status"] == "SUCCESS" and t["kind"] in ("CAPTURE", "VOID") and t.get("parentTransaction"):
                settled[t["parentTransaction"]["id"]] += self.amount(t["amountSet"])
                if t["kind"] == "VOID":
                    voided.add(t["parentTransaction"]["id"])
        for t in transactions:
            if t["status"] != "SUCCESS":
                continue
            amount = self.amount(t["amountSet"])
            if t["kind"] in ("SALE", "CAPTURE"):
                received += amount
            elif t["kind"] in ("REFUND", "CHANGE"):
                refunded += amount
            elif t["kind"] == "AUTHORIZATION" and t["id"] not in voided:
                capturable += max(ZERO, amount - settled[t["id"]])
        net = received - refunded
        self.expect("totalReceivedSet", self.amount(order["totalReceivedSet"]), received)
        self.expect("totalRefundedSet", self.amount(order["totalRefundedSet"]), refunded)
        self.expect("netPaymentSet", self.amount(order.get("netPaymentSet")), net)
        paid_rounding, refund_rounding = later.cash_rounding(self)
        self.expect("totalOutstandingSet", self.amount(order["totalOutstandingSet"]),
                    current_total - (received + paid_rounding - refunded - refund_rounding))
        self.expect("totalCapturableSet", self.amount(order.get("totalCapturableSet")), capturable)
        refunds = order.get("refunds") or []
        self.expect("Σ refunds.totalRefundedSet", sum((self.amount(r["totalRefundedSet"]) for r in refunds), ZERO),
                    refunded)
        for refund in refunds:
            if "transactions" in refund:
                self.expect(f"refund {refund['id']}: totalRefundedSet", self.amount(refund["totalRefundedSet"]),
                            sum((self.amount(t["amountSet"]) for t in _nodes(refund, "transactions")
                                 if t["status"] == "SUCCESS"), ZERO))
        if self.side == "shopMoney":
            self.financial_status(received + paid_rounding, refunded, capturable,
                                  bool(voided) or bool(order.get("cancelledAt")), owed)

    def financial_status(self, received, refunded, capturable, voided, total):
        if voided and not received:
            expected = {"VOIDED"}
        elif refunded:
            expected = {"REFUNDED"} if refunded >= received else {"PARTIALLY_REFUNDED"}
        elif not received:
            expected = {"PAID"} if not total else {"AUTHORIZED", "EXPIRED"} if capturable else {"PENDING"}
        else:
            expected = {"PARTIALLY_PAID"} if received < total else {"PAID"}
        if self.order.get("displayFinancialStatus") not in expected:
            self.problems.append(f"displayFinancialStatus is {self.order.get('displayFinancialStatus')}, "
                                 f"expected {' or '.join(sorted(expected))}")


def _check_statuses(order, problems):
    refunded = defaultdict(int)
    for refund in order.get("refunds") or []:
        for item in _nodes(refund, "refundLineItems"):
            refunded[item["lineItem"]["id"]] += item["quantity"]
    added, removals = later.edit_facts(order)
    counted = current = 0
    for line in _nodes(order, "lineItems"):
        removed = sum(-sale["quantity"] for sale in removals.get(line["id"], ()))
        expected = line["quantity"] - refunded[line["id"]] - removed
        if line["currentQuantity"] != expected:
            problems.append(f"line {line['name']}: currentQuantity is {line['currentQuantity']}, expected {expected}")
        if not is_tip_line(line) and not line.get("isGiftCard"):
            counted += 0 if line["id"] in added else line["quantity"]
            current += line["currentQuantity"]
    for name, expected in (("subtotalLineItemsQuantity", counted), ("currentSubtotalLineItemsQuantity", current)):
        if name in order and order[name] != expected:
            problems.append(f"{name} is {order[name]}, expected {expected}")
    shipped = _check_fulfillments(order, problems)
    statuses = [f["status"] for f in _nodes(order, "fulfillmentOrders")]
    if not statuses:
        expected = {"FULFILLED", "FULFILLMENT_NOT_REQUIRED"}
    elif all(s == "CANCELLED" for s in statuses):
        expected = {"UNFULFILLED"}
    elif all(s in ("CLOSED", "CANCELLED") for s in statuses):
        expected = {"FULFILLED"}
    elif "CLOSED" in statuses or shipped:
        expected = {"PARTIALLY_FULFILLED"}
    else:
        expected = {"IN_PROGRESS"} if "IN_PROGRESS" in statuses else {"UNFULFILLED"}
    if order["displayFulfillmentStatus"] not in expected:
        problems.append(f"displayFulfillmentStatus is {order['displayFulfillmentStatus']}, "
                        f"expected {' or '.join(sorted(expected))} from fulfillment orders {statuses}")


def _check_fulfillments(order, problems):
    """Each shipment ships lines of the order, never more units than were ordered; returns
    whether any unit was shipped (by a fulfillment that was not cancelled)."""
    ordered = {line["id"]: line["quantity"] for line in _nodes(order, "lineItems")}
    shipped = defaultdict(int)
    for fulfillment in order.get("fulfillments") or []:
        if fulfillment["status"] != "SUCCESS":
            continue
        for item in fulfillment["fulfillmentLineItems"]:
            shipped[item["lineItem"]["id"]] += item.get("quantity") or 0
    for line_id, units in shipped.items():
        if line_id not in ordered:
            problems.append(f"a fulfillment ships line {line_id}, which the order does not have")
        elif units > ordered[line_id]:
            problems.append(f"line {line_id}: {units} units shipped, {ordered[line_id]} ordered")
    return any(shipped.values())


def _check_money_format(order, problems):
    """Every MoneyBag carries both sides, in the order's two currencies, with their digits."""
    currencies = {"shopMoney": order["currencyCode"], "presentmentMoney": order["presentmentCurrencyCode"]}
    patterns = {side: re.compile(rf"-?\d+\.\d{{{minor_units(c)}}}" if minor_units(c) else r"-?\d+")
                for side, c in currencies.items()}
    seen = set()

    def walk(value, path):
        if isinstance(value, dict):
            if id(value) in seen:
                return
            seen.add(id(value))
            if "shopMoney" in value or "presentmentMoney" in value:
                for side in SIDES:
                    money = value.get(side)
                    if money is None or money.get("currencyCode") != currencies[side] \
                            or not patterns[side].fullmatch(str(money.get("amount"))):
                        problems.append(f"{path}.{side} is {money}, expected an amount in {currencies[side]}")
                return
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for position, item in enumerate(value):
                walk(item, f"{path}[{position}]")

    walk(order, "order")
