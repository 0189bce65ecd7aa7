"""The worked examples of the reference (§2.2-§2.4) and the peer's failure case, reproduced to the cent."""
import json
from decimal import Decimal as D
from pathlib import Path

from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.reading.order import TaxKey, parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

FIXTURES = Path(__file__).parent / "fixtures"
NY = ("NY State Tax", 0.08875)
NY_KEY = TaxKey("NY State Tax", D("0.08875"), False)


def plan_of(payload, side="shop", **settings):
    order = parse_order(payload, side=side)
    plan = build_plan(order, PlanSettings(side=side, **settings))
    assert check_plan(plan, order) == []
    return plan


def rows(plan):
    return [(line.kind, line.quantity, line.price_unit, line.discount_percent, line.base,
             tuple(amount for _, amount in line.taxes)) for line in plan.lines]


def test_example_a_tax_exclusive_reproduces_89_82_and_each_lines_tax():
    plan = plan_of(json.loads((FIXTURES / "example_a_tax_exclusive.json").read_text()))
    assert rows(plan) == [
        ("product", 3, D("20.00"), D("10"), D("54.00"), (D("4.79"),)),
        ("product", 1, D("25.00"), D("10"), D("22.50"), (D("2.00"),)),
        ("shipping", 1, D("6.00"), D("0"), D("6.00"), (D("0.53"),)),
    ]
    assert all(key == NY_KEY for line in plan.lines for key, _ in line.taxes)
    assert (plan.untaxed, plan.tax, plan.total) == (D("82.50"), D("7.32"), D("89.82"))
    assert (plan.expected.untaxed, plan.expected.tax, plan.expected.total) == (D("82.50"), D("7.32"), D("89.82"))
    assert plan.expected.taxes == ((NY_KEY, D("7.32")),)


def test_example_b_tax_inclusive_reproduces_96_70_with_gross_prices_and_included_vat():
    plan = plan_of(json.loads((FIXTURES / "example_b_tax_inclusive.json").read_text()))
    vat = TaxKey("FR TVA", D("0.2"), True)
    assert plan.taxes_included and plan.currency == "EUR"
    assert rows(plan) == [
        ("product", 3, D("24.00"), D("10"), D("54.00"), (D("10.80"),)),
        ("product", 1, D("30.00"), D("10"), D("22.50"), (D("4.50"),)),
        ("shipping", 1, D("4.90"), D("0"), D("4.08"), (D("0.82"),)),
    ]
    assert all(key == vat for line in plan.lines for key, _ in line.taxes)
    assert (plan.untaxed, plan.tax, plan.total) == (D("80.58"), D("16.12"), D("96.70"))


def test_tax_inclusive_rounding_per_line_gives_0_48_not_0_47():
    b = OrderBuilder(currency="EUR", taxes_included=True)
    for _ in range(3):
        b.line("Sticker", "0.99", 1, taxes=[("DE MwSt", 0.19, "0.16")])
    plan = plan_of(b.build())
    assert plan.tax == D("0.48") and plan.total == D("2.97") and plan.untaxed == D("2.49")
    assert [line.base for line in plan.lines] == [D("0.83")] * 3


def test_tax_exclusive_rounding_per_line_gives_0_27_not_0_28():
    b = OrderBuilder()
    for _ in range(3):
        b.line("Pencil", "1.05", 1, taxes=[(*NY, "0.09")])
    plan = plan_of(b.build())
    assert plan.tax == D("0.27") and plan.total == D("3.42")


def test_peer_failure_10_x_123_45_with_100_off_is_exact_with_a_discount_line():
    # No 2-decimal percentage gives 1134.50: 8.10 % -> 1134.51, 8.11 % -> 1134.38.
    b = OrderBuilder()
    off = b.discount("HUNDRED", amount="100.00")
    b.line("Espresso machine", "123.45", 10, taxes=[(*NY, "100.69")], allocations=[(off, "100.00")])
    plan = plan_of(b.build())
    machine, discount = plan.lines
    assert (machine.kind, machine.quantity, machine.price_unit, machine.discount_percent) == (
        "product", 10, D("123.45"), D("0"))
    assert machine.base == D("1234.50")
    assert (discount.kind, discount.quantity, discount.price_unit, discount.base) == (
        "discount", 1, D("-100.00"), D("-100.00"))
    assert discount.name == "Discount on Espresso machine (HUNDRED)"
    assert discount.source_id == machine.source_id
    # the discount line's tax is its own, rounded; the pair sums to Shopify's 100.69
    assert discount.taxes == ((NY_KEY, D("-8.88")),)
    assert machine.taxes == ((NY_KEY, D("109.57")),)
    assert (plan.untaxed, plan.tax, plan.total) == (D("1134.50"), D("100.69"), D("1235.19"))


def test_peer_failure_case_tax_inclusive_keeps_vat_exact_too():
    vat = TaxKey("GB VAT", D("0.2"), True)
    b = OrderBuilder(currency="GBP", taxes_included=True)
    off = b.discount("HUNDRED", amount="100.00")
    b.line("Espresso machine", "123.45", 10, taxes=[("GB VAT", 0.2, "189.08")], allocations=[(off, "100.00")])
    plan = plan_of(b.build())
    machine, discount = plan.lines
    assert discount.taxes == ((vat, D("-16.67")),) and discount.base == D("-83.33")
    assert machine.taxes == ((vat, D("205.75")),) and machine.base == D("1028.75")
    assert (plan.untaxed, plan.tax, plan.total) == (D("945.42"), D("189.08"), D("1134.50"))
