"""What leaving units take from a line: the cumulative rule of README "Refunds".

When k of a line's Q units have gone (refunded, or removed by an edit), they have taken
round_half_up(x × k / Q) of each of the line's discount allocations and tax lines x. A refund or an
edit that takes the line from k to k + q units gone takes the difference, so the one that takes
the last unit takes exactly what is left, and several refunds add up to the single-refund figure.
"""
from collections import defaultdict

from .money import SIDES, share


def gone_units(order):
    """line id -> units refunded, and line id -> units removed by committed edits."""
    refunded, removed = defaultdict(int), defaultdict(int)
    for refund in order.get("refunds") or ():
        for item in refund.get("refundLineItems") or ():
            refunded[item["lineItem"]["id"]] += item["quantity"]
    for agreement in order.get("agreements") or ():
        if agreement.get("__typename") != "OrderEditAgreement":
            continue
        for sale in agreement["sales"]:
            if sale.get("lineItem") is not None and (sale.get("quantity") or 0) < 0:
                removed[sale["lineItem"]["id"]] += -sale["quantity"]
    return refunded, removed


def taken(m, line, units):
    """(allocation shares, tax shares): pairs per allocation and per tax line, for ``units`` gone."""
    whole = line["quantity"]
    allocations = [tuple(share(m.get(a["allocatedAmountSet"])[s], units, whole) for s in SIDES)
                   for a in line.get("discountAllocations") or ()]
    taxes = [tuple(share(m.get(t["priceSet"])[s], units, whole) for s in SIDES) for t in line.get("taxLines") or ()]
    return allocations, taxes


def leaving(m, line, before, units):
    """What ``units`` more units take from a line that already lost ``before``:
    (unit price × units, [allocation shares], [tax shares]), each a (shop, presentment) pair."""
    first_allocations, first_taxes = taken(m, line, before)
    last_allocations, last_taxes = taken(m, line, before + units)
    unit = m.get(line["originalUnitPriceSet"])
    return ((unit[0] * units, unit[1] * units),
            [(b[0] - a[0], b[1] - a[1]) for a, b in zip(first_allocations, last_allocations)],
            [(b[0] - a[0], b[1] - a[1]) for a, b in zip(first_taxes, last_taxes)])


def shipping_tax_taken(m, shipping, refunded):
    """Tax shares taken from a shipping line once ``refunded`` (a pair) of its net is refunded:
    proportional to the refunded part of the net, everything once all of it is refunded.
    Shopify does not publish how it splits the tax of a partial shipping refund; the simulator
    chooses this proportional rule."""
    net = m.get(shipping["discountedPriceSet"])
    found = []
    for tax_line in shipping.get("taxLines") or ():
        tax = m.get(tax_line["priceSet"])
        found.append(tuple(tax[s] if refunded[s] >= net[s] else share(tax[s], refunded[s], net[s]) if net[s] else 0
                           for s in SIDES))
    return found


def refunded_shipping(m, order):
    """shipping line id -> refunded net (pair), from the order's refunds."""
    found = defaultdict(lambda: (0, 0))
    for refund in order.get("refunds") or ():
        for item in refund.get("refundShippingLines") or ():
            key = item["shippingLine"]["id"]
            amount = m.get(item["subtotalAmountSet"])
            found[key] = (found[key][0] + amount[0], found[key][1] + amount[1])
    return found
