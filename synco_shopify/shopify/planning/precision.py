"""Whether Odoo can hold a plan's figures exactly, before anything is written (pure).

Shopify states money at the currency's ISO 4217 digits (its ``Decimal`` scalar has
arbitrary precision; its documentation gives no per-currency table, so ISO's is what the
amounts carry). Odoo keeps amounts at the currency's own rounding and unit prices at the
"Product Price" decimal accuracy. Where these are coarser than Shopify's figures, Odoo
would round them (a KWD unit price of 1.255 becomes 1.26 with 2 price digits) and the
order would fail late, as a totals mismatch, after its partner and products were made.
Odoo's rounding is not always ISO's: Odoo rounds TWD to whole dollars, ISO gives it cents.

``check`` names the setting to change instead; the writer calls it first.
"""
from dataclasses import dataclass
from decimal import Decimal

from ..money import quantum


@dataclass(frozen=True)
class PrecisionProblem:
    """What Odoo cannot hold: ``setting`` is "price_digits" or "currency_rounding";
    ``needed`` the digits (an int) or the rounding (a Decimal) that would hold ``example``."""

    setting: str
    needed: object
    current: object
    example: Decimal
    what: str


def decimals(amount):
    """Significant decimals of an amount: 1.250 has 2, 100 has 0."""
    exponent = Decimal(amount).normalize().as_tuple().exponent
    return max(0, -exponent)


def fits_rounding(amount, rounding):
    """Whether ``amount`` is a whole multiple of the currency's rounding (0.01, 1, 0.05...)."""
    return Decimal(amount) % rounding == 0


def check(plan, currency_rounding, price_digits):
    """The problems (at most one per setting) of ``plan`` against the currency's Odoo
    rounding (a Decimal, e.g. Decimal("0.001")) and the "Product Price" digits (an int)."""
    rounding = Decimal(str(currency_rounding))
    problems = []
    prices = [(line.price_unit, line.name) for line in _lines(plan)]
    too_fine = [(price, name) for price, name in prices if decimals(price) > price_digits]
    if too_fine:
        price, name = max(too_fine, key=lambda item: decimals(item[0]))
        problems.append(PrecisionProblem(
            setting="price_digits", needed=max(decimals(p) for p, _n in too_fine), current=price_digits,
            example=price, what=f"unit price of {name}"))
    odd = [(amount, what) for amount, what in _amounts(plan) if not fits_rounding(amount, rounding)]
    if odd:
        amount, what = odd[0]
        # Shopify states money at ISO's digits: that is the rounding every order in the
        # currency needs, not only this one's (99.50 needs 0.01, though 0.1 would hold it).
        needed = min(quantum(plan.currency), Decimal(1).scaleb(-max(decimals(a) for a, _w in odd)))
        problems.append(PrecisionProblem(
            setting="currency_rounding", needed=needed, current=rounding,
            example=amount, what=what))
    return problems


def _lines(plan):
    yield from plan.lines
    for refund in plan.refunds:
        yield from refund.lines


def _amounts(plan):
    """Every amount Odoo keeps at the currency's rounding: line amounts, taxes, payments, totals."""
    for line in _lines(plan):
        yield line.base, f"amount of {line.name}"
        for key, amount in line.taxes:
            yield amount, f"tax {getattr(key, 'title', key)} of {line.name}"
    for payment in plan.payments:
        yield payment.amount, f"{payment.gateway} payment"
    yield plan.expected.total, "order total"
