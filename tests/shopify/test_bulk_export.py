"""Bulk exports over HTTP: started, polled to the end within a deadline, streamed, re-nested."""
import time

import pytest

from synco_shopify.shopify.api import bulk
from synco_shopify.shopify.api.errors import BulkOperationFailed

FAST_POLL = {"poll_seconds": (0.05, 0.5), "deadline_seconds": 30}
ORDERS_WITH_LINES = """
query { orders(query: "financial_status:paid", sortKey: CREATED_AT) { edges { node {
  id name lineItems { edges { node { id quantity } } }
} } } }
"""


def test_order_headers_export_yields_every_order_once(sim, client):
    headers = list(bulk.export_order_headers(client, "", **FAST_POLL))
    ids = [h["id"] for h in headers]
    assert len(ids) == len(set(ids)) == len(sim.data.orders)
    assert set(ids) == {o["id"] for o in sim.data.orders}
    assert all("totalPriceSet" in h and "__parentId" not in h for h in headers)
    assert sim.stats["by_operation"]["BulkRunQuery"] == 1


def test_the_search_string_is_written_into_the_bulk_query(sim, client):
    wanted = sim.data.orders[7]["name"]
    headers = list(bulk.export_order_headers(client, f'name:"{wanted}"', **FAST_POLL))
    assert [h["name"] for h in headers] == [wanted]


def test_an_export_matching_nothing_yields_nothing(client):
    assert list(bulk.export_order_headers(client, "name:no-such-order", **FAST_POLL)) == []


def test_polling_backs_off_until_a_slow_export_completes(sim, client):
    sim.faults.inject("bulk_slow", count=1, delay=1.0)
    started = time.monotonic()
    assert len(list(bulk.export_order_headers(client, "", **FAST_POLL))) == len(sim.data.orders)
    assert time.monotonic() - started >= 1.0
    polls = sim.stats["by_operation"]["BulkOperation"]
    assert 3 <= polls <= 12  # backed off: not one poll per 50 ms


def test_an_export_past_its_deadline_raises(sim, client):
    sim.faults.inject("bulk_slow", count=1, delay=3.0)
    started = time.monotonic()
    with pytest.raises(BulkOperationFailed, match="still RUNNING"):
        bulk.run_query(client, bulk.order_headers_query(""), poll_seconds=(0.1, 0.2), deadline_seconds=0.6)
    assert time.monotonic() - started < 1.5


def test_downloaded_export_re_nests_line_items_under_their_order(sim, client, tmp_path):
    operation = bulk.run_query(client, ORDERS_WITH_LINES, **FAST_POLL)
    path = bulk.download(client, operation["url"], tmp_path / "orders.jsonl")
    roots = list(bulk.nested(path))
    paid = {o["id"]: [line["id"] for line in o["lineItems"]] for o in sim.data.orders
            if o["displayFinancialStatus"] == "PAID"}
    assert {r["id"] for r in roots} == set(paid)
    for order in roots:
        assert [line["id"] for line in order["__children"]["LineItem"]] == paid[order["id"]]
