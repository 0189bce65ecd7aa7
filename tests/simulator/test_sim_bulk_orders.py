"""Bulk exports of whole orders as Shopify serves them: JSONL over HTTP, nested connections on
lines of their own, plain lists inline, concurrent operations limited per version, and a
RUNNING time that grows with the size of the export."""
import json
import time
from pathlib import Path

import pytest
import requests
from graphql import parse

from shopify_simulator import schema
from shopify_simulator.bulk import check_shape
from sim_http import data

DOCUMENTS = Path(__file__).resolve().parents[2] / "synco_shopify" / "shopify" / "api" / "documents"
RUN = """mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) {
  bulkOperation { id status } userErrors { field message code } } }"""
STATUS = """query($id: ID!) { bulkOperation(id: $id) {
  id status errorCode objectCount rootObjectCount fileSize url } }"""
ACTIVE = ("CREATED", "RUNNING", "CANCELING")


def whole_orders(search):
    """The addon's BulkOrdersFull with its fragments (read as files: no addon import here)."""
    text = (DOCUMENTS / "BulkOrdersFull.graphql").read_text().replace('"$QUERY"', json.dumps(search))
    fragments = "\n".join(p.read_text() for p in sorted((DOCUMENTS / "fragments").glob("*.graphql"))
                          if p.stem != "OrderFull")
    return text + "\n" + fragments


def _run(sim, query, version=None):
    return data(sim, RUN, {"q": query}, version=version)["bulkOperationRunQuery"]


def _finish(sim, gid, deadline=30.0):
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        status = data(sim, STATUS, {"id": gid})["bulkOperation"]
        if status["status"] not in ACTIVE:
            return status
        time.sleep(0.05)
    raise AssertionError(f"{gid} still running after {deadline} s")


@pytest.mark.parametrize("version", schema.versions())
def test_whole_orders_fit_shopify_bulk_rules_in_every_version(version):
    connections, errors = check_shape(schema.load(version), parse(whole_orders("")))
    assert errors == []
    assert len(connections) == 5  # Shopify's maximum, nested two deep


def test_a_connection_inside_a_plain_list_is_refused(simulator):
    # Order.refunds is a list: its refundLineItems cannot come through a bulk export.
    query = """{ orders { edges { node { id refunds { id refundLineItems { nodes { quantity } } } } } } }"""
    refused = _run(simulator, query)
    assert refused["bulkOperation"] is None
    assert "connection field within a list field" in refused["userErrors"][0]["message"]


def test_nested_nodes_get_lines_of_their_own_and_plain_lists_stay_inline(simulator):
    started = _run(simulator, whole_orders(""))
    assert started["userErrors"] == []
    done = _finish(simulator, started["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED"
    response = requests.get(done["url"], timeout=30)
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert int(done["objectCount"]) == len(lines) and int(done["fileSize"]) == len(response.content)
    orders = {o["id"]: o for o in simulator.data.orders}
    roots = [line for line in lines if "__parentId" not in line]
    assert int(done["rootObjectCount"]) == len(roots) == len(orders)
    seen = set()
    for line in lines:
        if "__parentId" in line:
            assert line["__parentId"] in seen  # a child comes after its parent
        else:
            seen.add(line["id"])
            # lists stay on the order's line; connections do not
            assert isinstance(line["transactions"], list) and isinstance(line["refunds"], list)
            assert "lineItems" not in line and "shippingLines" not in line
    items = [line for line in lines if line.get("id", "").startswith("gid://shopify/LineItem/")]
    assert len(items) == sum(len(o["lineItems"]) for o in orders.values())
    assert all(isinstance(item["taxLines"], list) and isinstance(item["discountAllocations"], list)
               for item in items)
    discounts = [line for line in lines if "__parentId" in line and "id" not in line]
    assert len(discounts) == sum(len(o.get("discountApplications") or ()) for o in orders.values())


def test_version_2025_10_runs_one_export_and_2026_01_five(make_simulator):
    sim = make_simulator(orders=20, seed=2)
    sim.faults.inject("bulk_slow", count=6, delay=1.5)
    first = _run(sim, whole_orders(""), version="2025-10")
    assert first["userErrors"] == []
    refused = _run(sim, whole_orders(""), version="2025-10")
    assert refused["bulkOperation"] is None and refused["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"
    # 2026-01 allows five at a time: four more beside the running one, then a refusal.
    more = [_run(sim, whole_orders(""), version="2026-01") for _ in range(4)]
    assert all(m["userErrors"] == [] for m in more)
    sixth = _run(sim, whole_orders(""), version="2026-01")
    assert sixth["bulkOperation"] is None and sixth["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"
    for started in [first, *more]:
        assert _finish(sim, started["bulkOperation"]["id"])["status"] == "COMPLETED"
    assert _run(sim, whole_orders(""), version="2025-10")["userErrors"] == []  # free again


def test_running_time_grows_with_the_export_and_object_count_with_it(make_simulator):
    sim = make_simulator(orders=200, seed=1, bulk_objects_per_second=1000)
    timings = {}
    for search in ("id:<0", ""):
        started_at = time.monotonic()
        operation = _run(sim, whole_orders(search))["bulkOperation"]
        counts = []
        while True:
            status = data(sim, STATUS, {"id": operation["id"]})["bulkOperation"]
            if status["status"] not in ACTIVE:
                break
            counts.append(int(status["objectCount"]))
            time.sleep(0.1)
        timings[search] = (time.monotonic() - started_at, int(status["objectCount"]), counts)
    empty_seconds, nothing, _ = timings["id:<0"]
    seconds, total, counts = timings[""]
    assert nothing == 0 and empty_seconds < 1.0
    assert total > 1000 and seconds >= total / 1000  # one second per 1,000 objects
    assert any(0 < count < total for count in counts)  # objectCount grows while RUNNING
    assert counts == sorted(counts)
