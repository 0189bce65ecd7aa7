"""The checker's rules for what happens after checkout (totals.py calls these): order edits,
refund adjustments, cash rounding and the sales agreements. Written from the documented rules
(README "Order mutations"), sharing no computation with the mutations.

* An OrderEditAgreement's sale of positive quantity with actionType ORDER adds its line item;
  a sale of negative quantity removes units of its line item: they take the same cumulative
  shares of the line's allocations and tax lines as refunded units, and the sale's amounts are
  those shares (negative), so the checker counts them with the refunds.
* Order adjustments are calculated − actual: they are added to currentTotal.
* Cash rounding: received + paymentSet − (refunded + refundSet) is what was settled.
* The sales of an agreement add up to the change it brought to what the customer owes: at
  checkout to totalPrice; for a refund to minus what its lines and shipping come to, plus its
  adjustments.
"""
from collections import defaultdict
from decimal import Decimal

ZERO = Decimal(0)
_NICKEL = Decimal("0.05")


def _nodes(value, name):
    return value.get(name) or []


def edit_facts(order):
    """(ids of line items added by edits, line id -> the edit sales that removed its units)."""
    added, removed = set(), defaultdict(list)
    for agreement in _nodes(order, "agreements"):
        if agreement.get("__typename") != "OrderEditAgreement":
            continue
        for sale in _nodes(agreement, "sales"):
            line = sale.get("lineItem")
            if line is None or not sale.get("quantity"):
                continue
            if sale["quantity"] > 0 and sale["actionType"] == "ORDER":
                added.add(line["id"])
            elif sale["quantity"] < 0:
                removed[line["id"]].append(sale)
    return added, dict(removed)


def add_removals(check, by_line):
    """Counts units removed by edits with the refunded ones: [quantity, subtotal, tax] per line."""
    for line_id, sales in check.removed.items():
        entry = by_line[line_id]
        for sale in sales:
            tax = -check.amount(sale["totalTaxAmount"])
            entry[0] += -sale["quantity"]
            entry[1] += -check.amount(sale["totalAmount"]) - (ZERO if check.included else tax)
            entry[2] += tax


def adjustments(check):
    return sum((check.amount(a["amountSet"]) for refund in _nodes(check.order, "refunds")
                for a in _nodes(refund, "orderAdjustments")), ZERO)


def edit_change(check, added):
    """What the edits changed in what the customer owes: added lines in, removed units out."""
    gained = check.compose(added["subtotal"], ZERO, added["tax"] + added["duty_tax"], added["duties"],
                           added["tips"], ZERO)
    lost = sum((-check.amount(sale["totalAmount"]) for sales in check.removed.values() for sale in sales), ZERO)
    return gained - lost


def cash_rounding(check):
    """(paymentSet, refundSet); checks that a rounded cash payment is in nickels, off by < 0.025."""
    rounding = check.order.get("totalCashRoundingAdjustment") or {}
    paid, back = check.amount(rounding.get("paymentSet")), check.amount(rounding.get("refundSet"))
    if paid:
        if abs(paid) >= Decimal("0.025"):
            check.problems.append(f"{check.label}: cash rounding {paid} is not below half a nickel")
        for t in _nodes(check.order, "transactions"):
            amount = check.amount(t["amountSet"])
            if t["gateway"] == "cash" and t["kind"] == "SALE" and amount % _NICKEL:
                check.problems.append(f"{check.label}: cash payment {amount} is not rounded to 0.05")
    return paid, back


def check_agreements(check, total):
    order = check.order
    for agreement in _nodes(order, "agreements"):
        sales = sum((check.amount(s["totalAmount"]) for s in _nodes(agreement, "sales")), ZERO)
        kind = agreement.get("__typename")
        if kind == "OrderAgreement":
            check.expect("OrderAgreement: Σ sales", sales, total)
        elif kind == "RefundAgreement":
            refund = agreement["refund"]
            expected = sum((-check.amount(i["subtotalSet"]) - (ZERO if check.included else check.amount(i["totalTaxSet"]))
                            for i in _nodes(refund, "refundLineItems")), ZERO)
            expected += sum((-check.amount(i["subtotalAmountSet"])
                             - (ZERO if check.included else check.amount(i["taxAmountSet"]))
                             for i in _nodes(refund, "refundShippingLines")), ZERO)
            expected += sum((check.amount(a["amountSet"]) for a in _nodes(refund, "orderAdjustments")), ZERO)
            check.expect(f"RefundAgreement of {refund['id']}: Σ sales", sales, expected)
    lines = {line["id"]: line for line in _nodes(order, "lineItems")}
    for agreement in _nodes(order, "agreements"):
        if agreement.get("__typename") != "OrderEditAgreement":
            continue
        for sale in _nodes(agreement, "sales"):
            line = lines.get((sale.get("lineItem") or {}).get("id"))
            if line is None or line["id"] not in check.added or sale["quantity"] <= 0:
                continue
            net = check.amount(line["originalUnitPriceSet"]) * line["quantity"] - sum(
                (check.amount(a["allocatedAmountSet"]) for a in line["discountAllocations"]), ZERO)
            tax = sum((check.amount(t["priceSet"]) for t in line["taxLines"]), ZERO)
            check.expect(f"edit: added {line['name']}", check.amount(sale["totalAmount"]),
                         net + (ZERO if check.included else tax))
