"""The order generator: deterministic, fast, every scenario present, labelled honestly, and every
order's totals consistent (checked by the independent shopify_simulator.totals)."""
import json
import time
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shopify_simulator.generator import SCENARIOS, ShopData, generate
from shopify_simulator.generator.scenarios import FORCED_ONLY
from shopify_simulator.scenario import dump_scenario, load_scenario
from shopify_simulator.totals import check_order, is_tip_line

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
SHOPS = {"tax-exclusive USD": dict(shop_currency="USD", taxes_included=False),
         "tax-inclusive EUR": dict(shop_currency="EUR", taxes_included=True),
         "tax-inclusive JPY (no decimals)": dict(shop_currency="JPY", taxes_included=True)}


def _ts(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def _successful_payment_gateways(order):
    return {t["gateway"] for t in order["transactions"]
            if t["status"] == "SUCCESS" and t["kind"] in ("SALE", "AUTHORIZATION", "CAPTURE")}


def _applications(order, target, selection=None, method=None, value=None):
    return [a for a in order["discountApplications"] if a["targetType"] == target
            and (selection is None or (a["targetSelection"] == "EXPLICIT") == (selection == "EXPLICIT"))
            and (method is None or a["allocationMethod"] == method)
            and (value is None or a["value"]["__typename"] == value)]


# What each scenario looks like in the data, read without the generator's help.
SHOWS = {
    "tax_exclusive": lambda o: not o["taxesIncluded"],
    "tax_inclusive": lambda o: o["taxesIncluded"],
    "multi_tax": lambda o: any(len(line["taxLines"]) > 1 for line in o["lineItems"]),
    "same_rate_tax_lines": lambda o: any(len({t["rate"] for t in line["taxLines"]}) < len(line["taxLines"])
                                         for line in o["lineItems"]),
    "line_discount_percentage": lambda o: bool(_applications(o, "LINE_ITEM", "EXPLICIT", value="PricingPercentageValue")),
    "line_discount_fixed": lambda o: bool(_applications(o, "LINE_ITEM", "EXPLICIT", value="MoneyV2")),
    "order_discount_across": lambda o: bool(_applications(o, "LINE_ITEM", "ORDER", method="ACROSS")),
    "order_discount_each": lambda o: bool(_applications(o, "LINE_ITEM", "ORDER", method="EACH")),
    "free_shipping": lambda o: any(a["value"].get("percentage") == 100 for a in _applications(o, "SHIPPING_LINE")),
    "shipping_discount": lambda o: any(a["value"].get("percentage") != 100 for a in _applications(o, "SHIPPING_LINE")),
    "shipping_tax": lambda o: any(Decimal(t["priceSet"]["shopMoney"]["amount"]) > 0
                                  for s in o["shippingLines"] for t in s["taxLines"]),
    "gift_card_purchase": lambda o: any(line["isGiftCard"] for line in o["lineItems"]),
    "gift_card_payment": lambda o: "gift_card" in _successful_payment_gateways(o),
    "tip": lambda o: any(is_tip_line(line) for line in o["lineItems"])
    and Decimal(o["totalTipReceivedSet"]["shopMoney"]["amount"]) > 0,
    "duties": lambda o: any(line["duties"] for line in o["lineItems"]),
    "additional_fees": lambda o: bool(o["additionalFees"]),
    "multi_gateway": lambda o: len(_successful_payment_gateways(o)) > 1,
    "partial_payment": lambda o: o["displayFinancialStatus"] == "PARTIALLY_PAID"
    and Decimal(o["totalOutstandingSet"]["shopMoney"]["amount"]) > 0,
    "refund": lambda o: bool(o["refunds"]) and o["cancelledAt"] is None,
    "cancelled": lambda o: o["cancelledAt"] is not None and o["cancelReason"] is not None,
    "test_order": lambda o: o["test"] and "bogus" in o["paymentGatewayNames"],
    "source_web": lambda o: o["sourceName"] == "web",
    "source_pos": lambda o: o["sourceName"] == "pos" and o["retailLocation"] is not None,
    "source_draft": lambda o: o["sourceName"] == "shopify_draft_order",
    "source_custom": lambda o: o["sourceName"] == "marketplace_connector" and o["sourceIdentifier"],
    "presentment_currency": lambda o: o["presentmentCurrencyCode"] != o["currencyCode"],
    "guest_checkout": lambda o: o["customer"] is None and bool(o["email"]),
    "repeat_customer": lambda o: o["customer"] is not None and int(o["customer"]["numberOfOrders"]) > 1,
    "company_customer": lambda o: (o["purchasingEntity"] or {}).get("__typename") == "PurchasingCompany"
    and o["billingAddress"]["company"] == o["purchasingEntity"]["company"]["name"],
    "no_sku": lambda o: any(line["variant"] and line["variant"]["sku"] is None for line in o["lineItems"]),
    "deleted_variant": lambda o: any(line["variant"] is None and line["product"] is None and line["title"]
                                     and not is_tip_line(line) for line in o["lineItems"]),
    "old_order": lambda o: _ts(o["processedAt"]) < NOW - timedelta(days=60),
    "many_lines": lambda o: len(o["lineItems"]) > 250,
    "cash_rounding": lambda o: o["sourceName"] == "pos" and o["paymentGatewayNames"] == ["cash"]
    and _cash_rounded(o),
    "authorized": lambda o: o["displayFinancialStatus"] == "AUTHORIZED"
    and any(t["kind"] == "AUTHORIZATION" for t in o["transactions"])
    and not any(t["kind"] == "CAPTURE" for t in o["transactions"]),
    "pending_payment": lambda o: o["displayFinancialStatus"] == "PENDING"
    and any(t["kind"] == "SALE" and t["status"] == "PENDING" for t in o["transactions"]),
    # A custom sale: a title and a price, no variant, product or SKU (deleted variants keep theirs).
    "custom_item": lambda o: any(line["variant"] is None and line["product"] is None and not line["sku"]
                                 and not is_tip_line(line) for line in o["lineItems"]),
    # A marketplace's order: the channel remits every tax of it (TaxLine.channelLiable).
    "channel_liable": lambda o: o["sourceName"] == "marketplace_connector" and bool(o["currentTaxLines"])
    and all(t["channelLiable"] for t in [*o["taxLines"], *o["currentTaxLines"],
                                          *(t for line in o["lineItems"] for t in line["taxLines"])]),
}


def _cash_rounded(order):
    """Cash received in nickels (whole yen), the rounding making up the rest of the total."""
    received = Decimal(order["totalReceivedSet"]["shopMoney"]["amount"])
    rounding = Decimal(order["totalCashRoundingAdjustment"]["paymentSet"]["shopMoney"]["amount"])
    step = Decimal("0.05") if "." in order["totalPriceSet"]["shopMoney"]["amount"] else Decimal(1)
    return (received % step == 0 and received + rounding == Decimal(order["totalPriceSet"]["shopMoney"]["amount"])
            and order["totalOutstandingSet"]["shopMoney"]["amount"].strip("0.") == "")


@pytest.fixture(scope="module")
def mixed():
    return generate(2026, 1000, now=NOW)


def test_every_scenario_has_a_description_of_how_it_shows():
    assert set(SHOWS) == set(SCENARIOS)


def test_the_same_seed_gives_the_same_shop_and_another_seed_another():
    first, again = generate(42, 150, now=NOW), generate(42, 150, now=NOW)
    other = generate(43, 150, now=NOW)
    as_json = [json.dumps(asdict(d), sort_keys=True) for d in (first, again, other)]
    assert as_json[0] == as_json[1]
    assert as_json[0] != as_json[2]


def test_without_now_the_clock_is_read_once_and_floored_to_the_hour():
    before = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    data = generate(1, 40)
    after = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    latest = max(_ts(o["updatedAt"]) for o in data.orders)
    assert latest <= after
    assert min(_ts(o["createdAt"]) for o in data.orders) >= before - timedelta(days=120)


def test_dates_spread_over_120_days_and_follow_each_other(mixed):
    created = [_ts(o["createdAt"]) for o in mixed.orders]
    assert min(created) >= NOW - timedelta(days=120) and max(created) <= NOW
    assert sum(c < NOW - timedelta(days=60) for c in created) > 300  # many orders older than 60 days
    assert created == sorted(created)  # numbers and ids grow with time
    assert [o["number"] for o in mixed.orders] == list(range(1001, 2001))
    for order in mixed.orders:
        updated = _ts(order["updatedAt"])
        assert _ts(order["createdAt"]) <= updated <= NOW
        assert _ts(order["processedAt"]) <= _ts(order["createdAt"])
        assert all(_ts(t["processedAt"]) <= updated for t in order["transactions"])
        assert order["legacyResourceId"] == order["id"].rsplit("/", 1)[1]


def test_five_thousand_orders_generate_in_a_few_seconds(capsys):
    start = time.perf_counter()
    data = generate(7, 5000, now=NOW)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n  generated {len(data.orders)} orders in {elapsed:.2f} s: {len(data.orders) / elapsed:,.0f} orders/s")
    assert elapsed < 10


def test_a_mixed_batch_of_a_thousand_orders_shows_every_scenario(mixed):
    seen = {name for order in mixed.orders for name in order["_scenarios"]}
    assert seen == set(SCENARIOS) - FORCED_ONLY
    simple = [o for o in mixed.orders if len(o["_scenarios"]) <= 4]
    assert len(simple) > len(mixed.orders) / 2  # most orders are simple


def test_every_label_of_a_mixed_batch_matches_what_the_order_shows(mixed):
    # Forced-only scenarios are never labelled in a mix, though authorized-only and pending orders occur.
    wrong = [(order["name"], name, name in order["_scenarios"])
             for order in mixed.orders for name, shows in SHOWS.items()
             if name not in FORCED_ONLY and (name in order["_scenarios"]) != bool(shows(order))]
    assert wrong == []


def test_a_mix_has_authorized_only_and_pending_orders_to_capture_and_mark_as_paid(mixed):
    assert any(SHOWS["authorized"](o) for o in mixed.orders)
    assert any(SHOWS["pending_payment"](o) for o in mixed.orders)


def test_the_totals_of_a_mixed_batch_add_up_on_both_currency_sides(mixed):
    assert sum(o["presentmentCurrencyCode"] != o["currencyCode"] for o in mixed.orders) > 30
    problems = {o["name"]: check_order(o) for o in mixed.orders}
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("shop", SHOPS)
def test_the_totals_of_mixed_batches_add_up_in_other_shops(shop):
    data = generate(99, 300, now=NOW, **SHOPS[shop])
    assert {o["name"]: check_order(o) for o in data.orders if check_order(o)} == {}


@pytest.mark.parametrize("shop", SHOPS)
@pytest.mark.parametrize("name", SCENARIOS)
def test_a_forced_scenario_is_on_every_order_and_its_totals_add_up(name, shop):
    data = generate(SCENARIOS.index(name), 12, now=NOW, scenarios=[name], **SHOPS[shop])
    for order in data.orders:
        assert name in order["_scenarios"]
        assert SHOWS[name](order), f"{order['name']} does not show {name}"
        assert check_order(order) == [], order["name"]


def test_several_scenarios_can_be_forced_together():
    names = ["presentment_currency", "refund", "multi_gateway", "gift_card_payment", "order_discount_across",
             "line_discount_fixed", "tax_inclusive", "duties", "tip", "shipping_discount"]
    data = generate(5, 20, now=NOW, scenarios=names)
    for order in data.orders:
        assert all(SHOWS[name](order) for name in names), order["name"]
        assert check_order(order) == []


@pytest.mark.parametrize("names, message", [
    (["cancelled", "refund"], "cannot be combined"),
    (["tax_inclusive", "tax_exclusive"], "cannot be combined"),
    (["guest_checkout", "repeat_customer"], "cannot be combined"),
    (["flash_sale"], "Unknown scenario"),
])
def test_conflicting_or_unknown_scenarios_are_refused(names, message):
    with pytest.raises(ValueError, match=message):
        generate(1, 3, now=NOW, scenarios=names)


def test_an_in_store_sale_with_taxes_no_till_can_charge_is_refused():
    with pytest.raises(ValueError, match="No tax place"):
        generate(1, 3, now=NOW, scenarios=["source_pos", "multi_tax"], shop_currency="EUR")


def test_repeat_customers_come_back_and_one_off_customers_do_not(mixed):
    orders_of = {}
    for order in mixed.orders:
        if order["customer"]:
            orders_of.setdefault(order["customer"]["id"], []).append(order)
    for customer in mixed.customers:
        placed = orders_of.get(customer["id"], [])
        assert int(customer["numberOfOrders"]) >= len(placed) >= 1
        assert customer["createdAt"] <= min(o["createdAt"] for o in placed)
        assert customer["updatedAt"] >= max(o["createdAt"] for o in placed)
    assert any(len(placed) > 3 for placed in orders_of.values())


def test_the_catalog_is_realistic(mixed):
    variants = [v for p in mixed.products for v in p["variants"]]
    assert sum(v["sku"] is None for v in variants) > 10
    barcodes = [v["barcode"] for v in variants if v["barcode"]]
    assert 0.8 < len(set(barcodes)) / len(barcodes) < 1  # mostly unique
    assert any(len(p["variants"]) > 1 for p in mixed.products)
    assert any(p["title"] == "Gift Card" for p in mixed.products)
    sold = {line["variant"]["id"] for o in mixed.orders for line in o["lineItems"] if line["variant"]}
    assert sold <= {v["id"] for v in variants}
    assert 2 <= len(mixed.locations) <= 3
    used = {f["assignedLocation"]["location"]["id"] for o in mixed.orders for f in o["fulfillmentOrders"]}
    assert used <= {location["id"] for location in mixed.locations}
    countries = {o["shippingAddress"]["countryCodeV2"] for o in mixed.orders if o["shippingAddress"]}
    assert {"US", "CA", "DE", "FR", "GB", "AU"} <= countries
    assert any(o["shippingAddress"] and o["shippingAddress"]["province"] is None for o in mixed.orders)


def test_financial_and_fulfillment_statuses_vary(mixed):
    financial = {o["displayFinancialStatus"] for o in mixed.orders}
    assert financial >= {"PAID", "PENDING", "AUTHORIZED", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED", "VOIDED"}
    fulfillment = {o["displayFulfillmentStatus"] for o in mixed.orders}
    assert fulfillment >= {"FULFILLED", "UNFULFILLED", "PARTIALLY_FULFILLED"}
    kinds = {(t["kind"], t["status"]) for o in mixed.orders for t in o["transactions"]}
    assert kinds >= {("SALE", "SUCCESS"), ("SALE", "FAILURE"), ("SALE", "PENDING"), ("AUTHORIZATION", "SUCCESS"),
                     ("CAPTURE", "SUCCESS"), ("REFUND", "SUCCESS"), ("VOID", "SUCCESS")}


def test_a_shop_survives_a_json_round_trip(tmp_path, mixed):
    path = tmp_path / "shop.json"
    dump_scenario(mixed, path)
    assert load_scenario(path) == mixed


def test_customers_products_and_locations_missing_from_a_file_are_derived_from_the_orders(tmp_path):
    data = generate(3, 60, now=NOW)
    path = tmp_path / "orders-only.json"
    path.write_text(json.dumps({"shop": data.shop, "orders": data.orders}))
    loaded = load_scenario(path)
    assert isinstance(loaded, ShopData) and loaded.orders == data.orders
    assert {c["id"] for c in loaded.customers} == {o["customer"]["id"] for o in data.orders if o["customer"]}
    sold = {line["variant"]["id"] for o in data.orders for line in o["lineItems"] if line["variant"]}
    assert {v["id"] for p in loaded.products for v in p["variants"]} == sold
    assert {location["id"] for location in loaded.locations} <= {location["id"] for location in data.locations}
