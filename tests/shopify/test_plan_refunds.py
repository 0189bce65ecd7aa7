"""Refunds: current quantities, refunded tax split over tax lines with cumulative rounding, shipping refunds."""
from decimal import Decimal as D

import pytest
from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.order import OrderDataError, parse_order
from synco_shopify.shopify.plan import PlanSettings, build_plan, check_plan

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


def test_partial_refunds_split_tax_with_cumulative_rounding():
    b, mug = mug_order()
    # 1 of 3: state 0.60, city round(2.03 / 3) = 0.68 -> 1.28
    b.refund(lines=[(mug, 1, "15.00", "1.28")])
    # 2 of 3 so far: state 1.20 - 0.60 = 0.60, city round(2.03 × 2 / 3) = 1.35 - 0.68 = 0.67 -> 1.27
    b.refund(lines=[(mug, 1, "15.00", "1.27")], created_at="2026-03-06T09:00:00Z")
    b.set(currentTaxLines=b.current_tax_lines((*STATE, "0.60"), (*CITY, "0.68")))
    line, = plan_of(b.build()).lines
    assert (line.quantity, line.price_unit, line.base) == (1, D("15.00"), D("15.00"))
    assert [amount for _, amount in line.taxes] == [D("0.60"), D("0.68")]


def test_refund_tax_that_differs_from_the_rule_goes_to_the_largest_tax_line():
    b, mug = mug_order()
    b.refund(lines=[(mug, 1, "15.00", "1.29")])  # the rule gives 1.28: the city tax (2.03) takes the cent
    b.set(currentTaxLines=b.current_tax_lines((*STATE, "1.20"), (*CITY, "1.34")))
    line, = plan_of(b.build()).lines
    assert (line.quantity, [amount for _, amount in line.taxes]) == (2, [D("1.20"), D("1.34")])


def test_later_refunds_continue_from_what_was_actually_taken():
    b, mug = mug_order()
    b.refund(lines=[(mug, 1, "15.00", "1.29")])
    # cumulative targets 1.20 / 1.35 less what was taken (0.60 / 0.69): 0.60 + 0.66 = 1.26
    b.refund(lines=[(mug, 1, "15.00", "1.26")], created_at="2026-03-06T09:00:00Z")
    b.set(currentTaxLines=b.current_tax_lines((*STATE, "0.60"), (*CITY, "0.68")))
    line, = plan_of(b.build()).lines
    assert [amount for _, amount in line.taxes] == [D("0.60"), D("0.68")]


def test_refunding_part_of_a_discounted_line_keeps_its_discount_percentage():
    b = OrderBuilder()
    code = b.discount("SAVE10", percentage=-10.0)
    shirt = b.line("T-shirt", "20.00", 3, taxes=[(*NY, "4.79")], allocations=[(code, "6.00")])
    b.refund(lines=[(shirt, 1, "18.00", "1.60")])
    line, = plan_of(b.build()).lines
    assert (line.quantity, line.discount_percent, line.base, line.tax) == (2, D("10"), D("36.00"), D("3.19"))


def test_tax_inclusive_refund_leaves_the_gross_of_the_remaining_units():
    b = OrderBuilder(currency="EUR", taxes_included=True)
    code = b.discount("BIENVENUE", percentage=-10.0)
    pull = b.line("Pull", "24.00", 3, taxes=[("FR TVA", 0.2, "10.80")], allocations=[(code, "7.20")])
    b.refund(lines=[(pull, 1, "21.60", "3.60")])
    plan = plan_of(b.build())
    line, = plan.lines
    assert (line.quantity, line.price_unit, line.discount_percent) == (2, D("24.00"), D("10"))
    assert (line.base, line.tax, line.total) == (D("36.00"), D("7.20"), D("43.20"))
    assert plan.expected.total == D("43.20")


def test_fully_refunded_line_is_dropped_and_totals_are_the_current_ones():
    b = OrderBuilder()
    gone = b.line("Returned", "10.00", 2, taxes=[(*NY, "1.78")])
    b.line("Kept", "5.00", 1, taxes=[(*NY, "0.44")])
    b.refund(lines=[(gone, 2, "20.00", "1.78")])
    plan = plan_of(b.build())
    assert [line.name for line in plan.lines] == ["Kept"]
    assert (plan.expected.total, plan.total) == (D("5.44"), D("5.44"))


def test_partial_shipping_refund_lowers_the_shipping_price_and_its_tax():
    b = OrderBuilder()
    b.line("Book", "30.00", 1, taxes=[(*NY, "2.66")])
    ship = b.shipping_line("Standard", "10.00", taxes=[(*NY, "0.89")])
    b.refund(shipping=[(ship, "4.00", "0.36")])  # round(0.89 × 4 / 10) = 0.36
    _, shipping = plan_of(b.build()).lines
    assert (shipping.price_unit, shipping.base, shipping.tax) == (D("6.00"), D("6.00"), D("0.53"))


def test_fully_refunded_shipping_is_dropped():
    b = OrderBuilder()
    b.line("Book", "30.00", 1, taxes=[(*NY, "2.66")])
    ship = b.shipping_line("Standard", "10.00", taxes=[(*NY, "0.89")])
    b.refund(shipping=[(ship, "10.00", "0.89")])
    assert [line.kind for line in plan_of(b.build()).lines] == ["product"]


def test_no_units_left_but_money_left_is_refused():
    b = OrderBuilder()
    line = b.line("Lamp", "10.00", 1, taxes=[(*NY, "0.89")])
    b.refund(lines=[(line, 1, "9.00", "0.89")])
    with pytest.raises(OrderDataError, match="after refunds 1.00 is left for 0 × 10.00"):
        build_plan(parse_order(b.build()), PlanSettings())


def test_current_quantity_that_refunds_do_not_explain_is_refused():
    b = OrderBuilder()
    line = b.line("Lamp", "10.00", 3, current_quantity=3)
    b.refund(lines=[(line, 1, "10.00", "0.00")])
    with pytest.raises(OrderDataError, match="currentQuantity is 3, but 1 of 3 units were refunded"):
        build_plan(parse_order(b.build()), PlanSettings())


def test_refund_returning_tax_on_an_untaxed_line_is_refused():
    b = OrderBuilder()
    line = b.line("Lamp", "10.00", 2)
    b.refund(lines=[(line, 1, "10.00", "0.50")])
    b.set(currentTaxLines=[])
    with pytest.raises(OrderDataError, match="returns tax 0.50, but it has no tax line"):
        build_plan(parse_order(b.build()), PlanSettings())
