"""Exact money: currency digits, half-up rounding, parsing, and allocation that never loses a cent."""
from decimal import Decimal

import pytest

from shopify_simulator import schema
from synco_shopify.shopify.money import (
    KNOWN_CURRENCIES,
    UnknownCurrency,
    allocate,
    currency_digits,
    quantum,
    round_money,
    to_decimal,
)


def test_currency_digits_follow_iso_4217_minor_units():
    assert currency_digits("USD") == 2
    assert currency_digits("EUR") == 2
    assert currency_digits("JPY") == 0
    assert currency_digits("KRW") == 0
    assert currency_digits("KWD") == 3
    assert currency_digits("BHD") == 3
    assert quantum("JPY") == Decimal("1")
    assert quantum("KWD") == Decimal("0.001")


def test_unknown_or_missing_currency_is_refused():
    for code in ("ABC", "XXX", "usd", "", None):
        with pytest.raises(UnknownCurrency):
            currency_digits(code)


@pytest.mark.parametrize("version", schema.versions())
def test_every_currency_shopify_can_send_is_known_except_no_currency(version):
    sent = set(schema.load(version).get_type("CurrencyCode").values)
    assert KNOWN_CURRENCIES == sent - {"XXX"}


def test_rounding_is_half_up_away_from_zero_at_the_currency_digits():
    assert round_money(Decimal("4.785"), "USD") == Decimal("4.79")
    assert round_money(Decimal("0.125"), "USD") == Decimal("0.13")  # banker's rounding would give 0.12
    assert round_money(Decimal("-0.125"), "USD") == Decimal("-0.13")
    assert round_money(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert round_money(Decimal("1.0005"), "KWD") == Decimal("1.001")
    assert str(round_money(Decimal("7"), "USD")) == "7.00"


def test_to_decimal_reads_strings_and_graphql_floats_exactly():
    assert to_decimal("12.30") == Decimal("12.30")
    assert str(to_decimal("12.30")) == "12.30"
    assert to_decimal(0.08875) == Decimal("0.08875")  # not 0.0887499999999999955591...
    assert to_decimal(7) == Decimal(7)
    for bad in ("12,30", "abc", "", None, True, "NaN", "Infinity", [1]):
        with pytest.raises(ValueError):
            to_decimal(bad)


def test_allocation_splits_proportionally_and_sums_exactly():
    parts = allocate(Decimal("10.00"), [Decimal(60), Decimal(25)], "USD")
    assert parts == [Decimal("7.06"), Decimal("2.94")]
    thirds = allocate(Decimal("1.00"), [1, 1, 1], "USD")
    assert thirds == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]  # earliest takes the leftover
    assert sum(allocate(Decimal("-0.89"), [3, 2, 2], "USD")) == Decimal("-0.89")
    # exact 0.3814.., 0.2542.., 0.2542..: the tie between the two equal remainders goes to the first
    assert allocate(Decimal("-0.89"), [3, 2, 2], "USD") == [Decimal("-0.38"), Decimal("-0.26"), Decimal("-0.25")]
    assert allocate(Decimal("1000"), [1, 2], "JPY") == [Decimal("333"), Decimal("667")]


def test_allocation_gives_leftover_units_to_the_largest_remainders():
    # 0.05 over 3 weights: exact 0.0166.., 0.0166.., 0.0166.. -> 0.02, 0.02, 0.01
    assert allocate(Decimal("0.05"), [1, 1, 1], "USD") == [Decimal("0.02"), Decimal("0.02"), Decimal("0.01")]
    # remainders 0.008 (i=0), 0.002 (i=1): the larger one gets the cent
    assert allocate(Decimal("0.10"), [38, 62], "USD") == [Decimal("0.04"), Decimal("0.06")]


def test_allocation_refuses_weights_that_cannot_split():
    with pytest.raises(ValueError):
        allocate(Decimal("1.00"), [0, 0], "USD")
    with pytest.raises(ValueError):
        allocate(Decimal("1.00"), [1, -1], "USD")
