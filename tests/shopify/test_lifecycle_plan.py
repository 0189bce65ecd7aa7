"""The order's life as actions: what the lifecycle plan asks of Odoo, given what Odoo holds.

Each test is a story: Shopify's order at one moment, what Odoo holds, and the actions that
follow; then the same plan against what those actions made, which must be empty.
"""
from datetime import date
from decimal import Decimal as D

import pytest
from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.lifecycle.plan import item_quantities, plan_lifecycle
from synco_shopify.shopify.lifecycle.types import (
    CREDIT_NOTE, INVOICE, BookingPolicy, Held, HeldDocument, HeldSaleOrder)
from synco_shopify.shopify.reading.order import OrderDataError, parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

NY = ("NY State Tax", 0.08875)
POLICY = BookingPolicy(sale_order=True, invoice=True, paid_only=True, payments=True)
SETTINGS = PlanSettings(timezone="America/New_York")


def plan_of(payload, held=Held(), policy=POLICY):
    order = parse_order(payload)
    plan = build_plan(order, SETTINGS)
    assert check_plan(plan, order) == []
    return plan, plan_lifecycle(order, plan, held, policy, SETTINGS)


def holding(plan, life, held=Held()):
    """What Odoo holds once ``life`` was carried out on top of ``held``."""
    documents = list(held.documents) + [
        HeldDocument(key=d.key, kind=d.kind, move_type=d.move_type, state="posted",
                     quantities=tuple(item_quantities(d.lines).items()), total=d.total)
        for d in life.documents]
    so = held.sale_order
    if life.create_sale_order or life.sale_order_lines is not None:
        so = HeldSaleOrder(state="sale", quantities=tuple(item_quantities(plan.lines).items()))
    if life.cancel_sale_order:
        so = HeldSaleOrder(state="cancel", quantities=so.quantities)
    return Held(sale_order=so, documents=tuple(documents),
                payments=held.payments | {p.transaction_id for p in life.payments})


def lamp_order(paid=True):
    b = OrderBuilder()
    lamp = b.line("Lamp", "40.00", 2, taxes=[(*NY, "7.10")])
    if paid:
        b.transaction("SALE", "87.10")
    else:
        b.set(displayFinancialStatus="PENDING")
    return b, lamp


def test_a_paid_order_is_sold_invoiced_and_paid_on_its_days_and_a_second_run_does_nothing():
    b, _lamp = lamp_order()
    plan, life = plan_of(b.build())
    assert life.create_sale_order
    (sale,) = life.documents
    assert (sale.kind, sale.move_type, sale.date, sale.total) == ("sale", INVOICE, date(2026, 3, 1), D("87.10"))
    assert [p.amount for p in life.payments] == [D("87.10")]
    assert plan_lifecycle(parse_order(b.build()), plan, holding(plan, life), POLICY, SETTINGS).empty


def test_pay_later_under_paid_orders_only_invoices_on_the_payment_day():
    b, _lamp = lamp_order(paid=False)
    plan, life = plan_of(b.build())
    assert life.create_sale_order and not life.documents and not life.payments
    assert life.waiting.startswith("Waiting for payment")
    held = holding(plan, life)
    # captured four days later, at 01:00 UTC: still the 4th in New York
    b.transaction("SALE", "87.10", processed_at="2026-03-05T01:00:00Z")
    b.set(displayFinancialStatus="PAID")
    plan2, life2 = plan_of(b.build(), held)
    assert not life2.create_sale_order
    (sale,) = life2.documents
    assert (sale.kind, sale.date) == ("sale", date(2026, 3, 4))
    assert len(life2.payments) == 1


def test_invoice_only_store_with_paid_only_books_nothing_before_the_payment():
    b, _lamp = lamp_order(paid=False)
    policy = BookingPolicy(sale_order=False, invoice=True, paid_only=True, payments=True)
    _plan, life = plan_of(b.build(), policy=policy)
    assert life.empty and life.waiting


def test_a_refund_weeks_later_is_its_own_credit_note_on_its_day():
    b, lamp = lamp_order()
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    b.refund(lines=[(lamp, 1, "40.00", "3.55")], created_at="2026-04-01T03:30:00Z")  # March 31 in New York
    plan2, life2 = plan_of(b.build(), held)
    (credit,) = life2.documents
    assert (credit.kind, credit.move_type, credit.date, credit.total) == ("refund", CREDIT_NOTE, date(2026, 3, 31),
                                                                          D("43.55"))
    assert credit.restocked is False, "the refund did not restock: the credit note says so"
    assert [(p.inbound, p.amount, p.day) for p in life2.payments] == [(False, D("43.55"), date(2026, 3, 31))]
    assert plan_lifecycle(parse_order(b.build()), plan2, holding(plan2, life2, held), POLICY, SETTINGS).empty


