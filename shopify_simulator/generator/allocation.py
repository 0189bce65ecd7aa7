"""How Shopify spreads a discount over the lines (or shipping lines) it entitles."""
from .money import half_up


def across(amount, bases):
    """``amount`` spread over ``bases`` in proportion: each share truncated to the minor unit, then
    the cents left over handed out one at a time, round-robin from the first line, to lines that
    still have room. A line never gets more than its own base."""
    total = sum(bases)
    if amount >= total:
        return list(bases)
    shares = [amount * base // total for base in bases]
    left, position = amount - sum(shares), 0
    while left:
        if shares[position] < bases[position]:
            shares[position] += 1
            left -= 1
        position = (position + 1) % len(bases)
    return shares


def discount_amounts(discount, bases, quantities, side):
    """The amount a discount takes from each entitled line, given what is left of each line.

    Percentages (``PricingPercentageValue``) take half-up rounded shares; ACROSS rounds the total
    once and spreads it, EACH rounds each line. A fixed amount is per unit with EACH ("2.00 off
    each item") and for the whole selection with ACROSS.
    """
    if discount.percentage is not None:
        hundredths = int(discount.percentage * 100)
        if discount.method == "EACH":
            return [half_up(base * hundredths, 10000) for base in bases]
        return across(half_up(sum(bases) * hundredths, 10000), bases)
    value = discount.amount[side]
    if discount.method == "EACH":
        return [min(base, value * quantity) for base, quantity in zip(bases, quantities)]
    return across(value, bases)
