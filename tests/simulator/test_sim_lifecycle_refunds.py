"""refundCreate over HTTP with the real document: cumulative shares on both currency sides, a
tax-included shop, shipping, amount-only refunds and their adjustments, idempotency, userErrors."""
import uuid

import pytest

from sim_http import data, gql
from sim_lifecycle import (REFUND, REFUND_2025, VAT, amount, example_order, generated, pair, shop_from_spec,
                           stored)


def _refund(sim, **fields):
    return data(sim, REFUND, {"input": fields, "key": uuid.uuid4().hex})["refundCreate"]


def _line_input(order, index, quantity, restock="NO_RESTOCK"):
    return {"lineItemId": order["lineItems"][index]["id"], "quantity": quantity, "restockType": restock}


@pytest.fixture
def shops(tmp_path, make_simulator):
    """#1001 in EUR for a USD shop; #1002 and #1003 the generator's own refunds of 1 and 3 T-shirts."""
    specs = [example_order(number=1001, currency="EUR", rate="0.92"),
             example_order(number=1002, currency="EUR", rate="0.92",
                           refunds=[{"at": "2026-05-02T00:00:00Z", "lines": [[0, 1]]}]),
             example_order(number=1003, currency="EUR", rate="0.92",
                           refunds=[{"at": "2026-05-02T00:00:00Z", "lines": [[0, 3]]}])]
    return make_simulator(scenario=shop_from_spec(tmp_path, specs))


def test_two_refunds_of_a_line_take_cumulative_shares_on_both_sides(shops):
    order, one, three = shops.data.orders
    first = _refund(shops, orderId=order["id"], currency="EUR", refundLineItems=[_line_input(order, 0, 1)])
    assert first["userErrors"] == []
    taken = first["refund"]["refundLineItems"]["nodes"][0]
    expected = one["refunds"][0]["refundLineItems"][0]
    assert pair(taken["subtotalSet"]) == pair(expected["subtotalSet"])
    assert pair(taken["totalTaxSet"]) == pair(expected["totalTaxSet"])
    stored(shops, order["id"])
    second = _refund(shops, orderId=order["id"], currency="EUR", refundLineItems=[_line_input(order, 0, 2, "RETURN")])
    taken_too = second["refund"]["refundLineItems"]["nodes"][0]
    whole = three["refunds"][0]["refundLineItems"][0]
    for name in ("subtotalSet", "totalTaxSet"):
        for side in ("shopMoney", "presentmentMoney"):
            assert amount(taken[name], side) + amount(taken_too[name], side) == amount(whole[name], side)
    assert taken_too["restockType"] == "RETURN" and taken_too["restocked"] and taken_too["location"]["id"]
    after = stored(shops, order["id"])
    assert after["lineItems"][0]["currentQuantity"] == 0 and after["lineItems"][0]["quantity"] == 3
    # No money moved: the customer is owed what the T-shirts came to.
    assert amount(after["totalOutstandingSet"], "presentmentMoney") < 0
    assert after["displayFinancialStatus"] == "PAID"


