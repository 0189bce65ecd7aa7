"""One new order for a running shop (``Simulator.new_order``): drawn like a mixed shop's order,
placed at the simulator's now, with ids the running shop has never handed out.

A new order has had no time to be refunded or cancelled and is not old, so those scenarios are
left out of the draw. Its customer, products and variants are the generator's own, embedded in
the order as usual; they are not added to the shop's customer and product lists, so their ids
have fresh numbers too (``customer(id:)`` does not find them). Locations are the shop's: the
generator makes the same ones for a currency.
"""
from random import Random

from .. import gids
from . import catalog, scenarios as plans
from .assemble import assemble, iso
from .compose import compose
from .context import Shop
from .ids import Ids
from .people import CustomerBook
from .taxes import PLACES, SHOP_COUNTRY

_NOT_YET = frozenset({"refund", "cancelled", "old_order"})
_SHARED = frozenset({"Shop", "Location", "App"})
_CATALOG_DAYS = 120


def fresh_order(seed, number, now, *, shop_currency="USD", taxes_included=False):
    """The order dict numbered ``number``, created at ``now`` (an aware datetime)."""
    rng = Random(seed)
    clock = int(now.timestamp())
    ids = Ids()
    country = SHOP_COUNTRY[shop_currency]
    shop = Shop(rng=rng, ids=ids, currency=shop_currency, country=country, taxes_included=taxes_included,
                now=clock, catalog=catalog.Catalog(rng, ids, shop_currency, clock - _CATALOG_DAYS * 86400, iso),
                customers=CustomerBook(rng, ids, country), locations=catalog.locations(ids, country, PLACES))
    features = plans.mixed(rng, 1, taxes_included, shop)[0] - _NOT_YET
    return assemble(compose(shop, number, features, clock), ids, clock, rng)


def with_fresh_ids(order, new_gid):
    """The order with every id but the shop's, its locations' and apps' replaced by
    ``new_gid(type name)`` (the same old id always by the same new one), legacyResourceIds too."""
    mapping = {}

    def fresh(gid):
        parsed = gids.parse(gid)
        if parsed is None or parsed[0] in _SHARED:
            return gid
        if gid not in mapping:
            mapping[gid] = new_gid(parsed[0])
        return mapping[gid]

    def walk(value):
        if isinstance(value, dict):
            out = {key: walk(item) for key, item in value.items()}
            if isinstance(out.get("id"), str) and "legacyResourceId" in out and out["id"] != value["id"]:
                out["legacyResourceId"] = str(gids.number(out["id"]))
            return out
        if isinstance(value, list):
            return [walk(item) for item in value]
        return fresh(value) if isinstance(value, str) else value

    return walk(order)
