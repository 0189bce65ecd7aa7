"""Odoo must hold Shopify's figures exactly: the precision check names the setting to change.

Odoo's rounding per currency is read from Odoo's own currency data (ODOO_PATH), so a change
there (or a currency where Odoo and ISO 4217 disagree, as for TWD) shows here.
"""
import os
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.money import currency_digits, quantum
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan
from synco_shopify.shopify.planning.precision import check, decimals, fits_rounding
from synco_shopify.shopify.reading.order import parse_order

ODOO_CURRENCIES = Path(os.environ.get("ODOO_PATH", "/opt/odoo")) / "odoo/addons/base/data/res_currency_data.xml"


def odoo_roundings():
    """{code: Decimal rounding} as Odoo installs its currencies."""
    text = ODOO_CURRENCIES.read_text()
    roundings = {}
    for record in re.findall(r"<record [^>]*model=\"res.currency\".*?</record>", text, re.S):
        name = re.search(r'<field name="name">([A-Z]{3})</field>', record)
        rounding = re.search(r'<field name="rounding">([0-9.]+)</field>', record)
        if name and rounding:
            roundings[name.group(1)] = D(rounding.group(1))
    return roundings


ODOO = odoo_roundings()
THREE = ("KWD", "BHD", "JOD", "OMR", "TND")
ZERO_DECIMAL = ("JPY", "KRW", "CLP", "ISK")


def plan_of(builder):
    order = parse_order(builder.build(), side="shop")
    plan = build_plan(order, PlanSettings())
    assert check_plan(plan, order) == []
    return plan


def one_line_order(currency, price, quantity=1, digits=None, gateway="shopify_payments"):
    digits = currency_digits(currency) if digits is None else digits
    b = OrderBuilder(currency=currency, digits=digits)
    b.line("Widget", price, quantity)
    total = D(price) * quantity
    b.transaction("SALE", str(total), gateway=gateway)
    return plan_of(b)


def test_odoo_and_iso_agree_on_the_covered_currencies_except_twd():
    """Where Odoo's rounding is ISO's, Shopify's figures fit as they come; TWD is the exception."""
    for code in (*THREE, *ZERO_DECIMAL, "USD", "EUR", "CHF"):
        assert ODOO[code] == quantum(code), code
    assert ODOO["TWD"] == D("1") and quantum("TWD") == D("0.01")
    disagree = sorted(code for code, rounding in ODOO.items()
                      if code in {"TWD", *THREE, *ZERO_DECIMAL, "USD"} and rounding != quantum(code))
    assert disagree == ["TWD"]


@pytest.mark.parametrize("currency", THREE)
def test_three_decimal_unit_price_needs_three_price_digits(currency):
    plan = one_line_order(currency, "1.255", 2)
    assert [line.price_unit for line in plan.lines] == [D("1.255")]
    problems = check(plan, ODOO[currency], price_digits=2)
    assert [(p.setting, p.needed, p.current, p.example) for p in problems] == [
        ("price_digits", 3, 2, D("1.255"))]
    assert check(plan, ODOO[currency], price_digits=3) == []


@pytest.mark.parametrize("currency", THREE)
def test_three_decimal_amounts_do_not_fit_a_cent_rounding(currency):
    plan = one_line_order(currency, "1.255", 1)
    problems = check(plan, D("0.01"), price_digits=3)
    assert [(p.setting, p.needed) for p in problems] == [("currency_rounding", D("0.001"))]
    assert problems[0].example == D("1.255")


@pytest.mark.parametrize("currency", ZERO_DECIMAL)
def test_zero_decimal_currencies_fit_odoo_as_they_come(currency):
    plan = one_line_order(currency, "1980", 3)
    assert plan.total == D("5940")
    assert check(plan, ODOO[currency], price_digits=2) == []


def test_twd_cents_do_not_fit_odoos_whole_dollars():
    """ISO (and so Shopify's amounts) gives TWD two decimals; Odoo rounds TWD to 1."""
    plan = one_line_order("TWD", "99.50", 1)
    problems = check(plan, ODOO["TWD"], price_digits=2)
    assert [(p.setting, p.needed, p.current) for p in problems] == [("currency_rounding", D("0.01"), D("1"))]
    assert check(plan, D("0.01"), price_digits=2) == []


def test_twd_whole_amounts_fit_odoo():
    plan = one_line_order("TWD", "990.00", 2)
    assert check(plan, ODOO["TWD"], price_digits=2) == []


def test_chf_cash_rounded_payment_fits_the_cent():
    """A CHF till payment rounded to 0.05 is still an amount in cents: Odoo's CHF rounding holds it."""
    b = OrderBuilder(currency="CHF")
    b.line("Chocolate", "9.97", 1)
    b.transaction("SALE", "9.95", gateway="cash")
    # paymentSet is due − received; nothing stays outstanding.
    b.set(totalCashRoundingAdjustment={"paymentSet": b.money("0.02"), "refundSet": b.money("0")},
          totalOutstandingSet=b.money("0"))
    plan = plan_of(b)
    assert check(plan, ODOO["CHF"], price_digits=2) == []
    # A merchant who set CHF's rounding to 0.05 could not hold the 9.97 sale.
    assert [p.setting for p in check(plan, D("0.05"), price_digits=2)] == ["currency_rounding"]


def test_helpers():
    assert decimals(D("1.250")) == 2 and decimals(D("100")) == 0 and decimals(D("1E+2")) == 0
    assert fits_rounding(D("10.05"), D("0.05")) and not fits_rounding(D("10.03"), D("0.05"))
    assert fits_rounding(D("0"), D("1"))
