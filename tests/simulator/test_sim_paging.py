"""Cursor paging of connections: every node once, in the asked order, both directions."""
import time
from decimal import Decimal

import pytest
import requests

import sim_shops
from sim_http import data, page_through

SORTS = {
    "CREATED_AT": lambda o: o["createdAt"],
    "UPDATED_AT": lambda o: o["updatedAt"],
    "PROCESSED_AT": lambda o: o["processedAt"],
    "ID": lambda o: int(o["legacyResourceId"]),
    "ORDER_NUMBER": lambda o: o["number"],
    "TOTAL_PRICE": lambda o: Decimal(o["totalPriceSet"]["shopMoney"]["amount"]),
    "CUSTOMER_NAME": lambda o: ((o.get("customer") or {}).get("displayName") or "").lower(),
}


def _expected(orders, sort, reverse=False):
    ordered = sorted(orders, key=lambda o: (SORTS[sort](o), int(o["legacyResourceId"])))
    ids = [o["id"] for o in ordered]
    return ids[::-1] if reverse else ids


@pytest.fixture(scope="module")
def big_shop():
    from shopify_simulator import Simulator
    from sim_http import TOKEN

    with Simulator(orders=5000, seed=3, token=TOKEN, plan="plus") as sim:
        yield sim


def test_paging_5000_orders_by_250_returns_each_exactly_once(big_shop):
    with requests.Session() as session:
        nodes, pages = page_through(big_shop, "orders", "id", first=250, session=session)
    ids = [n["id"] for n in nodes]
    assert pages == 20
    assert len(ids) == len(set(ids)) == 5000
    assert set(ids) == {o["id"] for o in big_shop.data.orders}
    # Default sort is PROCESSED_AT, as in Shopify.
    assert ids == _expected(big_shop.data.orders, "PROCESSED_AT")


