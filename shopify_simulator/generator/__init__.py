"""Realistic, deterministic Shopify shops: ``generate(seed, orders)`` -> ShopData.

Same arguments, same output: one ``random.Random(seed)`` drives every choice and the clock is
only read when ``now`` is not given. Orders are built in the order they were placed, so numbers
and ids grow with time. Each order lists the scenarios it shows under the private key
``_scenarios`` (keys starting with ``_`` are never served).
"""
import gc
from datetime import datetime, timezone
from random import Random

from . import catalog, scenarios as plans
from .assemble import assemble, iso
from .compose import compose
from .context import Shop
from .ids import Ids
from .people import CustomerBook
from .scenarios import SCENARIOS
from .shopdata import ShopData
from .taxes import PLACES, SHOP_COUNTRY

__all__ = ["generate", "ShopData", "SCENARIOS"]

DAY = 86400
_WINDOW_DAYS, _OLD_DAYS = 120, 60


def generate(seed, orders, *, taxes_included=False, shop_currency="USD", now=None,
             shop_domain="synco-demo.myshopify.com", scenarios=None):
    if shop_currency not in SHOP_COUNTRY:
        raise ValueError(f"Unsupported shop currency {shop_currency}; use one of {', '.join(SHOP_COUNTRY)}")
    rng = Random(seed)
    clock = int(_floor_to_hour(now).timestamp()) if now is None else int(_utc(now).timestamp())
    ids = Ids()
    country = SHOP_COUNTRY[shop_currency]
    sites = catalog.locations(ids, country, PLACES)
    shop = Shop(rng=rng, ids=ids, currency=shop_currency, country=country, taxes_included=taxes_included,
                now=clock, catalog=catalog.Catalog(rng, ids, shop_currency, clock - _WINDOW_DAYS * DAY, iso),
                customers=CustomerBook(rng, ids, country), locations=sites)
    if scenarios is None:
        features = plans.mixed(rng, orders, taxes_included, shop)
    else:
        features = [plans.forced(list(scenarios), taxes_included, shop)] * orders
    dated = sorted((_placed_at(rng, clock, f), position) for position, f in enumerate(features))
    built = []
    # The orders are acyclic trees of fresh dicts: the cycle collector would only rescan them,
    # again and again as they pile up (a third of the time for 5,000 orders).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for number, (created, position) in enumerate(dated, start=1001):
            built.append(assemble(compose(shop, number, features[position], created), ids, clock, rng))
    finally:
        if collecting:
            gc.enable()
    return ShopData(
        shop=_shop(ids, shop_domain, shop_currency, taxes_included, built),
        orders=built, customers=shop.customers.finish(iso), products=shop.catalog.products,
        locations=[location for location, _ in sites])


def _placed_at(rng, now, features):
    """Old orders between 61 and 120 days back, the others within the last 59 days, so that a
    processedAt up to three hours before createdAt stays on the same side of 60 days."""
    if "old_order" in features:
        return now - rng.randint((_OLD_DAYS + 1) * DAY, _WINDOW_DAYS * DAY)
    return now - rng.randint(600, (_OLD_DAYS - 1) * DAY)


def _shop(ids, domain, currency, taxes_included, orders):
    return {
        "id": ids.gid("Shop"), "name": "Synco Demo", "myshopifyDomain": domain, "currencyCode": currency,
        "enabledPresentmentCurrencies": sorted({currency, *(o["presentmentCurrencyCode"] for o in orders)}),
        "taxesIncluded": taxes_included, "taxShipping": True, "ianaTimezone": _TIMEZONES[currency],
        "plan": {"publicDisplayName": "Advanced", "shopifyPlus": False, "partnerDevelopment": True},
    }


_TIMEZONES = {"USD": "America/New_York", "EUR": "Europe/Berlin", "GBP": "Europe/London",
              "CAD": "America/Toronto", "AUD": "Australia/Sydney", "JPY": "Asia/Tokyo"}


def _utc(moment):
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _floor_to_hour(moment):
    return (moment or datetime.now(timezone.utc)).replace(minute=0, second=0, microsecond=0)
