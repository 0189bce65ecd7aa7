"""The money of one order on one currency side, computed the way Shopify does (§2 of the API notes).

1. Discounts in application order (line-level first, then order-level, then shipping), each on
   what earlier ones left of a line (allocation.py).
2. Tax per line and per tax line on the discounted amount, rounded half-up:
   - taxes excluded: ``amount × rate``;
   - taxes included: ``amount × rate / (1 + Σ rates of that line)``; the amount keeps its tax,
     and each tax line is rounded on its own (so a line's taxes may differ by a cent from
     rounding their sum once, exactly as two separately rounded tax lines do at Shopify).
   Shipping lines, duties and additional fees follow the same rule.
3. Duties on the line's net price excluding tax: added to the total, or, when ``dutiesIncluded``,
   already inside the price (``net × d / (1 + d)``) and then not added again.
4. Refunds take from each refunded line its quantity's share of every allocation and every tax
   line, rounded half-up (``amount × refunded / ordered``); refunded shipping goes in full.
"""
from dataclasses import dataclass

from .allocation import discount_amounts
from .money import half_up
from .taxes import RATE_SCALE


@dataclass(slots=True)
class RefundedLine:
    line: int
    quantity: int
    subtotal: int                    # same basis as the line price (includes tax when included)
    tax: int


@dataclass(slots=True)
class Side:
    line_total: list
    line_net: list                   # after every discount; includes tax when taxes are included
    line_level: list                 # line-level discounts only (LineItem.totalDiscountSet)
    line_allocations: list           # per line: (discount index, amount)
    line_taxes: list
    duties: list
    duty_taxes: list
    ship_allocations: list
    ship_net: list
    ship_taxes: list
    fee_taxes: list
    refunds: list                    # per refund: (refunded lines, [(subtotal, tax) per shipping line], money)
    tax_lines: dict                  # (title, rate) -> amount, before refunds
    current_tax_lines: dict
    total: dict                      # order figures by name


def _taxes(base, rates, included):
    if included:
        divisor = RATE_SCALE + sum(r.parts for r in rates)
        return [half_up(base * r.parts, divisor) for r in rates]
    return [half_up(base * r.parts, RATE_SCALE) for r in rates]


def _apply_discounts(order, side):
    lines, shipping = order.lines, order.shipping
    line_left = [line.unit[side] * line.quantity for line in lines]
    ship_left = [s.price[side] for s in shipping]
    line_allocations = [[] for _ in lines]
    ship_allocations = [[] for _ in shipping]
    for index, discount in enumerate(order.discounts):
        on_lines = discount.target == "LINE_ITEM"
        left, allocations = (line_left, line_allocations) if on_lines else (ship_left, ship_allocations)
        quantities = [lines[i].quantity if on_lines else 1 for i in discount.entitled]
        amounts = discount_amounts(discount, [left[i] for i in discount.entitled], quantities, side)
        for target, amount in zip(discount.entitled, amounts):
            allocations[target].append((index, amount))
            left[target] -= amount
    return line_left, ship_left, line_allocations, ship_allocations


