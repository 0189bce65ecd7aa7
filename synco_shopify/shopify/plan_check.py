"""Does a plan reproduce Shopify's figures to the cent? Every difference in words, both figures shown.

Three levels: each plan line must give its own amount under Odoo's formula; each Shopify
line (item, shipping, duty, fee, tip) must be matched by its plan lines; and the order's
subtotal, shipping, duties, fees, tip, tax, total and tax per title and rate must equal
Shopify's current (after refunds) figures, and the planned payments the money Shopify says
moved (received less refunded).
"""
from decimal import Decimal

from .money import ZERO, is_rounded
from .plan_current import current_line_item, current_shipping_line
from .plan_lines import by_tax_key, odoo_amount
from .plan_types import DISCOUNT, DUTY, FEE, GIFT_CARD, PRODUCT, SHIPPING, TIP, ExpectedTotals

_HUNDRED = Decimal(100)


def expected_totals(order):
    """Shopify's current untaxed, tax and total, and its current taxes by title and rate."""
    total, tax = order.header.current_total_price, order.totals.current_total_tax
    return ExpectedTotals(untaxed=total - tax, tax=tax, total=total,
                          taxes=by_tax_key((t.key, t.amount) for t in order.totals.current_tax_lines))


def check_plan(plan, order):
    """Every way the plan differs from Shopify's figures; empty when it reproduces them exactly."""
    groups = _groups(plan.lines)
    return [
        *_line_problems(plan),
        *_charge_problems(plan, order, groups),
        *_total_problems(plan, order, groups),
        *_tax_problems(plan, order, groups),
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


def _line_problems(plan):
    for line in plan.lines:
        where = f"Plan line {line.name!r}"
        if line.kind == DISCOUNT and line is plan.lines[0]:
            yield f"{where}: a discount line must follow the line it discounts."
        if line.quantity <= 0:
            yield f"{where}: quantity {line.quantity}; refunded lines are left out, not kept at 0."
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
    """(source id, label, amount, tax by key, quantity) of every Shopify charge after refunds."""
    refunded_items = [item for refund in order.refunds for item in refund.line_items]
    for line in order.line_items:
        items = [i for i in refunded_items if i.line_item_id == line.id]
        amount = line.original_total - line.discount_total - sum((i.subtotal for i in items), ZERO)
        taxes = current_line_item(order, line).taxes
        yield line.id, f"line {line.name!r}", amount, taxes, line.current_quantity
    for shipping in order.shipping_lines:
        yield (shipping.id, f"shipping {shipping.title!r}", shipping.current_discounted_price,
               current_shipping_line(order, shipping).taxes, 1)
    for line in order.line_items if not order.duties_included else ():
        for duty in line.duties:
            yield duty.id, f"duty on {line.name!r}", duty.amount, _pairs(duty.tax_lines), 1
    for fee in order.additional_fees:
        yield fee.id, f"fee {fee.name!r}", fee.amount, _pairs(fee.tax_lines), 1


def _charge_problems(plan, order, groups):
    planned = {charge.source_id: (charge, lines) for charge, lines in groups if charge.source_id is not None}
    for source_id, label, amount, taxes, quantity in _shopify_charges(order):
        found = planned.pop(source_id, None)
        taxes = dict(by_tax_key(taxes))
        if found is None:
            if amount or any(taxes.values()):
                yield (f"Shopify {label} ({source_id}) is {amount} with tax {sum(taxes.values(), ZERO)}; "
                       "the plan has no line for it.")
            continue
        charge, lines = found
        plan_amount = _amount(plan, lines)
        if plan_amount != amount:
            yield f"Shopify {label}: amount plan {plan_amount}, Shopify {amount}."
        if charge.quantity != quantity:
            yield f"Shopify {label}: quantity plan {charge.quantity}, Shopify {quantity}."
        plan_taxes = dict(by_tax_key(pair for line in lines for pair in line.taxes))
        for key in dict.fromkeys([*taxes, *plan_taxes]):
            ours, theirs = plan_taxes.get(key, ZERO), taxes.get(key, ZERO)
            if ours != theirs:
                yield f"Shopify {label}: tax {_tax_name(key)} plan {ours}, Shopify {theirs}."
    for charge, _ in planned.values():
        yield f"Plan line {charge.name!r} ({charge.source_id}) matches no Shopify line."


def _total_problems(plan, order, groups):
    totals = order.totals
    by_kind = {}
    for charge, lines in groups:
        by_kind.setdefault("items" if charge.kind in (PRODUCT, GIFT_CARD) else charge.kind, []).extend(lines)
    figures = [
        ("Subtotal (items after discounts)", _amount(plan, by_kind.get("items", [])), totals.current_subtotal),
        ("Shipping", _amount(plan, by_kind.get(SHIPPING, [])), totals.current_shipping),
        ("Additional fees", _amount(plan, by_kind.get(FEE, [])), totals.current_additional_fees),
        ("Tip", _amount(plan, by_kind.get(TIP, [])), totals.total_tip),
    ]
    if not order.duties_included:
        figures.append(("Duties", _amount(plan, by_kind.get(DUTY, [])), totals.current_duties))
    expected = expected_totals(order)
    figures += [
        ("Untaxed", plan.untaxed, expected.untaxed),
        ("Tax", plan.tax, expected.tax),
        ("Total", plan.total, expected.total),
    ]
    for what, ours, theirs in figures:
        if ours != theirs:
            yield f"{what}: plan {ours}, Shopify {theirs} (difference {ours - theirs})."


def _tax_problems(plan, order, groups):
    theirs = dict(expected_totals(order).taxes)
    # The schema describes Order.taxLines as the taxes "applied to line items"; a shop whose
    # figures leave shipping, duty and fee taxes out of it is read that way too.
    items = [line for charge, lines in groups if charge.kind in (PRODUCT, GIFT_CARD, TIP) for line in lines]
    views = [dict(by_tax_key(pair for line in lines for pair in line.taxes)) for lines in (plan.lines, items)]
    if any(_same_amounts(view, theirs) for view in views):
        return
    ours = views[0]
    for key in dict.fromkeys([*theirs, *ours]):
        if ours.get(key, ZERO) != theirs.get(key, ZERO):
            carriers = ", ".join(f"{line.name!r} {amount}" for line in plan.lines
                                 for k, amount in line.taxes if k == key)
            yield (f"Tax {_tax_name(key)}: plan {ours.get(key, ZERO)}, Shopify {theirs.get(key, ZERO)} "
                   f"(plan lines: {carriers or 'none'}).")


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


def _pairs(tax_lines):
    return tuple((tax.key, tax.amount) for tax in tax_lines)


def _tax_name(key):
    return f"{key.title} {(key.rate * _HUNDRED).normalize():f} %"
