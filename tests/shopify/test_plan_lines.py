"""How each kind of Shopify charge becomes plan lines: discounts, several taxes, shipping, tips, duties,
fees and gift cards, always summing to Shopify's figures."""
from decimal import Decimal as D

import pytest
from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.reading.order import OrderDataError, TaxKey, parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

NY = ("NY State Tax", 0.08875)


def plan_of(payload):
    order = parse_order(payload)
    plan = build_plan(order, PlanSettings())
    assert check_plan(plan, order) == []
    return plan


def test_two_taxes_with_the_same_rate_but_different_titles_stay_two():
    b = OrderBuilder()
    b.line("Boots", "80.00", 1, taxes=[("TX State Tax", 0.0625, "5.00"), ("Austin City Tax", 0.01, "0.80"),
                                       ("Austin MTA Transit Tax", 0.01, "0.80")])
    plan = plan_of(b.build())
    assert [key.title for key, _ in plan.lines[0].taxes] == ["TX State Tax", "Austin City Tax",
                                                            "Austin MTA Transit Tax"]
    assert len(plan.expected.taxes) == 3
    assert plan.tax == D("6.60")


def test_each_and_across_allocations_become_exact_line_discounts():
    b = OrderBuilder()
    each = b.discount("5EACH", method="EACH", amount="5.00")
    across = b.discount("TENOFF", amount="10.00")
    # EACH: 5.00 off each of 3 units; ACROSS: 10.00 spread 7.06 / 2.94 over 60.00 and 25.00
    b.line("Mug", "20.00", 3, taxes=[(*NY, "3.99")], allocations=[(each, "15.00")])
    b.line("Shirt", "20.00", 3, taxes=[(*NY, "4.70")], allocations=[(across, "7.06")])
    b.line("Cap", "25.00", 1, taxes=[(*NY, "1.96")], allocations=[(across, "2.94")])
    mug, shirt, cap = plan_of(b.build()).lines
    assert (mug.discount_percent, mug.base) == (D("25"), D("45.00"))
    assert (shirt.discount_percent, shirt.base) == (D("11.77"), D("52.94"))
    assert (cap.discount_percent, cap.base) == (D("11.76"), D("22.06"))


def test_line_level_and_order_level_discounts_are_both_taken_once():
    b = OrderBuilder()
    script = b.discount("Bundle deal", kind="ScriptDiscountApplication", method="EACH", amount="2.00")
    code = b.discount("SAVE10", percentage=-10.0)
    b.line("Tea", "10.00", 4, taxes=[(*NY, "2.56")], allocations=[(script, "8.00"), (code, "3.20")])
    tea, = plan_of(b.build()).lines
    assert tea.base == D("28.80") and tea.discount_percent == D("28")


def test_discount_line_splits_tax_per_tax_line_when_no_percentage_fits():
    b = OrderBuilder()
    off = b.discount("HUNDRED", amount="100.00")
    taxes = [("NY State Tax", 0.04, "45.38"), ("New York City Tax", 0.045, "51.05"),
             ("Metropolitan Commuter Tax", 0.00375, "4.25")]
    b.line("Espresso machine", "123.45", 10, taxes=taxes, allocations=[(off, "100.00")])
    machine, discount = plan_of(b.build()).lines
    assert [a for _, a in discount.taxes] == [D("-4.00"), D("-4.50"), D("-0.38")]
    assert [a for _, a in machine.taxes] == [D("49.38"), D("55.55"), D("4.63")]
    assert machine.base + discount.base == D("1134.50")


def test_tax_exempt_line_keeps_zero_tax_on_its_discount_line():
    b = OrderBuilder()
    off = b.discount("HUNDRED", amount="100.00")
    b.line("Espresso machine", "123.45", 10, taxes=[(*NY, "0.00")], allocations=[(off, "100.00")])
    machine, discount = plan_of(b.build()).lines
    assert machine.taxes[0][1] == discount.taxes[0][1] == D("0.00")


def test_free_shipping_is_a_shipping_line_at_100_percent_off():
    b = OrderBuilder()
    free = b.discount("Free shipping", kind="AutomaticDiscountApplication", target="SHIPPING_LINE",
                      percentage=-100.0)
    b.line("Book", "30.00", 1, taxes=[(*NY, "2.66")])
    b.shipping_line("Standard", "5.00", taxes=[(*NY, "0.00")], allocations=[(free, "5.00")])
    _, shipping = plan_of(b.build()).lines
    assert (shipping.kind, shipping.price_unit, shipping.discount_percent, shipping.base) == (
        "shipping", D("5.00"), D("100"), D("0.00"))
    assert shipping.product is None


def test_shipping_discount_that_no_percentage_fits_gets_its_own_discount_line():
    b = OrderBuilder()
    off = b.discount("SHIP10", target="SHIPPING_LINE", amount="10.00")
    b.shipping_line("Freight", "234.56", taxes=[(*NY, "19.93")], allocations=[(off, "10.00")])
    freight, discount = plan_of(b.build()).lines
    assert (freight.kind, discount.kind, discount.price_unit) == ("shipping", "discount", D("-10.00"))
    assert discount.name == "Discount on Freight (SHIP10)" and discount.source_id == freight.source_id
    assert discount.tax == D("-0.89") and freight.tax == D("20.82")


