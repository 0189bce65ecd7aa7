"""Amounts as integers in the currency's minor unit (cents; yen for JPY).

Integers are exact like ``Decimal`` and several times faster, which the generator needs to
build thousands of orders a second; amounts only become strings when an order is assembled.
Rounding is half-up, as Shopify rounds money.
"""
from decimal import ROUND_HALF_UP, Decimal

from ..totals import minor_units


def half_up(numerator, denominator):
    """numerator / denominator rounded half-up, for numerator >= 0 and denominator > 0."""
    return (2 * numerator + denominator) // (2 * denominator)


def to_minor(amount, currency):
    """A decimal amount ("12.30", Decimal) in minor units, refusing sub-unit digits."""
    value = Decimal(amount).scaleb(minor_units(currency))
    if value != value.to_integral_value():
        raise ValueError(f"{amount} has more digits than {currency} allows")
    return int(value)


def fmt(minor, digits):
    if not digits:
        return str(minor)
    sign = "-" if minor < 0 else ""
    units, cents = divmod(abs(minor), 10 ** digits)
    return f"{sign}{units}.{cents:0{digits}d}"


def convert(minor, from_currency, to_currency, rate):
    """minor units of one currency times ``rate`` (to per from), rounded to the other's unit."""
    value = Decimal(minor).scaleb(-minor_units(from_currency)) * rate
    return int(value.quantize(Decimal(1).scaleb(-minor_units(to_currency)), ROUND_HALF_UP)
               .scaleb(minor_units(to_currency)))


def _formatter(digits):
    if digits != 2:
        return lambda minor: fmt(minor, digits)

    def cents(minor):  # the common case, kept short: it runs ~50 times per order
        return f"{minor // 100}.{minor % 100:02d}" if minor >= 0 else "-" + cents(-minor)
    return cents


class Purse:
    """Formats pairs of amounts (shop, presentment) as Shopify MoneyBags for one order."""

    __slots__ = ("shop", "presentment", "_shop_text", "_presentment_text", "_same")

    def __init__(self, shop_currency, presentment_currency):
        self.shop, self.presentment = shop_currency, presentment_currency
        self._shop_text = _formatter(minor_units(shop_currency))
        self._presentment_text = _formatter(minor_units(presentment_currency))
        self._same = shop_currency == presentment_currency

    def bag(self, shop, presentment):
        shop_text = self._shop_text(shop)
        same = self._same and shop == presentment
        return {
            "shopMoney": {"amount": shop_text, "currencyCode": self.shop},
            "presentmentMoney": {"amount": shop_text if same else self._presentment_text(presentment),
                                 "currencyCode": self.presentment},
        }

    def money(self, presentment):
        """A MoneyV2 in the presentment currency (what the customer saw)."""
        return {"amount": self._presentment_text(presentment), "currencyCode": self.presentment}
