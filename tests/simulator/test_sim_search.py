"""Shopify's search syntax on orders(query:), checked against plain Python filters of the same data."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import sim_shops
from sim_http import data, gql

FINANCIAL = ["PAID", "PENDING", "REFUNDED", "PARTIALLY_REFUNDED", "AUTHORIZED"]
FULFILLMENT = ["UNFULFILLED", "FULFILLED", "PARTIALLY_FULFILLED", "ON_HOLD"]


def _varied(n):
    closed = n % 3 == 0
    return sim_shops.order(
        n,
        displayFinancialStatus=FINANCIAL[n % 5],
        displayFulfillmentStatus=FULFILLMENT[n % 4],
        tags=(["vip"] if n % 4 == 0 else []) + (["wholesale"] if n % 6 == 0 else []),
        sourceName="pos" if n % 5 == 0 else "web",
        test=n % 7 == 0,
        cancelledAt=sim_shops.iso(sim_shops.START + timedelta(days=2)) if n % 9 == 0 else None,
        closed=closed,
        closedAt=sim_shops.iso(sim_shops.START + timedelta(days=3)) if closed else None,
        email=f"Buyer{n}@Example.com",
    )


@pytest.fixture(scope="module")
def shop():
    from shopify_simulator import Simulator
    from sim_http import TOKEN

    with Simulator(scenario=sim_shops.shop_data(_varied(n) for n in range(1, 61)), token=TOKEN) as sim:
        yield sim


def found(sim, query):
    page = data(sim, "query($q: String) { orders(first: 250, query: $q) { nodes { id } } }", {"q": query})
    return {n["id"] for n in page["orders"]["nodes"]}


def want(sim, predicate):
    return {o["id"] for o in sim.data.orders if predicate(o)}


CASES = {
    "created_at:>='2026-03-02T00:00:00Z'": lambda o: o["createdAt"] >= "2026-03-02T00:00:00Z",
    'created_at:<"2026-03-01T10:00:00Z"': lambda o: o["createdAt"] < "2026-03-01T10:00:00Z",
    "created_at:2026-03-02": lambda o: o["createdAt"].startswith("2026-03-02"),
    "created_at:<=2026-03-01": lambda o: o["createdAt"] < "2026-03-02",
    "created_at:>2026-03-02": lambda o: o["createdAt"] >= "2026-03-03",
    "created_at:<=2026": lambda o: True,
    "created_at:<now": lambda o: True,
    "updated_at:>'2026-03-01T12:00:00Z' updated_at:<='2026-03-02T06:00:00Z'":
        lambda o: "2026-03-01T12:00:00Z" < o["updatedAt"] <= "2026-03-02T06:00:00Z",
    "processed_at:>='2026-03-02T05:00:00Z'": lambda o: o["processedAt"] >= "2026-03-02T05:00:00Z",
    "financial_status:paid": lambda o: o["displayFinancialStatus"] == "PAID",
    "financial_status:partially_refunded": lambda o: o["displayFinancialStatus"] == "PARTIALLY_REFUNDED",
    "fulfillment_status:shipped": lambda o: o["displayFulfillmentStatus"] == "FULFILLED",
    "fulfillment_status:unshipped": lambda o: o["displayFulfillmentStatus"] == "UNFULFILLED",
    "fulfillment_status:partial": lambda o: o["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED",
    "fulfillment_status:on_hold": lambda o: o["displayFulfillmentStatus"] == "ON_HOLD",
    "status:open": lambda o: not o["closed"] and o["cancelledAt"] is None,
    "status:closed": lambda o: o["closed"],
    "status:cancelled": lambda o: o["cancelledAt"] is not None,
    "status:not_closed": lambda o: not o["closed"],
    "email:buyer5@example.com": lambda o: o["email"].lower() == "buyer5@example.com",
    "name:#1005": lambda o: o["name"] == "#1005",
    "name:1005": lambda o: o["name"] == "#1005",
    "source_name:pos": lambda o: o["sourceName"] == "pos",
    "tag:vip": lambda o: "vip" in o["tags"],
    "tag_not:vip": lambda o: "vip" not in o["tags"],
    "test:true": lambda o: o["test"],
    "test:false": lambda o: not o["test"],
    "id:5000010": lambda o: o["id"].endswith("/5000010"),
    "id:'gid://shopify/Order/5000010'": lambda o: o["id"].endswith("/5000010"),
    "id:>=5000030 id:<5000040": lambda o: 5000030 <= int(o["legacyResourceId"]) < 5000040,
    "tag:vip OR source_name:pos": lambda o: "vip" in o["tags"] or o["sourceName"] == "pos",
    "-tag:vip": lambda o: "vip" not in o["tags"],
    "NOT status:closed": lambda o: not o["closed"],
    "-(tag:vip OR test:true) financial_status:paid":
        lambda o: not ("vip" in o["tags"] or o["test"]) and o["displayFinancialStatus"] == "PAID",
    "(tag:wholesale OR tag:vip) AND source_name:web":
        lambda o: ("wholesale" in o["tags"] or "vip" in o["tags"]) and o["sourceName"] == "web",
    "buyer12": lambda o: "buyer12" in o["email"].lower(),
}


@pytest.mark.parametrize("query", list(CASES))
def test_search_matches_what_the_filter_means(shop, query):
    expected = want(shop, CASES[query])
    assert found(shop, query) == expected
    assert expected, "a case that matches nothing proves little"


def test_every_case_selects_a_proper_subset_or_the_whole_shop(shop):
    # Guards the table above: a filter that silently matched everything would pass trivially.
    partial = [q for q, pred in CASES.items() if 0 < len(want(shop, pred)) < len(shop.data.orders)]
    assert len(partial) >= len(CASES) - 3


def test_an_unknown_filter_field_is_ignored_counted_and_reported(shop):
    before = shop.stats["search_fields_ignored"]
    body = gql(shop, "{ orders(first: 250, query: \"colour:red financial_status:paid\") { nodes { id } } }")
    got = {n["id"] for n in body["data"]["orders"]["nodes"]}
    assert got == want(shop, lambda o: o["displayFinancialStatus"] == "PAID")
    [search] = body["extensions"]["search"]
    assert search["path"] == ["orders"]
    assert search["warnings"] == [{"field": "colour", "message": "Invalid search field for this query."}]
    assert shop.stats["search_fields_ignored"] == before + 1


def test_date_only_values_are_days_in_the_shops_time_zone(make_simulator):
    orders = sim_shops.shop_with(48)
    orders.shop["ianaTimezone"] = "America/New_York"
    sim = make_simulator(scenario=orders)
    zone = ZoneInfo("America/New_York")

    def local_day(o):
        return datetime.fromisoformat(o["createdAt"]).astimezone(zone).date().isoformat()

    assert found(sim, "created_at:2026-03-01") == want(sim, lambda o: local_day(o) == "2026-03-01")
    assert found(sim, "created_at:2026-03-01") != want(sim, lambda o: o["createdAt"].startswith("2026-03-01"))


def test_unbalanced_parentheses_and_stray_words_do_not_break_the_query(shop):
    assert found(shop, "(tag:vip") == want(shop, lambda o: "vip" in o["tags"])
    assert found(shop, "tag:vip)") == want(shop, lambda o: "vip" in o["tags"])
    assert found(shop, "") == want(shop, lambda o: True)
