"""The HTTP surface: versions, tokens, loopback only, the control endpoints."""
import pytest
import requests

import sim_shops
from sim_http import TOKEN, data, post
from shopify_simulator import Simulator, schema

SHOP_QUERY = "{ shop { name currencyCode } }"


def test_every_published_version_is_served_and_named_in_the_response(simulator):
    for version in schema.versions():
        response = post(simulator, SHOP_QUERY, version=version)
        assert response.status_code == 200
        assert response.headers["X-Shopify-API-Version"] == version
        assert response.json()["data"]["shop"]["currencyCode"] == simulator.data.shop["currencyCode"]


def test_an_unknown_version_is_404(simulator):
    for version in ("2024-01", "unstable", "2026-13"):
        response = post(simulator, SHOP_QUERY, version=version)
        assert response.status_code == 404, version


@pytest.mark.parametrize("token", [None, "", "shpat_wrong"])
def test_a_missing_or_wrong_token_is_401_with_shopifys_body(simulator, token):
    response = post(simulator, SHOP_QUERY, token=token)
    assert response.status_code == 401
    assert response.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }


def test_a_body_without_a_query_is_400(simulator):
    url = simulator.graphql_url()
    headers = {"X-Shopify-Access-Token": TOKEN}
    assert requests.post(url, data=b"not json", headers=headers, timeout=5).status_code == 400
    assert requests.post(url, json={"variables": {}}, headers=headers, timeout=5).status_code == 400


def test_only_loopback_addresses_are_accepted():
    with pytest.raises(ValueError, match="loopback"):
        Simulator(scenario=sim_shops.shop_with(1), host="0.0.0.0")
    with pytest.raises(ValueError, match="loopback"):
        Simulator(scenario=sim_shops.shop_with(1), host="192.168.1.10")


def test_orders_posted_to_the_control_endpoint_are_served(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(3))
    added = sim_shops.order(50, name="#9050")
    del added["updatedAt"]
    response = requests.post(f"{sim.base_url}/__simulator__/orders", json=[added], timeout=5)
    assert response.json() == {"upserted": 1}
    got = data(sim, "query($id: ID!) { order(id: $id) { name updatedAt } }", {"id": added["id"]})["order"]
    assert got["name"] == "#9050"
    # updatedAt was not given: it is "now", later than anything already stored.
    assert got["updatedAt"] > max(o["updatedAt"] for o in sim_shops.shop_with(3).orders)


def test_stats_count_requests_and_reset_over_http(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(3))
    data(sim, "query Named { shop { name } }")
    data(sim, "{ orders(first: 2) { nodes { id } } }")
    stats = requests.get(f"{sim.base_url}/__simulator__/stats", timeout=5).json()
    assert stats["graphql_requests"] == 2
    assert stats["requests"] == 3  # the stats request itself counts
    assert stats["by_operation"] == {"Named": 1, "orders": 1}
    assert stats["orders_served"] == 2
    reset = requests.post(f"{sim.base_url}/__simulator__/stats/reset", timeout=5).json()
    assert reset["graphql_requests"] == 0
    assert sim.stats["by_operation"] == {}


def test_unknown_paths_are_404(simulator):
    assert requests.get(f"{simulator.base_url}/admin/shop.json", timeout=5).status_code == 404
    assert requests.get(f"{simulator.base_url}/__simulator__/nothing", timeout=5).status_code == 404


def test_in_process_execute_answers_like_the_server(simulator):
    query = "query($n: Int!) { orders(first: $n, sortKey: ID) { nodes { id name totalPriceSet { shopMoney { amount } } } } }"
    over_http = data(simulator, query, {"n": 20})
    assert simulator.execute(query, {"n": 20}) == {"data": over_http}


def test_concurrent_clients_each_page_every_order_once(make_simulator):
    from concurrent.futures import ThreadPoolExecutor

    from sim_http import page_through

    sim = make_simulator(orders=400, seed=5, plan="plus")

    def walk(_):
        with requests.Session() as session:
            return page_through(sim, "orders", "id", first=50, args=", sortKey: UPDATED_AT", session=session)

    with ThreadPoolExecutor(max_workers=6) as pool:
        walks = list(pool.map(walk, range(6)))
    expected = {o["id"] for o in sim.data.orders}
    for nodes, pages in walks:
        assert len(nodes) == len(expected) and {n["id"] for n in nodes} == expected
    assert sim.stats["graphql_requests"] == sum(pages for _, pages in walks)
    assert sim.stats["orders_served"] == 6 * len(expected)


def test_a_stopped_simulator_answers_no_kept_alive_connection(make_simulator):
    sim = make_simulator(scenario=sim_shops.shop_with(2))
    with requests.Session() as session:
        assert post(sim, SHOP_QUERY, session=session).status_code == 200
        sim.stop()
        with pytest.raises(requests.ConnectionError):
            post(sim, SHOP_QUERY, session=session)


def test_a_document_with_several_operations_needs_an_operation_name(simulator):
    document = "query A { shop { name } } query B { shop { currencyCode } }"
    unnamed = post(simulator, document).json()
    assert unnamed["errors"][0]["extensions"]["code"] == "OPERATION_NOT_FOUND" and "data" not in unnamed
    named = post(simulator, document, operation_name="B").json()
    assert named["data"] == {"shop": {"currencyCode": simulator.data.shop["currencyCode"]}}
    assert simulator.stats["by_operation"].get("B", 0) >= 1
