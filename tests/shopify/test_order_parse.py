"""Parsing an OrderFull payload into typed values: exact Decimals, UTC datetimes, linked discounts,
and a clear OrderDataError for anything that cannot be booked."""
import copy
import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from fixtures.order_builder import OrderBuilder, order_full_problems

from shopify_simulator import schema
from synco_shopify.shopify.reading.order import OrderDataError, TaxKey, parse_header, parse_order

FIXTURES = Path(__file__).parent / "fixtures"
NY = ("NY State Tax", 0.08875)


def load(name):
    return json.loads((FIXTURES / name).read_text())


def kitchen_sink():
    """One order using every part of the fragment: duties, fees, tip, gift card, refunds, company."""
    b = OrderBuilder(currency="USD", presentment_currency="EUR")
    code = b.discount("SAVE10", percentage=-10.0)
    ship = b.discount("FREESHIP", kind="AutomaticDiscountApplication", target="SHIPPING_LINE", percentage=-100.0)
    shirt = b.line("T-shirt - M", ("20.00", "18.40"), 3, taxes=[(*NY, ("4.79", "4.41"))],
                   allocations=[(code, ("6.00", "5.52"))], duties=[(("3.00", "2.76"), [])])
    b.line("Gift card", ("50.00", "46.00"), 1, gift_card=True, sku=None, variant=False)
    b.shipping_line("Express", ("8.00", "7.36"), allocations=[(ship, ("8.00", "7.36"))])
    b.fee("Bag fee", ("0.10", "0.09"))
    b.set_tip(("2.00", "1.84"))
    b.refund(lines=[(shirt, 1, ("18.00", "16.56"), ("1.60", "1.47"))], shipping=[])
    b.transaction("SALE", ("100.00", "92.00"))
    b.order["purchasingEntity"] = {
        "__typename": "PurchasingCompany",
        "company": {"id": "gid://shopify/Company/3", "name": "Initech"},
        "location": {"id": "gid://shopify/CompanyLocation/4", "name": "Initech HQ"},
    }
    return b.build()


@pytest.mark.parametrize("version", schema.versions())
def test_fixtures_have_exactly_the_shape_shopify_returns_for_order_full(version):
    for payload in (load("example_a_tax_exclusive.json"), load("example_b_tax_inclusive.json"), kitchen_sink()):
        assert order_full_problems(payload, version) == []


def test_shape_check_catches_a_missing_field_and_a_bad_enum():
    missing = load("example_a_tax_exclusive.json")
    del missing["lineItems"]["nodes"][0]["currentQuantity"]
    assert "LineItem.currentQuantity" in " ".join(order_full_problems(missing, schema.latest()))
    bad_enum = load("example_a_tax_exclusive.json")
    bad_enum["displayFulfillmentStatus"] = "SHIPPED"
    assert "'SHIPPED'" in " ".join(order_full_problems(bad_enum, schema.latest()))
    extra = load("example_a_tax_exclusive.json")
    extra["totalPrice"] = "89.82"
    assert "totalPrice" in " ".join(order_full_problems(extra, schema.latest()))


def test_parse_reads_every_amount_as_an_exact_decimal_of_the_chosen_side():
    order = parse_order(load("example_a_tax_exclusive.json"))
    shirt, cap = order.line_items
    assert order.currency == "USD" and order.header.side == "shop"
    assert shirt.unit_price == Decimal("20.00") and isinstance(shirt.unit_price, Decimal)
    assert shirt.original_total == Decimal("60.00")
    assert shirt.quantity == 3 and shirt.current_quantity == 3
    assert shirt.tax_lines[0].key == TaxKey("NY State Tax", Decimal("0.08875"), included=False)
    assert shirt.tax_lines[0].amount == Decimal("4.79")
    assert shirt.discount_total == Decimal("6.00")
    application = shirt.discount_allocations[0].application
    assert (application.kind, application.label, application.percentage) == ("code", "SAVE10", Decimal(10))
    assert cap.discount_allocations[0].application is application
    assert order.shipping_lines[0].original_price == Decimal("6.00")
    assert order.totals.current_total_tax == Decimal("7.32")
    assert order.header.current_total_price == Decimal("89.82")
    assert order.transactions[0].amount == Decimal("89.82")
    assert order.fulfillment_orders[0].location_id == "gid://shopify/Location/5"


def test_presentment_side_reads_the_customers_currency():
    payload = kitchen_sink()
    shop, customer = parse_order(payload), parse_order(payload, side="presentment")
    assert (shop.currency, customer.currency) == ("USD", "EUR")
    assert shop.line_items[0].unit_price == Decimal("20.00")
    assert customer.line_items[0].unit_price == Decimal("18.40")
    assert customer.line_items[0].tax_lines[0].amount == Decimal("4.41")
    assert customer.refunds[0].line_items[0].subtotal == Decimal("16.56")
    assert customer.totals.total_tip == Decimal("1.84")
    assert customer.header.shop_currency == "USD" and customer.header.presentment_currency == "EUR"


def test_parse_keeps_duties_fees_gift_cards_refunds_company_and_guest_details():
    order = parse_order(kitchen_sink())
    shirt, gift_card = order.line_items
    assert shirt.duties[0].amount == Decimal("3.00") and shirt.duties[0].harmonized_system_code == "6109.10"
    assert gift_card.is_gift_card and gift_card.variant_id is None and gift_card.sku is None
    assert order.additional_fees[0].name == "Bag fee"
    assert order.refunds[0].line_items[0].line_item_id == shirt.id
    assert order.refunds[0].line_items[0].total_tax == Decimal("1.60")
    assert order.company.company_name == "Initech" and order.company.location_id.endswith("/4")
    assert order.shipping_lines[0].discount_allocations[0].application.kind == "automatic"
    assert order.custom_attributes == (("gift_wrap", "yes"),)
    assert order.header.tags == ("vip", "wholesale")