def test_an_order_refunded_before_its_first_sync_is_booked_as_sale_and_credit_note():
    b, lamp = lamp_order()
    b.refund(lines=[(lamp, 2, "80.00", "7.10")])
    _plan, life = plan_of(b.build())
    assert [(d.kind, d.total) for d in life.documents] == [("sale", D("87.10")), ("refund", D("87.10"))]
    assert [(p.inbound, p.amount) for p in life.payments] == [(True, D("87.10")), (False, D("87.10"))]


def test_a_cancelled_order_that_never_had_money_is_refused():
    b, lamp = lamp_order(paid=False)
    b.refund(lines=[(lamp, 2, "80.00", "7.10")])
    b.order["transactions"] = []
    b.set(cancelledAt="2026-03-02T10:00:00Z")
    order = parse_order(b.build())
    plan = build_plan(order, SETTINGS)
    with pytest.raises(OrderDataError, match="Nothing to book"):
        plan_lifecycle(order, plan, Held(), POLICY, SETTINGS)


def test_cancelled_after_invoicing_is_credit_notes_and_a_flag_on_the_sale_order():
    b, lamp = lamp_order()
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    b.refund(lines=[(lamp, 2, "80.00", "7.10")])
    b.set(cancelledAt="2026-03-02T10:00:00Z")
    _plan2, life2 = plan_of(b.build(), held)
    assert [d.kind for d in life2.documents] == ["refund"]
    assert life2.flag_cancelled and not life2.cancel_sale_order


def test_cancelled_before_invoicing_cancels_the_sale_order():
    b, lamp = lamp_order(paid=False)
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    b.refund(lines=[(lamp, 2, "80.00", "7.10")])
    b.order["transactions"] = []
    b.set(cancelledAt="2026-03-02T10:00:00Z")
    _plan2, life2 = plan_of(b.build(), held)
    assert life2.cancel_sale_order and not life2.documents
    assert not life2.flag_cancelled, "cancelled before invoicing: cancelled, not flagged"


def _edited(b, lamp, removed, *, happened="2026-03-10T15:00:00Z"):
    """An edit that took ``removed`` lamps off; Shopify's current figures follow it."""
    b.lines[0]["currentQuantity"] = 2 - removed
    b.set(agreements={"nodes": [{"__typename": "OrderEditAgreement", "id": "gid://shopify/OrderEditAgreement/1",
                                 "happenedAt": happened, "reason": "EDIT",
                                 "sales": {"nodes": [{"lineItem": {"id": lamp}, "quantity": -removed,
                                                      "totalAmount": b.money("-43.55"),
                                                      "totalTaxAmount": b.money("-3.55")}]}}]},
          edited=True, currentTotalPriceSet=b.money("43.55"), currentSubtotalPriceSet=b.money("40.00"),
          currentTotalTaxSet=b.money("3.55"), currentTaxLines=b.current_tax_lines((*NY, "3.55")))


def test_an_edit_before_invoicing_changes_the_sale_order_lines():
    b, lamp = lamp_order(paid=False)
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    _edited(b, lamp, 1)
    b.set(totalOutstandingSet=b.money("43.55"))
    plan2, life2 = plan_of(b.build(), held)
    assert item_quantities(life2.sale_order_lines) == {lamp: 1}
    assert not life2.documents


def test_an_edit_after_invoicing_is_a_credit_note_on_the_edit_day():
    b, lamp = lamp_order()
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    _edited(b, lamp, 1)
    b.set(totalOutstandingSet=b.money("-43.55"))
    plan2, life2 = plan_of(b.build(), held)
    (credit,) = life2.documents
    assert (credit.kind, credit.move_type, credit.key, credit.date, credit.total) == (
        "edit", CREDIT_NOTE, "gid://shopify/OrderEditAgreement/1", date(2026, 3, 10), D("43.55"))
    assert plan_lifecycle(parse_order(b.build()), plan2, holding(plan2, life2, held), POLICY, SETTINGS).empty


def test_a_document_changed_by_hand_stops_the_update_with_the_reason():
    b, lamp = lamp_order()
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    tampered = Held(sale_order=held.sale_order, payments=held.payments,
                    documents=tuple(HeldDocument(**{**d.__dict__, "total": d.total - 1}) for d in held.documents))
    b.refund(lines=[(lamp, 1, "40.00", "3.55")])
    order = parse_order(b.build())
    plan2 = build_plan(order, SETTINGS)
    with pytest.raises(OrderDataError, match="changed or removed by hand"):
        plan_lifecycle(order, plan2, tampered, POLICY, SETTINGS)


