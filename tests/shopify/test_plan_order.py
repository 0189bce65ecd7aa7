"""The order around the lines: payments, customer and addresses, names, dates, location, tags, sides."""
import json
from datetime import date, datetime, timezone
from decimal import Decimal as D
from pathlib import Path

import pytest
from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.reading.order import parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan

NY = ("NY State Tax", 0.08875)


def example_a():
    return json.loads((Path(__file__).parent / "fixtures" / "example_a_tax_exclusive.json").read_text())


def plan_of(payload, side="shop", **settings):
    order = parse_order(payload, side=side)
    plan = build_plan(order, PlanSettings(side=side, **settings))
    assert check_plan(plan, order) == []
    return plan


def paid_order(**kwargs):
    b = OrderBuilder(**kwargs)
    b.line("Lamp", "80.00", 1, taxes=[(*NY, "7.10")])
    return b


def test_only_money_that_moved_becomes_a_payment():
    b = paid_order()
    sale = b.transaction("SALE", "50.00")
    b.transaction("SALE", "37.10", status="FAILURE")
    b.transaction("AUTHORIZATION", "37.10")
    b.transaction("VOID", "37.10")
    b.transaction("CAPTURE", "37.10", status="PENDING")
    b.transaction("SALE", "1.00", gateway="bogus", test=True)  # a test transaction on a live order
    capture = b.transaction("CAPTURE", "30.00", processed_at="2026-03-02T08:00:00Z")
    refund = b.transaction("REFUND", "10.00", processed_at="2026-03-03T08:00:00Z")
    payments = plan_of(b.build()).payments
    assert [(p.transaction_id, p.kind, p.inbound, p.amount) for p in payments] == [
        (sale, "SALE", True, D("50.00")), (capture, "CAPTURE", True, D("30.00")),
        (refund, "REFUND", False, D("10.00"))]
    assert payments[1].date == datetime(2026, 3, 2, 8, tzinfo=timezone.utc)
    assert payments[0].gateway == "shopify_payments" and payments[0].payment_id


def test_partial_payment_plans_what_was_paid_and_leaves_the_rest_outstanding():
    b = paid_order()
    b.transaction("SALE", "40.00")
    b.order["displayFinancialStatus"] = "PARTIALLY_PAID"
    payload = b.build()
    plan = plan_of(payload)
    assert sum(p.amount for p in plan.payments) == D("40.00")
    assert plan.total == D("87.10") and payload["totalOutstandingSet"]["shopMoney"]["amount"] == "47.10"


def test_gift_card_payment_keeps_its_gift_card_gateway_beside_the_card():
    b = paid_order()
    b.transaction("SALE", "25.00", gateway="gift_card")
    b.transaction("SALE", "62.10")
    assert [(p.gateway, p.amount) for p in plan_of(b.build()).payments] == [
        ("gift_card", D("25.00")), ("shopify_payments", D("62.10"))]


def test_test_order_keeps_its_test_transactions():
    b = paid_order()
    b.order["test"] = True
    b.transaction("SALE", "87.10", gateway="bogus", test=True)
    plan = plan_of(b.build())
    assert plan.test and [p.gateway for p in plan.payments] == ["bogus"]


def test_customer_is_keyed_by_its_gid_with_addresses():
    plan = plan_of(example_a())
    customer = plan.customer
    assert (customer.key, customer.kind, customer.name) == ("gid://shopify/Customer/77", "customer", "Ada Lovelace")
    assert (customer.email, customer.phone, customer.company) == ("ada@example.com", "+15555550100", None)
    assert (plan.billing_address.country_code, plan.billing_address.province_code) == ("US", "NY")
    assert plan.shipping_address.street == "1 Main St" and plan.shipping_address.name == "Ada Lovelace"


def test_guest_checkout_is_keyed_by_its_lower_cased_email():
    payload = example_a()
    payload["customer"] = None
    payload["email"] = " Grace.Hopper@Example.com "
    payload["billingAddress"].update(firstName="Grace", lastName="Hopper", name="Grace Hopper")
    customer = plan_of(payload).customer
    assert (customer.key, customer.kind, customer.name) == ("grace.hopper@example.com", "guest", "Grace Hopper")
    assert (customer.first_name, customer.last_name) == ("Grace", "Hopper")