def test_tip_duty_and_fee_are_lines_of_their_own():
    b = OrderBuilder()
    b.line("Jacket", "100.00", 1, taxes=[(*NY, "8.88")], duties=[("12.50", [("Import VAT", 0.2, "2.50")])])
    b.fee("Bag fee", "0.10", taxes=[(*NY, "0.01")])
    b.set_tip("5.00")
    plan = plan_of(b.build())
    kinds = [(line.kind, line.name, line.base, line.tax) for line in plan.lines]
    assert kinds == [
        ("product", "Jacket", D("100.00"), D("8.88")),
        ("duty", "Duty: Jacket (HS 6109.10)", D("12.50"), D("2.50")),
        ("fee", "Bag fee", D("0.10"), D("0.01")),
        ("tip", "Tip", D("5.00"), D("0")),
    ]
    assert all(line.product is None for line in plan.lines[1:])
    assert plan.total == D("128.99")


def test_a_tip_recorded_as_a_tip_line_item_is_one_tip_line_not_a_product():
    b = OrderBuilder()
    b.line("Coffee", "4.00", 1, taxes=[(*NY, "0.36")])
    tip = b.tip_line("1.50")
    plan = plan_of(b.build())
    assert [(line.kind, line.product, line.source_id, line.total) for line in plan.lines[1:]] == [
        ("tip", None, tip, D("1.50"))]
    assert plan.total == D("5.86")


def test_duties_included_in_prices_are_not_added_again():
    b = OrderBuilder()
    b.line("Jacket", "100.00", 1, duties=[("12.50", [])])
    b.order["dutiesIncluded"] = True
    payload = b.build()
    payload["currentTotalPriceSet"] = payload["totalPriceSet"] = b.money("100.00")
    payload["totalOutstandingSet"] = b.money("100.00")
    plan = plan_of(payload)
    assert [line.kind for line in plan.lines] == ["product"]


def test_gift_card_purchase_is_an_untaxed_gift_card_line_without_product_key():
    b = OrderBuilder()
    b.line("Gift card $50", "50.00", 2, gift_card=True)
    line, = plan_of(b.build()).lines
    assert (line.kind, line.product, line.quantity, line.base, line.taxes) == ("gift_card", None, 2, D("100.00"), ())


def test_product_key_carries_variant_sku_barcode_and_survives_a_deleted_variant():
    b = OrderBuilder()
    b.line("Kept", "1.00", 1)
    b.line("Deleted", "1.00", 1, variant=False, sku=None)
    kept, deleted = plan_of(b.build()).lines
    assert kept.product.variant_id.startswith("gid://shopify/ProductVariant/")
    assert kept.product.sku.startswith("SKU-") and kept.product.barcode == "4006381333931"
    assert (deleted.product.variant_id, deleted.product.sku, deleted.product.title) == (None, None, "Deleted")


def test_lines_with_no_units_left_are_dropped_and_an_ordered_zero_quantity_line_too():
    b = OrderBuilder()
    b.line("Kept", "10.00", 1)
    b.line("Never ordered", "0.00", 0)
    plan = plan_of(b.build())
    assert [line.name for line in plan.lines] == ["Kept"]


def test_a_line_an_edit_removed_is_not_sold_and_a_total_that_still_counts_it_is_reported():
    b = OrderBuilder()
    b.line("Ghost", "10.00", 1, current_quantity=0)  # removed by an edit: no refund explains it
    b.line("Kept", "5.00", 1)
    payload = b.build()  # the builder still counts the ghost in Shopify's current total
    order = parse_order(payload)
    plan = build_plan(order, PlanSettings())
    assert [line.name for line in plan.lines] == ["Kept"]
    found = check_plan(plan, order)
    assert "Total: plan 5.00, Shopify 15.00 (difference -10.00)." in found


def test_discounts_above_the_line_amount_are_refused():
    b = OrderBuilder()
    off = b.discount("TOO_MUCH", amount="20.00")
    b.line("Cheap", "10.00", 1, allocations=[(off, "20.00")])
    with pytest.raises(OrderDataError, match="discounts \\(20.00\\) exceed its amount \\(10.00\\)"):
        build_plan(parse_order(b.build()), PlanSettings())


def test_japanese_yen_lines_have_no_decimals():
    jp = ("JP Consumption Tax", 0.1)
    b = OrderBuilder(currency="JPY", digits=0)
    off = b.discount("SALE", amount="100")
    b.line("Matcha", "1980", 3, taxes=[(*jp, "584")], allocations=[(off, "100")])
    line, = plan_of(b.build()).lines
    assert line.base == D("5840") and line.taxes == ((TaxKey("JP Consumption Tax", D("0.1"), False), D("584")),)