def test_dates_become_timezone_aware_utc():
    payload = load("example_a_tax_exclusive.json")
    payload["processedAt"] = "2026-03-01T01:30:00+02:00"
    header = parse_order(payload).header
    assert header.processed_at == datetime(2026, 2, 28, 23, 30, tzinfo=timezone.utc)
    assert header.processed_at.tzinfo == timezone.utc
    assert header.cancelled_at is None and not header.cancelled


def test_header_parses_from_the_order_header_fragment_alone():
    full = load("example_a_tax_exclusive.json")
    keys = ("id legacyResourceId name number createdAt processedAt updatedAt cancelledAt closedAt test "
            "sourceName email tags currencyCode presentmentCurrencyCode displayFinancialStatus "
            "displayFulfillmentStatus customer totalPriceSet currentTotalPriceSet odooId").split()
    payload = {k: full[k] for k in keys}
    payload["customer"] = {"id": "gid://shopify/Customer/77", "displayName": "Ada Lovelace"}
    payload["odooId"] = {"id": "gid://shopify/Metafield/1", "value": "S00042"}
    payload["cancelledAt"] = "2026-03-02T00:00:00Z"
    header = parse_header(payload)
    assert header.name == "#1001" and header.number == 1001
    assert header.financial_status == "PAID" and header.fulfillment_status == "UNFULFILLED"
    assert header.total_price == Decimal("89.82") and header.odoo_id == "S00042"
    assert header.customer_name == "Ada Lovelace" and header.cancelled


def test_removed_shipping_lines_are_left_out():
    payload = load("example_a_tax_exclusive.json")
    removed = copy.deepcopy(payload["shippingLines"]["nodes"][0])
    removed.update(id="gid://shopify/ShippingLine/999", isRemoved=True)
    payload["shippingLines"]["nodes"].append(removed)
    assert [s.id for s in parse_order(payload).shipping_lines] == [payload["shippingLines"]["nodes"][0]["id"]]


def _error(payload, **kwargs):
    with pytest.raises(OrderDataError) as caught:
        parse_order(payload, **kwargs)
    return str(caught.value)


def test_unknown_currency_is_refused_naming_the_order_field_and_code():
    payload = load("example_a_tax_exclusive.json")
    payload["currencyCode"] = "ABC"
    message = _error(payload)
    assert "#1001" in message and payload["id"] in message
    assert "currencyCode" in message and "'ABC'" in message and "ISO 4217" in message


def test_missing_currency_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["presentmentCurrencyCode"] = None
    assert "presentmentCurrencyCode is missing" in _error(payload, side="presentment")


def test_negative_quantity_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["lineItems"]["nodes"][1]["quantity"] = -1
    assert "lineItems.nodes[1].quantity is -1; a quantity cannot be negative" in _error(payload)


def test_current_quantity_above_quantity_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["lineItems"]["nodes"][0]["currentQuantity"] = 4
    assert "currentQuantity is 4, more than the ordered quantity 3" in _error(payload)


def test_money_that_does_not_parse_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["lineItems"]["nodes"][0]["taxLines"][0]["priceSet"]["shopMoney"]["amount"] = "4,79"
    assert "lineItems.nodes[0].taxLines[0].priceSet.shopMoney.amount does not parse" in _error(payload)


def test_money_in_another_currency_than_the_side_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["shippingLines"]["nodes"][0]["originalPriceSet"]["shopMoney"]["currencyCode"] = "CAD"
    assert "is in CAD, but the order's shop currency is USD" in _error(payload)


def test_money_finer_than_the_currency_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["currentTotalTaxSet"]["shopMoney"]["amount"] = "7.325"
    assert "currentTotalTaxSet is 7.325, finer than the 2 decimals of USD" in _error(payload)


def test_allocation_to_an_unlisted_discount_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["lineItems"]["nodes"][0]["discountAllocations"][0]["discountApplication"]["index"] = 7
    assert "refers to discount application 7, which the order does not list" in _error(payload)


def test_refund_of_a_line_the_order_does_not_have_is_refused():
    payload = kitchen_sink()
    payload["refunds"][0]["refundLineItems"]["nodes"][0]["lineItem"]["id"] = "gid://shopify/LineItem/1"
    assert "refunds line gid://shopify/LineItem/1, which the order does not have" in _error(payload)


def test_connection_without_nodes_is_refused():
    payload = load("example_a_tax_exclusive.json")
    payload["lineItems"] = payload["lineItems"]["nodes"]
    assert "lineItems is not a connection with nodes" in _error(payload)


def test_tax_line_without_any_rate_is_refused_but_a_percentage_rate_is_read():
    payload = load("example_a_tax_exclusive.json")
    payload["lineItems"]["nodes"][0]["taxLines"][0]["rate"] = None
    assert parse_order(payload).line_items[0].tax_lines[0].key.rate == Decimal("0.08875")
    payload["lineItems"]["nodes"][0]["taxLines"][0]["ratePercentage"] = None
    assert _error(payload) == (f"Shopify order #1001 ({payload['id']}): lineItems.nodes[0].taxLines[0] has neither "
                               "rate nor ratePercentage; its tax cannot be mapped.")


def test_side_must_be_shop_or_presentment():
    with pytest.raises(ValueError):
        parse_order(load("example_a_tax_exclusive.json"), side="customer")
