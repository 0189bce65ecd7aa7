"""The Python conveniences (Simulator.refund, cancel, edit, capture, mark_as_paid), the clock,
and the mutations going through the gateway like any request (token, cost, faults)."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import requests

from shopify_simulator.lifecycle.api import LifecycleError
from sim_http import gql, post
from sim_lifecycle import amount, generated, stored

TORONTO = ZoneInfo("America/Toronto")


def test_refunds_on_two_days_in_shop_time(make_simulator):
    sim = make_simulator(scenario=generated(["source_web"], count=4, shop_currency="CAD"))
    order = next(o for o in sim.data.orders if o["displayFinancialStatus"] == "PAID")
    line = order["lineItems"][0]
    late = datetime(2026, 1, 31, 23, 30, tzinfo=TORONTO)
    first = sim.refund(order["id"], lines=[(line["id"], 1, "NO_RESTOCK")], when=late)
    assert first["refund"]["createdAt"] == "2026-02-01T04:30:00Z"
    second = sim.refund(order["id"], amount="1.00", when=late + timedelta(days=1))
    assert second["refund"]["createdAt"] == "2026-02-02T04:30:00Z"
    assert second["order"]["updatedAt"] >= "2026-02-02T04:30:00Z"
    stored(sim, order["id"])


def test_every_convenience_goes_through_graphql_and_returns_the_payload(make_simulator):
    sim = make_simulator(scenario=generated(["authorized"], count=3))
    first, second, third = sim.data.orders
    sim.reset_stats()
    assert sim.capture(first["id"], amount="1.00")["transaction"]["kind"] == "CAPTURE"
    assert sim.capture(first["id"])["transaction"]["kind"] == "CAPTURE"
    assert stored(sim, first["id"])["displayFinancialStatus"] == "PAID"
    assert sim.mark_as_paid(second["id"])["order"]["displayFinancialStatus"] == "PAID"
    variant = sim.store.objects("ProductVariant")[0]
    edited = sim.edit(third["id"], add=[(variant["id"], 1)])
    assert edited["order"]["edited"] is True
    assert sim.cancel(third["id"], refund=True, restock=True)["job"]["done"] is True
    assert stored(sim, third["id"])["displayFinancialStatus"] == "VOIDED"
    assert sim.stats["by_operation"] == {"Capture": 2, "Paid": 1, "Begin": 1, "Add": 1, "Commit": 1, "Cancel": 1}


def test_a_refused_convenience_raises_with_the_user_errors(make_simulator):
    sim = make_simulator(scenario=generated(["pending_payment"], count=1))
    order = sim.data.orders[0]
    with pytest.raises(LifecycleError) as refused:
        sim.refund(order["id"], lines=[(order["lineItems"][0]["id"], 999)])
    assert refused.value.errors[0]["field"] == ["refundLineItems", "0", "quantity"]
    sim.cancel(order["id"])
    with pytest.raises(LifecycleError, match="already been cancelled"):
        sim.cancel(order["id"])


def test_the_clock_is_set_in_python_and_over_http(make_simulator):
    sim = make_simulator(scenario=generated(["source_web"], count=1))
    sim.clock.set(datetime(2026, 1, 31, 12, tzinfo=timezone.utc))
    assert sim.clock.iso().startswith("2026-01-31T12:00:0")
    answer = requests.post(f"{sim.base_url}/__simulator__/clock", json={"now": "2026-02-01T00:00:00-05:00"}, timeout=5)
    assert answer.json()["now"].startswith("2026-02-01T05:00:0")
    advanced = requests.post(f"{sim.base_url}/__simulator__/clock", json={"advance": 3600}, timeout=5).json()
    assert advanced["now"].startswith("2026-02-01T06:00:0")
    assert requests.get(f"{sim.base_url}/__simulator__/clock", timeout=5).json() == {"now": sim.clock.iso()}
    assert requests.post(f"{sim.base_url}/__simulator__/clock", json={}, timeout=5).status_code == 400


def test_mutations_need_the_token_cost_ten_and_meet_injected_faults(make_simulator):
    sim = make_simulator(scenario=generated(["pending_payment"], count=2))
    order = sim.data.orders[0]
    document = "mutation($id: ID!) { orderMarkAsPaid(input: {id: $id}) { userErrors { field message } } }"
    assert post(sim, document, {"id": order["id"]}, token="shpat_wrong").status_code == 401
    sim.faults.inject("http_5xx", count=1, status=503)
    assert post(sim, document, {"id": order["id"]}).status_code == 503
    assert sim.store.node(order["id"]) is order
    body = gql(sim, document, {"id": order["id"]})
    assert body["extensions"]["cost"]["requestedQueryCost"] == 10
    assert amount(sim.store.node(order["id"])["totalOutstandingSet"]) == 0


def test_every_generated_order_serves_the_new_fields_in_every_version(simulator):
    query = """{ orders(first: 50) { nodes { edited cancelReason
      totalCashRoundingAdjustment { paymentSet { shopMoney { amount } } refundSet { shopMoney { amount } } }
      agreements(first: 5) { nodes { __typename id happenedAt reason sales(first: 50) { nodes { __typename id
        actionType lineType quantity totalAmount { shopMoney { amount } } taxes { amount { shopMoney { amount } } } } } } }
      refunds { orderAdjustments(first: 2) { nodes { id } } transactions(first: 5) { nodes { id kind } }
        refundLineItems(first: 5) { nodes { restockType restocked location { id } } } } } } }"""
    for version in ("2025-10", "2026-10"):
        body = gql(simulator, query, version=version)
        assert "errors" not in body, body.get("errors")
        assert all(o["agreements"]["nodes"][0]["__typename"] == "OrderAgreement" for o in body["data"]["orders"]["nodes"])
    body = gql(simulator, "{ orders(first: 5) { nodes { refunds { processedAt } } } }", version="2025-10")
    assert body["errors"][0]["extensions"]["code"] == "undefinedField"


def test_agreements_are_filtered_by_their_query(make_simulator):
    sim = make_simulator(scenario=generated(["refund"], count=2))
    order = sim.data.orders[0]
    happened = order["agreements"][-1]["happenedAt"]
    query = ("query($id: ID!, $q: String) { order(id: $id) { agreements(first: 10, query: $q) "
             "{ nodes { __typename happenedAt } } } }")
    found = gql(sim, query, {"id": order["id"], "q": f"happened_at:>={happened}"})
    assert [a["happenedAt"] for a in found["data"]["order"]["agreements"]["nodes"]] == \
        [a["happenedAt"] for a in order["agreements"] if a["happenedAt"] >= happened]
    unknown = gql(sim, query, {"id": order["id"], "q": "kind:refund"})
    assert unknown["extensions"]["search"][0]["warnings"][0]["field"] == "kind"
