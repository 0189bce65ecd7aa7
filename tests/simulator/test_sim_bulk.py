"""Bulk query operations: shape rules, background run, JSONL with __parentId after parents."""
import json
import time

import pytest
import requests

from shopify_simulator.bulk import ACTIVE

import sim_shops
from sim_http import data

RUN = """mutation($q: String!, $g: Boolean!) { bulkOperationRunQuery(query: $q, groupObjects: $g) {
  bulkOperation { id status type } userErrors { field message code } } }"""
STATUS = """query($id: ID!) { bulkOperation(id: $id) {
  id status errorCode objectCount rootObjectCount fileSize url createdAt completedAt } }"""
EXPORT = """{ orders(query: "created_at:>='2026-03-01'", sortKey: CREATED_AT) { edges { node {
  id name tags totalPriceSet { shopMoney { amount } }
  lineItems { edges { node { id sku taxLines { title } } } }
  transactions { id }
} } } }"""


@pytest.fixture
def sim(make_simulator):
    return make_simulator(scenario=sim_shops.shop_with(40))


def _run(sim, query, group=False):
    return data(sim, RUN, {"q": query, "g": group})["bulkOperationRunQuery"]


def _finish(sim, operation_id, deadline=10.0):
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        status = data(sim, STATUS, {"id": operation_id})["bulkOperation"]
        # CANCELING is still on its way to CANCELED: not finished yet.
        if status["status"] not in ACTIVE:
            return status
        time.sleep(0.05)
    raise AssertionError(f"bulk operation {operation_id} still running after {deadline} s")


def _lines(url):
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    return [json.loads(line) for line in response.text.splitlines()]


