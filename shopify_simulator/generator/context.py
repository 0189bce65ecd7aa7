"""Everything one generated shop shares across its orders."""
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from .catalog import Catalog
from .ids import Ids
from .money import convert
from .people import CustomerBook


@dataclass
class Shop:
    rng: Random
    ids: Ids
    currency: str
    country: str
    taxes_included: bool
    now: int
    catalog: Catalog
    customers: CustomerBook
    locations: list                  # (location dict, tax place)


class Exchange:
    """One order's conversion: presentment prices from the shop's, then the shop amounts back from
    them, so both sides start from the same unit prices and are then computed independently."""

    def __init__(self, shop_currency, currency, rate):
        self.shop_currency, self.currency, self.rate = shop_currency, currency, rate
        self._back = None if rate is None else Decimal(1) / rate

    def pair(self, shop_amount):
        if self.rate is None:
            return shop_amount, shop_amount
        presentment = convert(shop_amount, self.shop_currency, self.currency, self.rate)
        return convert(presentment, self.currency, self.shop_currency, self._back), presentment
