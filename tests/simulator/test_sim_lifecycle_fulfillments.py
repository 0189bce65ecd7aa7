"""Shipments: the generator's closed fulfillment orders carry their Fulfillment, and
fulfillmentCreate over HTTP ships part or all of a fulfillment order, as Shopify documents it."""
import requests

from sim_http import data
from sim_lifecycle import NOW, example_order, generated, shop_from_spec, stored

from shopify_simulator.totals import check_order

SHIPMENTS = """query Shipments($id: ID!) { order(id: $id) { displayFulfillmentStatus
  fulfillments(first: 10) { id name status createdAt totalQuantity location { id name }
    fulfillmentLineItems(first: 20) { pageInfo { hasNextPage } nodes { quantity lineItem { id }
      originalTotalSet { shopMoney { amount } } discountedTotalSet { shopMoney { amount } } } } }
  fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 20) { nodes { id remainingQuantity
    lineItem { id } } } } } } }"""
FULFILL = """mutation Fulfill($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) {
  fulfillment { id name status totalQuantity location { id } } userErrors { field message } } }"""


def _open(sim):
    return next(o for o in sim.data.orders if len(o["fulfillmentOrders"]) == 1
                and o["fulfillmentOrders"][0]["status"] == "OPEN" and not o["refunds"]
                and any(item["remainingQuantity"] >= 2 for item in o["fulfillmentOrders"][0]["lineItems"]))


def _fulfill(sim, fulfillment_order, items=None):
    request = {"fulfillmentOrderId": fulfillment_order["id"]}
    if items is not None:
        request["fulfillmentOrderLineItems"] = [{"id": key, "quantity": quantity} for key, quantity in items]
    return data(sim, FULFILL, {"fulfillment": {"lineItemsByFulfillmentOrder": [request]}})["fulfillmentCreate"]


def test_every_closed_fulfillment_order_was_shipped_whole_by_one_fulfillment():
    shop = generated(None, count=120)
    shipped = 0
    for order in shop.orders:
        assert check_order(order) == [], order["name"]
        closed = [f for f in order["fulfillmentOrders"] if f["status"] == "CLOSED"]
        assert len(order["fulfillments"]) == len(closed)
        for fulfillment, fulfillment_order in zip(order["fulfillments"], closed):
            assert fulfillment["status"] == "SUCCESS"
            assert fulfillment["location"] is fulfillment_order["assignedLocation"]["location"]
            assert [(i["lineItem"]["id"], i["quantity"]) for i in fulfillment["fulfillmentLineItems"]] == [
                (i["lineItem"]["id"], i["totalQuantity"]) for i in fulfillment_order["lineItems"]]
            shipped += 1
    assert shipped > 50


def test_a_partial_shipment_then_the_rest(make_simulator):
    sim = make_simulator(scenario=generated(None, count=80))
    order = _open(sim)
    fulfillment_order = order["fulfillmentOrders"][0]
    item = next(i for i in fulfillment_order["lineItems"] if i["remainingQuantity"] >= 2)
    units = item["remainingQuantity"]
    sim.clock.set(NOW)
    first = _fulfill(sim, fulfillment_order, [(item["id"], 1)])
    assert first["userErrors"] == []
    assert (first["fulfillment"]["status"], first["fulfillment"]["totalQuantity"]) == ("SUCCESS", 1)
    assert first["fulfillment"]["name"] == f"{order['name']}.1"
    after = stored(sim, order["id"])
    assert after["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"
    assert after["fulfillmentOrders"][0]["status"] == "IN_PROGRESS"
    served = data(sim, SHIPMENTS, {"id": order["id"]})["order"]
    (shipment,) = served["fulfillments"]
    assert shipment["createdAt"] == "2026-06-01T12:00:00Z"
    assert shipment["location"]["id"] == fulfillment_order["assignedLocation"]["location"]["id"]
    assert shipment["fulfillmentLineItems"]["nodes"][0]["quantity"] == 1
    assert shipment["fulfillmentLineItems"]["nodes"][0]["lineItem"]["id"] == item["lineItem"]["id"]
    remaining = {i["id"]: i["remainingQuantity"] for i in served["fulfillmentOrders"]["nodes"][0]["lineItems"]["nodes"]}
    assert remaining[item["id"]] == units - 1

    rest = _fulfill(sim, fulfillment_order)  # no line items: everything left
    assert rest["userErrors"] == [] and rest["fulfillment"]["name"] == f"{order['name']}.2"
    after = stored(sim, order["id"])
    assert after["displayFulfillmentStatus"] == "FULFILLED"
    assert after["fulfillmentOrders"][0]["status"] == "CLOSED"
    assert all(i["remainingQuantity"] == 0 for i in after["fulfillmentOrders"][0]["lineItems"])


def test_shipping_more_than_is_left_or_a_closed_fulfillment_order_is_refused(make_simulator):
    sim = make_simulator(scenario=generated(None, count=80))
    order = _open(sim)
    fulfillment_order = order["fulfillmentOrders"][0]
    item = fulfillment_order["lineItems"][0]
    too_many = _fulfill(sim, fulfillment_order, [(item["id"], item["remainingQuantity"] + 1)])
    assert too_many["fulfillment"] is None and "between 1 and" in too_many["userErrors"][0]["message"]
    assert sim.store.node(order["id"])["fulfillments"] == []
    closed = next(o for o in sim.data.orders if o["fulfillmentOrders"] and o["fulfillmentOrders"][0]["status"] == "CLOSED")
    refused = _fulfill(sim, closed["fulfillmentOrders"][0])
    assert refused["fulfillment"] is None and "cannot be fulfilled" in refused["userErrors"][0]["message"]


def test_a_hand_made_order_has_no_shipments_and_the_admin_endpoint_ships_it(make_simulator, tmp_path):
    sim = make_simulator(scenario=shop_from_spec(tmp_path, [example_order()]))
    (order,) = sim.data.orders
    served = data(sim, SHIPMENTS, {"id": order["id"]})["order"]
    assert served["fulfillments"] == [] and served["displayFulfillmentStatus"] == "UNFULFILLED"
    line = order["lineItems"][0]
    answer = requests.post(f"{sim.base_url}/__simulator__/orders/fulfill", timeout=10,
                           json={"order": order["id"], "lines": [[line["id"], 2]]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["fulfillment"]["totalQuantity"] == 2
    everything = requests.post(f"{sim.base_url}/__simulator__/orders/fulfill", json={"order": order["id"]}, timeout=10)
    assert everything.status_code == 200 and stored(sim, order["id"])["displayFulfillmentStatus"] == "FULFILLED"
    nothing_left = requests.post(f"{sim.base_url}/__simulator__/orders/fulfill", json={"order": order["id"]}, timeout=10)
    assert nothing_left.status_code == 422
