"""Whole orders through a bulk export: the same payloads as OrdersFull pages, over HTTP."""
import pytest

from shopify_simulator import Simulator
from synco_shopify.shopify.api import orders_api, orders_bulk
from synco_shopify.shopify.api.errors import UserErrors
from synco_shopify.shopify.reading.order import parse_order

SHOP = "synco-demo.myshopify.com"
TOKEN = "shpat_test_token_0123456789abcdef"  # what conftest.make_client sends

FAST_POLL = {"poll_seconds": (0.05, 0.3), "deadline_seconds": 60}


@pytest.fixture(scope="module")
def shop():
    """150 generated orders (shipments, refunds, a 263-line order), one of them edited since."""
    with Simulator(orders=150, seed=1, token=TOKEN, shop=SHOP, bulk_objects_per_second=20_000) as sim:
        order, line = next((o, line) for o in sim.data.orders for line in o["lineItems"]
                           if o["displayFulfillmentStatus"] == "UNFULFILLED" and not o.get("cancelledAt")
                           and line["currentQuantity"] >= 2)
        sim.edit(order["id"], set_quantity=[(line["id"], line["currentQuantity"] - 1)])
        yield sim


@pytest.fixture(scope="module")
def both(shop, make_client):
    gids = [o["id"] for o in shop.data.orders]
    with make_client(shop) as client:
        paged = orders_api.fetch_orders(client, gids)
        bulk = orders_api.fetch_orders_bulk(client, gids, **FAST_POLL)
    return paged, bulk


def _without_last_cursor(orders):
    # The only difference allowed: a paged read ends on a cursor, a bulk file has none.
    for order in orders:
        assert order["lineItems"]["pageInfo"]["hasNextPage"] is False
        order["lineItems"]["pageInfo"]["endCursor"] = None
    return orders


def test_bulk_payloads_equal_the_paged_ones(both):
    paged, bulk = both
    assert len(bulk) == len(paged) == 150
    assert [o["id"] for o in bulk] == [o["id"] for o in paged]
    assert bulk == _without_last_cursor(paged)


def test_what_the_follow_ups_add_is_there(both):
    _, bulk = both
    # A 263-line order, shipments, refunds and an edited order: every part that is not in the
    # bulk file itself was read and merged.
    assert max(len(o["lineItems"]["nodes"]) for o in bulk) > 250
    shipments = [f for o in bulk for f in o["fulfillments"]]
    assert shipments and all(f["fulfillmentLineItems"]["nodes"] for f in shipments)
    refunds = [r for o in bulk for r in o["refunds"]]
    assert refunds and all("orderAdjustments" in r and "refundShippingLines" in r for r in refunds)
    assert any(item["restockType"] for r in refunds for item in r["refundLineItems"]["nodes"])
    edited = [o for o in bulk if o["edited"]]
    assert len(edited) == 1 and edited[0]["agreements"]["nodes"]


def test_parse_order_reads_both_the_same(both):
    paged, bulk = both
    for one, other in zip(paged, bulk):
        assert parse_order(other) == parse_order(one)


def test_nulls_the_schema_allows_survive_reassembly(both):
    _, bulk = both
    assert any("note" in o and o["note"] is None for o in bulk)
    assert any("customer" in o and o["customer"] is None for o in bulk)
    lines = [line for o in bulk for line in o["lineItems"]["nodes"]]
    assert any(key in line and line[key] is None for line in lines for key in ("variantTitle", "sku", "vendor"))
    shipping = [s for o in bulk for s in o["shippingLines"]["nodes"]]
    assert any(s["carrierIdentifier"] is None for s in shipping)


def test_a_subset_comes_back_in_the_asked_order_without_unknown_ids(shop, make_client):
    gids = [o["id"] for o in shop.data.orders]
    asked = gids[100:40:-3] + ["gid://shopify/Order/1"]  # every third order, backwards, plus a stranger
    with make_client(shop) as client:
        got = orders_api.fetch_orders_bulk(client, asked, **FAST_POLL)
        expected = orders_api.fetch_orders(client, asked)
    assert [o["id"] for o in got] == asked[:-1]
    assert got == _without_last_cursor(expected)


def test_an_empty_request_sends_nothing(shop, make_client):
    shop.reset_stats()
    with make_client(shop) as client:
        assert orders_api.fetch_orders_bulk(client, []) == []
    assert shop.stats["requests"] == 0


def test_ids_become_ranges_merged_past_the_limit():
    gid = "gid://shopify/Order/{}".format
    assert orders_bulk.search_for([gid(5), gid(3), gid(4), gid(9)]) == "(id:>=3 id:<=5) OR id:9"
    many = [gid(n) for n in range(0, 400, 2)]  # 200 separate ids
    query = orders_bulk.search_for(many, max_ranges=10)
    assert query.count(" OR ") == 9 and query.startswith("(id:>=0 ") and query.endswith("398")


def test_a_second_export_on_2025_10_is_refused_while_one_runs(shop, make_client):
    shop.faults.inject("bulk_slow", count=1, delay=1.5)
    wanted = [shop.data.orders[0]["id"]]
    with make_client(shop, version="2025-10") as client:
        first = client.execute("BulkRunQuery", {"query": orders_bulk.orders_query("id:1")})
        with pytest.raises(UserErrors) as refused:
            orders_api.fetch_orders_bulk(client, wanted, **FAST_POLL)
        assert [e["code"] for e in refused.value.user_errors] == ["OPERATION_IN_PROGRESS"]
        running = first["bulkOperationRunQuery"]["bulkOperation"]["id"]
        while client.execute("BulkOperation", {"id": running})["node"]["status"] == "RUNNING":
            client.sleep(0.1)
        # Once it is over, the next export runs.
        assert [o["id"] for o in orders_api.fetch_orders_bulk(client, wanted, **FAST_POLL)] == wanted
