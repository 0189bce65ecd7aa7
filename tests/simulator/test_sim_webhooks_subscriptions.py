"""webhookSubscriptionCreate / Delete, the webhookSubscriptions listing and node(id:), over HTTP in
every served version, and the userErrors Shopify answers."""
import pytest

import sim_shops
from shopify_simulator import schema
from sim_http import data

CREATE = """mutation($topic: WebhookSubscriptionTopic!, $input: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $input) {
    webhookSubscription { id legacyResourceId topic uri callbackUrl format includeFields metafieldNamespaces
      filter createdAt apiVersion { handle } endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
    userErrors { field message } } }"""
DELETE = """mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId
  userErrors { field message } } }"""
LIST = """query($first: Int!, $after: String, $topics: [WebhookSubscriptionTopic!], $uri: String) {
  webhookSubscriptions(first: $first, after: $after, topics: $topics, uri: $uri) {
    pageInfo { hasNextPage endCursor } nodes { id topic uri } } webhookSubscriptionsCount { count } }"""


@pytest.fixture
def sim(make_simulator):
    return make_simulator(scenario=sim_shops.shop_with(2))


def _create(sim, topic, version=None, **fields):
    return data(sim, CREATE, {"topic": topic, "input": fields}, version=version)["webhookSubscriptionCreate"]


def test_every_version_creates_with_uri_or_the_deprecated_callback_url(sim, receiver):
    for index, version in enumerate(schema.versions()):
        by_uri = _create(sim, "ORDERS_CREATE", version, uri=receiver.url(f"/u{index}"))
        by_callback = _create(sim, "ORDERS_CREATE", version, callbackUrl=receiver.url(f"/c{index}"))
        for created, path in ((by_uri, f"/u{index}"), (by_callback, f"/c{index}")):
            assert created["userErrors"] == []
            sub = created["webhookSubscription"]
            assert sub["uri"] == sub["callbackUrl"] == sub["endpoint"]["callbackUrl"] == receiver.url(path)
            assert (sub["topic"], sub["format"], sub["apiVersion"]["handle"]) == ("ORDERS_CREATE", "JSON", version)
            assert sub["endpoint"]["__typename"] == "WebhookHttpEndpoint"
            assert sub["id"] == f"gid://shopify/WebhookSubscription/{sub['legacyResourceId']}"


def test_name_is_accepted_from_2026_04(sim, receiver):
    query = """mutation($input: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: ORDERS_PAID,
      webhookSubscription: $input) { webhookSubscription { name } userErrors { field message } } }"""
    created = data(sim, query, {"input": {"uri": receiver.url(), "name": "odoo"}}, version="2026-04")
    assert created["webhookSubscriptionCreate"]["webhookSubscription"]["name"] == "odoo"


def test_the_listing_pages_filters_by_topic_and_address_and_counts(sim, receiver):
    made = [_create(sim, topic, uri=receiver.url(f"/{n}"))["webhookSubscription"]
            for n, topic in enumerate(["ORDERS_CREATE", "ORDERS_UPDATED", "REFUNDS_CREATE"] * 2)]
    first = data(sim, LIST, {"first": 4})["webhookSubscriptions"]
    assert [n["id"] for n in first["nodes"]] == [m["id"] for m in made[:4]]  # by CREATED_AT, then id
    assert first["pageInfo"]["hasNextPage"]
    rest = data(sim, LIST, {"first": 4, "after": first["pageInfo"]["endCursor"]})
    assert [n["id"] for n in rest["webhookSubscriptions"]["nodes"]] == [m["id"] for m in made[4:]]
    assert rest["webhookSubscriptionsCount"] == {"count": 6}
    refunds = data(sim, LIST, {"first": 10, "topics": ["REFUNDS_CREATE"]})["webhookSubscriptions"]["nodes"]
    assert [n["id"] for n in refunds] == [made[2]["id"], made[5]["id"]]
    one = data(sim, LIST, {"first": 10, "uri": receiver.url("/4")})["webhookSubscriptions"]["nodes"]
    assert [n["id"] for n in one] == [made[4]["id"]]


