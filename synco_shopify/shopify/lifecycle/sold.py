"""An order's lines as sold, and what each refund takes back, in Shopify's own figures.

"As sold" is what the sale invoice books: every unit ordered, refunded ones included
(a refund is its own credit note, never subtracted from the sale), less the units an
edit removed (a change of the sale itself). A line's discount allocations and tax lines
describe the quantity ordered. What the removed units took off is what Shopify's edits
say (each OrderEditAgreement's ProductSale: amount with tax, tax per tax line). When the
edits cannot be read, removed units take the proportional share
``round_half_up(x × removed / quantity)`` of each amount instead, and when nothing of the
line is left they take exactly what the refunds did not.

A refund's line tax is one figure; its split over the line's tax lines follows the
cumulative rule of ``plan_current`` (the largest tax line takes any difference).
"""
from decimal import Decimal

from ..money import ZERO, round_money
from ..reading.order_types import OrderDataError
from ..planning.plan_current import Current, refund_tax_shares


def _where(order, line):
    return f"Shopify order {order.label}: line {line.name!r} ({line.id})"


def refunded_items(order, line):
    """(refund, RefundLineItem) of this line, oldest refund first."""
    return [(refund, item) for refund in order.refunds for item in refund.line_items
            if item.line_item_id == line.id]


def removed_units(order, line):
    """Units an edit took off the line: neither current nor refunded."""
    refunded = sum(item.quantity for _, item in refunded_items(order, line))
    removed = line.quantity - refunded - line.current_quantity
    if removed < 0:
        raise OrderDataError(f"{_where(order, line)}: currentQuantity {line.current_quantity} plus "
                             f"{refunded} refunded units exceed the {line.quantity} ordered.")
    return removed


def sold_line_item(order, line, removed=None):
    """The line as the sale books it with ``removed`` units taken off by edits (default: as now)."""
    where = _where(order, line)
    if line.unit_price * line.quantity != line.original_total:
        raise OrderDataError(f"{where}: originalTotalSet {line.original_total} is not "
                             f"{line.quantity} × {line.unit_price}.")
    if line.original_total - line.discount_total < 0:
        raise OrderDataError(f"{where}: its discounts ({line.discount_total}) exceed its amount "
                             f"({line.original_total}).")
    now = removed_units(order, line)
    removed = now if removed is None else removed
    refunds = refunded_items(order, line)
    refunded = sum(item.quantity for _, item in refunds)
    shares = refund_tax_shares(order, line)
    stated = _stated_removals(order, line, removed, now)
    if stated is not None:
        quantity = line.quantity - removed
        net = line.original_total - line.discount_total + stated[0]
        taxes = tuple((tax.key, tax.amount + stated[1][j]) for j, tax in enumerate(line.tax_lines))
    elif removed and removed == now and line.current_quantity == 0:
        # Nothing is left: the sale keeps exactly what the refunds took back.
        net = sum((item.subtotal for _, item in refunds), ZERO)
        taxes = tuple((tax.key, sum((shares[r.id][j] for r, _ in refunds), ZERO))
                      for j, tax in enumerate(line.tax_lines))
        quantity = refunded
    else:
        quantity = line.quantity - removed
        fraction = Decimal(removed) / line.quantity if line.quantity else ZERO
        discount = sum((a.amount - round_money(a.amount * fraction, order.currency)
                        for a in line.discount_allocations), ZERO)
        net = line.unit_price * quantity - discount
        taxes = tuple((tax.key, tax.amount - round_money(tax.amount * fraction, order.currency))
                      for tax in line.tax_lines)
    if quantity < refunded:
        raise OrderDataError(f"{where}: {refunded} units were refunded, but only {quantity} are sold.")
    return Current(quantity=quantity, price_unit=line.unit_price, discount=line.unit_price * quantity - net,
                   net=net, taxes=taxes, refunded=bool(refunds))


def _stated_removals(order, line, removed, now):
    """(net change in the price's basis, [change per tax line]) of the first ``removed`` units
    removed, from Shopify's edit sales; None when they do not account for every removed unit."""
    if not removed:
        return ZERO, [ZERO] * len(line.tax_lines)
    sales = [sale for edit in order.edits for sale in edit.sales
             if sale.line_item_id == line.id and sale.quantity < 0]
    if sum(-sale.quantity for sale in sales) != now or any(s.amount is None or s.tax is None for s in sales):
        return None
    net, taxes, units = ZERO, [ZERO] * len(line.tax_lines), 0
    for sale in sales:
        if units == removed:
            break
        units += -sale.quantity
        net += sale.amount if order.taxes_included else sale.amount - sale.tax
        for j, share in enumerate(_sale_tax_split(order, line, sale)):
            taxes[j] += share
    return (net, taxes) if units == removed else None


def _sale_tax_split(order, line, sale):
    """The sale's tax over the line's tax lines: as Shopify states it per tax line, else in
    proportion to the line's taxes (the largest takes any rounding difference)."""
    if sale.taxes and {key for key, _ in sale.taxes} <= {tax.key for tax in line.tax_lines}:
        stated = dict(sale.taxes)
        return [stated.get(tax.key, ZERO) for tax in line.tax_lines]
    total = sum((tax.amount for tax in line.tax_lines), ZERO)
    if not line.tax_lines or not total:
        if sale.tax:
            raise OrderDataError(f"{_where(order, line)}: an edit changes its tax by {sale.tax}, but it has no tax.")
        return [ZERO] * len(line.tax_lines)
    shares = [round_money(sale.tax * tax.amount / total, order.currency) for tax in line.tax_lines]
    largest = max(range(len(shares)), key=lambda j: abs(line.tax_lines[j].amount))
    shares[largest] += sale.tax - sum(shares, ZERO)
    return shares


def refunded_line_item(order, line, refund, item):
    """What one refund takes back of one line: its units, its subtotal and its tax split."""
    taxes = refund_tax_shares(order, line)[refund.id]
    gross = line.unit_price * item.quantity
    return Current(quantity=item.quantity, price_unit=line.unit_price, discount=gross - item.subtotal,
                   net=item.subtotal, taxes=tuple((tax.key, amount) for tax, amount in zip(line.tax_lines, taxes)),
                   refunded=True)


def refunded_shipping(order, shipping, refund, item):
    """What one refund takes back of a shipping line: an amount, with its tax split."""
    from ..planning.plan_current import shipping_refund_tax_shares

    taxes = shipping_refund_tax_shares(order, shipping)[refund.id]
    return Current(quantity=1, price_unit=item.subtotal, discount=ZERO, net=item.subtotal,
                   taxes=tuple((tax.key, amount) for tax, amount in zip(shipping.tax_lines, taxes)),
                   refunded=True)
