"""An order's amounts as integer pairs (shop, presentment) in minor units, read from and written
back to MoneyBags. Both sides are always computed separately, as the generator computes them."""
from decimal import Decimal, InvalidOperation

from ..generator.money import Purse, half_up
from ..totals import minor_units

SIDES = (0, 1)
ZERO = (0, 0)


def share(amount, part, whole):
    """round_half_up(amount × part / whole), for amounts of either sign."""
    if amount < 0:
        return -half_up(-amount * part, whole)
    return half_up(amount * part, whole)


def add(*pairs):
    return (sum(p[0] for p in pairs), sum(p[1] for p in pairs))


def sub(a, b):
    return (a[0] - b[0], a[1] - b[1])


def neg(a):
    return (-a[0], -a[1])


class OrderMoney:
    def __init__(self, order):
        self.currencies = (order["currencyCode"], order["presentmentCurrencyCode"])
        self.digits = tuple(minor_units(c) for c in self.currencies)
        self.purse = Purse(*self.currencies)
        self.multi = self.currencies[0] != self.currencies[1]
        total = self.get(order.get("totalPriceSet"))
        self._rate = total if total[0] > 0 and total[1] > 0 else (1, 1)

    def get(self, bag):
        if bag is None:
            return ZERO
        return (self._minor(bag["shopMoney"]["amount"], 0), self._minor(bag["presentmentMoney"]["amount"], 1))

    def _minor(self, text, side):
        return int(Decimal(text).scaleb(self.digits[side]))

    def bag(self, pair):
        return self.purse.bag(pair[0], pair[1])

    def parse(self, text, side=1):
        """An input amount (Money scalar) in one side's currency; None when it has too many digits."""
        try:
            value = Decimal(str(text)).scaleb(self.digits[side])
        except InvalidOperation:
            return None
        return int(value) if value == value.to_integral_value() else None

    def to_shop(self, presentment, known=()):
        """The shop side of an amount given in the presentment currency. When it is one of the
        ``known`` pairs (a whole remainder, a calculated amount), that pair's shop side is exact;
        otherwise it is converted at the order's own rate (totalPrice shop / presentment).
        Shopify does not publish its conversion; the simulator chooses this one."""
        if not self.multi:
            return (presentment, presentment)
        for pair in known:
            if pair[1] == presentment:
                return pair
        return (share(presentment, self._rate[0], self._rate[1]), presentment)
