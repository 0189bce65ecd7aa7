"""Edits after the sale was invoiced: a further invoice for units added, a credit note for
units removed, each on the edit's day (its OrderEditAgreement), each keyed by the edit.

What Odoo booked of a line is the units of its invoices less those of its edit credit
notes; what the sale is now comes from ``sold_line_item``. The amounts of a difference
are the difference of the line as sold at the two unit counts, so that the documents
add up to the sale as Shopify now has it, to the cent.
"""
from ..money import ZERO
from ..planning.plan import _item_charge, local_day
from ..planning.plan_current import Current
from .sold import removed_units, sold_line_item
from .types import CREDIT_NOTE, EDIT, INVOICE, Document


def booked_units(order, held):
    """Units of each line Odoo's invoices hold, less its edit credit notes. An invoice from
    before documents were keyed booked the order net of the refunds folded into it."""
    units = {}
    for refund in order.refunds:
        if refund.id in held.folded_refunds:
            for item in refund.line_items:
                units[item.line_item_id] = units.get(item.line_item_id, 0) + item.quantity
    for document in held.documents:
        if document.kind == "refund":
            continue
        sign = 1 if document.move_type == INVOICE else -1
        for gid, quantity in document.quantities:
            units[gid] = units.get(gid, 0) + sign * quantity
    return units


def edit_documents(order, plan, held, settings):
    booked = booked_units(order, held)
    added, removed = {}, {}
    for line in order.line_items:
        now = removed_units(order, line)
        sold_now = line.quantity - now
        had = booked.get(line.id, 0)
        if sold_now == had:
            continue
        before = sold_line_item(order, line, removed=line.quantity - had) if had else _nothing(line)
        after = sold_line_item(order, line)
        edit = _edit_of(order, line)
        if sold_now > had:
            added.setdefault(edit, []).extend(_item_charge(order, line, _minus(after, before)))
        else:
            removed.setdefault(edit, []).extend(_item_charge(order, line, _minus(before, after)))
    documents = []
    for edits, move_type, verb in ((added, INVOICE, "added"), (removed, CREDIT_NOTE, "removed")):
        for (key, day), lines in edits.items():
            if held.document(key, move_type) is None:
                documents.append(Document(key=key, kind=EDIT, move_type=move_type, date=local_day(day, settings),
                                          lines=tuple(lines),
                                          label=f"Edit of {plan.shopify_name} on {local_day(day, settings)}: "
                                                f"items {verb}"))
    return documents


def _edit_of(order, line):
    """(key, moment) of the latest committed edit that touched the line. Without one (the
    edits could not be read), the order's last update stands in for it."""
    for edit in reversed(order.edits):
        if line.id in edit.line_item_ids:
            return edit.id, edit.happened_at
    return f"{order.header.id}/edit@{order.header.updated_at.isoformat()}", order.header.updated_at


def _nothing(line):
    return Current(quantity=0, price_unit=line.unit_price, discount=ZERO, net=ZERO,
                   taxes=tuple((tax.key, ZERO) for tax in line.tax_lines), refunded=False)


def _minus(a, b):
    # Tax line by tax line, in the line's order: two tax lines may share a title and rate.
    return Current(quantity=a.quantity - b.quantity, price_unit=a.price_unit, discount=a.discount - b.discount,
                   net=a.net - b.net, refunded=False,
                   taxes=tuple((key, amount - other) for (key, amount), (_key, other) in zip(a.taxes, b.taxes)))
