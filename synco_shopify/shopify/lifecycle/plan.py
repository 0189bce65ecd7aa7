"""From what Odoo holds and Shopify's order now, the actions that bring the books up to date.

The first sync books the sale as sold; each refund becomes its own credit note on the
refund's day; an edit before the sale is invoiced changes the sale order's lines, and
after it a further invoice (units added) and a credit note (units removed) on the edit's
day; every successful transaction becomes a payment on its own day; where Shopify ships, each
shipment validates the sale order's delivery on its day. Nothing held is ever planned again,
and a posted document is never changed.
"""
from ..money import ZERO
from ..reading.order_types import OrderDataError
from dataclasses import replace

from ..planning.plan import cash_rounding_line, local_day
from ..planning.plan_types import GIFT_CARD, PRODUCT, TIP
from .deliveries import plan_deliveries
from .edits import edit_documents
from .types import CREDIT_NOTE, INVOICE, REFUND, SALE, Document, LifecyclePlan

ITEM_KINDS = (PRODUCT, GIFT_CARD, TIP)


def item_quantities(lines):
    """(LineItem GID -> units) of a document's item lines."""
    out = {}
    for line in lines:
        if line.kind in ITEM_KINDS and line.source_id:
            out[line.source_id] = out.get(line.source_id, 0) + line.quantity
    return out


def plan_lifecycle(order, plan, held, policy, settings):
    """The actions for ``order`` (parsed) whose checked SyncPlan is ``plan``, given ``held``."""
    money_in = [p for p in plan.payments if p.inbound]
    if not (held.sale_order or held.documents) and not plan.payments and not plan.expected.total:
        raise OrderDataError(
            f"Nothing to book: Shopify order {plan.shopify_name} was cancelled or refunded before any "
            f"money came in (its current total is {plan.expected.total} {plan.currency}).")
    actions = {"documents": []}
    sale = held.document(plan.order_id, INVOICE)
    wants_invoice = policy.invoice and (not policy.paid_only or bool(money_in))
    invoiced = sale is not None or wants_invoice
    create_so = policy.sale_order and held.sale_order is None
    so_lines = None
    if held.sale_order and held.sale_order.state != "cancel" and sale is None:
        if dict(held.sale_order.quantities) != item_quantities(plan.lines):
            so_lines = plan.lines  # edited before it was invoiced: the sale itself changed
    if sale is None and wants_invoice:
        actions["documents"].append(Document(
            key=plan.order_id, kind=SALE, move_type=INVOICE, date=_sale_day(plan, money_in, policy, settings),
            lines=plan.lines, label=f"Sale {plan.shopify_name}"))
    elif sale is not None:
        actions["documents"] += edit_documents(order, plan, held, settings)
    if invoiced:
        for refund in plan.refunds:
            if (refund.lines and refund.refund_id not in held.folded_refunds
                    and held.document(refund.refund_id, CREDIT_NOTE) is None):
                actions["documents"].append(Document(
                    key=refund.refund_id, kind=REFUND, move_type=CREDIT_NOTE, date=refund.date, lines=refund.lines,
                    label=f"Refund of {plan.shopify_name} on {refund.date.isoformat()}",
                    note=_refund_note(refund), restocked=refund.restocked))
        _add_refund_rounding(plan, held, actions["documents"])
        for doc in actions["documents"]:
            if (doc.key, doc.move_type) in held.cancelled:
                raise OrderDataError(
                    f"Shopify order {plan.shopify_name}: {doc.label} was booked and then cancelled in Odoo. "
                    "Reset the order (Shopify Manager) to book it again, or leave it cancelled.")
    cancel_so = bool(plan.cancelled and not invoiced and policy.sale_order
                     and (held.sale_order is None or held.sale_order.state != "cancel"))
    payments = ()
    if policy.payments and invoiced:
        payments = tuple(p for p in plan.payments if p.transaction_id not in held.payments)
    waiting = None
    if policy.invoice and not invoiced:
        waiting = (f"Waiting for payment: the store invoices paid orders only, and Shopify order "
                   f"{plan.shopify_name} is not paid yet. It is invoiced when Shopify records the payment.")
    if invoiced:
        _check_ledger(plan, held, actions["documents"])
    # Shipments move the stock of the sale order's deliveries: none for an order that has no
    # sale order, or whose sale order is (or is about to be) cancelled.
    so_lives = policy.sale_order and not cancel_so and not (held.sale_order and held.sale_order.state == "cancel")
    return LifecyclePlan(
        create_sale_order=create_so, sale_order_lines=so_lines, cancel_sale_order=cancel_so,
        flag_cancelled=bool(plan.cancelled and invoiced and policy.sale_order),
        documents=tuple(actions["documents"]), payments=payments, waiting=waiting,
        deliveries=plan_deliveries(order, held, settings) if so_lives else (),
    )


