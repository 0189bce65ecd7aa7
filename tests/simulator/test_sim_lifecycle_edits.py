"""Order editing over HTTP: begin, add a variant, lower and remove lines, commit; the
OrderEditAgreement, the current totals and what the simulator refuses."""
import pytest

from sim_http import data, gql
from sim_lifecycle import MONEY, ORDER, amount, generated, stored

BEGIN = """mutation Begin($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id committed
  lineItems(first: 50) { nodes { id quantity editableQuantity variant { id } } } } orderEditSession { id }
  userErrors { field message } } }"""
ADD = """mutation Add($id: ID!, $variant: ID!, $quantity: Int!, $dup: Boolean) { orderEditAddVariant(id: $id,
  variantId: $variant, quantity: $quantity, allowDuplicates: $dup) { calculatedLineItem { id quantity }
  calculatedOrder { addedLineItems(first: 5) { nodes { id quantity } } } userErrors { field message } } }"""
SET = """mutation Set($id: ID!, $line: ID!, $quantity: Int!) { orderEditSetQuantity(id: $id, lineItemId: $line,
  quantity: $quantity, restock: true) { calculatedLineItem { id quantity } userErrors { field message } } }"""
COMMIT = f"""mutation Commit($id: ID!) {{ orderEditCommit(id: $id, notifyCustomer: false, staffNote: "phone") {{
  order {{ {ORDER} agreements(first: 10, query: "happened_at:>2026-01-01") {{ nodes {{ __typename reason happenedAt
    sales(first: 10) {{ nodes {{ actionType quantity totalAmount {{ {MONEY} }} ... on ProductSale {{ lineItem {{ id }} }} }} }}
  }} }} }} successMessages userErrors {{ field message }} }} }}"""


@pytest.fixture
def shop(make_simulator):
    return make_simulator(scenario=generated(["order_discount_across", "multi_tax", "presentment_currency"],
                                             count=20, seed=5))


def _order(sim):
    return next(o for o in sim.data.orders if not o["refunds"] and any(line["quantity"] > 1 for line in o["lineItems"])
                and len(o["lineItems"]) > 1)


def test_an_edit_adds_a_variant_lowers_a_line_and_removes_another(shop):
    order = _order(shop)
    lowered = next(line for line in order["lineItems"] if line["quantity"] > 1)
    removed = next(line for line in order["lineItems"] if line is not lowered)
    variant = shop.store.objects("ProductVariant")[3]
    begun = data(shop, BEGIN, {"id": order["id"]})["orderEditBegin"]
    calculated = begun["calculatedOrder"]["id"]
    added = data(shop, ADD, {"id": calculated, "variant": variant["id"], "quantity": 2})["orderEditAddVariant"]
    assert added["calculatedLineItem"]["quantity"] == 2
    for line, quantity in ((lowered, lowered["quantity"] - 1), (removed, 0)):
        data(shop, SET, {"id": calculated, "line": line["id"].replace("LineItem", "CalculatedLineItem"),
                         "quantity": quantity})
    committed = data(shop, COMMIT, {"id": calculated})["orderEditCommit"]
    assert committed["userErrors"] == [] and committed["order"]["edited"] is True
    edit = committed["order"]["agreements"]["nodes"][-1]
    assert (edit["__typename"], edit["reason"]) == ("OrderEditAgreement", "ORDER_EDIT")
    assert sorted((s["actionType"], s["quantity"]) for s in edit["sales"]["nodes"]) == \
        sorted([("ORDER", 2), ("UPDATE", -1), ("UPDATE", -removed["quantity"])])
    after = stored(shop, order["id"])
    lines = {line["id"]: line for line in after["lineItems"]}
    assert lines[lowered["id"]]["quantity"] == lowered["quantity"]
    assert lines[lowered["id"]]["currentQuantity"] == lowered["quantity"] - 1
    assert lines[removed["id"]]["currentQuantity"] == 0
    assert lines[lowered["id"]]["taxLines"] == lowered["taxLines"]  # as ordered
    new = after["lineItems"][-1]
    assert new["variant"]["id"] == variant["id"] and new["quantity"] == new["currentQuantity"] == 2
    assert [t["title"] for t in new["taxLines"]] == [t["title"] for t in lowered["taxLines"]]
    for side in ("shopMoney", "presentmentMoney"):
        change = sum(amount(s["totalAmount"], side) for s in edit["sales"]["nodes"])
        assert amount(after["currentTotalPriceSet"], side) == amount(order["currentTotalPriceSet"], side) + change
    assert after["totalPriceSet"] == order["totalPriceSet"]  # before edits and returns, as placed


def test_an_edit_refuses_what_the_simulator_does_not_model_or_shopify_forbids(shop):
    order = _order(shop)
    line = order["lineItems"][0]
    calculated = data(shop, BEGIN, {"id": order["id"]})["orderEditBegin"]["calculatedOrder"]["id"]
    raised = data(shop, SET, {"id": calculated, "line": line["id"], "quantity": line["quantity"] + 1})
    assert raised["orderEditSetQuantity"]["userErrors"][0]["field"] == ["quantity"]
    if line["variant"]:
        twice = data(shop, ADD, {"id": calculated, "variant": line["variant"]["id"], "quantity": 1})
        assert twice["orderEditAddVariant"]["userErrors"][0]["field"] == ["variantId"]
    unmodelled = gql(shop, "mutation($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { totalPriceSet "
                           "{ shopMoney { amount } } } } }", {"id": order["id"]})
    assert unmodelled["errors"][0]["extensions"]["code"] == "NOT_IMPLEMENTED_BY_SIMULATOR"
    data(shop, COMMIT, {"id": calculated})
    again = data(shop, COMMIT, {"id": calculated})["orderEditCommit"]
    assert again["order"] is None and again["userErrors"][0]["field"] == ["id"]


def test_removing_items_from_a_paid_order_leaves_the_customer_owed_until_refunded(shop):
    order = next(o for o in shop.data.orders if o["displayFinancialStatus"] == "PAID" and len(o["lineItems"]) > 1)
    line = order["lineItems"][0]
    shop.edit(order["id"], set_quantity=[(line["id"], 0)])
    after = stored(shop, order["id"])
    assert amount(after["totalOutstandingSet"]) < 0 and after["displayFinancialStatus"] == "PAID"
    shop.refund(order["id"])  # an amount-only refund of what is owed: no adjustment
    settled = stored(shop, order["id"])
    assert settled["refunds"][-1]["orderAdjustments"] == []
    assert amount(settled["totalOutstandingSet"]) == 0 and settled["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
