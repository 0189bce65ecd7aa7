"""Property: for orders of every scenario the simulator's generator makes, the plan reproduces
Shopify's figures to the cent, on both currency sides, in tax-exclusive and tax-inclusive shops."""
import copy
from decimal import Decimal

import pytest

from shopify_simulator.generator import SCENARIOS, generate
from synco_shopify.shopify.reading.order import parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

# Stored orders keep connections as plain lists (the server builds nodes and pageInfo).
_ORDER_CONNECTIONS = ("lineItems", "discountApplications", "shippingLines", "fulfillmentOrders")
_REFUND_CONNECTIONS = ("refundLineItems", "refundShippingLines")


def as_order_full(stored):
    """The stored order as a response to fragment OrderFull: connections wrapped, no metafield stored."""
    payload = copy.deepcopy(stored)
    for key in _ORDER_CONNECTIONS:
        payload[key] = {"nodes": payload[key]}
    payload["lineItems"]["pageInfo"] = {"hasNextPage": False, "endCursor": None}
    for refund in payload["refunds"]:
        for key in _REFUND_CONNECTIONS:
            refund[key] = {"nodes": refund[key]}
    payload["odooId"] = None
    return payload


def differences(orders):
    """Every order whose plan does not reproduce it, with its scenarios and what differs."""
    found = []
    for stored in orders:
        payload = as_order_full(stored)
        for side in ("shop", "presentment"):
            order = parse_order(payload, side=side)
            problems = check_plan(build_plan(order, PlanSettings(side=side)), order)
            if problems:
                found.append(f"{stored['name']} {stored['_scenarios']} ({side}): {problems}")
    return found


@pytest.mark.parametrize("taxes_included", [False, True], ids=["tax-exclusive", "tax-inclusive"])
def test_a_mixed_batch_reconciles_to_the_cent_on_both_sides(taxes_included):
    data = generate(20260301, 300, taxes_included=taxes_included)
    assert differences(data.orders) == []


@pytest.mark.parametrize("taxes_included", [False, True], ids=["tax-exclusive", "tax-inclusive"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_reconciles_to_the_cent(scenario, taxes_included):
    orders = generate(7, 3 if scenario == "many_lines" else 12, taxes_included=taxes_included,
                      scenarios=[scenario]).orders
    assert all(scenario in order["_scenarios"] for order in orders)
    assert differences(orders) == []


def test_the_property_fails_when_shopify_and_the_plan_disagree():
    stored = copy.deepcopy(generate(3, 1, scenarios=["multi_tax"]).orders[0])
    shop_money = stored["lineItems"][0]["taxLines"][0]["priceSet"]["shopMoney"]
    shop_money["amount"] = str(Decimal(shop_money["amount"]) + Decimal("0.01"))
    assert any("Tax:" in problem for problem in differences([stored]))
