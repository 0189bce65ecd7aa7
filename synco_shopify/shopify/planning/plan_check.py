"""Does a plan reproduce Shopify's figures to the cent? Every difference in words, both figures shown.

The plan books the sale as sold and each refund as its own credit note; what Shopify
says the order is now must be the sale less the refunds. Three levels: each plan line
gives its own amount under Odoo's formula; each Shopify line's quantity (and, unless an
edit removed units, its amount) is the sale's less the refunds'; and the order's subtotal,
shipping, duties, fees, tip, tax, total and tax per title and rate equal Shopify's current
figures, the planned payments the money Shopify says moved, and what is left open
Shopify's outstanding amount.
"""
from decimal import Decimal

from ..lifecycle.sold import removed_units
from .plan_current import refund_tax_shares, shipping_refund_tax_shares
from ..money import ZERO, is_rounded
from .plan_lines import by_tax_key, odoo_amount
from .plan_types import ADJUSTMENT, CASH_ROUNDING, DISCOUNT, DUTY, FEE, GIFT_CARD, PRODUCT, SHIPPING, TIP, ExpectedTotals

_HUNDRED = Decimal(100)


def expected_totals(order):
    """Shopify's current untaxed, tax and total, and its current taxes by title and rate."""
    total, tax = order.header.current_total_price, order.totals.current_total_tax
    return ExpectedTotals(untaxed=total - tax, tax=tax, total=total,
                          taxes=by_tax_key((t.key, t.amount) for t in order.totals.current_tax_lines))


def check_plan(plan, order):
    """Every way the plan differs from Shopify's figures; empty when it reproduces them exactly."""
    signed = [(1, line) for line in plan.lines] + [(-1, line) for r in plan.refunds for line in r.lines]
    return [
        *_line_problems(plan),
        *_charge_problems(plan, order),
        *_total_problems(plan, order, signed),
        *_tax_problems(plan, order, signed),
        *_payment_problems(plan, order),
    ]


def _groups(lines):
    """(charge line, its lines): a discount line belongs to the line right before it."""
    groups = []
    for line in lines:
        if line.kind == DISCOUNT and groups:
            groups[-1][1].append(line)
        else:
            groups.append((line, [line]))
    return groups


def _amount(plan, lines):
    """Lines' amount as Shopify states it: tax-included when the order's prices are."""
    return sum((line.total if plan.taxes_included else line.base for line in lines), ZERO)


def _signed_amount(plan, signed):
    return sum((sign * _amount(plan, [line]) for sign, line in signed), ZERO)


def _line_problems(plan):
    for document in (plan.lines, *(r.lines for r in plan.refunds)):
        for line in document:
            where = f"Plan line {line.name!r}"
            if line.kind == DISCOUNT and line is document[0]:
                yield f"{where}: a discount line must follow the line it discounts."
            if line.quantity <= 0:
                yield f"{where}: quantity {line.quantity}; lines with nothing to book are left out."
            if not is_rounded(line.price_unit, plan.currency):
                yield f"{where}: unit price {line.price_unit} is finer than {plan.currency} allows."
            percent = line.discount_percent
            if not (0 <= percent <= _HUNDRED and percent == percent.quantize(Decimal("0.01"))):
                yield f"{where}: discount {percent} % is not a percentage with 2 decimals."
                continue
            needed = line.total if plan.taxes_included else line.base
            odoo = odoo_amount(line.price_unit, line.quantity, percent, plan.currency)
            if odoo != needed:
                yield (f"{where}: Odoo computes {odoo} from {line.quantity} × {line.price_unit} less "
                       f"{percent} %, the plan needs {needed}.")
            for key, amount in line.taxes:
                if not is_rounded(amount, plan.currency):
                    yield f"{where}: tax {_tax_name(key)} {amount} is finer than {plan.currency} allows."


