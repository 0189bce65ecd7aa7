"""The pieces of a refund (refundCreate, orderCancel): refunded line items and shipping, with
their amounts by the cumulative rule (shares.py), and the RefundAgreement's sales."""
from ..sales import agreement, line_sale_kind, sale
from .common import restock_location, state
from .money import SIDES, ZERO, add, neg, share
from .shares import gone_units, leaving, refunded_shipping, shipping_tax_taken


class RefundDraft:
    """Collects what one refund takes back; ``calculated`` is what it comes to (the lines' and
    shipping's subtotals, plus their tax when prices exclude tax)."""

    def __init__(self, info, order, m):
        self.info, self.order, self.m = info, order, m
        self.gid = state(info).gid
        self.included = order["taxesIncluded"]
        refunded, removed = gone_units(order)
        self.gone = {line["id"]: refunded[line["id"]] + removed[line["id"]] for line in order["lineItems"]}
        self.shipping_done = refunded_shipping(m, order)
        self.items, self.shipping_items, self.sales = [], [], []
        self.calculated = ZERO

    def bag(self, pair):
        return self.m.bag(pair)

    def line(self, line, quantity, restock_type, location_id=None):
        m, before = self.m, self.gone[line["id"]]
        self.gone[line["id"]] = before + quantity
        price, allocations, taxes = leaving(m, line, before, quantity)
        discount, tax = add(*allocations) if allocations else ZERO, add(*taxes) if taxes else ZERO
        subtotal = (price[0] - discount[0], price[1] - discount[1])
        money = subtotal if self.included else add(subtotal, tax)
        self.calculated = add(self.calculated, money)
        self.items.append({
            "id": self.gid("RefundLineItem"), "lineItem": line, "quantity": quantity,
            "restockType": restock_type, "restocked": restock_type in ("RETURN", "CANCEL"),
            "location": restock_location(self.info, self.order, line, restock_type, location_id),
            "priceSet": line["originalUnitPriceSet"], "subtotalSet": self.bag(subtotal), "totalTaxSet": self.bag(tax),
        })
        typename, line_type = line_sale_kind(line)
        self.sales.append(sale(self.gid, self.bag, typename, line_type, "RETURN", -quantity, neg(money), neg(tax),
                               neg(discount), [(t, neg(a)) for t, a in zip(line.get("taxLines") or (), taxes)],
                               lineItem=line))

    def remaining_shipping(self, line):
        net, done = self.m.get(line["discountedPriceSet"]), self.shipping_done[line["id"]]
        return (net[0] - done[0], net[1] - done[1])

    def shipping(self, line, amount):
        m, before = self.m, self.shipping_done[line["id"]]
        after = add(before, amount)
        self.shipping_done[line["id"]] = after
        taxes = [(b[0] - a[0], b[1] - a[1])
                 for a, b in zip(shipping_tax_taken(m, line, before), shipping_tax_taken(m, line, after))]
        tax = add(*taxes) if taxes else ZERO
        money = amount if self.included else add(amount, tax)
        self.calculated = add(self.calculated, money)
        self.shipping_items.append({"id": self.gid("RefundShippingLine"), "shippingLine": line,
                                    "subtotalAmountSet": self.bag(amount), "taxAmountSet": self.bag(tax)})
        # Shopify's schema: "shippingLine is not available if the SaleActionType is a return".
        self.sales.append(sale(self.gid, self.bag, "ShippingLineSale", "SHIPPING", "RETURN", -1, neg(money),
                               neg(tax), ZERO, [(t, neg(a)) for t, a in zip(line.get("taxLines") or (), taxes)],
                               shippingLine=None))

    def shipping_share(self, presentment):
        """Splits a shipping refund given in the presentment currency over the shipping lines, in
        order; the shop side of each part is the same fraction of that line's remainder (all of
        it when the part is the whole remainder). None when it is more than is left."""
        parts, left = [], presentment
        for line in self.order.get("shippingLines") or ():
            remaining = self.remaining_shipping(line)
            if left <= 0 or line.get("isRemoved") or remaining[1] <= 0:
                continue
            take = min(left, remaining[1])
            shop = remaining[0] if take == remaining[1] else share(remaining[0], take, remaining[1])
            parts.append((line, (shop, take)))
            left -= take
        return parts if left <= 0 else None

    def adjustments(self, transactions, reason="REFUND_DISCREPANCY"):
        """Money refunded beyond (negative amount) or short of (positive: a restocking fee) what
        the customer is owed once this refund's lines and shipping are back: what they come to,
        less what the customer still had to pay. The REST docs' convention: amount = calculated
        - actual. Shopify does not publish when it makes one; the simulator makes one only for
        refunds that move money: a refund without transactions leaves the customer owed
        (negative outstanding)."""
        if not transactions:
            return []
        m = self.m
        refunded = add(*(m.get(t["amountSet"]) for t in transactions))
        outstanding = m.get(self.order.get("totalOutstandingSet"))
        owed = tuple(max(0, self.calculated[s] - outstanding[s]) for s in SIDES)
        amount = tuple(owed[s] - refunded[s] for s in SIDES)
        if not any(amount):
            return []
        return [{"id": self.gid("OrderAdjustment"), "amountSet": m.bag(amount), "taxAmountSet": m.bag(ZERO),
                 "reason": reason}]

    def refund(self, when, now, note, transactions, adjustments):
        total = ZERO
        for t in transactions:
            total = add(total, self.m.get(t["amountSet"]))
        created = {
            "id": (gid := self.gid("Refund")), "legacyResourceId": gid.rsplit("/", 1)[1],
            "createdAt": when, "processedAt": when, "updatedAt": now, "note": note,
            "totalRefundedSet": self.bag(total), "refundLineItems": self.items,
            "refundShippingLines": self.shipping_items, "transactions": transactions,
            "orderAdjustments": adjustments, "duties": [], "return": None, "staffMember": None,
        }
        sales = list(self.sales)
        for adjustment in adjustments:
            sales.append(sale(self.gid, self.bag, "AdjustmentSale", "ADJUSTMENT", "UPDATE", None,
                              self.m.get(adjustment["amountSet"]), ZERO, ZERO, []))
        self.order.setdefault("refunds", []).append(created)
        self.order.setdefault("agreements", []).append(
            agreement(self.gid, "RefundAgreement", "REFUND", when, sales, refund=created))
        return created