def price_side(order, side):
    included = order.taxes_included
    lines = order.lines
    line_net, ship_net, line_allocations, ship_allocations = _apply_discounts(order, side)
    line_taxes = [_taxes(net, line.taxes, included) for net, line in zip(line_net, lines)]
    duties, duty_taxes = [], []
    for line, net, taxes in zip(lines, line_net, line_taxes):
        if line.duty is None:
            duties.append(None)
            duty_taxes.append([])
            continue
        untaxed = net - sum(taxes) if included else net
        parts = int(line.duty.rate * RATE_SCALE)
        if order.duties_included:
            duties.append(half_up(untaxed * parts, RATE_SCALE + parts))
            duty_taxes.append([])
        else:
            duties.append(half_up(untaxed * parts, RATE_SCALE))
            duty_taxes.append(_taxes(duties[-1], line.duty.taxes, included))
    ship_taxes = [_taxes(net, s.taxes, included) for net, s in zip(ship_net, order.shipping)]
    fee_taxes = [_taxes(fee.price[side], fee.taxes, included) for fee in order.fees]

    tax_lines = {}
    for rates_amounts in (*zip((l.taxes for l in lines), line_taxes),
                          *zip((s.taxes for s in order.shipping), ship_taxes),
                          *zip((l.duty.taxes if l.duty else () for l in lines), duty_taxes),
                          *zip((f.taxes for f in order.fees), fee_taxes)):
        for rate, amount in zip(*rates_amounts):
            key = (rate.title, rate.rate)
            tax_lines[key] = tax_lines.get(key, 0) + amount

    line_level = [sum(a for i, a in allocations if order.discounts[i].line_level)
                  for allocations in line_allocations]
    cart = sum(a for allocations in line_allocations for i, a in allocations
               if not order.discounts[i].line_level)
    tax = sum(tax_lines.values())
    total = {
        "line_items": sum(net for net, line in zip(line_net, lines) if not line.tip),
        "tips": sum(line.unit[side] * line.quantity for line in lines if line.tip),
        "shipping": sum(ship_net),
        "shipping_original": sum(s.price[side] for s in order.shipping),
        "tax": tax,
        "discounts": sum(a for allocs in (*line_allocations, *ship_allocations) for _, a in allocs),
        "cart_discounts": cart,
        "duties": sum(d for d in duties if d is not None),
        "fees": sum(fee.price[side] for fee in order.fees),
    }
    total["price"] = _total(order, total["line_items"], total["shipping"], tax, total)

    side_figures = Side(
        line_total=[line.unit[side] * line.quantity for line in lines], line_net=line_net,
        line_level=line_level, line_allocations=line_allocations, line_taxes=line_taxes, duties=duties,
        duty_taxes=duty_taxes, ship_allocations=ship_allocations, ship_net=ship_net, ship_taxes=ship_taxes,
        fee_taxes=fee_taxes, refunds=[], tax_lines=tax_lines, current_tax_lines=dict(tax_lines), total=total)
    _refund(order, side, side_figures)
    return side_figures


def _total(order, line_items, shipping, tax, total):
    """§2.1: taxes are added only when prices exclude them; duties only when not in the prices."""
    return (line_items + shipping + (0 if order.taxes_included else tax)
            + (0 if order.duties_included else total["duties"]) + total["tips"] + total["fees"])


def _refund(order, side, figures):
    included = order.taxes_included
    current_tax_lines = figures.current_tax_lines
    refunded = {"line_items": 0, "shipping": 0, "tax": 0, "discounts": 0, "cart_discounts": 0}
    for refund in order.refunds:
        lines, shipping, money = [], [], 0
        for index, quantity in refund.lines:
            line, ordered = order.lines[index], order.lines[index].quantity
            shares = [(i, half_up(a * quantity, ordered)) for i, a in figures.line_allocations[index]]
            tax_shares = [half_up(t * quantity, ordered) for t in figures.line_taxes[index]]
            subtotal = line.unit[side] * quantity - sum(a for _, a in shares)
            lines.append(RefundedLine(index, quantity, subtotal, sum(tax_shares)))
            money += subtotal + (0 if included else sum(tax_shares))
            refunded["line_items"] += subtotal
            refunded["tax"] += sum(tax_shares)
            refunded["discounts"] += sum(a for _, a in shares)
            refunded["cart_discounts"] += sum(a for i, a in shares if not order.discounts[i].line_level)
            for rate, share in zip(line.taxes, tax_shares):
                current_tax_lines[(rate.title, rate.rate)] -= share
        for index in refund.shipping:
            subtotal, taxes = figures.ship_net[index], figures.ship_taxes[index]
            shipping.append((subtotal, sum(taxes)))
            money += subtotal + (0 if included else sum(taxes))
            refunded["shipping"] += subtotal
            refunded["tax"] += sum(taxes)
            for rate, amount in zip(order.shipping[index].taxes, taxes):
                current_tax_lines[(rate.title, rate.rate)] -= amount
        figures.refunds.append((lines, shipping, money))
    total = figures.total
    total["refunded_shipping"] = refunded["shipping"]
    for name in ("line_items", "shipping", "tax", "discounts", "cart_discounts"):
        total["current_" + name] = total[name] - refunded[name]
    total["current_price"] = _total(order, total["current_line_items"], total["current_shipping"],
                                    total["current_tax"], total)
