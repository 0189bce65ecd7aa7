"""Eligibility rules: each rule alone, combined, every failing reason in words, dates in the shop's zone."""
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from shopify_simulator import schema
from synco_shopify.shopify.reading.order import parse_header
from synco_shopify.shopify.rules import (
    FINANCIAL_STATUS_LABELS,
    FULFILLMENT_STATUS_LABELS,
    OrderRules,
    evaluate,
)


@dataclass
class Facts:
    """What the Odoo side passes: its stored order (naive UTC datetimes, as Odoo stores them)."""

    financial_status: str | None = "PAID"
    fulfillment_status: str = "UNFULFILLED"
    source_name: str | None = "web"
    processed_at: datetime | None = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    test: bool = False
    cancelled: bool = False


def test_default_rules_accept_a_live_paid_order():
    verdict = evaluate(OrderRules(), Facts())
    assert verdict.eligible and verdict.reasons == ()


def test_payment_status_rule_names_the_status_and_the_accepted_ones():
    rules = OrderRules(financial_statuses={"PAID", "PARTIALLY_PAID"})
    assert evaluate(rules, Facts(financial_status="PARTIALLY_PAID")).eligible
    verdict = evaluate(rules, Facts(financial_status="PENDING"))
    assert not verdict.eligible
    assert verdict.reasons == ("Payment status is Pending; the rules accept Paid, Partially paid.",)


def test_fulfillment_status_rule():
    rules = OrderRules(fulfillment_statuses={"FULFILLED"})
    assert evaluate(rules, Facts(fulfillment_status="FULFILLED")).eligible
    assert evaluate(rules, Facts()).reasons == (
        "Fulfillment status is Unfulfilled; the rules accept Fulfilled.",)


def test_source_rule_accepts_custom_sources_and_shows_channel_names():
    rules = OrderRules(sources={"web", "my-wholesale-app"})
    assert evaluate(rules, Facts(source_name="my-wholesale-app")).eligible
    assert evaluate(rules, Facts(source_name="pos")).reasons == (
        "Sales channel is Point of Sale; the rules accept Online Store, my-wholesale-app.",)
    assert evaluate(rules, Facts(source_name=None)).reasons == (
        "Sales channel is unknown; the rules accept Online Store, my-wholesale-app.",)


def test_test_and_cancelled_orders_are_excluded_unless_allowed():
    assert evaluate(OrderRules(), Facts(test=True)).reasons == (
        "This is a test order; the rules exclude test orders.",)
    assert evaluate(OrderRules(), Facts(cancelled=True)).reasons == (
        "The order is cancelled; the rules exclude cancelled orders.",)
    allowing = OrderRules(exclude_test=False, exclude_cancelled=False)
    assert evaluate(allowing, Facts(test=True, cancelled=True)).eligible


def test_every_failing_rule_is_listed_not_just_the_first():
    rules = OrderRules(financial_statuses={"PAID"}, fulfillment_statuses={"FULFILLED"}, sources={"web"},
                       date_from=date(2026, 4, 1))
    verdict = evaluate(rules, Facts(financial_status="REFUNDED", source_name="pos", test=True, cancelled=True))
    assert not verdict.eligible
    assert len(verdict.reasons) == 6
    assert [r.split(" ")[0] for r in verdict.reasons] == ["Payment", "Fulfillment", "Sales", "Processed", "This", "The"]


def test_date_bounds_are_inclusive_days_in_the_shops_time_zone():
    rules = OrderRules(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), timezone="America/New_York")
    # 2026-03-01 04:59 UTC is still 28 February in New York (UTC-5): refused
    early = evaluate(rules, Facts(processed_at=datetime(2026, 3, 1, 4, 59, tzinfo=timezone.utc)))
    assert early.reasons == ("Processed on 2026-02-28 (America/New_York); the rules accept orders processed "
                             "from 2026-03-01 to 2026-03-31.",)
    # 05:00 UTC is midnight in New York: the first accepted instant
    assert evaluate(rules, Facts(processed_at=datetime(2026, 3, 1, 5, 0, tzinfo=timezone.utc))).eligible
    # 2026-04-01 03:59 UTC is 31 March 23:59 in New York (UTC-4 after the DST change): accepted
    assert evaluate(rules, Facts(processed_at=datetime(2026, 4, 1, 3, 59, tzinfo=timezone.utc))).eligible
    assert not evaluate(rules, Facts(processed_at=datetime(2026, 4, 1, 4, 0, tzinfo=timezone.utc))).eligible


def test_open_ended_date_rules_and_naive_utc_datetimes_from_odoo():
    after = OrderRules(date_from=date(2026, 3, 2), timezone="Asia/Tokyo")
    # naive 2026-03-01 15:00 UTC = 2 March 00:00 in Tokyo
    assert evaluate(after, Facts(processed_at=datetime(2026, 3, 1, 15, 0))).eligible
    assert evaluate(after, Facts(processed_at=datetime(2026, 3, 1, 14, 59))).reasons == (
        "Processed on 2026-03-01 (Asia/Tokyo); the rules accept orders processed on or after 2026-03-02.",)
    before = OrderRules(date_to=date(2026, 3, 1))
    assert "processed on or before 2026-03-01" in evaluate(before, Facts(processed_at=None)).reasons[0]


def test_statuses_stored_in_lower_case_are_understood():
    assert evaluate(OrderRules(financial_statuses={"PAID"}), Facts(financial_status="paid")).eligible


def test_unknown_financial_status_is_reported_as_unknown():
    assert evaluate(OrderRules(financial_statuses={"PAID"}), Facts(financial_status=None)).reasons == (
        "Payment status is unknown; the rules accept Paid.",)


def test_rules_refuse_settings_that_cannot_work():
    with pytest.raises(ValueError, match="SHIPPED"):
        OrderRules(fulfillment_statuses={"SHIPPED"})
    with pytest.raises(ValueError, match="Mars/Olympus"):
        OrderRules(timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="after"):
        OrderRules(date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))


def test_label_maps_cover_exactly_shopifys_status_enums():
    latest = schema.load(schema.latest())
    assert set(FINANCIAL_STATUS_LABELS) == set(latest.get_type("OrderDisplayFinancialStatus").values)
    assert set(FULFILLMENT_STATUS_LABELS) == set(latest.get_type("OrderDisplayFulfillmentStatus").values)
    assert (len(FINANCIAL_STATUS_LABELS), len(FULFILLMENT_STATUS_LABELS)) == (8, 11)


def test_an_order_header_is_evaluated_directly():
    payload = json.loads((Path(__file__).parent / "fixtures" / "example_a_tax_exclusive.json").read_text())
    payload["test"] = True
    verdict = evaluate(OrderRules(sources={"pos"}), parse_header(payload))
    assert verdict.reasons == ("Sales channel is Online Store; the rules accept Point of Sale.",
                               "This is a test order; the rules exclude test orders.")