def _shopify_charges(order):
    """(source id, label, amount, tax by key or None, quantity) of every Shopify charge now. A
    line an edit took units from has no per-line figures of Shopify's own: its amount and tax
    are checked with the order's (None)."""
    for line in order.line_items:
        if line.is_tip and not line.current_quantity and not any(
                item.line_item_id == line.id for r in order.refunds for item in r.line_items):
            continue
        refunds = [(r, item) for r in order.refunds for item in r.line_items if item.line_item_id == line.id]
        if removed_units(order, line):
            yield line.id, f"line {line.name!r}", None, None, line.current_quantity
            continue
        amount = line.original_total - line.discount_total - sum((i.subtotal for _, i in refunds), ZERO)
        shares = refund_tax_shares(order, line)
        taxes = tuple((tax.key, tax.amount - sum((shares[r.id][j] for r, _ in refunds), ZERO))
                      for j, tax in enumerate(line.tax_lines))
        yield line.id, f"line {line.name!r}", amount, taxes, line.current_quantity
    for shipping in order.shipping_lines:
        shares = shipping_refund_tax_shares(order, shipping)
        taxes = tuple((tax.key, tax.amount - sum((s[j] for s in shares.values()), ZERO))
                      for j, tax in enumerate(shipping.tax_lines))
        yield shipping.id, f"shipping {shipping.title!r}", shipping.current_discounted_price, taxes, 1
    for line in order.line_items if not order.duties_included else ():
        for duty in line.duties:
            yield duty.id, f"duty on {line.name!r}", duty.amount, _pairs(duty.tax_lines), 1
    for fee in order.additional_fees:
        yield fee.id, f"fee {fee.name!r}", fee.amount, _pairs(fee.tax_lines), 1


def _charge_problems(plan, order):
    """Per Shopify charge: the sale's less the refunds' is what Shopify says it is now."""
    planned = {}
    for sign, lines in [(1, plan.lines), *((-1, r.lines) for r in plan.refunds)]:
        for charge, group in _groups(lines):
            if charge.source_id is not None and charge.kind not in (ADJUSTMENT, CASH_ROUNDING):
                planned.setdefault(charge.source_id, []).append((sign, charge, group))
    for source_id, label, amount, taxes, quantity in _shopify_charges(order):
        found = planned.pop(source_id, None)
        if found is None:
            if quantity and label.startswith("line") or amount or any(dict(taxes or ()).values()):
                yield (f"Shopify {label} ({source_id}) is {amount} with tax "
                       f"{sum(dict(taxes or ()).values(), ZERO)}; the plan has no line for it.")
            continue
        ours_quantity = sum((sign * charge.quantity for sign, charge, _ in found if charge.kind != SHIPPING), 0)
        if label.startswith("line") and ours_quantity != quantity:
            yield f"Shopify {label}: quantity plan {ours_quantity}, Shopify {quantity}."
        if amount is None:
            continue
        ours = sum((sign * _amount(plan, group) for sign, _, group in found), ZERO)
        if ours != amount:
            yield f"Shopify {label}: amount plan {ours}, Shopify {amount}."
        plan_taxes = {}
        for sign, _, group in found:
            for line in group:
                for key, value in line.taxes:
                    plan_taxes[key] = plan_taxes.get(key, ZERO) + sign * value
        theirs = dict(by_tax_key(taxes))
        for key in dict.fromkeys([*theirs, *plan_taxes]):
            if plan_taxes.get(key, ZERO) != theirs.get(key, ZERO):
                yield (f"Shopify {label}: tax {_tax_name(key)} plan {plan_taxes.get(key, ZERO)}, "
                       f"Shopify {theirs.get(key, ZERO)}.")
    for entries in planned.values():
        charge = entries[0][1]
        yield f"Plan line {charge.name!r} ({charge.source_id}) matches no Shopify line."


def _pairs(tax_lines):
    return tuple((tax.key, tax.amount) for tax in tax_lines)


