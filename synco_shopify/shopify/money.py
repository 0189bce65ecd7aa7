"""Exact money: Decimal amounts rounded half-up to the currency's minor unit, as Shopify does."""
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)

# Minor units per ISO 4217 where they differ from 2. Every other known code has 2.
_DIGITS = {
    **dict.fromkeys(
        "BIF BYR CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
}

# Every code Shopify's CurrencyCode enum can send (2025-10..2026-10), except XXX ("no
# currency"), which cannot price an order. A code outside this set is not money we can book.
KNOWN_CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BYR BZD CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JEP JMD JOD JPY
    KES KGS KHR KID KMF KRW KWD KYD KZT LAK LBP LKR LRD LSL LTL LVL LYD MAD MDL MGA MKD MMK MNT
    MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STD STN SYP SZL THB TJS TMT TND
    TOP TRY TTD TWD TZS UAH UGX USD USDC UYU UZS VED VEF VES VND VUV WST XAF XCD XOF XPF YER ZAR
    ZMW""".split()
)


class UnknownCurrency(ValueError):
    def __init__(self, code):
        self.code = code
        super().__init__(f"{code!r} is not a currency code Shopify uses (ISO 4217)")


def currency_digits(currency):
    """Number of decimals of the currency's minor unit (JPY 0, USD 2, KWD 3)."""
    if currency not in KNOWN_CURRENCIES:
        raise UnknownCurrency(currency)
    return _DIGITS.get(currency, 2)


def quantum(currency):
    """The smallest amount of the currency: Decimal('0.01') for USD, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-currency_digits(currency))


def to_decimal(value):
    """A finite Decimal from an API value.

    Amounts arrive as strings ("12.30"); GraphQL Floats (tax rates) arrive as JSON floats,
    which are read through their shortest repr so 0.08875 stays 0.08875, not its binary
    approximation.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def round_money(amount, currency):
    """Half-up (away from zero on a tie) to the currency's digits, Shopify's rounding."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def is_rounded(amount, currency):
    return amount == round_money(amount, currency)


def allocate(total, weights, currency):
    """Split ``total`` over ``weights`` proportionally; the parts sum to ``total`` exactly.

    Largest remainder: every part is first truncated to the minor unit, then the leftover
    units go one each to the largest truncation remainders (earliest index first on a tie).
    """
    weights = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("allocation weights must not be negative")
    weight_sum = sum(weights, ZERO)
    if not weight_sum:
        raise ValueError("allocation needs at least one positive weight")
    step = quantum(currency)
    total = round_money(total, currency)
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    exact = [magnitude * w / weight_sum for w in weights]
    parts = [e.quantize(step, rounding=ROUND_DOWN) for e in exact]
    leftover = int((magnitude - sum(parts, ZERO)) / step)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:leftover]:
        parts[i] += step
    return [sign * p for p in parts]
