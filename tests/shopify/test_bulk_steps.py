"""A bulk export in steps (bulk_steps): started, asked once at a time, read; what queued jobs
use instead of bulk.run_query's polling loop."""
import time

import pytest

from tests.shopify.conftest import SHOP

from shopify_simulator import Simulator
from synco_shopify.shopify.api import bulk_steps
from synco_shopify.shopify.api.errors import BulkOperationFailed, UserErrors

CANCEL = "mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { message } } }"


def _until_over(client, operation, deadline=10.0):
    stop = time.monotonic() + deadline
    while operation["status"] in bulk_steps.STILL_GOING:
        assert time.monotonic() < stop, operation
        time.sleep(0.05)
        operation = bulk_steps.poll(client, operation["id"])
    return operation


def test_an_export_started_then_polled_once_at_a_time_reads_every_order(sim, client):
    sim.faults.inject("bulk_slow", count=1, delay=0.5)
    operation = bulk_steps.start_order_headers(client, None)
    assert operation["status"] in ("CREATED", "RUNNING")
    assert sim.stats["by_operation"] == {"BulkRunQuery": 1}, "starting does not wait"
    assert bulk_steps.finished(bulk_steps.poll(client, operation["id"])) is False
    operation = _until_over(client, operation)
    assert bulk_steps.finished(operation) is True
    assert bulk_steps.object_count(operation) == len(sim.data.orders)
    ids = [header["id"] for header in bulk_steps.results(client, operation)]
    assert sorted(ids) == sorted(o["id"] for o in sim.data.orders)


def test_a_cancelled_export_is_a_failure_that_says_so(sim, client):
    sim.faults.inject("bulk_slow", count=1, delay=5.0)
    operation = bulk_steps.start_order_headers(client, "")
    client.execute(CANCEL, {"id": operation["id"]})
    # CANCELING is not over yet.
    assert bulk_steps.finished({**operation, "status": "CANCELING"}) is False
    operation = _until_over(client, operation)
    with pytest.raises(BulkOperationFailed, match="ended CANCELED"):
        bulk_steps.finished(operation)


def test_a_second_export_while_one_runs_is_refused_as_busy_on_2025_10(make_client, access_token):
    # Before 2026-01 a shop runs one bulk query at a time (five from 2026-01). A shop of its
    # own: an export another test left running on the shared shop would be that one.
    with Simulator(orders=20, seed=4, token=access_token, shop=SHOP) as sim:
        _second_export_refused(sim, make_client(sim, version="2025-10"))


def _second_export_refused(sim, client):
    sim.faults.inject("bulk_slow", count=1, delay=2.0)
    first = bulk_steps.start_order_headers(client, "")
    with pytest.raises(UserErrors) as refused:
        bulk_steps.start_order_headers(client, "")
    assert bulk_steps.busy(refused.value)
    assert not bulk_steps.busy(UserErrors("BulkRunQuery", [{"code": "INVALID", "message": "bad"}]))
    _until_over(client, first)


def test_an_operation_shopify_no_longer_knows_fails_with_a_message_not_a_traceback(sim, client):
    # BulkOperation's node is nullable: an id Shopify does not know (expired, or never its).
    with pytest.raises(BulkOperationFailed, match="unknown to Shopify"):
        bulk_steps.poll(client, "gid://shopify/BulkOperation/987654321")
