"""What each listable resource can be searched and sorted by.

Filter names and their meaning follow the argument descriptions of Shopify's
schema (``orders(query:)`` etc., §1.2 of docs/shopify-admin-api.md).
"""
from datetime import datetime, timezone
from decimal import Decimal
from typing import NamedTuple

from . import filters, gids
from .clock import parse_time
from .paging import SortKey


class Resource(NamedTuple):
    type_name: str
    filters: dict
    sort_keys: dict
    default_sort: str


def _get(*path):
    def extract(obj):
        for key in path:
            if obj is None:
                return None
            obj = obj.get(key)
        return obj

    return extract


def _money(field):
    amount = _get(field, "shopMoney", "amount")
    return lambda obj: Decimal(amount(obj) or "0")


_NEVER = datetime.min.replace(tzinfo=timezone.utc)


def _time(field):
    return lambda obj: parse_time(obj[field]) if obj.get(field) else _NEVER


def _number(obj):
    return gids.number(obj["id"])


def _text(*path):
    extract = _get(*path)
    return lambda obj: (extract(obj) or "").lower()


def _closed(order):
    return bool(order.get("closed", order.get("closedAt") is not None))


def _order_text(order):
    customer = order.get("customer") or {}
    return " ".join(
        str(part).lower()
        for part in (order.get("name"), order.get("email"), customer.get("displayName"), *order.get("tags", ()))
        if part
    )


def _bare_text(extract):
    def factory(op, value, env):
        wanted = value.lower()
        return lambda obj: wanted in extract(obj)

    return factory


def _status(op, value, env):
    tests = {
        "open": lambda o: not _closed(o) and o.get("cancelledAt") is None,
        "closed": _closed,
        "cancelled": lambda o: o.get("cancelledAt") is not None,
        "not_closed": lambda o: not _closed(o),
        "any": lambda o: True,
    }
    return tests.get(value.lower(), lambda o: False)


_FINANCIAL = {
    value: frozenset({value.upper()})
    for value in ("paid", "pending", "authorized", "partially_paid", "partially_refunded", "refunded", "voided", "expired")
}
_FULFILLMENT = {
    "unshipped": frozenset({"UNFULFILLED"}),
    "unfulfilled": frozenset({"UNFULFILLED"}),
    "shipped": frozenset({"FULFILLED"}),
    "fulfilled": frozenset({"FULFILLED"}),
    "partial": frozenset({"PARTIALLY_FULFILLED"}),
    "scheduled": frozenset({"SCHEDULED"}),
    "on_hold": frozenset({"ON_HOLD"}),
    "request_declined": frozenset({"REQUEST_DECLINED"}),
}
_RETURN = {
    value: frozenset({value.upper()})
    for value in ("return_requested", "in_progress", "inspection_complete", "returned", "return_failed", "no_return")
}


def _name(text):
    return text.lstrip("#")


def _line_skus(order):
    return [line.get("sku") for line in order.get("lineItems") or () if line.get("sku")]


def _times(**fields):
    return {name: filters.time_field(_get(field)) for name, field in fields.items()}


ORDER = Resource(
    "Order",
    filters={
        None: _bare_text(_order_text),
        **_times(created_at="createdAt", updated_at="updatedAt", processed_at="processedAt"),
        "financial_status": filters.enum_field(_get("displayFinancialStatus"), _FINANCIAL),
        "fulfillment_status": filters.enum_field(_get("displayFulfillmentStatus"), _FULFILLMENT),
        "return_status": filters.enum_field(_get("returnStatus"), _RETURN),
        "status": _status,
        "email": filters.text_field(_get("email")),
        "name": filters.text_field(_get("name"), normalise=_name),
        "source_name": filters.text_field(_get("sourceName")),
        "po_number": filters.text_field(_get("poNumber")),
        "confirmation_number": filters.text_field(_get("confirmationNumber")),
        "tag": filters.any_text_field(_get("tags")),
        "tag_not": filters.none_text_field(_get("tags")),
        "gateway": filters.any_text_field(_get("paymentGatewayNames")),
        "discount_code": filters.any_text_field(_get("discountCodes")),
        "sku": filters.any_text_field(_line_skus),
        "test": filters.bool_field(_get("test")),
        "id": filters.id_field(_get("id")),
        "customer_id": filters.id_field(_get("customer", "id")),
        "current_total_price": filters.number_field(_get("currentTotalPriceSet", "shopMoney", "amount")),
    },
    sort_keys={
        "CREATED_AT": SortKey("CREATED_AT", _time("createdAt"), "time"),
        "UPDATED_AT": SortKey("UPDATED_AT", _time("updatedAt"), "time"),
        "PROCESSED_AT": SortKey("PROCESSED_AT", _time("processedAt"), "time"),
        "ID": SortKey("ID", _number, "int"),
        "RELEVANCE": SortKey("RELEVANCE", _number, "int"),
        "ORDER_NUMBER": SortKey("ORDER_NUMBER", lambda o: o.get("number") or 0, "int"),
        "TOTAL_PRICE": SortKey("TOTAL_PRICE", _money("totalPriceSet"), "decimal"),
        "CURRENT_TOTAL_PRICE": SortKey("CURRENT_TOTAL_PRICE", _money("currentTotalPriceSet"), "decimal"),
        "CUSTOMER_NAME": SortKey("CUSTOMER_NAME", _text("customer", "displayName"), "text"),
        "FINANCIAL_STATUS": SortKey("FINANCIAL_STATUS", _text("displayFinancialStatus"), "text"),
        "FULFILLMENT_STATUS": SortKey("FULFILLMENT_STATUS", _text("displayFulfillmentStatus"), "text"),
        "PO_NUMBER": SortKey("PO_NUMBER", _text("poNumber"), "text"),
        "TOTAL_ITEMS_QUANTITY": SortKey(
            "TOTAL_ITEMS_QUANTITY", lambda o: o.get("subtotalLineItemsQuantity") or 0, "int"
        ),
        "DESTINATION": SortKey("DESTINATION", _text("shippingAddress", "countryCodeV2"), "text"),
    },
    default_sort="PROCESSED_AT",
)