# -- review findings: rounding of edits, taxed adjustments, legacy invoices, cash rounding ---------

STATE3, CITY3 = ("NY State Tax", 0.04), ("New York City Tax", 0.045)


def _edit_sale(b, line, quantity, amount, tax, taxes=None, happened="2026-03-10T15:00:00Z", edit=1):
    sale = {"__typename": "ProductSale", "lineItem": {"id": line}, "quantity": quantity,
            "totalAmount": b.money(amount), "totalTaxAmount": b.money(tax),
            "taxes": [{"amount": b.money(a), "taxLine": {"title": t, "rate": r}} for t, r, a in (taxes or [])]}
    agreements = b.extra.setdefault("agreements", {"nodes": []})
    agreements["nodes"].append({"__typename": "OrderEditAgreement", "id": f"gid://shopify/OrderEditAgreement/{edit}",
                                "happenedAt": happened, "reason": "EDIT", "sales": {"nodes": [sale]}})
    b.set(edited=True)


def test_units_an_edit_removed_take_what_shopify_says_the_edit_took():
    """Refund 1 of 3 mugs, then an edit removes 1: Shopify's running rounding gives the edit
    0.60 + 0.67 of tax; the proportional rule alone would say 0.60 + 0.68."""
    b = OrderBuilder()
    mug = b.line("Mug", "15.00", 3, taxes=[(*STATE3, "1.80"), (*CITY3, "2.03")], current_quantity=1)
    b.transaction("SALE", "48.83")
    b.refund(lines=[(mug, 1, "15.00", "1.28")])
    _edit_sale(b, mug, -1, "-16.27", "-1.27", taxes=[(*STATE3, "-0.60"), (*CITY3, "-0.67")])
    b.set(currentTotalPriceSet=b.money("16.28"), currentSubtotalPriceSet=b.money("15.00"),
          currentTotalTaxSet=b.money("1.28"), currentTaxLines=b.current_tax_lines((*STATE3, "0.60"), (*CITY3, "0.68")),
          totalOutstandingSet=b.money("-16.27"))
    plan, life = plan_of(b.build())
    line, = plan.lines
    assert (line.quantity, [a for _, a in line.taxes]) == (2, [D("1.20"), D("1.36")])


def test_a_refund_adjustment_with_tax_is_booked_on_the_orders_largest_tax():
    b, lamp = lamp_order()
    b.refund(lines=[])
    refund = b.order["refunds"][-1]
    refund["orderAdjustments"] = {"nodes": [{"id": "gid://shopify/OrderAdjustment/1", "reason": "REFUND_DISCREPANCY",
                                             "amountSet": b.money("-10.00"), "taxAmountSet": b.money("-0.89")}]}
    order = parse_order(b.build())
    plan = build_plan(order, SETTINGS)
    credit, = plan.refunds[0].lines
    # amountSet is before tax (REST's order_adjustments keep amount and tax_amount apart)
    assert (credit.kind, credit.base, [a for _, a in credit.taxes]) == ("adjustment", D("10.00"), [D("0.89")])


def test_an_invoice_from_before_keyed_documents_is_not_booked_again():
    """Synco < 19.0.1.1 invoiced the order net of its refunds: 1 lamp of 2, 43.55."""
    b, lamp = lamp_order()
    b.refund(lines=[(lamp, 1, "40.00", "3.55")])
    order = parse_order(b.build())
    plan = build_plan(order, SETTINGS)
    legacy = Held(sale_order=HeldSaleOrder(state="sale", quantities=((lamp, 1),)),
                  documents=(HeldDocument(key=order.header.id, kind="sale", move_type=INVOICE, state="posted",
                                          quantities=((lamp, 1),), total=D("43.55")),),
                  payments=frozenset(t.id for t in order.transactions),
                  folded_refunds=frozenset({order.refunds[0].id}))
    assert plan_lifecycle(order, plan, legacy, POLICY, SETTINGS).empty
    # a later refund is its own credit note
    b.refund(lines=[(lamp, 1, "40.00", "3.55")], created_at="2026-04-02T09:00:00Z")
    order = parse_order(b.build())
    life = plan_lifecycle(order, build_plan(order, SETTINGS), legacy, POLICY, SETTINGS)
    assert [(d.kind, d.total) for d in life.documents] == [("refund", D("43.55"))]


