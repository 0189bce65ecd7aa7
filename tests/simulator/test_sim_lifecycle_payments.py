"""orderCapture and orderMarkAsPaid over HTTP, and cash rounding."""
from sim_http import data
from sim_lifecycle import MONEY, ORDER, amount, generated, pair, stored

CAPTURE = f"""mutation Capture($input: OrderCaptureInput!) {{ orderCapture(input: $input) {{
  transaction {{ id kind status amountSet {{ {MONEY} }} parentTransaction {{ id }} }} userErrors {{ field message }} }} }}"""
PAID = f"""mutation Paid($id: ID!) {{ orderMarkAsPaid(input: {{ id: $id }}) {{
  order {{ {ORDER} transactions {{ kind status gateway amountSet {{ {MONEY} }} }} }} userErrors {{ field message }} }} }}"""


def _authorization(order):
    return next(t for t in order["transactions"] if t["kind"] == "AUTHORIZATION")


def test_an_authorization_is_captured_in_two_parts_on_both_sides(make_simulator):
    sim = make_simulator(scenario=generated(["authorized", "presentment_currency"]))
    order = sim.data.orders[0]
    authorization = _authorization(order)
    whole = amount(authorization["amountSet"], "presentmentMoney")
    first = data(sim, CAPTURE, {"input": {"id": order["id"], "parentTransactionId": authorization["id"],
                                          "amount": "10.00", "currency": order["presentmentCurrencyCode"]}})
    captured = first["orderCapture"]["transaction"]
    assert captured["kind"] == "CAPTURE" and captured["parentTransaction"]["id"] == authorization["id"]
    assert pair(captured["amountSet"])[1] == "10.00"
    middle = stored(sim, order["id"])
    assert middle["displayFinancialStatus"] == "PARTIALLY_PAID"
    rest = str(whole - 10)
    data(sim, CAPTURE, {"input": {"id": order["id"], "parentTransactionId": authorization["id"], "amount": rest,
                                  "currency": order["presentmentCurrencyCode"]}})
    after = stored(sim, order["id"])
    assert after["displayFinancialStatus"] == "PAID" and pair(after["totalCapturableSet"]) == ("0.00", "0.00")
    for side in ("shopMoney", "presentmentMoney"):
        assert amount(after["totalReceivedSet"], side) == amount(authorization["amountSet"], side)


def test_capturing_more_than_authorized_or_without_currency_is_refused(make_simulator):
    sim = make_simulator(scenario=generated(["authorized", "presentment_currency"]))
    order = sim.data.orders[0]
    authorization = _authorization(order)
    base = {"id": order["id"], "parentTransactionId": authorization["id"]}
    too_much = data(sim, CAPTURE, {"input": {**base, "amount": "99999.00",
                                             "currency": order["presentmentCurrencyCode"]}})["orderCapture"]
    assert too_much["transaction"] is None and too_much["userErrors"][0]["field"] == ["amount"]
    no_currency = data(sim, CAPTURE, {"input": {**base, "amount": "1.00"}})["orderCapture"]
    assert no_currency["userErrors"][0]["field"] == ["currency"]
    assert sim.store.node(order["id"]) is order


def test_a_pending_order_marked_as_paid_gets_a_manual_sale_for_the_outstanding(make_simulator):
    sim = make_simulator(scenario=generated(["pending_payment"]))
    order = sim.data.orders[0]
    payload = data(sim, PAID, {"id": order["id"]})["orderMarkAsPaid"]
    sale = payload["order"]["transactions"][-1]
    assert (sale["kind"], sale["status"], sale["gateway"]) == ("SALE", "SUCCESS", "manual")
    assert pair(sale["amountSet"]) == pair(order["totalOutstandingSet"])
    after = stored(sim, order["id"])
    assert after["displayFinancialStatus"] == "PAID" and amount(after["totalOutstandingSet"]) == 0
    again = data(sim, PAID, {"id": order["id"]})["orderMarkAsPaid"]
    assert again["order"] is None and again["userErrors"][0]["field"] == ["id"]


def test_a_cash_order_rounded_to_the_nickel_is_paid_in_full(make_simulator):
    sim = make_simulator(scenario=generated(["cash_rounding"], count=12, shop_currency="CAD"))
    rounded = 0
    for order in sim.data.orders:
        received, rounding = amount(order["totalReceivedSet"]), amount(
            order["totalCashRoundingAdjustment"]["paymentSet"])
        assert received % 5 == 0 or (received * 100) % 5 == 0
        assert received + rounding == amount(order["totalPriceSet"])
        assert order["displayFinancialStatus"] == "PAID" and amount(order["totalOutstandingSet"]) == 0
        rounded += rounding != 0
        stored(sim, order["id"])
    assert rounded  # most totals are not already in nickels