def test_order_without_customer_or_email_has_no_key():
    payload = example_a()
    payload.update(customer=None, email=None, billingAddress=None, shippingAddress=None)
    plan = plan_of(payload)
    assert (plan.customer.key, plan.customer.kind, plan.customer.name) == (None, "anonymous", "Shopify customer")
    assert plan.billing_address is None


def test_company_customer_carries_its_company_and_location():
    payload = example_a()
    payload["purchasingEntity"] = {
        "__typename": "PurchasingCompany",
        "company": {"id": "gid://shopify/Company/3", "name": "Initech"},
        "location": {"id": "gid://shopify/CompanyLocation/4", "name": "Initech HQ"},
    }
    payload["billingAddress"]["company"] = "Initech"
    plan = plan_of(payload)
    company = plan.customer.company
    assert (company.key, company.name, company.location_key, company.location_name) == (
        "gid://shopify/Company/3", "Initech", "gid://shopify/CompanyLocation/4", "Initech HQ")
    assert plan.customer.key == "gid://shopify/Customer/77" and plan.billing_address.company == "Initech"


def test_names_dates_tags_note_attributes_and_location_follow_the_settings():
    payload = example_a()
    payload["processedAt"] = "2026-03-01T02:00:00Z"
    plan = plan_of(payload, name_prefix="SHOP-", timezone="America/Los_Angeles", include_tags=False,
                   include_note_attributes=False)
    assert (plan.name, plan.shopify_name) == ("SHOP-1001", "#1001")
    assert plan.order_date == datetime(2026, 3, 1, 2, tzinfo=timezone.utc)
    assert plan.invoice_date == date(2026, 2, 28)  # 18:00 the day before in Los Angeles
    assert (plan.tags, plan.note_attributes) == ((), ())
    assert plan.note == "Leave at the door"
    assert plan.location_id == "gid://shopify/Location/5"
    default = plan_of(example_a())
    assert default.name is None and default.tags == ("vip", "wholesale")
    assert default.note_attributes == (("gift_wrap", "yes"),) and default.invoice_date == date(2026, 3, 1)


def test_pos_order_without_fulfillment_orders_uses_its_retail_location():
    payload = example_a()
    payload["fulfillmentOrders"]["nodes"] = []
    payload["retailLocation"] = {"id": "gid://shopify/Location/8", "name": "SoHo store"}
    assert plan_of(payload).location_id == "gid://shopify/Location/8"


def test_presentment_side_plans_in_the_customers_currency_and_both_sides_are_exact():
    b = OrderBuilder(currency="USD", presentment_currency="EUR")
    code = b.discount("SAVE10", percentage=-10.0)
    b.line("T-shirt", ("20.00", "18.40"), 3, taxes=[(*NY, ("4.79", "4.41"))], allocations=[(code, ("6.00", "5.52"))])
    b.shipping_line("Standard", ("6.00", "5.52"), taxes=[(*NY, ("0.53", "0.49"))])
    b.transaction("SALE", ("65.32", "60.10"))
    payload = b.build()
    shop, customer = plan_of(payload), plan_of(payload, side="presentment")
    assert (shop.currency, shop.total, shop.payments[0].amount) == ("USD", D("65.32"), D("65.32"))
    assert (customer.currency, customer.total, customer.payments[0].amount) == ("EUR", D("60.10"), D("60.10"))
    assert customer.lines[0].price_unit == D("18.40") and customer.lines[0].discount_percent == D("10")


def test_plan_refuses_an_order_parsed_on_the_other_side():
    order = parse_order(example_a(), side="presentment")
    with pytest.raises(ValueError, match="presentment side"):
        build_plan(order, PlanSettings(side="shop"))


def test_settings_refuse_an_unknown_side_or_time_zone():
    with pytest.raises(ValueError):
        PlanSettings(side="both")
    with pytest.raises(ValueError):
        PlanSettings(timezone="Nowhere/Special")


def test_cash_change_handed_back_at_the_till_is_an_outbound_payment():
    b = paid_order()
    b.transaction("SALE", "100.00", gateway="cash")
    b.transaction("CHANGE", "12.90", gateway="cash")
    payments = build_plan(parse_order(b.build()), PlanSettings()).payments
    assert [(p.kind, p.inbound, p.amount) for p in payments] == [("SALE", True, D("100.00")),
                                                                 ("CHANGE", False, D("12.90"))]
