"""Transient failures are retried until they pass, within a time budget, and only when safe."""
import logging
import time

import pytest

from synco_shopify.shopify.api import orders_api
from synco_shopify.shopify.api.errors import ShopifyUnavailable, Throttled

QUERY_FAULTS = [
    ("http_5xx", {"status": 503}),
    ("http_5xx", {"status": 502}),
    ("http_429", {"retry_after": 0}),
    ("slow", {"delay": 1.0}),
    ("drop", {}),
    ("throttle", {}),
]


@pytest.mark.parametrize("kind, params", QUERY_FAULTS, ids=lambda v: v if isinstance(v, str) else "")
def test_query_recovers_from_each_fault(sim, make_client, kind, params, caplog, access_token):
    caplog.set_level(logging.DEBUG)
    sim.faults.inject(kind, count=1, **params)
    # A read timeout below the slow fault's delay turns "slow" into a timeout to retry.
    with make_client(sim, timeout=(2, 0.5)) as client:
        shop = client.execute("Shop")["shop"]
    assert shop["myshopifyDomain"] == "synco-demo.myshopify.com"
    assert sim.stats["faults_by_kind"] == {kind: 1}
    assert client.counters.retries == 1
    assert access_token not in caplog.text


def test_retry_after_is_honoured(sim, make_client):
    sim.faults.inject("http_429", count=1, retry_after=1)
    with make_client(sim) as client:
        started = time.monotonic()
        client.execute("Shop")
    assert time.monotonic() - started >= 1.0
    assert client.counters.throttle_waits == 1 and client.counters.throttle_wait_seconds >= 1.0


def test_write_back_recovers_from_internal_user_errors(sim, make_client):
    gids = [o["id"] for o in sim.data.orders[:3]]
    sim.faults.inject("metafield_user_errors", count=2)
    with make_client(sim) as client:
        results = orders_api.set_odoo_ids(client, [(gid, f"S{n:05d}") for n, gid in enumerate(gids)])
    assert results == dict.fromkeys(gids)
    assert sim.stats["by_operation"]["SetOdooIds"] == 3
    assert [sim.metafield(gid, "custom", "odoo_id")["value"] for gid in gids] == ["S00000", "S00001", "S00002"]


def test_safe_mutation_is_resent_after_an_unknown_outcome(sim, make_client):
    gid = sim.data.orders[3]["id"]
    sim.faults.inject("drop", count=1)
    with make_client(sim) as client:
        assert orders_api.set_odoo_ids(client, [(gid, "S00042")]) == {gid: None}
    assert sim.metafield(gid, "custom", "odoo_id")["value"] == "S00042"


def test_unsafe_mutation_is_not_resent_after_an_unknown_outcome(sim, make_client):
    sim.faults.inject("http_5xx", count=1, status=500)
    with make_client(sim) as client:
        with pytest.raises(ShopifyUnavailable, match="may or may not have been applied"):
            client.execute("BulkRunQuery", {"query": "{ orders { edges { node { id } } } }"})
    assert sim.stats["graphql_requests"] == 1


def test_unsafe_mutation_is_resent_when_shopify_surely_did_not_run_it(sim, make_client):
    sim.faults.inject("throttle", count=1)
    with make_client(sim) as client:
        started = client.execute("BulkRunQuery", {"query": "{ orders { edges { node { id } } } }"})
    assert started["bulkOperationRunQuery"]["bulkOperation"]["id"]
    assert sim.stats["by_operation"]["BulkRunQuery"] == 2


@pytest.mark.parametrize("kind, error", [("http_5xx", ShopifyUnavailable), ("throttle", Throttled)])
def test_retry_budget_bounds_the_time_then_raises_the_typed_error(sim, make_client, kind, error):
    sim.faults.inject(kind, count=10_000)
    with make_client(sim, max_retry_seconds=1.5) as client:
        started = time.monotonic()
        with pytest.raises(error) as caught:
            client.execute("Shop")
        spent = time.monotonic() - started
    assert 0.25 <= spent <= 1.5 + 0.5
    assert client.counters.retries >= 1
    assert "retry" in str(caught.value)
