"""Which order change fires which topic, the headers and signature Shopify sends, the REST payloads,
includeFields and filter."""
import base64
import uuid

import pytest
import requests

import sim_shops
from sim_http import data
from sim_lifecycle import generated
from sim_webhooks import SECRET, subscribe_all

SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }"""


@pytest.fixture
def shop(make_simulator):
    return make_simulator(scenario=generated(["multi_tax", "presentment_currency"], count=6, seed=5),
                          webhook_secret=SECRET, webhook_retry_scale=0)


def _settled(sim):
    assert sim.webhooks.wait_idle(10)


def _open_order(sim):
    return next(o for o in sim.data.orders if not o["refunds"] and not o["cancelledAt"]
                and o["displayFinancialStatus"] == "PAID")


def test_a_refund_fires_refunds_create_and_orders_updated_with_one_event_id(shop, receiver):
    subscribe_all(shop, receiver)
    order = _open_order(shop)
    line = order["lineItems"][0]
    refund = shop.refund(order["id"], lines=[(line["id"], 1)])["refund"]
    _settled(shop)
    assert receiver.topics() == ["refunds/create", "orders/updated"]
    created, updated = receiver.received
    assert created.headers["x-shopify-event-id"] == updated.headers["x-shopify-event-id"]
    assert created.webhook_id != updated.webhook_id
    body = created.body
    assert body["admin_graphql_api_id"] == refund["id"] and body["id"] == int(refund["id"].rsplit("/", 1)[1])
    assert body["order_id"] == int(order["legacyResourceId"])
    assert [(i["line_item_id"], i["quantity"]) for i in body["refund_line_items"]] == \
        [(int(line["id"].rsplit("/", 1)[1]), 1)]
    assert {t["kind"] for t in body["transactions"]} == {"refund"}
    assert updated.body["financial_status"] == "partially_refunded"
    assert [r["id"] for r in updated.body["refunds"]] == [body["id"]]


def test_headers_and_a_valid_hmac_of_the_raw_body(shop, receiver):
    subscribe_all(shop, receiver, topics=["ORDERS_CANCELLED"])
    order = _open_order(shop)
    shop.cancel(order["id"])
    _settled(shop)
    [got] = receiver.received
    assert got.signed_with(SECRET) and not got.signed_with("another secret")
    base64.b64decode(got.headers["x-shopify-hmac-sha256"], validate=True)
    headers = got.headers
    assert headers["x-shopify-topic"] == "orders/cancelled"
    assert headers["x-shopify-shop-domain"] == shop.data.shop["myshopifyDomain"]
    assert headers["x-shopify-api-version"] == "2026-10"
    assert headers["content-type"] == "application/json"
    uuid.UUID(headers["x-shopify-webhook-id"]), uuid.UUID(headers["x-shopify-event-id"])
    assert headers["x-shopify-triggered-at"].startswith(shop.clock.iso()[:10])
    body = got.body
    assert body["admin_graphql_api_id"] == order["id"] and body["cancelled_at"] and body["cancel_reason"] == "other"
    assert body["name"] == order["name"] and body["order_number"] == order["number"]


def test_the_client_secret_signs_when_there_is_one(make_simulator, receiver):
    sim = make_simulator(scenario=sim_shops.shop_with(1), client_id="app", client_secret="shpss_app")
    sim.webhooks.subscribe("ORDERS_CREATE", receiver.url())
    sim.upsert_orders([sim_shops.order(9)])
    _settled(sim)
    assert receiver.received[0].signed_with("shpss_app")
    with pytest.raises(ValueError, match="client secret"):
        type(sim)(scenario=sim_shops.shop_with(1), client_id="app", client_secret="a", webhook_secret="b")


def test_capture_to_paid_fires_orders_paid_and_a_partial_capture_does_not(make_simulator, receiver):
    sim = make_simulator(scenario=generated(["authorized"], count=2))
    subscribe_all(sim, receiver, topics=["ORDERS_PAID", "ORDERS_UPDATED"])
    first, second = sim.data.orders
    sim.capture(first["id"], amount="1.00")
    _settled(sim)
    assert receiver.topics() == ["orders/updated"]
    sim.capture(first["id"])
    sim.mark_as_paid(second["id"])
    _settled(sim)
    assert receiver.topics() == ["orders/updated", "orders/paid", "orders/updated", "orders/paid", "orders/updated"]
    assert {r.body["financial_status"] for r in receiver.of("orders/paid")} == {"paid"}


def test_an_edit_commit_fires_orders_edited_with_its_additions_and_removals(shop, receiver):
    subscribe_all(shop, receiver, topics=["ORDERS_EDITED", "ORDERS_UPDATED"])
    order = next(o for o in shop.data.orders if not o["refunds"] and not o["cancelledAt"] and len(o["lineItems"]) > 1)
    removed = order["lineItems"][0]
    variant = shop.store.objects("ProductVariant")[2]
    shop.edit(order["id"], add=[(variant["id"], 2)], set_quantity=[(removed["id"], 0)])
    _settled(shop)
    assert receiver.topics() == ["orders/edited", "orders/updated"]
    edit = receiver.received[0].body["order_edit"]
    assert edit["order_id"] == int(order["legacyResourceId"])
    assert edit["line_items"]["removals"] == [{"id": int(removed["id"].rsplit("/", 1)[1]),
                                               "delta": removed["quantity"]}]
    [added] = edit["line_items"]["additions"]
    assert added["delta"] == 2
    updated = receiver.received[1].body
    assert any(line["id"] == added["id"] and line["variant_id"] == int(variant["legacyResourceId"])
               for line in updated["line_items"])


def test_the_admin_endpoint_fires_create_for_a_new_order_and_updated_for_a_known_one(make_simulator, receiver):
    sim = make_simulator(scenario=sim_shops.shop_with(2))
    subscribe_all(sim, receiver)
    known = sim_shops.order(1, note="changed")
    new = sim_shops.order(30)
    answer = requests.post(f"{sim.base_url}/__simulator__/orders", json=[known, new], timeout=5)
    assert answer.json() == {"upserted": 2}
    _settled(sim)
    assert sorted((r.topic, r.body["admin_graphql_api_id"]) for r in receiver.received) == sorted([
        ("orders/updated", known["id"]), ("orders/create", new["id"]), ("orders/paid", new["id"])])
    assert receiver.of("orders/updated")[0].body["note"] == "changed"


def test_new_order_places_a_fresh_numbered_order_that_fires_orders_create(shop, receiver):
    subscribe_all(shop, receiver, topics=["ORDERS_CREATE"])
    last = max(o["number"] for o in shop.data.orders)
    placed = shop.new_order(seed=3)
    assert placed["number"] == last + 1 and placed["name"] == f"#{last + 1}"
    assert placed["createdAt"] <= shop.clock.iso() and placed["createdAt"] > max(
        o["createdAt"] for o in shop.data.orders if o is not placed)
    assert not placed["refunds"] and not placed["cancelledAt"]
    known_ids = {line["id"] for o in shop.data.orders if o is not placed for line in o["lineItems"]}
    assert not known_ids & {line["id"] for line in placed["lineItems"]}
    served = data(shop, "query($id: ID!) { order(id: $id) { name } }", {"id": placed["id"]})["order"]
    assert served == {"name": placed["name"]}
    _settled(shop)
    [got] = receiver.received
    assert got.body["id"] == int(placed["legacyResourceId"]) and got.body["line_items"]


def test_metafields_set_fires_nothing(shop, receiver):
    subscribe_all(shop, receiver)
    order = _open_order(shop)
    entry = {"ownerId": order["id"], "namespace": "custom", "key": "odoo_id", "type": "single_line_text_field",
             "value": "42"}
    assert data(shop, SET, {"m": [entry]})["metafieldsSet"]["userErrors"] == []
    _settled(shop)
    assert receiver.received == [] and shop.webhooks.deliveries() == []


def test_include_fields_keep_only_those_fields_nested_ones_too(shop, receiver):
    shop.webhooks.subscribe("ORDERS_UPDATED", receiver.url(), include_fields=["id", "updated_at", "line_items.sku"])
    order = _open_order(shop)
    shop.cancel(order["id"])
    _settled(shop)
    body = receiver.received[0].body
    assert set(body) == {"id", "updated_at", "line_items"}
    assert body["line_items"] == [{"sku": line["sku"]} for line in order["lineItems"]]


def test_a_filter_sends_only_matching_payloads(shop, receiver):
    orders = [o for o in shop.data.orders if not o["cancelledAt"] and not o["refunds"]][:2]
    shop.webhooks.subscribe("ORDERS_UPDATED", receiver.url(), filter=f"name:{orders[1]['name']}")
    for order in orders:
        shop.cancel(order["id"])
    _settled(shop)
    assert [r.body["name"] for r in receiver.received] == [orders[1]["name"]]


def test_metafield_namespaces_add_the_orders_metafields(shop, receiver):
    shop.webhooks.subscribe("ORDERS_UPDATED", receiver.url(), metafieldNamespaces=["custom"])
    order = _open_order(shop)
    entry = {"ownerId": order["id"], "namespace": "custom", "key": "odoo_id", "type": "single_line_text_field",
             "value": "42"}
    data(shop, SET, {"m": [entry]})
    shop.cancel(order["id"])
    _settled(shop)
    [metafield] = receiver.received[0].body["metafields"]
    assert (metafield["namespace"], metafield["key"], metafield["value"]) == ("custom", "odoo_id", "42")
    assert metafield["owner_resource"] == "order"


def test_the_rest_order_carries_the_documented_fields(shop, receiver):
    shop.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    order = next(o for o in shop.data.orders if o["presentmentCurrencyCode"] != o["currencyCode"]
                 and not o["cancelledAt"])
    shop.cancel(order["id"])
    _settled(shop)
    body = receiver.received[0].body
    stored = shop.store.node(order["id"])
    assert body["id"] == int(order["legacyResourceId"]) and isinstance(body["id"], int)
    currency = order["presentmentCurrencyCode"]
    assert body["currency"] == order["currencyCode"] and body["presentment_currency"] == currency
    assert body["current_total_price"] == stored["currentTotalPriceSet"]["shopMoney"]["amount"]
    assert body["total_price_set"]["presentment_money"] == {
        "amount": order["totalPriceSet"]["presentmentMoney"]["amount"], "currency_code": currency}
    assert body["updated_at"] == stored["updatedAt"] and body["created_at"] == order["createdAt"]
    assert body["financial_status"] == stored["displayFinancialStatus"].lower()
    assert len(body["line_items"]) == len(order["lineItems"]) and body["tax_lines"]
