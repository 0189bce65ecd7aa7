"""Shopify's money rules reproduced exactly: the worked examples of docs/shopify-admin-api.md §2.2-2.4
built from scenario files through the generator's code path, and the checker catching tampering."""
import copy
import json
from decimal import Decimal

import pytest

from shopify_simulator.generator.allocation import across
from shopify_simulator.scenario import load_scenario
from shopify_simulator.totals import check_order

NY = [{"title": "NY Sales Tax", "rate": "0.08875"}]
VAT = [{"title": "FR TVA", "rate": "0.2"}]
TEN_PERCENT_CODE = {"type": "DiscountCodeApplication", "code": "SAVE10", "percentage": "10",
                    "allocationMethod": "ACROSS", "targetSelection": "ENTITLED", "targetType": "LINE_ITEM",
                    "targets": [0, 1]}
EXAMPLE_A = {"shop": {"currencyCode": "USD", "taxesIncluded": False}, "orders": [{"_spec": {
    "lines": [{"title": "T-shirt", "price": "20.00", "quantity": 3, "taxes": NY},
              {"title": "Cap", "price": "25.00", "quantity": 1, "taxes": NY}],
    "discounts": [TEN_PERCENT_CODE],
    "shippingLines": [{"title": "Standard", "price": "6.00", "taxes": NY}]}}]}
EXAMPLE_B = {"shop": {"currencyCode": "EUR", "taxesIncluded": True}, "orders": [{"_spec": {
    "lines": [{"title": "Item 1", "price": "24.00", "quantity": 3, "taxes": VAT},
              {"title": "Item 2", "price": "30.00", "quantity": 1, "taxes": VAT}],
    "discounts": [TEN_PERCENT_CODE],
    "shippingLines": [{"title": "Colissimo", "price": "4.90", "taxes": VAT}]}}]}


def _load(tmp_path, content):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(content))
    return load_scenario(path)


def _shop(bag):
    return bag["shopMoney"]["amount"]


def test_worked_example_a_tax_exclusive_is_reproduced_to_the_cent(tmp_path):
    order = _load(tmp_path, EXAMPLE_A).orders[0]
    assert [[_shop(a["allocatedAmountSet"]) for a in line["discountAllocations"]] for line in order["lineItems"]] \
        == [["6.00"], ["2.50"]]
    assert [[_shop(t["priceSet"]) for t in line["taxLines"]] for line in order["lineItems"]] == [["4.79"], ["2.00"]]
    assert [_shop(t["priceSet"]) for t in order["shippingLines"][0]["taxLines"]] == ["0.53"]
    assert {k: _shop(order[k]) for k in ("subtotalPriceSet", "totalDiscountsSet", "currentShippingPriceSet",
                                          "totalTaxSet", "totalPriceSet")} == {
        "subtotalPriceSet": "76.50", "totalDiscountsSet": "8.50", "currentShippingPriceSet": "6.00",
        "totalTaxSet": "7.32", "totalPriceSet": "89.82"}
    assert [(t["title"], t["rate"], _shop(t["priceSet"])) for t in order["taxLines"]] == [
        ("NY Sales Tax", 0.08875, "7.32")]
    assert order["displayFinancialStatus"] == "PAID" and _shop(order["totalOutstandingSet"]) == "0.00"
    assert check_order(order) == []


def test_worked_example_b_tax_inclusive_is_reproduced_to_the_cent(tmp_path):
    order = _load(tmp_path, EXAMPLE_B).orders[0]
    assert [[_shop(a["allocatedAmountSet"]) for a in line["discountAllocations"]] for line in order["lineItems"]] \
        == [["7.20"], ["3.00"]]
    assert [[_shop(t["priceSet"]) for t in line["taxLines"]] for line in order["lineItems"]] == [["10.80"], ["4.50"]]
    assert [_shop(t["priceSet"]) for t in order["shippingLines"][0]["taxLines"]] == ["0.82"]
    assert (_shop(order["subtotalPriceSet"]), _shop(order["totalTaxSet"]), _shop(order["totalPriceSet"])) == \
        ("91.80", "16.12", "96.70")
    net_revenue = Decimal(_shop(order["totalPriceSet"])) - Decimal(_shop(order["totalTaxSet"]))
    assert net_revenue == Decimal("80.58")
    assert check_order(order) == []


@pytest.mark.parametrize("included, price, rate, tax", [
    (True, "0.99", "0.19", "0.48"),    # 0.158 -> 0.16 per line, not 0.47 on the 2.97 total
    (False, "1.05", "0.08875", "0.27"),  # 0.093 -> 0.09 per line, not 0.28 on the 3.15 total
])
def test_tax_is_rounded_per_line_not_on_the_total(tmp_path, included, price, rate, tax):
    taxes = [{"title": "Tax", "rate": rate}]
    order = _load(tmp_path, {"shop": {"currencyCode": "EUR", "taxesIncluded": included}, "orders": [{"_spec": {
        "lines": [{"title": f"Pen {n}", "price": price, "quantity": 1, "taxes": taxes} for n in range(3)]}}]}).orders[0]
    assert _shop(order["totalTaxSet"]) == tax
    assert check_order(order) == []