def _add_refund_rounding(plan, held, documents):
    """The cash rounding of what was paid out goes, once, on the newest refund credit note
    this sync makes: what Shopify's running total adds to what Odoo's credit notes hold."""
    due = plan.refund_rounding - sum((d.rounding for d in held.documents if d.kind == REFUND), ZERO)
    if not due:
        return
    for i in range(len(documents) - 1, -1, -1):
        if documents[i].kind == REFUND:
            documents[i] = replace(documents[i], lines=(*documents[i].lines, cash_rounding_line(plan.currency, plan.taxes_included, due)))
            return
    raise OrderDataError(f"Shopify order {plan.shopify_name}: the cash rounding of its refunds changed by {due} "
                         f"{plan.currency} without a new refund to carry it.")


def _sale_day(plan, money_in, policy, settings):
    """The sale's day; under "paid orders only", the day the money came in when that is later."""
    if not policy.paid_only or not money_in:
        return plan.invoice_date
    paid = min(local_day(p.date, settings) for p in money_in)
    return max(plan.invoice_date, paid)


def _refund_note(refund):
    restock = "Shopify restocked the returned items." if refund.restocked else "Shopify did not restock."
    return " ".join(part for part in (refund.note, restock) if part)


def _check_ledger(plan, held, new_documents):
    """Σ invoices − Σ edit credit notes is the sale as Shopify has it now, and the refunds' credit
    notes are Shopify's refunds: with ``check_plan`` (sale − refunds = Shopify now, per tax),
    the books then equal Shopify's current total. Odoo's held figures are its own; a
    difference means a document was changed or removed by hand."""
    def total(documents, kind, move_type):
        return sum((d.total for d in documents if d.kind == kind and d.move_type == move_type), ZERO)

    folded = sum((r.total for r in plan.refunds if r.refund_id in held.folded_refunds), ZERO)
    sale_side = (total(held.documents, SALE, INVOICE) + folded + total(held.documents, "edit", INVOICE)
                 - total(held.documents, "edit", CREDIT_NOTE)
                 + total(new_documents, SALE, INVOICE) + total(new_documents, "edit", INVOICE)
                 - total(new_documents, "edit", CREDIT_NOTE))
    if sale_side != plan.sale_total:
        raise OrderDataError(
            f"Shopify order {plan.shopify_name}: Odoo's invoices less edit credit notes would come to "
            f"{sale_side} {plan.currency}, the order as sold is {plan.sale_total}. An Odoo document of this "
            "order was changed or removed by hand: cancel it and use Reset, or correct it.")
    booked = {d.key for d in held.documents if d.kind == REFUND}
    refunds = sum((d.total for d in held.documents if d.kind == REFUND), ZERO) + total(new_documents, REFUND, CREDIT_NOTE)
    planned = sum((r.total for r in plan.refunds if r.lines and r.refund_id not in held.folded_refunds),
                  ZERO) + plan.refund_rounding
    if refunds != planned:
        stray = booked - {r.refund_id for r in plan.refunds}
        raise OrderDataError(
            f"Shopify order {plan.shopify_name}: Odoo's refund credit notes come to {refunds} {plan.currency}, "
            f"Shopify's refunds to {planned}" + (f" (Odoo holds refunds Shopify no longer lists: "
                                                  f"{', '.join(sorted(stray))})" if stray else "") + ".")
