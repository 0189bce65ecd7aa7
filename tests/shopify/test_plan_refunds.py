"""Refunds: the sale stays as sold, each refund is its own credit note (its tax split over tax lines with
cumulative rounding), and sale − credit notes is Shopify's current order."""
from decimal import Decimal as D

import pytest
from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.reading.order import OrderDataError, parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

NY = ("NY State Tax", 0.08875)
STATE, CITY = ("NY State Tax", 0.04), ("New York City Tax", 0.045)


def plan_of(payload):
    order = parse_order(payload)
    plan = build_plan(order, PlanSettings())
    assert check_plan(plan, order) == []
    return plan


def mug_order():
    """3 × 15.00 with state tax 1.80 and city tax 2.03 (45.00 × 4.5 % = 2.025)."""
    b = OrderBuilder()
    mug = b.line("Mug", "15.00", 3, taxes=[(*STATE, "1.80"), (*CITY, "2.03")])
    return b, mug


def credits(plan):
    return [[(line.kind, line.quantity, line.base, [a for _, a in line.taxes]) for line in r.lines]
            for r in plan.refunds]


def test_partial_refunds_split_tax_with_cumulative_rounding():
    b, mug = mug_order()
    # 1 of 3: state 0.60, city round(2.03 / 3) = 0.68 -> 1.28
    b.refund(lines=[(mug, 1, "15.00", "1.28")])
    # 2 of 3 so far: state 1.20 - 0.60 = 0.60, city round(2.03 × 2 / 3) = 1.35 - 0.68 = 0.67 -> 1.27
    b.refund(lines=[(mug, 1, "15.00", "1.27")], created_at="2026-03-06T09:00:00Z")
    b.set(currentTaxLines=b.current_tax_lines((*STATE, "0.60"), (*CITY, "0.68")))
    plan = plan_of(b.build())
    line, = plan.lines
    # the sale is booked as sold: all three mugs, all their tax
    assert (line.quantity, line.price_unit, line.base) == (3, D("15.00"), D("45.00"))
    assert [amount for _, amount in line.taxes] == [D("1.80"), D("2.03")]
    assert credits(plan) == [[("product", 1, D("15.00"), [D("0.60"), D("0.68")])],
                             [("product", 1, D("15.00"), [D("0.60"), D("0.67")])]]
    assert [r.date.isoformat() for r in plan.refunds] == ["2026-03-05", "2026-03-06"]
    assert (plan.total, plan.expected.total) == (D("16.28"), D("16.28"))


def test_refund_tax_that_differs_from_the_rule_goes_to_the_largest_tax_line():
    b, mug = mug_order()
    b.refund(lines=[(mug, 1, "15.00", "1.29")])  # the rule gives 1.28: the city tax (2.03) takes the cent
    b.set(currentTaxLines=b.current_tax_lines((*STATE, "1.20"), (*CITY, "1.34")))
    plan = plan_of(b.build())
    assert credits(plan) == [[("product", 1, D("15.00"), [D("0.60"), D("0.69")])]]


def test_later_refunds_continue_from_what_was_actually_taken():
    b, mug = mug_order()
    b.refund(lines=[(mug, 1, "15.00", "1.29")])
    # cumulative targets 1.20 / 1.35 less what was taken (0.60 / 0.69): 0.60 + 0.66 = 1.26
    b.refund(lines=[(mug, 1, "15.00", "1.26")], created_at="2026-03-06T09:00:00Z")
    b.set(currentTaxLines=b.current_tax_lines((*STATE, "0.60"), (*CITY, "0.68")))
    plan = plan_of(b.build())
    assert credits(plan)[1] == [("product", 1, D("15.00"), [D("0.60"), D("0.66")])]


def test_refunding_part_of_a_discounted_line_credits_its_discounted_amount():
    b = OrderBuilder()
    code = b.discount("SAVE10", percentage=-10.0)
    shirt = b.line("T-shirt", "20.00", 3, taxes=[(*NY, "4.79")], allocations=[(code, "6.00")])
    b.refund(lines=[(shirt, 1, "18.00", "1.60")])
    plan = plan_of(b.build())
    line, = plan.lines
    assert (line.quantity, line.discount_percent, line.base, line.tax) == (3, D("10"), D("54.00"), D("4.79"))
    credit, = plan.refunds[0].lines
    assert (credit.quantity, credit.price_unit, credit.discount_percent, credit.base, credit.tax) == (
        1, D("20.00"), D("10"), D("18.00"), D("1.60"))


