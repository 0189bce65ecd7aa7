"""check_plan catches every cent: tampered Shopify data or a tampered plan is reported with both figures."""
import dataclasses
import json
from decimal import Decimal as D
from pathlib import Path

from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.reading.order import parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

NY = ("NY State Tax", 0.08875)


def example_a():
    return json.loads((Path(__file__).parent / "fixtures" / "example_a_tax_exclusive.json").read_text())


def problems(payload):
    order = parse_order(payload)
    return check_plan(build_plan(order, PlanSettings()), order)


def test_a_one_cent_tampered_tax_line_is_reported_with_both_figures_and_the_lines():
    payload = example_a()
    payload["lineItems"]["nodes"][0]["taxLines"][0]["priceSet"]["shopMoney"]["amount"] = "4.80"
    found = problems(payload)
    assert "Tax: plan 7.33, Shopify 7.32 (difference 0.01)." in found
    assert "Total: plan 89.83, Shopify 89.82 (difference 0.01)." in found
    assert ("Tax NY State Tax 8.875 %: plan 7.33, Shopify 7.32 (plan lines: 'T-shirt - M' 4.80, 'Cap' 2.00, "
            "'Standard Shipping' 0.53).") in found
    assert not any(p.startswith("Untaxed") for p in found)


def test_a_subtotal_that_the_lines_do_not_make_is_reported():
    payload = example_a()
    payload["currentSubtotalPriceSet"]["shopMoney"]["amount"] = "76.51"
    assert problems(payload) == ["Subtotal (items after discounts): plan 76.50, Shopify 76.51 (difference -0.01)."]


def test_shipping_that_differs_from_shopifys_current_shipping_is_reported():
    payload = example_a()
    payload["shippingLines"]["nodes"][0]["currentDiscountedPriceSet"]["shopMoney"]["amount"] = "5.99"
    assert problems(payload) == ["Shopify shipping 'Standard Shipping': amount plan 6.00, Shopify 5.99."]


def test_a_tampered_plan_line_is_reported_against_the_shopify_line():
    order = parse_order(example_a())
    plan = build_plan(order, PlanSettings())
    shirt = plan.lines[0]
    key, amount = shirt.taxes[0]
    tampered = dataclasses.replace(plan, lines=(dataclasses.replace(shirt, taxes=((key, amount + D("0.01")),)),
                                                *plan.lines[1:]))
    found = check_plan(tampered, order)
    assert "Shopify line 'T-shirt - M': tax NY State Tax 8.875 % plan 4.80, Shopify 4.79." in found
    assert "Tax: plan 7.33, Shopify 7.32 (difference 0.01)." in found


def test_a_two_decimal_percentage_that_odoo_would_round_differently_is_reported():
    b = OrderBuilder()
    off = b.discount("HUNDRED", amount="100.00")
    b.line("Espresso machine", "123.45", 10, taxes=[(*NY, "100.69")], allocations=[(off, "100.00")])
    order = parse_order(b.build())
    plan = build_plan(order, PlanSettings())
    machine, discount = plan.lines
    # what a peer does: one line at 8.10 % that Odoo turns into 1134.51
    peer = dataclasses.replace(machine, discount_percent=D("8.10"), base=D("1134.50"), taxes=((machine.taxes[0][0],
                                                                                                D("100.69")),))
    found = check_plan(dataclasses.replace(plan, lines=(peer,)), order)
    assert ("Plan line 'Espresso machine': Odoo computes 1134.51 from 10 × 123.45 less 8.10 %, "
            "the plan needs 1134.50.") in found


def test_a_dropped_shopify_line_and_a_line_without_shopify_source_are_reported():
    order = parse_order(example_a())
    plan = build_plan(order, PlanSettings())
    stray = dataclasses.replace(plan.lines[1], source_id="gid://shopify/LineItem/1")
    found = check_plan(dataclasses.replace(plan, lines=(plan.lines[0], stray, plan.lines[2])), order)
    assert any(p.startswith("Shopify line 'Cap'") and "the plan has no line for it" in p for p in found)
    assert "Plan line 'Cap' (gid://shopify/LineItem/1) matches no Shopify line." in found


def test_a_refunded_quantity_kept_in_the_plan_is_reported():
    order = parse_order(example_a())
    plan = build_plan(order, PlanSettings())
    kept = dataclasses.replace(plan.lines[0], quantity=0)
    found = check_plan(dataclasses.replace(plan, lines=(kept, *plan.lines[1:])), order)
    assert "Plan line 'T-shirt - M': quantity 0; lines with nothing to book are left out." in found
    assert "Shopify line 'T-shirt - M': quantity plan 0, Shopify 3." in found


def test_duties_and_fees_that_shopify_totals_differently_are_reported():
    b = OrderBuilder()
    b.line("Jacket", "100.00", 1, duties=[("12.50", [])])
    b.fee("Bag fee", "0.10")
    payload = b.build()
    payload["currentTotalDutiesSet"]["shopMoney"]["amount"] = "0.00"  # e.g. duties refunded with the return
    payload["currentTotalAdditionalFeesSet"]["shopMoney"]["amount"] = "0.20"
    found = problems(payload)
    assert "Duties: plan 12.50, Shopify 0.00 (difference 12.50)." in found
    assert "Additional fees: plan 0.10, Shopify 0.20 (difference -0.10)." in found


def test_payments_that_do_not_make_the_money_shopify_received_are_reported():
    payload = example_a()
    payload["transactions"][0]["amountSet"]["shopMoney"]["amount"] = "50.00"
    assert problems(payload) == [
        "Payments: plan 50.00 (received 50.00, paid back 0), Shopify 89.82 (received 89.82, refunded 0.00)."]


def test_current_tax_lines_that_leave_shipping_tax_out_are_read_as_line_item_taxes():
    payload = example_a()
    payload["currentTaxLines"][0]["priceSet"]["shopMoney"]["amount"] = "6.79"  # 7.32 less shipping's 0.53
    assert problems(payload) == []
    payload["currentTaxLines"][0]["priceSet"]["shopMoney"]["amount"] = "6.78"
    assert problems(payload) == ["Tax NY State Tax 8.875 %: plan 7.32, Shopify 6.78 (plan lines: 'T-shirt - M' 4.79, "
                                 "'Cap' 2.00, 'Standard Shipping' 0.53)."]
