"""How one Shopify charge becomes Odoo lines whose amounts are Shopify's to the cent.

The unit price stays Shopify's original price. On a taxed line, its discount becomes the
line's discount percentage when some percentage with 2 decimals reproduces the discounted
amount under Odoo's ``round(price_unit × qty × (1 − d/100))``; otherwise a separate discount line
follows (quantity 1, price −discount). Taxes are never left to Odoo: every line carries
Shopify's amount per tax. A separate discount line carries the rounded tax of its own
amount, and the charge keeps Shopify's tax minus that, so the pair sums to Shopify's tax.
"""
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..money import ZERO, round_money
from .plan_types import DISCOUNT, PlanLine

_PERCENT_STEP = Decimal("0.01")
_HUNDRED = Decimal(100)


def odoo_amount(price_unit, quantity, discount_percent, currency):
    """The line amount Odoo computes (tax-included when the price is)."""
    return round_money(price_unit * quantity * (1 - discount_percent / _HUNDRED), currency)


def charge_lines(current, *, kind, name, product, source_id, discount_name, currency, taxes_included,
                 discount_label=""):
    """The Odoo lines for one charge whose current state is ``current`` (see plan_current).
    ``discount_label`` names the charge's discounts (codes, titles) where they fold into it."""
    taxes = by_tax_key(current.taxes)
    # Odoo honours a line's exact amount (manual totals) only on a taxed line; an untaxed
    # line's discounted amount would be rounded with the whole document's under the
    # company's "round globally", so its discount always gets a line of its own.
    percent = _discount_percent(current, currency) if taxes or not current.discount else None
    if percent is not None:
        line = _line(kind, product, name, current.quantity, current.price_unit, percent, current.net,
                     taxes, source_id, taxes_included)
        if percent:
            line = replace(line, folded_discount=current.discount, discount_label=discount_label)
        return [line]
    discount_taxes = tuple(
        (key, _tax_of(-current.discount, key, taxes, taxes_included, currency) if amount else ZERO)
        for key, amount in taxes
    )
    charge_taxes = tuple((key, amount - d) for (key, amount), (_, d) in zip(taxes, discount_taxes))
    return [
        _line(kind, product, name, current.quantity, current.price_unit, ZERO,
              current.price_unit * current.quantity, charge_taxes, source_id, taxes_included),
        _line(DISCOUNT, None, discount_name, 1, -current.discount, ZERO, -current.discount,
              discount_taxes, source_id, taxes_included),
    ]


def _discount_percent(current, currency):
    """A 2-decimal percentage Odoo turns into exactly ``current.net``, or None."""
    gross = current.price_unit * current.quantity
    if not current.discount:
        return ZERO
    if not gross or current.discount < 0:
        return None
    exact = current.discount * _HUNDRED / gross
    # Odoo's amount falls as the percentage rises, so the two neighbours of the exact
    # percentage are the only candidates that can reproduce the amount.
    low, high = exact.quantize(_PERCENT_STEP, ROUND_FLOOR), exact.quantize(_PERCENT_STEP, ROUND_CEILING)
    candidates = sorted(dict.fromkeys((low, high)), key=lambda p: abs(p - exact))
    for percent in candidates:
        if 0 < percent <= _HUNDRED and odoo_amount(current.price_unit, current.quantity, percent,
                                                   currency) == current.net:
            return percent
    return None


def _tax_of(amount, key, taxes, taxes_included, currency):
    if not taxes_included:
        return round_money(amount * key.rate, currency)
    all_rates = sum((k.rate for k, _ in taxes), ZERO)
    return round_money(amount * key.rate / (1 + all_rates), currency)


def _line(kind, product, name, quantity, price_unit, percent, amount, taxes, source_id, taxes_included):
    tax = sum((a for _, a in taxes), ZERO)
    base = amount - tax if taxes_included else amount
    return PlanLine(kind=kind, product=product, name=name, quantity=quantity, price_unit=price_unit,
                    discount_percent=percent, base=base, taxes=taxes, source_id=source_id)


def by_tax_key(taxes):
    """One amount per TaxKey, first-seen order: ((key, amount), ...) summed by key."""
    merged = {}
    for key, amount in taxes:
        merged[key] = merged.get(key, ZERO) + amount
    return tuple(merged.items())