def test_a_subscription_is_reached_by_id_and_by_node_and_deleted(sim, receiver):
    sub = _create(sim, "ORDERS_CANCELLED", uri=receiver.url(), includeFields=["id", "line_items.sku"],
                  metafieldNamespaces=["custom"])["webhookSubscription"]
    assert sub["includeFields"] == ["id", "line_items.sku"] and sub["metafieldNamespaces"] == ["custom"]
    query = """query($id: ID!) { webhookSubscription(id: $id) { id topic }
      node(id: $id) { __typename ... on WebhookSubscription { uri } } }"""
    found = data(sim, query, {"id": sub["id"]})
    assert found["webhookSubscription"] == {"id": sub["id"], "topic": "ORDERS_CANCELLED"}
    assert found["node"] == {"__typename": "WebhookSubscription", "uri": receiver.url()}
    deleted = data(sim, DELETE, {"id": sub["id"]})["webhookSubscriptionDelete"]
    assert deleted == {"deletedWebhookSubscriptionId": sub["id"], "userErrors": []}
    assert data(sim, query, {"id": sub["id"]}) == {"webhookSubscription": None, "node": None}
    again = data(sim, DELETE, {"id": sub["id"]})["webhookSubscriptionDelete"]
    assert again == {"deletedWebhookSubscriptionId": None,
                     "userErrors": [{"field": ["id"], "message": "Webhook subscription does not exist"}]}


def test_the_same_address_for_a_topic_is_taken(sim, receiver):
    assert _create(sim, "ORDERS_PAID", uri=receiver.url())["userErrors"] == []
    taken = _create(sim, "ORDERS_PAID", callbackUrl=receiver.url())
    assert taken == {"webhookSubscription": None, "userErrors": [
        {"field": ["webhookSubscription", "callbackUrl"], "message": "Address for this topic has already been taken"}]}
    assert _create(sim, "ORDERS_UPDATED", uri=receiver.url())["userErrors"] == []  # another topic: fine


@pytest.mark.parametrize("address", [
    "https://example.com/webhooks", "http://10.0.0.5:8069/webhooks", "pubsub://project:topic",
    "arn:aws:events:us-east-1::event-source/aws.partner/shopify.com/1/source",
])
def test_only_loopback_addresses_are_called(sim, address):
    refused = _create(sim, "ORDERS_CREATE", uri=address)
    assert refused["webhookSubscription"] is None
    [error] = refused["userErrors"]
    assert error["field"] == ["webhookSubscription", "uri"] and "only calls loopback" in error["message"]


def test_loopback_hosts_of_every_kind_are_accepted(sim):
    for address in ("http://localhost:8069/a", "https://127.0.0.1:8443/b", "http://[::1]:8069/c"):
        assert _create(sim, "ORDERS_CREATE", uri=address)["userErrors"] == [], address


def test_blank_and_malformed_addresses_and_xml_are_user_errors(sim, receiver):
    assert _create(sim, "ORDERS_CREATE")["userErrors"] == [
        {"field": ["webhookSubscription", "callbackUrl"], "message": "Address can't be blank"}]
    assert _create(sim, "ORDERS_CREATE", uri="not a url")["userErrors"] == [
        {"field": ["webhookSubscription", "uri"], "message": "Address is invalid"}]
    xml = _create(sim, "ORDERS_CREATE", uri=receiver.url(), format="XML")["userErrors"]
    assert xml == [{"field": ["webhookSubscription", "format"],
                    "message": "The Shopify simulator sends JSON webhooks only"}]
    bad_filter = _create(sim, "ORDERS_CREATE", uri=receiver.url(), filter="a:1 OR b:2")["userErrors"]
    assert bad_filter[0]["field"] == ["webhookSubscription", "filter"]


def test_subscribe_goes_through_the_mutation_and_raises_user_errors(sim, receiver):
    from shopify_simulator.webhooks import WebhookError

    sub = sim.webhooks.subscribe("orders/create", receiver.url(), include_fields=["id"])
    assert sub["topic"] == "ORDERS_CREATE" and sub["includeFields"] == ["id"]
    assert sim.stats["by_operation"]["Subscribe"] == 1
    with pytest.raises(WebhookError) as refused:
        sim.webhooks.subscribe("ORDERS_CREATE", "https://shop.example/hooks")
    assert "only calls loopback" in refused.value.errors[0]["message"]
    assert sim.webhooks.unsubscribe(sub["id"]) == sub["id"]
