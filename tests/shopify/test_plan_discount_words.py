"""A discount folded into a line's percentage keeps Shopify's amount and names, so that the
documents can say it in Shopify's words (the writer puts it under the line's description)."""
from decimal import Decimal as D

from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.reading.order import parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

NY = ("NY State Tax", 0.08875)


def plan_of(payload):
    order = parse_order(payload)
    plan = build_plan(order, PlanSettings())
    assert check_plan(plan, order) == []
    return plan


def test_a_folded_discount_keeps_shopifys_amount_and_names():
    b = OrderBuilder()
    script = b.discount("Bundle deal", kind="ScriptDiscountApplication", method="EACH", amount="2.00")
    code = b.discount("SAVE10", percentage=-10.0)
    b.line("Tea", "10.00", 4, taxes=[(*NY, "2.56")], allocations=[(script, "8.00"), (code, "3.20")])
    b.line("Cup", "5.00", 1, taxes=[(*NY, "0.44")])
    tea, cup = plan_of(b.build()).lines
    assert tea.discount_percent == D("28")
    assert (tea.folded_discount, tea.discount_label) == (D("11.20"), "Bundle deal, SAVE10")
    assert (cup.folded_discount, cup.discount_label) == (D("0"), "")


def test_a_discount_on_a_line_of_its_own_is_not_said_twice():
    b = OrderBuilder()
    off = b.discount("HUNDRED", amount="100.00")
    b.line("Espresso machine", "123.45", 10, taxes=[(*NY, "100.68")], allocations=[(off, "100.00")])
    machine, discount = plan_of(b.build()).lines
    assert discount.name == "Discount on Espresso machine (HUNDRED)"
    assert machine.folded_discount == discount.folded_discount == D("0")


def test_a_shipping_discount_folds_with_its_names():
    b = OrderBuilder()
    half = b.discount("HALFSHIP", target="SHIPPING_LINE", percentage=-50.0)
    b.line("Book", "30.00", 1, taxes=[(*NY, "2.66")])
    b.shipping_line("Standard", "10.00", taxes=[(*NY, "0.44")], allocations=[(half, "5.00")])
    _book, shipping = plan_of(b.build()).lines
    assert shipping.discount_percent == D("50")
    assert (shipping.folded_discount, shipping.discount_label) == (D("5.00"), "HALFSHIP")