def test_a_refund_with_money_back_makes_the_order_partially_refunded(shops):
    order = shops.data.orders[0]
    line = _line_input(order, 1, 1)
    paid = order["transactions"][-1]
    refund = _refund(shops, orderId=order["id"], currency="EUR", refundLineItems=[line], note="Too small",
                     transactions=[{"orderId": order["id"], "kind": "REFUND", "gateway": paid["gateway"],
                                    "parentId": paid["id"], "amount": "24.50"}])
    assert refund["userErrors"] == []
    created = refund["refund"]
    assert created["note"] == "Too small"
    assert created["transactions"]["nodes"][0]["parentTransaction"]["id"] == paid["id"]
    assert pair(created["totalRefundedSet"])[1] == "24.50"
    assert refund["order"]["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    stored(shops, order["id"])


def test_an_amount_only_refund_beyond_what_is_owed_is_a_negative_adjustment(shops):
    order = shops.data.orders[0]
    before = amount(order["currentTotalPriceSet"], "presentmentMoney")
    refund = _refund(shops, orderId=order["id"], currency="EUR", discrepancyReason="CUSTOMER",
                     transactions=[{"orderId": order["id"], "kind": "REFUND", "gateway": "shopify_payments",
                                    "amount": "5.00"}])
    adjustment = refund["refund"]["orderAdjustments"]["nodes"][0]
    assert adjustment["reason"] == "CUSTOMER"
    assert pair(adjustment["amountSet"])[1] == "-5.00" and pair(adjustment["taxAmountSet"]) == ("0.00", "0.00")
    after = stored(shops, order["id"])
    assert amount(after["currentTotalPriceSet"], "presentmentMoney") == before - 5
    assert pair(after["totalOutstandingSet"]) == ("0.00", "0.00")


def test_refunding_less_than_the_returned_items_keeps_a_restocking_fee(shops):
    order = shops.data.orders[0]
    refund = _refund(shops, orderId=order["id"], currency="EUR", refundLineItems=[_line_input(order, 1, 1)],
                     discrepancyReason="RESTOCK",
                     transactions=[{"orderId": order["id"], "kind": "REFUND", "gateway": "shopify_payments",
                                    "amount": "20.00"}])
    adjustment = refund["refund"]["orderAdjustments"]["nodes"][0]
    assert adjustment["reason"] == "RESTOCK" and amount(adjustment["amountSet"], "presentmentMoney") > 0
    assert pair(stored(shops, order["id"])["totalOutstandingSet"]) == ("0.00", "0.00")


def test_shipping_refunded_in_two_parts_gives_back_all_its_tax(shops):
    order = shops.data.orders[0]
    part = _refund(shops, orderId=order["id"], currency="EUR", shipping={"amount": "2.00"})
    rest = _refund(shops, orderId=order["id"], currency="EUR", shipping={"fullRefund": True})
    lines = [r["refund"]["refundShippingLines"]["nodes"][0] for r in (part, rest)]
    shipping = order["shippingLines"][0]
    for side in ("shopMoney", "presentmentMoney"):
        assert sum(amount(x["subtotalAmountSet"], side) for x in lines) == amount(shipping["discountedPriceSet"], side)
        assert sum(amount(x["taxAmountSet"], side) for x in lines) == sum(
            amount(t["priceSet"], side) for t in shipping["taxLines"])
    assert pair(stored(shops, order["id"])["currentShippingPriceSet"]) == ("0.00", "0.00")


def test_a_tax_included_shop_refunds_tax_inside_the_subtotal(tmp_path, make_simulator):
    spec = {"number": 1001, "lines": [{"title": "Item", "price": "24.00", "quantity": 3, "taxes": VAT}],
            "shippingLines": [{"title": "Colissimo", "price": "4.90", "taxes": VAT}]}
    sim = make_simulator(scenario=shop_from_spec(tmp_path, [spec], currency="EUR", taxes_included=True))
    order = sim.data.orders[0]
    refund = _refund(sim, orderId=order["id"], refundLineItems=[_line_input(order, 0, 1)], shipping={"fullRefund": True},
                     transactions=[{"orderId": order["id"], "kind": "REFUND", "gateway": "shopify_payments",
                                    "amount": "28.90"}])
    item = refund["refund"]["refundLineItems"]["nodes"][0]
    assert pair(item["subtotalSet"]) == ("24.00", "24.00") and pair(item["totalTaxSet"]) == ("4.00", "4.00")
    assert refund["refund"]["orderAdjustments"]["nodes"] == []
    after = stored(sim, order["id"])
    assert after["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    assert pair(after["currentTotalPriceSet"]) == ("48.00", "48.00")


def test_the_same_idempotency_key_refunds_once_and_2026_04_requires_one(shops):
    order = shops.data.orders[0]
    variables = {"input": {"orderId": order["id"], "currency": "EUR", "refundLineItems": [_line_input(order, 1, 1)]},
                 "key": "one-key"}
    first = data(shops, REFUND, variables)["refundCreate"]["refund"]["id"]
    assert data(shops, REFUND, variables)["refundCreate"]["refund"]["id"] == first
    assert len(shops.store.node(order["id"])["refunds"]) == 1
    without = REFUND.replace(" @idempotent(key: $key)", "").replace(", $key: String!", "")
    body = gql(shops, without, {"input": variables["input"]}, version="2026-04")
    assert body["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    again = {**variables["input"], "refundLineItems": [_line_input(order, 0, 1)]}
    older = data(shops, REFUND_2025, {"input": again}, version="2025-10")["refundCreate"]
    assert older["userErrors"] == [] and "processedAt" not in older["refund"]


@pytest.mark.parametrize("fields, where", [
    ({"refundLineItems": [{"lineItemId": "gid://shopify/LineItem/1", "quantity": 1}]},
     ["refundLineItems", "0", "lineItemId"]),
    ({"refundLineItems": "TOO_MANY"}, ["refundLineItems", "0", "quantity"]),
    ({"transactions": [{"kind": "REFUND", "gateway": "shopify_payments", "amount": "9999.00"}]}, ["transactions"]),
    ({"transactions": [{"kind": "SALE", "gateway": "shopify_payments", "amount": "1.00"}]},
     ["transactions", "0", "kind"]),
    ({"currency": None, "shipping": {"amount": "1.00"}}, ["currency"]),
    ({"shipping": {"amount": "99.00"}}, ["shipping", "amount"]),
])
def test_what_shopify_refuses_is_a_user_error_and_changes_nothing(shops, fields, where):
    order = shops.data.orders[0]
    if fields.get("refundLineItems") == "TOO_MANY":
        fields = {"refundLineItems": [_line_input(order, 0, 4)]}
    for transaction in fields.get("transactions", ()):
        transaction["orderId"] = order["id"]
    payload = _refund(shops, **{"orderId": order["id"], "currency": "EUR", **fields})
    assert payload["refund"] is None and payload["userErrors"][0]["field"] == where
    assert shops.store.node(order["id"]) is order  # not even copied over


def test_generated_refunds_carry_the_new_fields(make_simulator):
    sim = make_simulator(scenario=generated(["refund"]))
    for order in sim.data.orders:
        for refund in order["refunds"]:
            assert refund["orderAdjustments"] == []
            assert all(t["kind"] == "REFUND" for t in refund["transactions"])
            assert {i["restockType"] for i in refund["refundLineItems"]} <= {"RETURN", "NO_RESTOCK", "CANCEL"}
        kinds = [a["__typename"] for a in order["agreements"]]
        assert kinds == ["OrderAgreement"] + ["RefundAgreement"] * len(order["refunds"])
