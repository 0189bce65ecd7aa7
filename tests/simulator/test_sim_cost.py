"""Shopify's cost model: requested cost, actual cost and refund, the 1000 cap, the leaky bucket."""
import time

import pytest

import sim_shops
from sim_http import gql
from shopify_simulator import schema
from shopify_simulator.cost import requested_cost

# Three documents whose requested cost Shopify published (docs/shopify-admin-api.md §4).
PRODUCT_VARIANTS = 'query { product(id: "gid://shopify/Product/1") { variants(first: 250) { nodes { inventoryItem { id } } } } }'
MONEY = "presentmentMoney { amount } shopMoney { amount }"
BC_ORDER_LINES = (
    'query { order(id: "gid://shopify/Order/1") { legacyResourceId lineItems(first: 10) { pageInfo { hasNextPage endCursor } '
    "nodes { id name quantity currentQuantity nonFulfillableQuantity sku title variantTitle isGiftCard "
    "product { legacyResourceId } variant { legacyResourceId } customAttributes { key value } refundableQuantity "
    "requiresShipping restockable fulfillmentStatus duties { countryCodeOfOrigin price { MONEY } taxLines { "
    "channelLiable priceSet { MONEY } rate ratePercentage title } } taxable fulfillableQuantity fulfillmentService "
    "{ location { legacyResourceId name } serviceName } discountAllocations { allocatedAmountSet { MONEY } } "
    "discountedTotalSet { MONEY } discountedUnitPriceSet { MONEY } originalTotalSet { MONEY } originalUnitPriceSet "
    "{ MONEY } totalDiscountSet { MONEY } unfulfilledDiscountedTotalSet { MONEY } taxLines { channelLiable rate "
    "ratePercentage title priceSet { MONEY } } } } } }"
).replace("MONEY", MONEY)
BC_ORDERS = (
    "{orders(first:25, query: \"updated_at:>'2026-01-01'\"){pageInfo{hasNextPage} edges{cursor node{legacyResourceId "
    "name createdAt updatedAt channel { name } test fullyPaid unpaid closed displayFinancialStatus "
    "displayFulfillmentStatus subtotalLineItemsQuantity totalPriceSet{shopMoney{amount currencyCode}} "
    "customAttributes{key value} tags risk { assessments { riskLevel }} displayAddress { countryCodeV2 } "
    "shippingAddress { countryCodeV2 } billingAddress { countryCodeV2 } totalTaxSet { presentmentMoney { amount } "
    "shopMoney { amount } } taxLines { channelLiable } purchasingEntity { ... on PurchasingCompany { company { id }}}}}}}"
)


@pytest.mark.parametrize("version", schema.versions())
def test_requested_cost_reproduces_shopifys_published_figures(version):
    loaded = schema.load(version)
    assert requested_cost(loaded, PRODUCT_VARIANTS) == 25
    assert requested_cost(loaded, BC_ORDER_LINES) == 43
    assert requested_cost(loaded, BC_ORDERS) == 68


def test_connection_cost_follows_the_page_size_from_variables():
    loaded = schema.load(schema.latest())
    query = "query($n: Int!) { orders(first: $n) { pageInfo { hasNextPage } nodes { id customer { id } } } }"
    # 2 + floor(2 ln n) * (1 + 1): n=1 counts as 2, 250 caps the size.
    assert [requested_cost(loaded, query, {"n": n}) for n in (1, 2, 10, 50, 250)] == [4, 4, 10, 16, 24]


def test_mutations_cost_ten_per_root_field_and_unions_cost_their_dearest_member():
    loaded = schema.load(schema.latest())
    assert requested_cost(loaded, 'mutation { a: bulkOperationCancel(id: "x") { userErrors { message } } '
                                  'b: bulkOperationCancel(id: "y") { userErrors { message } } }') == 20
    union = '{ nodes(ids: ["a"]) { id ... on Order { customer { id } lineItems(first: 4) { nodes { id } } } ... on Customer { id } } }'
    # The Node list 1 + the Order branch: customer 1 + lineItems (2 + floor(2 ln 4) * (1 + 0) = 4).
    assert requested_cost(loaded, union) == 6


def _costly_headers(aliases):
    # Every alias is an object present on every order, so the actual cost equals the requested one.
    body = " ".join(f"c{i}: customer {{ id }}" for i in range(aliases))
    return f"{{ orders(first: 250) {{ nodes {{ id {body} }} }} }}"


def test_actual_cost_counts_what_came_back_and_the_rest_is_refunded(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(3))
    query = "{ orders(first: 250) { nodes { id customer { id } } } }"
    body = gql(sim, query)
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == requested_cost(schema.load(schema.latest()), query) == 24
    assert cost["actualQueryCost"] == 2 + 2 * 2  # three orders: floor(2 ln 3) = 2
    status = cost["throttleStatus"]
    assert status["maximumAvailable"] - cost["actualQueryCost"] <= status["currentlyAvailable"] <= status["maximumAvailable"]
    assert sim.stats["cost_requested"] == 24 and sim.stats["cost_actual"] == 6


def test_a_document_above_1000_is_refused_with_max_cost_exceeded_and_costs_nothing(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(3), plan="standard")
    query = _costly_headers(100)
    requested = requested_cost(schema.load(schema.latest()), query)
    assert requested > 1000
    body = gql(sim, query)
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert error["extensions"]["cost"] == requested and error["extensions"]["maxCost"] == 1000
    assert error["message"].startswith(f"Query cost is {requested}, which exceeds the single query max cost limit (1000).")
    assert body["extensions"]["cost"]["actualQueryCost"] is None
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 2000
    assert sim.stats["cost_requested"] == 0


@pytest.mark.parametrize("plan, rate", [("standard", 100), ("advanced", 200), ("plus", 1000)])
def test_each_plan_has_its_restore_rate_and_a_bucket_of_twenty_seconds(make_simulator, plan, rate):
    sim = make_simulator(scenario=sim_shops.shop_with(1), plan=plan)
    status = gql(sim, "{ shop { name } }")["extensions"]["cost"]["throttleStatus"]
    assert status["restoreRate"] == rate and status["maximumAvailable"] == 20 * rate


def test_the_bucket_drains_under_hammering_then_throttles_then_restores(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(250), plan="standard")
    query = _costly_headers(80)
    requested = requested_cost(schema.load(schema.latest()), query)
    assert 800 < requested <= 1000
    answers = [gql(sim, query) for _ in range(4)]
    throttled = [a for a in answers if "errors" in a]
    assert len(throttled) >= 1 and "data" in answers[0] and "data" in answers[1]
    [error] = throttled[0]["errors"]
    assert error == {"message": "Throttled",
                     "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}
    assert "data" not in throttled[0]
    cost = throttled[0]["extensions"]["cost"]
    assert cost["requestedQueryCost"] == requested and cost["actualQueryCost"] is None
    assert cost["throttleStatus"]["currentlyAvailable"] < requested
    assert sim.stats["throttled"] == len(throttled)
    low = gql(sim, "{ shop { name } }")["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    time.sleep(0.5)
    later = gql(sim, "{ shop { name } }")["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    assert 40 <= later - low <= 60  # 100 points a second, less the 1 each shop query costs
