"""orderCancel over HTTP: a refund of everything left, money given back or authorizations voided,
the userErrors with their codes."""
import pytest

from sim_http import data, gql
from sim_lifecycle import ORDER, amount, generated, stored

CANCEL = f"""mutation Cancel($id: ID!, $refund: Boolean, $restock: Boolean!) {{
  orderCancel(orderId: $id, reason: CUSTOMER, refund: $refund, restock: $restock, staffNote: "asked by phone",
              notifyCustomer: false) {{
    job {{ id done }} jobResult {{ done status order {{ {ORDER} }} }} orderCancelUserErrors {{ field message code }}
    userErrors {{ field message }} }} }}"""


def _cancel(sim, order, refund=True, restock=True):
    return data(sim, CANCEL, {"id": order["id"], "refund": refund, "restock": restock})["orderCancel"]


def _unfulfilled(orders):
    return next(o for o in orders if o["fulfillmentOrders"] and all(f["status"] == "OPEN" for f in o["fulfillmentOrders"]))


def test_cancelling_an_unpaid_order_voids_it_and_refunds_every_line(make_simulator):
    sim = make_simulator(scenario=generated(["pending_payment"], count=30))
    order = _unfulfilled(sim.data.orders)
    payload = _cancel(sim, order)
    assert payload["orderCancelUserErrors"] == [] and payload["job"]["done"] is True
    assert payload["jobResult"]["status"] == "SUCCEEDED"
    after = stored(sim, order["id"])
    assert after["cancelReason"] == "CUSTOMER" and after["cancelledAt"] == after["closedAt"]
    assert after["displayFinancialStatus"] == "VOIDED"
    assert amount(after["currentTotalPriceSet"]) == 0 and amount(after["totalOutstandingSet"]) == 0
    refund = after["refunds"][-1]
    assert {i["restockType"] for i in refund["refundLineItems"]} == {"CANCEL"}
    assert refund["transactions"] == [] and all(line["currentQuantity"] == 0 for line in after["lineItems"])
    assert {f["status"] for f in after["fulfillmentOrders"]} == {"CANCELLED"}
    assert after["displayFulfillmentStatus"] == "UNFULFILLED"


def test_cancelling_a_paid_order_gives_the_money_back(make_simulator):
    sim = make_simulator(scenario=generated(["presentment_currency", "multi_gateway"]))
    order = sim.data.orders[0]
    _cancel(sim, order, restock=False)
    after = stored(sim, order["id"])
    assert after["displayFinancialStatus"] == "REFUNDED"
    refund = after["refunds"][-1]
    assert len(refund["transactions"]) == 2  # both tenders, the card first
    for side in ("shopMoney", "presentmentMoney"):
        assert amount(after["totalRefundedSet"], side) == amount(after["totalReceivedSet"], side)
    assert {i["restockType"] for i in refund["refundLineItems"]} == {"NO_RESTOCK"}
    assert after["agreements"][-1]["__typename"] == "RefundAgreement"


def test_cancelling_without_refund_leaves_the_customer_owed(make_simulator):
    sim = make_simulator(scenario=generated(["source_web"]))
    order = next(o for o in sim.data.orders if o["displayFinancialStatus"] == "PAID")
    _cancel(sim, order, refund=False)
    after = stored(sim, order["id"])
    assert amount(after["totalOutstandingSet"]) == -amount(after["totalReceivedSet"])


def test_cancelling_an_authorized_order_voids_the_authorization(make_simulator):
    sim = make_simulator(scenario=generated(["authorized"]))
    order = sim.data.orders[0]
    _cancel(sim, order)
    after = stored(sim, order["id"])
    assert [t["kind"] for t in after["transactions"]][-1] == "VOID"
    assert after["displayFinancialStatus"] == "VOIDED" and amount(after["totalCapturableSet"]) == 0


@pytest.mark.parametrize("case, code", [("twice", "INVALID"), ("unknown", "NOT_FOUND"), ("in progress", "INVALID")])
def test_what_cannot_be_cancelled_is_an_order_cancel_user_error(make_simulator, case, code):
    sim = make_simulator(scenario=generated(["pending_payment"]))
    order = sim.data.orders[0]
    if case == "twice":
        _cancel(sim, order)
    elif case == "unknown":
        order = {"id": "gid://shopify/Order/1"}
    else:
        sim.store.node(order["id"])["fulfillmentOrders"][0]["status"] = "IN_PROGRESS"
    payload = _cancel(sim, order)
    assert payload["job"] is None and payload["orderCancelUserErrors"][0]["code"] == code
    assert payload["userErrors"][0]["message"] == payload["orderCancelUserErrors"][0]["message"]


def test_job_result_only_exists_from_2026_10(make_simulator):
    sim = make_simulator(scenario=generated(["pending_payment"]))
    body = gql(sim, CANCEL, {"id": sim.data.orders[0]["id"], "restock": True}, version="2026-07")
    assert body["errors"][0]["extensions"]["code"] == "undefinedField"
