"""Exchange rates for orders paid in another currency than the shop's (Shopify Markets)."""
from decimal import Decimal

# Units of each currency per US dollar, close to 2026 market levels.
_PER_USD = {"USD": Decimal(1), "EUR": Decimal("0.92"), "GBP": Decimal("0.79"), "CAD": Decimal("1.36"),
            "AUD": Decimal("1.52"), "JPY": Decimal("151.0"), "INR": Decimal("83.2")}


def order_rate(shop_currency, presentment_currency, rng):
    """Presentment units per shop unit on one order's day: the market rate within ±1.5 %."""
    jitter = Decimal(rng.randint(-150, 150)) / 10000
    return (_PER_USD[presentment_currency] / _PER_USD[shop_currency] * (1 + jitter)).quantize(Decimal("1e-6"))


def shop_price(usd_price, shop_currency):
    """A catalog price in the shop's currency: converted, then rounded the way merchants price."""
    value = usd_price * _PER_USD[shop_currency]
    if shop_currency in ("JPY", "INR"):
        return (value / 10).quantize(Decimal(1)) * 10  # whole tens: ¥1,980, ₹1,650
    return value.quantize(Decimal(1)) - Decimal("0.01") if value >= 2 else value.quantize(Decimal("0.01"))