def _common_sorts(**extra):
    keys = {
        "ID": SortKey("ID", _number, "int"),
        "RELEVANCE": SortKey("RELEVANCE", _number, "int"),
        "CREATED_AT": SortKey("CREATED_AT", _time("createdAt"), "time"),
        "UPDATED_AT": SortKey("UPDATED_AT", _time("updatedAt"), "time"),
    }
    keys.update({name: SortKey(name, extract, kind) for name, (extract, kind) in extra.items()})
    return keys


def _common_filters(text, **extra):
    return {
        None: _bare_text(text),
        "id": filters.id_field(_get("id")),
        **_times(created_at="createdAt", updated_at="updatedAt"),
        **extra,
    }


CUSTOMER = Resource(
    "Customer",
    filters=_common_filters(
        lambda c: " ".join((_text("displayName")(c), _text("defaultEmailAddress", "emailAddress")(c))),
        email=filters.text_field(_get("defaultEmailAddress", "emailAddress")),
        first_name=filters.text_field(_get("firstName")),
        last_name=filters.text_field(_get("lastName")),
        tag=filters.any_text_field(_get("tags")),
    ),
    sort_keys=_common_sorts(NAME=(_text("displayName"), "text")),
    default_sort="ID",
)

PRODUCT = Resource(
    "Product",
    filters=_common_filters(
        _text("title"),
        title=filters.text_field(_get("title")),
        vendor=filters.text_field(_get("vendor")),
        product_type=filters.text_field(_get("productType")),
        status=filters.text_field(_get("status")),
        sku=filters.any_text_field(lambda p: [v.get("sku") for v in p.get("variants") or () if v.get("sku")]),
    ),
    sort_keys=_common_sorts(
        TITLE=(_text("title"), "text"),
        VENDOR=(_text("vendor"), "text"),
        PRODUCT_TYPE=(_text("productType"), "text"),
    ),
    default_sort="ID",
)

VARIANT = Resource(
    "ProductVariant",
    filters=_common_filters(
        lambda v: " ".join((_text("title")(v), _text("sku")(v))),
        sku=filters.text_field(_get("sku")),
        barcode=filters.text_field(_get("barcode")),
        title=filters.text_field(_get("title")),
        product_id=filters.id_field(_get("product", "id")),
    ),
    sort_keys=_common_sorts(SKU=(_text("sku"), "text"), TITLE=(_text("title"), "text")),
    default_sort="ID",
)

LOCATION = Resource(
    "Location",
    filters=_common_filters(
        _text("name"),
        name=filters.text_field(_get("name")),
        active=filters.bool_field(_get("isActive")),
    ),
    sort_keys=_common_sorts(NAME=(_text("name"), "text")),
    default_sort="NAME",
)

BULK_OPERATION = Resource(
    "BulkOperation",
    filters={
        "id": filters.id_field(_get("id")),
        "status": filters.text_field(_get("status")),
        "operation_type": filters.text_field(_get("type")),
        **_times(created_at="createdAt"),
    },
    sort_keys={
        "ID": SortKey("ID", _number, "int"),
        "CREATED_AT": SortKey("CREATED_AT", _time("createdAt"), "time"),
    },
    default_sort="CREATED_AT",
)

# Order.agreements(query:): the filters its argument's description lists.
AGREEMENT_FILTERS = {"id": filters.id_field(_get("id")), "happened_at": filters.time_field(_get("happenedAt"))}