def test_several_tax_lines_on_one_included_price_are_each_rounded_on_the_gross(tmp_path):
    # 11.50 gross at 5 % + 9.975 % (Quebec): 11.50 × r / 1.14975 -> 0.5001 and 0.9977
    taxes = [{"title": "GST", "rate": "0.05"}, {"title": "QST", "rate": "0.09975"}]
    order = _load(tmp_path, {"shop": {"currencyCode": "CAD", "taxesIncluded": True}, "orders": [{"_spec": {
        "lines": [{"title": "Poutine kit", "price": "11.50", "quantity": 1, "taxes": taxes}]}}]}).orders[0]
    assert [_shop(t["priceSet"]) for t in order["lineItems"][0]["taxLines"]] == ["0.50", "1.00"]
    assert check_order(order) == []


def test_an_across_discount_truncates_each_share_and_hands_leftover_cents_round_robin():
    assert across(100, [333, 333, 334]) == [34, 33, 33]
    assert across(5, [1] * 7) == [1, 1, 1, 1, 1, 0, 0]
    assert across(7, [1, 10, 10]) == [1, 3, 3]     # 0.33 -> 0, 3.33 -> 3, 3.33 -> 3, one cent left over
    assert across(500, [100, 200]) == [100, 200]  # never more than a line holds


def test_a_presentment_order_is_computed_on_each_side_from_converted_unit_prices(tmp_path):
    spec = copy.deepcopy(EXAMPLE_A)
    spec["orders"][0]["_spec"].update({"currency": "EUR", "rate": "0.9213"})
    order = _load(tmp_path, spec).orders[0]

    def presentment(bag):
        return bag["presentmentMoney"]["amount"]
    # Units 18.43 and 23.03, shipping 5.53; 10 % of 78.32 = 7.83, spread 5.52 + 2.30 and the
    # leftover cent to the first line; taxes 4.42 + 1.84 + 0.49; 70.49 + 5.53 + 6.75 = 82.77,
    # not 89.82 converted (82.75).
    assert [presentment(line["originalUnitPriceSet"]) for line in order["lineItems"]] == ["18.43", "23.03"]
    assert [[presentment(a["allocatedAmountSet"]) for a in line["discountAllocations"]]
            for line in order["lineItems"]] == [["5.53"], ["2.30"]]
    assert order["totalPriceSet"] == {"shopMoney": {"amount": "89.82", "currencyCode": "USD"},
                                      "presentmentMoney": {"amount": "82.77", "currencyCode": "EUR"}}
    assert check_order(order) == []


def _tamper(order, path, delta, side="shopMoney"):
    target = order
    for key in path:
        target = target[key]
    money = target[side]
    money["amount"] = str(Decimal(money["amount"]) + Decimal(delta))


def test_one_cent_off_a_tax_line_is_reported(tmp_path):
    order = _load(tmp_path, EXAMPLE_A).orders[0]
    _tamper(order, ["lineItems", 0, "taxLines", 0, "priceSet"], "0.01")
    problems = check_order(order)
    assert "shop: line T-shirt: tax NY Sales Tax 0.08875 is 4.80, expected 4.79" in problems
    assert "shop: totalTaxSet is 7.32, expected 7.33" in problems


def test_one_cent_off_on_the_presentment_side_only_is_reported_for_that_side(tmp_path):
    spec = copy.deepcopy(EXAMPLE_B)
    spec["orders"][0]["_spec"].update({"currency": "GBP", "rate": "0.8571"})
    order = _load(tmp_path, spec).orders[0]
    _tamper(order, ["subtotalPriceSet"], "-0.01", side="presentmentMoney")
    problems = check_order(order)
    assert problems and all(p.startswith("presentment: subtotalPriceSet") for p in problems)


def test_an_override_beside_a_spec_replaces_the_built_field_and_the_checker_sees_it(tmp_path):
    spec = copy.deepcopy(EXAMPLE_A)
    spec["orders"][0].update({"name": "#9001", "displayFinancialStatus": "PENDING"})
    order = _load(tmp_path, spec).orders[0]
    assert order["name"] == "#9001"
    assert check_order(order) == ["displayFinancialStatus is PENDING, expected PAID"]


def test_an_amount_with_the_wrong_digits_for_its_currency_is_reported(tmp_path):
    order = _load(tmp_path, EXAMPLE_A).orders[0]
    order["totalTipReceivedSet"]["presentmentMoney"]["amount"] = "0.0"
    assert check_order(order) == [
        "order.totalTipReceivedSet.presentmentMoney is {'amount': '0.0', 'currencyCode': 'USD'}, "
        "expected an amount in USD"]


def test_a_partial_refund_reduces_the_current_figures_by_the_refunded_share(tmp_path):
    spec = copy.deepcopy(EXAMPLE_A)
    spec["orders"][0]["_spec"]["refunds"] = [{"at": "2026-01-20T10:00:00Z", "lines": [[0, 1]]}]
    order = _load(tmp_path, spec).orders[0]
    # One T-shirt of three: 20.00 - 2.00 of the discount; tax 4.79 / 3 -> 1.60.
    refund_line = order["refunds"][0]["refundLineItems"][0]
    assert (_shop(refund_line["subtotalSet"]), _shop(refund_line["totalTaxSet"])) == ("18.00", "1.60")
    assert order["lineItems"][0]["currentQuantity"] == 2
    assert (_shop(order["currentSubtotalPriceSet"]), _shop(order["currentTotalTaxSet"]),
            _shop(order["currentTotalPriceSet"]), _shop(order["totalRefundedSet"])) == \
        ("58.50", "5.72", "70.22", "19.60")
    assert order["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    assert check_order(order) == []
