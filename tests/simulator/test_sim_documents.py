"""Every GraphQL document of the addon runs on the simulator, on every served version, without error."""
import time

import pytest

from sim_http import data, gql
from shopify_simulator import schema
from shopify_simulator.generator import generate
from synco_shopify.shopify.api import documents


@pytest.mark.parametrize("version", schema.versions())
def test_the_read_documents_answer_every_field_for_every_order(simulator, version):
    orders = simulator.data.orders
    full = data(simulator, documents.load("OrdersFull"), {"first": 33}, version=version)["orders"]["nodes"]
    assert len(full) == 33
    for order in orders[:40]:
        one = gql(simulator, documents.load("OrderFull"), {"id": order["id"]}, version=version)
        assert "errors" not in one, (order["_scenarios"], one["errors"][:3])
        assert one["data"]["order"]["id"] == order["id"]
    headers = data(simulator, documents.load("OrderHeaders"), {"first": 250}, version=version)
    assert len(headers["orders"]["nodes"]) == 250
    shop = data(simulator, documents.load("Shop"), version=version)["shop"]
    assert shop["currencyCode"] == simulator.data.shop["currencyCode"]
    locations = data(simulator, documents.load("Locations"), {"first": 50}, version=version)["locations"]["nodes"]
    assert {loc["id"] for loc in locations} == {loc["id"] for loc in simulator.data.locations}
    count = data(simulator, documents.load("OrdersCount"), {"query": None}, version=version)["ordersCount"]
    assert count == {"count": len(orders), "precision": "EXACT"}


def test_every_generated_order_comes_back_whole_through_order_full(simulator):
    for order in simulator.data.orders:
        body = simulator.execute(documents.load("OrderFull"), {"id": order["id"]})
        assert "errors" not in body, (order["_scenarios"], body["errors"][:3])


def test_an_order_with_more_lines_than_a_page_is_completed_by_order_line_items_page(make_simulator):
    sim = make_simulator(scenario=generate(5, 2, scenarios=["many_lines"]))
    order = sim.data.orders[0]
    first = data(sim, documents.load("OrderFull"), {"id": order["id"]})["order"]["lineItems"]
    lines, page = [n["id"] for n in first["nodes"]], first["pageInfo"]
    while page["hasNextPage"]:
        more = data(sim, documents.load("OrderLineItemsPage"),
                    {"id": order["id"], "first": 250, "after": page["endCursor"]})["order"]["lineItems"]
        lines += [n["id"] for n in more["nodes"]]
        page = more["pageInfo"]
    assert len(order["lineItems"]) > 250
    assert lines == [line["id"] for line in order["lineItems"]]


def test_the_write_documents_define_set_and_read_back_the_odoo_id(make_simulator):
    sim = make_simulator(orders=30, seed=2)
    definition = {"name": "Odoo id", "namespace": "custom", "key": "odoo_id", "type": "single_line_text_field",
                  "ownerType": "ORDER"}
    defined = data(sim, documents.load("DefineOdooId"), {"definition": definition})["metafieldDefinitionCreate"]
    assert defined["userErrors"] == []
    orders = sim.data.orders[:25]
    entries = [{"ownerId": o["id"], "namespace": "custom", "key": "odoo_id", "value": str(n)}
               for n, o in enumerate(orders)]
    written = data(sim, documents.load("SetOdooIds"), {"metafields": entries})["metafieldsSet"]
    assert written["userErrors"] == [] and len(written["metafields"]) == 25
    headers = data(sim, documents.load("OrderHeaders"), {"first": 250, "sortKey": "ID"})["orders"]["nodes"]
    values = {h["id"]: (h["odooId"] or {}).get("value") for h in headers}
    assert [values[o["id"]] for o in orders] == [str(n) for n in range(25)]


def test_the_bulk_documents_export_every_order_header(make_simulator):
    sim = make_simulator(orders=120, seed=4)
    inner = documents.load("BulkOrderHeadersExport").replace("$QUERY", "created_at:>='2000-01-01'")
    started = data(sim, documents.load("BulkRunQuery"), {"query": inner})["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    deadline = time.monotonic() + 10
    while True:
        status = data(sim, documents.load("BulkOperation"), {"id": started["bulkOperation"]["id"]}, version="2025-10")
        if status["node"]["status"] == "COMPLETED" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status["node"]["status"] == "COMPLETED"
    assert int(status["node"]["rootObjectCount"]) == len(sim.data.orders)