def _by_kind(signed):
    out = {}
    for sign, line in signed:
        kind = line.kind
        if kind == DISCOUNT:
            kind = SHIPPING if line.source_id and "/ShippingLine/" in line.source_id else "items"
        elif kind in (PRODUCT, GIFT_CARD):
            kind = "items"
        out.setdefault(kind, []).append((sign, line))
    return out


def _total_problems(plan, order, signed):
    totals = order.totals
    by_kind = _by_kind(signed)

    def net(kind):
        return _signed_amount(plan, by_kind.get(kind, []))

    figures = [
        ("Subtotal (items after discounts)", net("items"), totals.current_subtotal),
        ("Shipping", net(SHIPPING), totals.current_shipping),
        ("Additional fees", net(FEE), totals.current_additional_fees),
        ("Tip", net(TIP), totals.total_tip),
    ]
    if not order.duties_included:
        figures.append(("Duties", net(DUTY), totals.current_duties))
    expected = expected_totals(order)
    rounding = sum((sign * line.total for sign, line in by_kind.get(CASH_ROUNDING, [])), ZERO)
    figures += [
        ("Untaxed", plan.untaxed - rounding, expected.untaxed),
        ("Tax", plan.tax, expected.tax),
        ("Total", plan.total - rounding, expected.total),
    ]
    for what, ours, theirs in figures:
        if theirs is not None and ours != theirs:  # None: a total Shopify did not state
            yield f"{what}: plan {ours}, Shopify {theirs} (difference {ours - theirs})."


def _tax_problems(plan, order, signed):
    theirs = dict(expected_totals(order).taxes)
    # The schema describes Order.taxLines as the taxes "applied to line items"; a shop whose
    # figures leave shipping, duty and fee taxes out of it is read that way too.
    views = []
    for keep in (lambda line: True, lambda line: _is_item(line)):
        view = {}
        for sign, line in signed:
            if keep(line):
                for key, amount in line.taxes:
                    view[key] = view.get(key, ZERO) + sign * amount
        views.append(view)
    if any(_same_amounts(view, theirs) for view in views):
        return
    ours = views[0]
    for key in dict.fromkeys([*theirs, *ours]):
        if ours.get(key, ZERO) != theirs.get(key, ZERO):
            carriers = ", ".join(f"{line.name!r} {sign * amount}" for sign, line in signed
                                 for k, amount in line.taxes if k == key)
            yield (f"Tax {_tax_name(key)}: plan {ours.get(key, ZERO)}, Shopify {theirs.get(key, ZERO)} "
                   f"(plan lines: {carriers or 'none'}).")


def _is_item(line):
    if line.kind == DISCOUNT:
        return not (line.source_id and "/ShippingLine/" in line.source_id)
    return line.kind in (PRODUCT, GIFT_CARD, TIP, ADJUSTMENT)


def _same_amounts(ours, theirs):
    return all(ours.get(key, ZERO) == theirs.get(key, ZERO) for key in {*ours, *theirs})


def _payment_problems(plan, order):
    received = sum((p.amount for p in plan.payments if p.inbound), ZERO)
    paid_back = sum((p.amount for p in plan.payments if not p.inbound), ZERO)
    theirs = order.totals.total_received - order.totals.total_refunded
    if received - paid_back != theirs:
        yield (f"Payments: plan {received - paid_back} (received {received}, paid back {paid_back}), "
               f"Shopify {theirs} (received {order.totals.total_received}, "
               f"refunded {order.totals.total_refunded}).")
        return
    left = plan.total - plan.refund_rounding - (received - paid_back)
    if left != order.totals.total_outstanding:
        yield (f"Outstanding: invoices less credit notes ({plan.total}) less payments ({received - paid_back}) "
               f"leave {left} open, Shopify says {order.totals.total_outstanding}.")


def _tax_name(key):
    return f"{key.title} {(key.rate * _HUNDRED).normalize():f} %"