def test_a_credit_note_cancelled_in_odoo_is_not_made_again_without_reset():
    b, lamp = lamp_order()
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    b.refund(lines=[(lamp, 1, "40.00", "3.55")])
    order = parse_order(b.build())
    refund_id = order.refunds[0].id
    cancelled = Held(sale_order=held.sale_order, documents=held.documents, payments=held.payments,
                     cancelled=frozenset({(refund_id, CREDIT_NOTE)}))
    with pytest.raises(OrderDataError, match="cancelled in Odoo. Reset the order"):
        plan_lifecycle(order, build_plan(order, SETTINGS), cancelled, POLICY, SETTINGS)


def test_cash_rounding_of_refunds_goes_once_on_the_newest_credit_note():
    b, lamp = lamp_order()
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    b.refund(lines=[(lamp, 1, "40.00", "3.55")])
    payload = b.build()
    payload["totalCashRoundingAdjustment"]["refundSet"] = b.money("-0.02")  # 43.55 due, 43.55 + 0.02 paid out
    order = parse_order(payload)
    plan1 = build_plan(order, SETTINGS)
    life1 = plan_lifecycle(order, plan1, held, POLICY, SETTINGS)
    (credit,) = life1.documents
    assert [(line.kind, line.total) for line in credit.lines][-1] == ("cash_rounding", D("0.02"))
    held1 = Held(sale_order=held.sale_order, payments=held.payments | {p.transaction_id for p in life1.payments},
                 documents=(*held.documents, HeldDocument(key=credit.key, kind="refund", move_type=CREDIT_NOTE,
                                                          state="posted", quantities=((lamp, 1),), total=credit.total,
                                                          rounding=D("0.02"))))
    assert plan_lifecycle(order, plan1, held1, POLICY, SETTINGS).empty


def test_a_refund_without_created_at_is_dated_on_the_orders_update():
    b, lamp = lamp_order()
    b.refund(lines=[(lamp, 1, "40.00", "3.55")])
    payload = b.build()
    payload["refunds"][0]["createdAt"] = None
    payload["updatedAt"] = "2026-03-20T16:00:00Z"
    plan = build_plan(parse_order(payload), SETTINGS)
    assert plan.refunds[0].date == date(2026, 3, 20)


def test_a_shipping_line_without_id_is_booked_and_its_refund_found():
    """ShippingLine.id is nullable in Shopify's schema."""
    b, _lamp = lamp_order()
    ship = b.shipping_line("Standard", "10.00", taxes=[(*NY, "0.89")])
    b.refund(shipping=[(ship, "10.00", "0.89")])
    payload = b.build()
    payload["shippingLines"]["nodes"][0]["id"] = None
    payload["refunds"][0]["refundShippingLines"]["nodes"][0]["shippingLine"] = None
    order = parse_order(payload)
    plan = build_plan(order, SETTINGS)
    assert check_plan(plan, order) == []
    shipping = [line for line in plan.lines if line.kind == "shipping"]
    assert [line.source_id for line in shipping] == [f"{order.header.id}/ShippingLine/0"]
    assert [line.source_id for line in plan.refunds[0].lines] == [f"{order.header.id}/ShippingLine/0"]


def test_an_edit_after_invoicing_credits_two_tax_lines_of_one_title_and_rate_each():
    """Shopify can list the same tax (title and rate) twice on a line; each keeps its share."""
    b = OrderBuilder()
    lamp = b.line("Lamp", "40.00", 2, taxes=[(*NY, "3.55"), (*NY, "3.55")])
    b.transaction("SALE", "87.10")
    plan, life = plan_of(b.build())
    held = holding(plan, life)
    b.lines[0]["currentQuantity"] = 1
    b.set(agreements={"nodes": [{"__typename": "OrderEditAgreement", "id": "gid://shopify/OrderEditAgreement/7",
                                 "happenedAt": "2026-03-10T15:00:00Z", "reason": "EDIT",
                                 "sales": {"nodes": [{"lineItem": {"id": lamp}, "quantity": -1,
                                                      "totalAmount": b.money("-43.55"),
                                                      "totalTaxAmount": b.money("-3.55")}]}}]},
          edited=True, currentTotalPriceSet=b.money("43.55"), currentSubtotalPriceSet=b.money("40.00"),
          currentTotalTaxSet=b.money("3.55"), currentTaxLines=b.current_tax_lines((*NY, "3.55")),
          totalOutstandingSet=b.money("-43.55"))
    _plan2, life2 = plan_of(b.build(), held)
    (credit,) = life2.documents
    assert credit.total == D("43.55")
    # each tax line gives back its own share (1.78 + 1.77): taken by title and rate, one
    # share would be counted twice and the credit note would be a cent off
    assert credit.lines[0].tax == D("3.55")
