"""Tax rates and the places that charge them, keyed by where the goods go (or the till stands)."""
from dataclasses import dataclass
from decimal import Decimal

RATE_SCALE = 10 ** 9  # rates as integer parts per billion keep tax arithmetic exact in integers


@dataclass(frozen=True, slots=True)
class TaxRate:
    title: str
    rate: Decimal

    @property
    def parts(self):
        return int(self.rate * RATE_SCALE)


@dataclass(frozen=True, slots=True)
class Place:
    """A tax jurisdiction with the cities addresses are drawn from."""
    country_code: str
    country: str
    province: str | None
    province_code: str | None
    currency: str
    rates: tuple
    cities: tuple  # (city, zip prefix)

    @property
    def multi(self):
        return len(self.rates) > 1

    @property
    def same_rate(self):
        """Two different titles charging the same rate (Texas city + transit; India CGST + SGST)."""
        seen = [r.rate for r in self.rates]
        return len(set(seen)) < len(seen)


def _rates(*pairs):
    return tuple(TaxRate(title, Decimal(rate)) for title, rate in pairs)


PLACES = (
    Place("US", "United States", "New York", "NY", "USD",
          _rates(("NY State Tax", "0.04"), ("New York City Tax", "0.045"), ("Metropolitan Commuter Tax", "0.00375")),
          (("Brooklyn", "112"), ("New York", "100"))),
    Place("US", "United States", "California", "CA", "USD", _rates(("CA State Tax", "0.0725")),
          (("San Francisco", "941"), ("Sacramento", "958"))),
    Place("US", "United States", "New Jersey", "NJ", "USD", _rates(("NJ State Tax", "0.06625")),
          (("Newark", "071"), ("Jersey City", "073"))),
    Place("US", "United States", "Texas", "TX", "USD",
          _rates(("TX State Tax", "0.0625"), ("Austin City Tax", "0.01"), ("Austin MTA Transit Tax", "0.01")),
          (("Austin", "787"),)),
    Place("US", "United States", "Illinois", "IL", "USD",
          _rates(("IL State Tax", "0.0625"), ("Cook County Tax", "0.01"), ("Chicago City Tax", "0.005")),
          (("Chicago", "606"),)),
    Place("US", "United States", "Florida", "FL", "USD",
          _rates(("FL State Tax", "0.06"), ("Miami-Dade County Tax", "0.01")), (("Miami", "331"),)),
    Place("US", "United States", "Oregon", "OR", "USD", (), (("Portland", "972"),)),
    Place("CA", "Canada", "Ontario", "ON", "CAD", _rates(("HST", "0.13")), (("Toronto", "M5V"), ("Ottawa", "K1P"))),
    Place("CA", "Canada", "Quebec", "QC", "CAD", _rates(("GST", "0.05"), ("QST", "0.09975")),
          (("Montréal", "H2X"),)),
    Place("CA", "Canada", "British Columbia", "BC", "CAD", _rates(("GST", "0.05"), ("PST", "0.07")),
          (("Vancouver", "V6B"),)),
    Place("DE", "Germany", None, None, "EUR", _rates(("DE MwSt", "0.19")),
          (("Berlin", "10"), ("Hamburg", "20"), ("München", "80"))),
    Place("FR", "France", None, None, "EUR", _rates(("FR TVA", "0.2")), (("Paris", "75"), ("Lyon", "69"))),
    Place("GB", "United Kingdom", None, None, "GBP", _rates(("GB VAT", "0.2")),
          (("London", "EC1"), ("Manchester", "M1"))),
    Place("AU", "Australia", "New South Wales", "NSW", "AUD", _rates(("AU GST", "0.1")), (("Sydney", "20"),)),
    Place("AU", "Australia", "Victoria", "VIC", "AUD", _rates(("AU GST", "0.1")), (("Melbourne", "30"),)),
    Place("JP", "Japan", "Tokyo", "JP-13", "JPY", _rates(("JP Consumption Tax", "0.1")), (("Shibuya", "150"),)),
    Place("IN", "India", "Maharashtra", "MH", "INR", _rates(("CGST", "0.09"), ("SGST", "0.09")),
          (("Mumbai", "400"), ("Pune", "411"))),
)

# Shop currencies the generator supports, and the country such a shop is in.
SHOP_COUNTRY = {"USD": "US", "EUR": "DE", "GBP": "GB", "CAD": "CA", "AUD": "AU", "JPY": "JP"}


def matching(*, multi, same_rate, foreign_of=None, other_currency_than=None, taxed=False, country=None):
    """Places whose taxes fit an order's scenarios (an empty tuple when none can)."""
    return tuple(
        p for p in PLACES
        if p.multi == multi and p.same_rate == same_rate
        and (not taxed or p.rates)
        and (foreign_of is None or p.country_code != foreign_of)
        and (other_currency_than is None or p.currency != other_currency_than)
        and (country is None or p.country_code == country)
    )
