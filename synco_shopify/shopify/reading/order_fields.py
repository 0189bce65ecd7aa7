"""Reading one order payload's fields, every problem an ``OrderDataError`` naming the order and the field.

Amounts come from one side of each MoneyBag ("shop" or "presentment") and must be in that
side's currency, at that currency's digits.
"""
from datetime import datetime, timezone

from ..money import ZERO, UnknownCurrency, currency_digits, is_rounded, to_decimal
from .order_types import OrderDataError, TaxKey, TaxLine

SIDES = ("shop", "presentment")


class FieldReader:
    """Field access for one payload; subclasses read the order's parts with it."""

    def __init__(self, payload, side):
        if side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, not {side!r}")
        if not isinstance(payload, dict):
            raise OrderDataError(f"An order payload must be an object, not {type(payload).__name__}.")
        self.payload = payload
        self.side = side
        self.label = f"{payload.get('name') or '(no name)'} ({payload.get('id') or 'no id'})"
        self.currency = self._currency("currencyCode" if side == "shop" else "presentmentCurrencyCode")
        self.taxes_included = False

    def fail(self, path, problem):
        raise OrderDataError(f"Shopify order {self.label}: {path} {problem}.")

    def req(self, obj, key, path):
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            self.fail(f"{path}.{key}" if path else key, "is missing")
        return value

    def text(self, obj, key):
        value = obj.get(key)
        return value if value not in ("", None) else None

    def money(self, obj, key, path, *, optional=False):
        bag = obj.get(key)
        where = f"{path}.{key}" if path else key
        if bag is None:
            if optional:
                return ZERO
            self.fail(where, "is missing")
        side = self.req(bag, f"{self.side}Money", where)
        try:
            amount = to_decimal(side.get("amount"))
        except ValueError as exc:
            self.fail(f"{where}.{self.side}Money.amount", f"does not parse: {exc}")
        code = side.get("currencyCode")
        if code != self.currency:
            self.fail(f"{where}.{self.side}Money",
                      f"is in {code}, but the order's {self.side} currency is {self.currency}")
        if not is_rounded(amount, self.currency):
            digits = currency_digits(self.currency)
            self.fail(where, f"is {amount}, finer than the {digits} decimals of {self.currency}")
        return amount

    def when(self, obj, key, path="", *, optional=False):
        raw = obj.get(key)
        where = f"{path}.{key}" if path else key
        if raw is None:
            if optional:
                return None
            self.fail(where, "is missing")
        try:
            moment = datetime.fromisoformat(raw)
        except (TypeError, ValueError):
            self.fail(where, f"is {raw!r}, not an ISO 8601 date-time")
        if moment.tzinfo is None:
            self.fail(where, f"is {raw!r}, which has no time zone")
        return moment.astimezone(timezone.utc)

    def count(self, obj, key, path):
        value = self.req(obj, key, path)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", f"is {value!r}, not a whole number")
        if value < 0:
            self.fail(f"{path}.{key}", f"is {value}; a quantity cannot be negative")
        return value

    def nodes(self, obj, key, path=""):
        connection = obj.get(key)
        where = f"{path}.{key}" if path else key
        if connection is None:
            self.fail(where, "is missing")
        if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
            self.fail(where, "is not a connection with nodes")
        return connection["nodes"]

    def items(self, obj, key, path=""):
        value = obj.get(key)
        if not isinstance(value, list):
            self.fail(f"{path}.{key}" if path else key, "is missing or not a list")
        return value

    def _currency(self, key):
        code = self.payload.get(key)
        if not code:
            self.fail(key, "is missing: amounts cannot be booked without a currency")
        try:
            currency_digits(code)
        except UnknownCurrency as exc:
            self.fail(key, f"is {code!r}: {exc}")
        return code

    def attributes(self, obj):
        return tuple((a.get("key"), a.get("value")) for a in obj.get("customAttributes") or ())

    def tax_lines(self, obj, path, key="taxLines"):
        return tuple(self.tax_line(t, f"{path}.{key}[{i}]" if path else f"{key}[{i}]")
                     for i, t in enumerate(self.items(obj, key, path)))

    def tax_line(self, tax, path):
        rate, percentage = tax.get("rate"), tax.get("ratePercentage")
        if rate is None and percentage is None:
            self.fail(path, "has neither rate nor ratePercentage; its tax cannot be mapped")
        try:
            rate = to_decimal(rate) if rate is not None else to_decimal(percentage) / 100
        except ValueError as exc:
            self.fail(f"{path}.rate", f"does not parse: {exc}")
        return TaxLine(
            # channelLiable null ("unknown liability"): Shopify's changelog says false is assumed.
            key=TaxKey(title=self.req(tax, "title", path), rate=rate.normalize(), included=self.taxes_included,
                       channel_liable=bool(tax.get("channelLiable"))),
            amount=self.money(tax, "priceSet", path),
            source=tax.get("source"),
            channel_liable=tax.get("channelLiable"),
        )
