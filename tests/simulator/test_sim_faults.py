"""Injected faults: each kind served for exactly `count` requests, or for about `fraction` of them."""
import time

import pytest
import requests

import sim_shops
from sim_http import TOKEN, gql, post

SHOP_QUERY = "{ shop { name } }"
SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  metafields { id } userErrors { field message code elementIndex } } }"""


@pytest.fixture
def sim(make_simulator):
    return make_simulator(scenario=sim_shops.shop_with(5), seed=11)


def _inject(sim, **body):
    response = requests.post(f"{sim.base_url}/__simulator__/faults", json=body, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()["fault"]


def test_http_5xx_answers_the_given_status_exactly_count_times(sim):
    _inject(sim, kind="http_5xx", count=2, status=502)
    statuses = [post(sim, SHOP_QUERY).status_code for _ in range(4)]
    assert statuses == [502, 502, 200, 200]
    assert sim.stats["faults_served"] == 2 and sim.stats["faults_by_kind"] == {"http_5xx": 2}


def test_skip_lets_requests_through_before_the_fault_fires(sim):
    _inject(sim, kind="http_5xx", count=2, skip=1)
    assert [post(sim, SHOP_QUERY).status_code for _ in range(4)] == [200, 503, 503, 200]
    with pytest.raises(ValueError, match="skip must be"):
        sim.faults.inject("drop", skip=-1)


def test_http_5xx_defaults_to_503(sim):
    sim.faults.inject("http_5xx")
    assert [post(sim, SHOP_QUERY).status_code for _ in range(2)] == [503, 200]


def test_http_429_carries_retry_after(sim):
    _inject(sim, kind="http_429", count=1, retry_after=3)
    first, second = post(sim, SHOP_QUERY), post(sim, SHOP_QUERY)
    assert first.status_code == 429 and first.headers["Retry-After"] == "3"
    assert second.status_code == 200


def test_slow_delays_the_answer_for_count_requests(sim):
    sim.faults.inject("slow", count=1, delay=0.3)
    timings = []
    for _ in range(2):
        started = time.monotonic()
        assert post(sim, SHOP_QUERY).status_code == 200
        timings.append(time.monotonic() - started)
    assert timings[0] >= 0.3 and timings[1] < 0.25


def test_drop_closes_the_connection_without_an_answer(sim):
    sim.faults.inject("drop", count=2)
    with requests.Session() as session:
        for _ in range(2):
            with pytest.raises(requests.ConnectionError):
                post(sim, SHOP_QUERY, session=session)
        assert post(sim, SHOP_QUERY, session=session).status_code == 200
    assert sim.stats["faults_by_kind"] == {"drop": 2}


def test_throttle_answers_throttled_whatever_the_bucket_holds(sim):
    sim.faults.inject("throttle", count=1)
    body = gql(sim, SHOP_QUERY)
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED" and "data" not in body
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == 2000
    assert "data" in gql(sim, SHOP_QUERY)
    assert sim.stats["throttled"] == 1


def test_metafield_user_errors_fail_metafields_set_and_write_nothing(sim):
    order_id = sim.data.orders[0]["id"]
    entry = {"ownerId": order_id, "namespace": "custom", "key": "odoo_id", "type": "single_line_text_field",
             "value": "42"}
    sim.faults.inject("metafield_user_errors", count=1)
    assert "data" in gql(sim, SHOP_QUERY)  # other operations do not draw it
    failed = gql(sim, SET, {"m": [entry]})["data"]["metafieldsSet"]
    assert failed["metafields"] == []
    assert [e["code"] for e in failed["userErrors"]] == ["INTERNAL_ERROR"]
    assert sim.metafield(order_id, "custom", "odoo_id") is None
    assert gql(sim, SET, {"m": [entry]})["data"]["metafieldsSet"]["userErrors"] == []
    assert sim.metafield(order_id, "custom", "odoo_id")["value"] == "42"


def test_a_fraction_of_requests_fails_roughly_as_asked(sim):
    _inject(sim, kind="http_5xx", fraction=0.3)
    with requests.Session() as session:
        failures = sum(post(sim, SHOP_QUERY, session=session).status_code == 503 for _ in range(200))
    assert 40 <= failures <= 80
    assert sim.stats["faults_served"] == failures


def test_faults_do_not_touch_the_control_endpoints_and_can_be_cleared(sim):
    _inject(sim, kind="http_5xx", count=5)
    assert requests.get(f"{sim.base_url}/__simulator__/stats", timeout=5).status_code == 200
    assert requests.get(f"{sim.base_url}/__simulator__/faults", timeout=5).json()["faults"][0]["remaining"] == 5
    assert requests.delete(f"{sim.base_url}/__simulator__/faults", timeout=5).status_code == 200
    assert post(sim, SHOP_QUERY).status_code == 200


def test_a_bad_fault_is_refused(sim):
    bad = requests.post(f"{sim.base_url}/__simulator__/faults", json={"kind": "meteor"}, timeout=5)
    assert bad.status_code == 400
    with pytest.raises(ValueError):
        sim.faults.inject("http_5xx", status=200)
    with pytest.raises(ValueError):
        sim.faults.inject("slow", count=0)


def test_faults_hit_before_the_token_is_checked(sim):
    sim.faults.inject("http_5xx", count=1)
    assert post(sim, SHOP_QUERY, token="wrong").status_code == 503
    assert post(sim, SHOP_QUERY, token="wrong").status_code == 401
    assert post(sim, SHOP_QUERY, token=TOKEN).status_code == 200
