"""Delivery: in the background, retried with the same webhook id, given up after Shopify's 8
retries (the subscription deleted), timeouts, and the webhook faults."""
import time

import pytest
import requests

import sim_shops
from sim_lifecycle import generated
from shopify_simulator.webhooks.delivery import SCHEDULE
from sim_webhooks import SECRET

SCALE = 0.00002  # 4 hours of retries in 0.3 s


@pytest.fixture
def sim(make_simulator):
    return make_simulator(scenario=sim_shops.shop_with(3), webhook_secret=SECRET, webhook_retry_scale=SCALE,
                          webhook_timeout=0.5)


def _change(sim, number, **fields):
    sim.upsert_orders([sim_shops.order(number, **fields)])


def test_the_schedule_is_eight_retries_over_four_hours():
    assert len(SCHEDULE) == 8 and abs(sum(SCHEDULE) - 4 * 3600) < 1e-6
    assert all(later == 2 * earlier for earlier, later in zip(SCHEDULE, SCHEDULE[1:]))


def test_a_mutation_answers_before_a_slow_receiver_does(make_simulator, make_receiver):
    sim = make_simulator(scenario=generated(["tax_exclusive"], count=2))
    slow = make_receiver(delay=0.6)
    sim.webhooks.subscribe("ORDERS_UPDATED", slow.url())
    started = time.monotonic()
    sim.cancel(sim.data.orders[0]["id"])
    assert time.monotonic() - started < 0.4
    assert sim.webhooks.wait_idle(5)
    assert [d["state"] for d in sim.webhooks.deliveries()] == ["delivered"]


def test_a_failed_delivery_is_retried_with_the_same_webhook_id_and_body(sim, make_receiver):
    flaky = make_receiver(answers=[500, 503])
    sim.webhooks.subscribe("ORDERS_UPDATED", flaky.url())
    _change(sim, 1, note="again")
    assert sim.webhooks.wait_idle(10)
    first, second, third = flaky.received
    assert first.webhook_id == second.webhook_id == third.webhook_id
    assert first.raw == second.raw == third.raw and third.signed_with(SECRET)
    assert first.headers["x-shopify-triggered-at"] == third.headers["x-shopify-triggered-at"]
    assert second.at - first.at >= SCHEDULE[0] * SCALE
    [delivery] = sim.webhooks.deliveries()
    assert (delivery["state"], delivery["attempts"], delivery["statuses"]) == ("delivered", 3, [500, 503, 200])


def test_after_eight_failed_retries_the_delivery_fails_and_the_subscription_is_deleted(sim, make_receiver):
    down = make_receiver(answers=[500] * 20)
    sub = sim.webhooks.subscribe("ORDERS_UPDATED", down.url())
    _change(sim, 1)
    assert sim.webhooks.wait_idle(10)
    [delivery] = sim.webhooks.deliveries()
    assert (delivery["state"], delivery["attempts"]) == ("failed", 9)
    assert len(down.received) == 9
    assert sim.webhooks.subscriptions.get(sub["id"]) is None


def test_no_answer_within_the_timeout_counts_as_a_failure(sim, make_receiver):
    slow = make_receiver(delay=0.8)
    sim.webhooks.subscribe("ORDERS_UPDATED", slow.url())
    _change(sim, 1)
    time.sleep(0.1)
    slow.delay = 0
    assert sim.webhooks.wait_idle(10)
    [delivery] = sim.webhooks.deliveries()
    assert delivery["statuses"] == [None, 200] and delivery["state"] == "delivered"


def test_an_address_nobody_listens_on_is_retried(sim, receiver):
    url = receiver.url()
    receiver.close()
    sim.webhooks.subscribe("ORDERS_UPDATED", url)
    _change(sim, 1)
    assert sim.webhooks.wait_idle(10)
    assert sim.webhooks.deliveries()[0]["statuses"] == [None] * 9


def test_webhook_drop_never_delivers(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    sim.faults.inject("webhook_drop", count=1)
    _change(sim, 1)
    _change(sim, 2)
    assert sim.webhooks.wait_idle(5)
    assert [r.body["name"] for r in receiver.received] == ["#1002"]
    states = [(d["state"], d["faults"]) for d in sim.webhooks.deliveries()]
    assert states == [("dropped", ["webhook_drop"]), ("delivered", [])]
    assert sim.stats["faults_by_kind"] == {"webhook_drop": 1}


def test_webhook_duplicate_sends_the_same_webhook_twice(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    requests.post(f"{sim.base_url}/__simulator__/faults", json={"kind": "webhook_duplicate"}, timeout=5)
    _change(sim, 1)
    assert sim.webhooks.wait_idle(5)
    first, second = receiver.received
    assert first.webhook_id == second.webhook_id and first.raw == second.raw
    assert first.headers["x-shopify-event-id"] == second.headers["x-shopify-event-id"]


def test_webhook_out_of_order_sends_a_delivery_after_the_next_one(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    sim.faults.inject("webhook_out_of_order", count=1)
    _change(sim, 1)
    _change(sim, 2)
    assert sim.webhooks.wait_idle(5)
    assert [r.body["name"] for r in receiver.received] == ["#1002", "#1001"]


def test_a_held_delivery_goes_out_alone_when_nothing_follows(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    sim.faults.inject("webhook_out_of_order")
    _change(sim, 1)
    assert sim.webhooks.wait_idle(5)
    assert [r.body["name"] for r in receiver.received] == ["#1001"]


def test_webhook_bad_signature_signs_with_another_key(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    sim.faults.inject("webhook_bad_signature", count=1)
    _change(sim, 1)
    _change(sim, 2)
    assert sim.webhooks.wait_idle(5)
    assert [r.signed_with(SECRET) for r in receiver.received] == [False, True]


def test_a_fraction_of_deliveries_is_dropped(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    sim.faults.inject("webhook_drop", fraction=0.5)
    for change in range(40):
        _change(sim, 1 + change % 3, note=str(change))
    assert sim.webhooks.wait_idle(10)
    dropped = sum(d["state"] == "dropped" for d in sim.webhooks.deliveries())
    assert 8 <= dropped <= 32 and len(receiver.received) == 40 - dropped


def test_a_restarted_simulator_sends_again(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    sim.stop()
    _change(sim, 1)
    sim.start()
    assert sim.webhooks.wait_idle(5)
    assert receiver.topics() == ["orders/updated"]


def test_the_control_endpoint_lists_deliveries_and_waits(sim, receiver):
    sim.webhooks.subscribe("ORDERS_UPDATED", receiver.url())
    _change(sim, 1)
    assert requests.post(f"{sim.base_url}/__simulator__/webhooks/wait", json={"timeout": 5}, timeout=10).json() == \
        {"idle": True}
    listed = requests.get(f"{sim.base_url}/__simulator__/webhooks", timeout=5).json()
    assert [d["topic"] for d in listed["deliveries"]] == ["orders/updated"]
    assert [s["uri"] for s in listed["subscriptions"]] == [receiver.url()]