def test_tax_inclusive_refund_credits_the_gross_of_the_returned_unit():
    b = OrderBuilder(currency="EUR", taxes_included=True)
    code = b.discount("BIENVENUE", percentage=-10.0)
    pull = b.line("Pull", "24.00", 3, taxes=[("FR TVA", 0.2, "10.80")], allocations=[(code, "7.20")])
    b.refund(lines=[(pull, 1, "21.60", "3.60")])
    plan = plan_of(b.build())
    line, = plan.lines
    assert (line.quantity, line.price_unit, line.discount_percent, line.total) == (3, D("24.00"), D("10"), D("64.80"))
    credit, = plan.refunds[0].lines
    assert (credit.base, credit.tax, credit.total) == (D("18.00"), D("3.60"), D("21.60"))
    assert plan.total == plan.expected.total == D("43.20")


def test_fully_refunded_line_stays_on_the_sale_and_is_credited():
    b = OrderBuilder()
    gone = b.line("Returned", "10.00", 2, taxes=[(*NY, "1.78")])
    b.line("Kept", "5.00", 1, taxes=[(*NY, "0.44")])
    b.refund(lines=[(gone, 2, "20.00", "1.78")])
    plan = plan_of(b.build())
    assert [line.name for line in plan.lines] == ["Returned", "Kept"]
    assert credits(plan) == [[("product", 2, D("20.00"), [D("1.78")])]]
    assert (plan.expected.total, plan.total, plan.sale_total) == (D("5.44"), D("5.44"), D("27.22"))


def test_partial_shipping_refund_is_credited_with_its_share_of_tax():
    b = OrderBuilder()
    b.line("Book", "30.00", 1, taxes=[(*NY, "2.66")])
    ship = b.shipping_line("Standard", "10.00", taxes=[(*NY, "0.89")])
    b.refund(shipping=[(ship, "4.00", "0.36")])  # round(0.89 × 4 / 10) = 0.36
    plan = plan_of(b.build())
    _, shipping = plan.lines
    assert (shipping.price_unit, shipping.base, shipping.tax) == (D("10.00"), D("10.00"), D("0.89"))
    assert credits(plan) == [[("shipping", 1, D("4.00"), [D("0.36")])]]


def test_a_refund_of_shipping_only_is_a_credit_note_of_shipping():
    b = OrderBuilder()
    b.line("Book", "30.00", 1, taxes=[(*NY, "2.66")])
    ship = b.shipping_line("Standard", "10.00", taxes=[(*NY, "0.89")])
    b.refund(shipping=[(ship, "10.00", "0.89")])
    plan = plan_of(b.build())
    assert [line.kind for line in plan.lines] == ["product", "shipping"]
    assert credits(plan) == [[("shipping", 1, D("10.00"), [D("0.89")])]]


def test_no_units_left_but_money_left_is_reported():
    b = OrderBuilder()
    line = b.line("Lamp", "10.00", 1, taxes=[(*NY, "0.89")])
    b.refund(lines=[(line, 1, "9.00", "0.89")])
    payload = b.build()
    payload["currentTotalPriceSet"] = b.money("0.00")  # Shopify says nothing is left
    order = parse_order(payload)
    found = check_plan(build_plan(order, PlanSettings()), order)
    assert "Shopify line 'Lamp': amount plan 1.00, Shopify 1.00." not in found
    assert any(p.startswith("Total: plan 1.00, Shopify 0.00") for p in found)


def test_current_quantity_above_what_refunds_leave_is_refused():
    b = OrderBuilder()
    line = b.line("Lamp", "10.00", 3, current_quantity=3)
    b.refund(lines=[(line, 1, "10.00", "0.00")])
    with pytest.raises(OrderDataError, match="currentQuantity 3 plus 1 refunded units exceed the 3 ordered"):
        build_plan(parse_order(b.build()), PlanSettings())


def test_refund_returning_tax_on_an_untaxed_line_is_refused():
    b = OrderBuilder()
    line = b.line("Lamp", "10.00", 2)
    b.refund(lines=[(line, 1, "10.00", "0.50")])
    b.set(currentTaxLines=[])
    with pytest.raises(OrderDataError, match="returns tax 0.50, but it has no tax line"):
        build_plan(parse_order(b.build()), PlanSettings())
