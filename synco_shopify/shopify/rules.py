"""Which orders a store syncs: its rules, and the reasons, in the merchant's words, an order fails them.

``evaluate`` reads only ``financial_status, fulfillment_status, source_name, processed_at,
test, cancelled`` of its facts, so an ``OrderHeader`` and the Odoo-side stored order both work.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Shopify admin's words for OrderDisplayFinancialStatus; reasons list accepted ones in this order.
FINANCIAL_STATUS_LABELS = {
    "PAID": "Paid",
    "PARTIALLY_PAID": "Partially paid",
    "AUTHORIZED": "Authorized",
    "PENDING": "Pending",
    "PARTIALLY_REFUNDED": "Partially refunded",
    "REFUNDED": "Refunded",
    "VOIDED": "Voided",
    "EXPIRED": "Expired",
}

# OrderDisplayFulfillmentStatus; FULFILLMENT_NOT_REQUIRED exists from API 2026-10 on.
FULFILLMENT_STATUS_LABELS = {
    "UNFULFILLED": "Unfulfilled",
    "SCHEDULED": "Scheduled",
    "ON_HOLD": "On hold",
    "OPEN": "Open",
    "PENDING_FULFILLMENT": "Pending fulfillment",
    "IN_PROGRESS": "In progress",
    "PARTIALLY_FULFILLED": "Partially fulfilled",
    "FULFILLED": "Fulfilled",
    "RESTOCKED": "Restocked",
    "REQUEST_DECLINED": "Request declined",
    "FULFILLMENT_NOT_REQUIRED": "Fulfillment not required",
}

# sourceName values Shopify sets itself; apps set their own (kept as they are).
SOURCE_LABELS = {
    "web": "Online Store",
    "pos": "Point of Sale",
    "shopify_draft_order": "Draft Orders",
    "iphone": "Shopify Mobile for iPhone",
    "android": "Shopify Mobile for Android",
}


def source_label(source):
    return SOURCE_LABELS.get(source, source)


@dataclass(frozen=True)
class OrderRules:
    financial_statuses: frozenset = field(default_factory=frozenset)  # empty = any
    fulfillment_statuses: frozenset = field(default_factory=frozenset)  # empty = any
    sources: frozenset = field(default_factory=frozenset)  # sourceName values; empty = any
    date_from: date | None = None  # inclusive, on processedAt in the shop's time zone
    date_to: date | None = None  # inclusive
    timezone: str = "UTC"  # the shop's IANA time zone (Shop.ianaTimezone)
    exclude_test: bool = True
    exclude_cancelled: bool = True

    def __post_init__(self):
        for name, labels in (("financial_statuses", FINANCIAL_STATUS_LABELS),
                             ("fulfillment_statuses", FULFILLMENT_STATUS_LABELS)):
            values = frozenset(getattr(self, name))
            unknown = sorted(values - labels.keys())
            if unknown:
                raise ValueError(f"{name}: unknown status {', '.join(unknown)} (known: {', '.join(labels)})")
            object.__setattr__(self, name, values)
        object.__setattr__(self, "sources", frozenset(self.sources))
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone: {self.timezone!r} is not an IANA time zone name") from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reasons: tuple[str, ...]  # one sentence per rule the order fails; empty when eligible


def evaluate(rules, facts):
    """Every rule the order fails, in words; eligible when there is none."""
    reasons = tuple(
        reason
        for check in (_financial, _fulfillment, _source, _dates, _test, _cancelled)
        if (reason := check(rules, facts))
    )
    return Verdict(eligible=not reasons, reasons=reasons)


def _status_reason(what, accepted, labels, status):
    # Odoo may store statuses in lower case; the rules speak Shopify's enum names.
    status = status.upper() if status else None
    if not accepted or status in accepted:
        return None
    shown = labels.get(status, status) if status else "unknown"
    wanted = ", ".join(label for name, label in labels.items() if name in accepted)
    return f"{what} is {shown}; the rules accept {wanted}."


def _financial(rules, facts):
    return _status_reason("Payment status", rules.financial_statuses, FINANCIAL_STATUS_LABELS,
                          facts.financial_status)


def _fulfillment(rules, facts):
    return _status_reason("Fulfillment status", rules.fulfillment_statuses, FULFILLMENT_STATUS_LABELS,
                          facts.fulfillment_status)


def _source(rules, facts):
    if not rules.sources or facts.source_name in rules.sources:
        return None
    shown = source_label(facts.source_name) if facts.source_name else "unknown"
    wanted = ", ".join(sorted(source_label(s) for s in rules.sources))
    return f"Sales channel is {shown}; the rules accept {wanted}."


def _dates(rules, facts):
    if not rules.date_from and not rules.date_to:
        return None
    if rules.date_from and rules.date_to:
        window = f"processed from {rules.date_from} to {rules.date_to}"
    elif rules.date_from:
        window = f"processed on or after {rules.date_from}"
    else:
        window = f"processed on or before {rules.date_to}"
    if facts.processed_at is None:
        return f"The processing date is unknown; the rules accept orders {window}."
    day = _local_day(facts.processed_at, rules.timezone)
    if (rules.date_from and day < rules.date_from) or (rules.date_to and day > rules.date_to):
        return f"Processed on {day} ({rules.timezone}); the rules accept orders {window}."
    return None


def _local_day(moment, zone):
    if not isinstance(moment, datetime):
        raise TypeError(f"processed_at must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None:
        # Odoo stores datetimes as naive UTC.
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(zone)).date()


def _test(rules, facts):
    if rules.exclude_test and facts.test:
        return "This is a test order; the rules exclude test orders."
    return None


def _cancelled(rules, facts):
    if rules.exclude_cancelled and facts.cancelled:
        return "The order is cancelled; the rules exclude cancelled orders."
    return None
