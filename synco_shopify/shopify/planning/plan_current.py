"""A line's amounts after refunds ("current"), split per Shopify tax line.

Shopify gives each refund line item one subtotal and one total tax. A line with several tax
lines loses, per tax line j, its cumulative share ``round_half_up(tax_j × k_cum / q)`` for
k_cum of q units refunded so far; when those shares do not sum to the refund's tax, the
largest tax line takes the difference, and later refunds continue from what was actually
taken. A refunded shipping line follows the same rule with the refunded part of its amount
in place of k / q. (The simulator's generator refunds a line at most once, where this rule
and a per-refund ``round_half_up(tax_j × k / q)`` agree.)

Refund subtotals are read in the basis of the line's price: tax-included when the order's
prices are, as Shopify states line and shipping amounts.
"""
from dataclasses import dataclass
from decimal import Decimal

from ..money import ZERO, round_money
from ..reading.order import OrderDataError


@dataclass(frozen=True)
class Current:
    """net = price_unit × quantity − discount; amounts tax-included when the order's prices are."""

    quantity: int
    price_unit: Decimal
    discount: Decimal  # what the discounts take off the current quantity
    net: Decimal
    taxes: tuple  # ((TaxKey, amount), ...) one per Shopify tax line, in Shopify's order
    refunded: bool  # some of it was refunded


def current_line_item(order, line):
    """The line as it stands: units refunded so far removed, with their share of discount and tax."""
    refunded = [item for refund in order.refunds for item in refund.line_items
                if item.line_item_id == line.id]
    units = sum(item.quantity for item in refunded)
    where = f"Shopify order {order.label}: line {line.name!r} ({line.id})"
    if line.unit_price * line.quantity != line.original_total:
        raise OrderDataError(f"{where}: originalTotalSet {line.original_total} is not "
                             f"{line.quantity} × {line.unit_price}.")
    if line.quantity - units != line.current_quantity:
        raise OrderDataError(f"{where}: currentQuantity is {line.current_quantity}, but {units} of "
                             f"{line.quantity} units were refunded.")
    net = line.original_total - line.discount_total
    if net < 0:
        raise OrderDataError(f"{where}: its discounts ({line.discount_total}) exceed its amount "
                             f"({line.original_total}).")
    steps, so_far = [], 0
    for item in refunded:
        so_far += item.quantity
        steps.append((Decimal(so_far) / line.quantity, item.total_tax))
    taxes = _taxes_after_refunds(line.tax_lines, steps, order.currency, where)
    current_net = net - sum((item.subtotal for item in refunded), ZERO)
    gross = line.unit_price * line.current_quantity
    if not 0 <= current_net <= gross:
        raise OrderDataError(f"{where}: after refunds {current_net} is left for {line.current_quantity} "
                             f"× {line.unit_price}.")
    if line.current_quantity == 0 and any(amount for _, amount in taxes):
        raise OrderDataError(f"{where}: no unit is left, yet tax {sum(a for _, a in taxes)} remains "
                             "after refunds.")
    return Current(
        quantity=line.current_quantity,
        price_unit=line.unit_price,
        discount=gross - current_net,
        net=current_net,
        taxes=taxes,
        refunded=bool(refunded),
    )


def current_shipping_line(order, shipping):
    refunded = [item for refund in order.refunds for item in refund.shipping_lines
                if item.shipping_line_id == shipping.id]
    where = f"Shopify order {order.label}: shipping line {shipping.title!r} ({shipping.id})"
    net = shipping.original_price - shipping.discount_total
    if net != shipping.discounted_price:
        raise OrderDataError(f"{where}: discountedPriceSet is {shipping.discounted_price}, but "
                             f"{shipping.original_price} less its discounts is {net}.")
    if net < 0:
        raise OrderDataError(f"{where}: its discounts exceed its price {shipping.original_price}.")
    steps, so_far = [], ZERO
    for item in refunded:
        so_far += item.subtotal
        if so_far > net or (not net and item.tax):
            raise OrderDataError(f"{where}: refunds take {so_far} of its {net}.")
        steps.append((so_far / net if net else Decimal(1), item.tax))
    taxes = _taxes_after_refunds(shipping.tax_lines, steps, order.currency, where)
    return Current(
        quantity=1,
        # A shipping refund lowers the price itself: there are no units to take back.
        price_unit=shipping.original_price - so_far,
        discount=shipping.discount_total,
        net=net - so_far,
        taxes=taxes,
        refunded=bool(refunded),
    )


def refund_tax_shares(order, line):
    """{refund id: [share of each of the line's tax lines]} under the cumulative rule."""
    refunds = [(refund.id, item) for refund in order.refunds for item in refund.line_items
               if item.line_item_id == line.id]
    where = f"Shopify order {order.label}: line {line.name!r} ({line.id})"
    steps, so_far = [], 0
    for _, item in refunds:
        so_far += item.quantity
        steps.append((Decimal(so_far) / line.quantity if line.quantity else Decimal(1), item.total_tax))
    return _by_refund(refunds, _refund_shares(line.tax_lines, steps, order.currency, where), line.tax_lines)


def shipping_refund_tax_shares(order, shipping):
    """{refund id: [share of each of the shipping line's tax lines]}."""
    refunds = [(refund.id, item) for refund in order.refunds for item in refund.shipping_lines
               if item.shipping_line_id == shipping.id]
    where = f"Shopify order {order.label}: shipping line {shipping.title!r} ({shipping.id})"
    net = shipping.original_price - shipping.discount_total
    steps, so_far = [], ZERO
    for _, item in refunds:
        so_far += item.subtotal
        steps.append((so_far / net if net else Decimal(1), item.tax))
    return _by_refund(refunds, _refund_shares(shipping.tax_lines, steps, order.currency, where),
                      shipping.tax_lines)


def _by_refund(refunds, shares, tax_lines):
    out = {}
    for (refund_id, _), step in zip(refunds, shares):
        before = out.get(refund_id, [ZERO] * len(tax_lines))
        out[refund_id] = [a + b for a, b in zip(before, step)]
    return out


def _refund_shares(tax_lines, steps, currency, where):
    """Each step's share of each tax line; ``steps`` are (fraction so far, refund tax)."""
    original = [tax.amount for tax in tax_lines]
    taken = [ZERO] * len(original)
    largest = max(range(len(original)), key=lambda j: (abs(original[j]), -j)) if original else None
    out = []
    for fraction, refund_tax in steps:
        shares = [round_money(original[j] * fraction, currency) - taken[j] for j in range(len(original))]
        difference = refund_tax - sum(shares, ZERO)
        if difference:
            if largest is None:
                raise OrderDataError(f"{where}: a refund returns tax {refund_tax}, but it has no tax line.")
            shares[largest] += difference
        taken = [t + s for t, s in zip(taken, shares)]
        out.append(shares)
    return out


def _taxes_after_refunds(tax_lines, steps, currency, where):
    """Each tax line's amount less its refunded share; ``steps`` are (fraction so far, refund tax)."""
    taken = [ZERO] * len(tax_lines)
    for shares in _refund_shares(tax_lines, steps, currency, where):
        taken = [t + s for t, s in zip(taken, shares)]
    return tuple((tax.key, tax.amount - t) for tax, t in zip(tax_lines, taken))