def test_order_headers_page_through_5000_orders_in_a_few_seconds(big_shop):
    from synco_shopify.shopify.api import documents

    query, seen, after = documents.load("OrderHeaders"), 0, None
    started = time.perf_counter()
    with requests.Session() as session:
        while True:
            page = data(big_shop, query, {"first": 250, "after": after}, session=session)["orders"]
            seen += len(page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    elapsed = time.perf_counter() - started
    print(f"\nOrderHeaders over HTTP: {seen} orders in {elapsed:.2f} s = {seen / elapsed:.0f} orders/s")
    assert seen == 5000
    assert elapsed < 5


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_each_sort_key_orders_nodes_and_reverse_flips_them(simulator, sort):
    orders = simulator.data.orders
    query = "query($s: OrderSortKeys, $r: Boolean) { orders(first: 250, sortKey: $s, reverse: $r) { nodes { id } } }"
    for reverse in (False, True):
        got = [n["id"] for n in data(simulator, query, {"s": sort, "r": reverse})["orders"]["nodes"]]
        assert got == _expected(orders, sort, reverse)[:250], (sort, reverse)


def test_reverse_paging_walks_the_same_nodes_backwards(simulator):
    forward, _ = page_through(simulator, "orders", "id", first=30, args=", sortKey: UPDATED_AT")
    backward, _ = page_through(simulator, "orders", "id", first=30, args=", sortKey: UPDATED_AT, reverse: true")
    assert [n["id"] for n in backward] == [n["id"] for n in forward][::-1]


def test_last_and_before_page_backwards_from_a_cursor(simulator):
    query = """query($first: Int, $last: Int, $after: String, $before: String) {
      orders(first: $first, last: $last, after: $after, before: $before, sortKey: ID) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id } }
      }
    }"""
    expected = _expected(simulator.data.orders, "ID")
    tail = data(simulator, query, {"last": 3})["orders"]
    assert [e["node"]["id"] for e in tail["edges"]] == expected[-3:]
    assert tail["pageInfo"]["hasPreviousPage"] and not tail["pageInfo"]["hasNextPage"]
    second = data(simulator, query, {"first": 10, "after": data(simulator, query, {"first": 10})["orders"]["pageInfo"]["endCursor"]})["orders"]
    assert [e["node"]["id"] for e in second["edges"]] == expected[10:20]
    back = data(simulator, query, {"last": 4, "before": second["pageInfo"]["startCursor"]})["orders"]
    assert [e["node"]["id"] for e in back["edges"]] == expected[6:10]
    assert back["pageInfo"]["hasNextPage"] and back["pageInfo"]["hasPreviousPage"]
    assert back["pageInfo"]["endCursor"] == back["edges"][-1]["cursor"]


def test_a_cursor_marks_a_position_so_updates_during_a_walk_neither_skip_nor_repeat(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(60))
    query = """query($after: String) { orders(first: 10, after: $after, sortKey: ID) {
      pageInfo { hasNextPage endCursor } nodes { id } } }"""
    seen, after, inserted = [], None, False
    while True:
        page = data(sim, query, {"after": after})["orders"]
        seen += [n["id"] for n in page["nodes"]]
        if not inserted:
            # An order rewritten behind the cursor, and one added ahead of it.
            sim.upsert_orders([sim_shops.order(3, email="changed@example.com"), sim_shops.order(200)])
            inserted = True
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 61


def test_an_order_updated_during_an_updated_at_walk_comes_again_at_the_end(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(30))
    query = """query($after: String) { orders(first: 10, after: $after, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor } nodes { id updatedAt } } }"""
    first = data(sim, query, {})["orders"]
    touched = first["nodes"][0]["id"]
    number = int(touched.rsplit("/", 1)[1]) - 5000000
    sim.upsert_orders([sim_shops.order(number, updatedAt="2027-01-01T00:00:00Z")])
    rest, after = [], first["pageInfo"]["endCursor"]
    while after:
        page = data(sim, query, {"after": after})["orders"]
        rest += page["nodes"]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert rest[-1] == {"id": touched, "updatedAt": "2027-01-01T00:00:00Z"}


def test_a_nested_connection_pages_an_orders_lines(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_data([sim_shops.order(2)]))  # 3 lines
    query = """query($id: ID!, $after: String) { order(id: $id) { lineItems(first: 2, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { id } } } }"""
    order_id = sim.data.orders[0]["id"]
    page1 = data(sim, query, {"id": order_id})["order"]["lineItems"]
    page2 = data(sim, query, {"id": order_id, "after": page1["pageInfo"]["endCursor"]})["order"]["lineItems"]
    got = [n["id"] for n in page1["nodes"] + page2["nodes"]]
    assert got == [line["id"] for line in sim.data.orders[0]["lineItems"]]
    assert page1["pageInfo"]["hasNextPage"] and not page2["pageInfo"]["hasNextPage"]


def test_orders_count_is_exact_or_capped_at_the_limit(simulator):
    orders = simulator.data.orders
    unfulfilled = sum(1 for o in orders if o["displayFulfillmentStatus"] == "UNFULFILLED")
    query = "query($q: String, $limit: Int) { ordersCount(query: $q, limit: $limit) { count precision } }"
    assert data(simulator, query, {"q": "fulfillment_status:unfulfilled"})["ordersCount"] == {
        "count": unfulfilled, "precision": "EXACT"}
    assert data(simulator, query, {"limit": None})["ordersCount"] == {"count": len(orders), "precision": "EXACT"}
    assert data(simulator, query, {"limit": 5})["ordersCount"] == {"count": 5, "precision": "AT_LEAST"}


def test_other_resources_page_and_resolve_by_id(simulator):
    shop = simulator.data
    for field, objects in (("customers", shop.customers), ("products", shop.products)):
        nodes, _ = page_through(simulator, field, "id", first=40)
        assert sorted(n["id"] for n in nodes) == sorted(o["id"] for o in objects), field
    variants = [v["id"] for p in shop.products for v in p["variants"]]
    nodes, _ = page_through(simulator, "productVariants", "id product { id }", first=40)
    assert sorted(n["id"] for n in nodes) == sorted(variants)
    active = [loc["id"] for loc in shop.locations if loc["isActive"]]
    assert {n["id"] for n in page_through(simulator, "locations", "id")[0]} == set(active)
    every = page_through(simulator, "locations", "id", args=", includeInactive: true")[0]
    assert {n["id"] for n in every} == {loc["id"] for loc in shop.locations}
    ids = [shop.orders[0]["id"], shop.customers[0]["id"], variants[0], shop.locations[0]["id"]]
    got = data(simulator, "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids})["nodes"]
    assert [n["id"] for n in got] == ids
    assert [n["__typename"] for n in got] == ["Order", "Customer", "ProductVariant", "Location"]
