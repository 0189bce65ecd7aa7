"""Order calls over HTTP: paging, whole orders in few requests, long orders whole, batched write-back."""
import time

import pytest

from shopify_simulator import Simulator
from shopify_simulator.generator import generate
from synco_shopify.shopify.api import orders_api


@pytest.fixture(scope="module")
def big_shop(access_token):
    with Simulator(orders=5000, seed=2, token=access_token) as sim:
        yield sim


@pytest.fixture(scope="module")
def long_orders_shop(access_token):
    with Simulator(scenario=generate(5, 2, scenarios=["many_lines"]), token=access_token) as sim:
        yield sim


def test_paging_5000_orders_returns_each_exactly_once(big_shop, make_client, capsys):
    with make_client(big_shop) as client:
        started = time.perf_counter()
        ids = [order["id"] for order in orders_api.iter_order_headers(client, None)]
        elapsed = time.perf_counter() - started
    assert len(ids) == 5000
    assert set(ids) == {order["id"] for order in big_shop.data.orders}
    assert big_shop.stats["by_operation"] == {"OrderHeaders": 20}  # 250 a page
    with capsys.disabled():
        print(f"\n[throughput] iter_order_headers over HTTP: {len(ids) / elapsed:,.0f} orders/s "
              f"({len(ids)} orders, {client.counters.requests} requests, {elapsed:.2f} s)")


def test_search_query_narrows_the_headers(sim, client):
    paid = {o["id"] for o in sim.data.orders if o["displayFinancialStatus"] == "PAID"}
    found = [o["id"] for o in orders_api.iter_order_headers(client, "financial_status:paid", page_size=50)]
    assert sorted(found) == sorted(paid) and 0 < len(found) < len(sim.data.orders)


def test_fetch_orders_gets_whole_orders_in_few_requests_in_the_given_order(sim, client):
    gids = [o["id"] for o in reversed(sim.data.orders[:40])]
    orders = orders_api.fetch_orders(client, [*gids, "gid://shopify/Order/987654321", gids[0]])
    assert [o["id"] for o in orders] == gids  # the unknown order left out, the repeat once
    assert sim.stats["by_operation"]["OrdersFull"] == 2  # 33 + 7
    single = orders_api.fetch_order(client, gids[5])
    assert single == orders[5]


def test_a_batch_shopify_prices_too_high_is_split(sim, client):
    gids = [o["id"] for o in sim.data.orders[40:80]]
    orders = orders_api.fetch_orders(client, gids, batch_size=40)
    assert [o["id"] for o in orders] == gids
    assert sim.stats["by_operation"]["OrdersFull"] == 3  # 40 refused (cost 1,052), then 20 + 20


def test_fetch_order_of_an_unknown_order_is_none(client):
    assert orders_api.fetch_order(client, "gid://shopify/Order/987654321") is None


@pytest.mark.parametrize("page", [orders_api.LINE_ITEMS_PER_PAGE, 100])
def test_an_order_with_more_than_250_lines_comes_back_whole(long_orders_shop, make_client, monkeypatch, page):
    monkeypatch.setattr(orders_api, "LINE_ITEMS_PER_PAGE", page)
    stored = {o["id"]: [line["id"] for line in o["lineItems"]] for o in long_orders_shop.data.orders}
    assert all(len(lines) > 250 for lines in stored.values())
    with make_client(long_orders_shop) as client:
        orders = orders_api.fetch_orders(client, list(stored))
    for order in orders:
        assert [line["id"] for line in order["lineItems"]["nodes"]] == stored[order["id"]]
        assert order["lineItems"]["pageInfo"]["hasNextPage"] is False


def test_set_odoo_ids_batches_25_and_maps_refusals_to_their_orders(sim, client):
    gids = [o["id"] for o in sim.data.orders[100:160]]
    pairs = [(gid, f"SO{n}") for n, gid in enumerate(gids)]
    unknown = "gid://shopify/Order/987654321"
    pairs[3] = (gids[3], "two\nlines")  # not a single line: refused by Shopify
    pairs.insert(10, (unknown, "SO-x"))

    results = orders_api.set_odoo_ids(client, pairs)

    assert results[gids[3]].startswith("INVALID_VALUE")
    assert results[unknown].startswith("INVALID")
    assert [gid for gid, error in results.items() if error] == [gids[3], unknown]
    # 61 entries: 25 (two refused, so sent again as 23), 25, 11.
    assert sim.stats["by_operation"]["SetOdooIds"] == 4
    written = {gid: sim.metafield(gid, "custom", "odoo_id") for gid in gids}
    assert written[gids[3]] is None
    assert written[gids[4]]["value"] == "SO4" and written[gids[59]]["value"] == "SO59"


def test_writing_the_same_ids_again_creates_no_duplicate(sim, client):
    gids = [o["id"] for o in sim.data.orders[160:170]]
    pairs = [(gid, f"SO{n}") for n, gid in enumerate(gids)]
    orders_api.set_odoo_ids(client, pairs)
    first = {gid: sim.metafield(gid, "custom", "odoo_id")["id"] for gid in gids}
    assert orders_api.set_odoo_ids(client, pairs) == dict.fromkeys(gids)
    again = {gid: sim.metafield(gid, "custom", "odoo_id")["id"] for gid in gids}
    assert again == first
    assert all(len([m for m in sim.metafields.of_owner(gid) if m["key"] == "odoo_id"]) == 1 for gid in gids)


def test_odoo_id_definition_is_created_once(client):
    assert orders_api.ensure_odoo_id_definition(client) is True
    assert orders_api.ensure_odoo_id_definition(client) is False