@pytest.mark.parametrize("group", [False, True])
def test_a_nested_export_completes_and_each_child_follows_its_parent(sim, group):
    started = _run(sim, EXPORT, group)
    assert started["userErrors"] == [] and started["bulkOperation"]["status"] == "CREATED"
    assert started["bulkOperation"]["type"] == "QUERY"
    done = _finish(sim, started["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED" and done["errorCode"] is None and done["completedAt"]
    assert done["url"].startswith(sim.base_url)
    lines = _lines(done["url"])
    orders = sorted(sim.data.orders, key=lambda o: (o["createdAt"], int(o["legacyResourceId"])))
    roots = [line for line in lines if "__parentId" not in line]
    assert [r["id"] for r in roots] == [o["id"] for o in orders]
    children = [line for line in lines if "__parentId" in line]
    assert len(children) == sum(len(o["lineItems"]) for o in orders)
    position = {line["id"]: index for index, line in enumerate(lines)}
    assert all(position[c["__parentId"]] < position[c["id"]] for c in children)
    for order in orders:
        mine = [c["id"] for c in children if c["__parentId"] == order["id"]]
        assert mine == [line["id"] for line in order["lineItems"]]
    # The nested connection leaves the parent line; plain lists stay inline.
    assert "lineItems" not in roots[0] and roots[0]["transactions"] == []
    assert children[0]["taxLines"] == [{"title": "Tax"}]
    assert int(done["objectCount"]) == len(lines) and int(done["rootObjectCount"]) == len(roots)
    assert int(done["fileSize"]) == len(requests.get(done["url"], timeout=10).content)
    if group:
        first_children = lines[1:1 + len(orders[0]["lineItems"])]
        assert [c["__parentId"] for c in first_children] == [orders[0]["id"]] * len(first_children)
    else:
        assert lines[:len(roots)] == roots


def test_bulk_operations_are_listed_by_status_and_type(sim):
    operation = _run(sim, "{ orders { edges { node { id } } } }")["bulkOperation"]
    _finish(sim, operation["id"])
    query = 'query($q: String) { bulkOperations(first: 10, query: $q) { nodes { id status } } }'
    assert data(sim, query, {"q": "status:completed operation_type:query"})["bulkOperations"]["nodes"] == [
        {"id": operation["id"], "status": "COMPLETED"}]
    assert data(sim, query, {"q": "status:running"})["bulkOperations"]["nodes"] == []
    node = data(sim, "query($id: ID!) { node(id: $id) { ... on BulkOperation { status } } }", {"id": operation["id"]})
    assert node["node"] == {"status": "COMPLETED"}


@pytest.mark.parametrize("query, message", [
    ("{ shop { name } }", "at least one connection"),
    ("""{ orders { edges { node { id lineItems { edges { node { id
        discountAllocations { discountApplication { index } } } } } } } } }""", None),
    ("""{ products { edges { node { id variants { edges { node { id
        inventoryItem { inventoryLevels { edges { node { id } } } } } } } } } } }""", "nesting depth"),
    ("""{ orders { edges { node { id refunds { refundLineItems { edges { node { quantity } } } } } } } }""",
     "within a list field"),
    ("""{ orders { edges { node { name lineItems { edges { node { id } } } } } } }""", "must select 'id'"),
    ("""{ orders { edges { node { id
        a: lineItems { edges { node { id } } } b: lineItems { edges { node { id } } }
        c: lineItems { edges { node { id } } } d: lineItems { edges { node { id } } }
        e: lineItems { edges { node { id } } } } } } }""", "more than 5 connections"),
    ("{ orders { edges { node { idd } } } }", "doesn't exist"),
])
def test_bulk_query_shape_rules(sim, query, message):
    result = _run(sim, query)
    if message is None:
        assert result["userErrors"] == []
        _finish(sim, result["bulkOperation"]["id"])
        return
    assert result["bulkOperation"] is None
    assert [e["code"] for e in result["userErrors"]][:1] == ["INVALID"]
    assert any(message in e["message"] for e in result["userErrors"]), result["userErrors"]


def test_an_export_of_an_unimplemented_field_fails_instead_of_inventing_data(sim):
    operation = _run(sim, "{ orders { edges { node { id staffMember { id } } } } }")["bulkOperation"]
    done = _finish(sim, operation["id"])
    assert done["status"] == "FAILED" and done["errorCode"] == "INTERNAL_SERVER_ERROR" and done["url"] is None


def test_version_2025_10_runs_one_bulk_query_at_a_time_and_2026_01_five(sim):
    sim.faults.inject("bulk_slow", count=2, delay=0.5)
    first = data(sim, RUN, {"q": EXPORT, "g": False}, version="2025-10")["bulkOperationRunQuery"]
    assert first["userErrors"] == []
    assert data(sim, STATUS, {"id": first["bulkOperation"]["id"]})["bulkOperation"]["status"] == "RUNNING"
    refused = data(sim, RUN, {"q": EXPORT, "g": False}, version="2025-10")["bulkOperationRunQuery"]
    assert refused["bulkOperation"] is None
    assert [e["code"] for e in refused["userErrors"]] == ["OPERATION_IN_PROGRESS"]
    second = data(sim, RUN, {"q": EXPORT, "g": False}, version="2026-01")["bulkOperationRunQuery"]
    assert second["userErrors"] == []
    for started in (first, second):
        assert _finish(sim, started["bulkOperation"]["id"])["status"] == "COMPLETED"


def test_a_running_operation_can_be_canceled(sim):
    sim.faults.inject("bulk_slow", count=1, delay=5)
    operation = _run(sim, EXPORT)["bulkOperation"]
    cancel = """mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }"""
    answer = data(sim, cancel, {"id": operation["id"]})["bulkOperationCancel"]
    assert answer == {"bulkOperation": {"status": "CANCELING"}, "userErrors": []}
    done = _finish(sim, operation["id"], deadline=2)
    assert done["status"] == "CANCELED" and done["url"] is None
    assert data(sim, cancel, {"id": operation["id"]})["bulkOperationCancel"]["userErrors"] != []
