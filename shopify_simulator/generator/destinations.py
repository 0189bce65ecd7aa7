"""Where an order's taxes come from: the shipping destination, or the till for in-store sales."""
from . import taxes


def candidates(features, shop):
    """Tax places (with the POS location when sold in store) that fit the order's scenarios."""
    multi, same_rate = "multi_tax" in features, "same_rate_tax_lines" in features
    # A marketplace's order is there for its taxes: a place that charges some.
    taxed = bool(features & {"shipping_tax", "channel_liable"})
    if "source_pos" in features:
        return [(place, location) for location, place in shop.locations
                if place.multi == multi and place.same_rate == same_rate and (place.rates or not taxed)]
    return [(place, None) for place in taxes.matching(
        multi=multi, same_rate=same_rate, taxed=taxed,
        foreign_of=shop.country if "duties" in features else None,
        other_currency_than=shop.currency if "presentment_currency" in features else None)]


def choose(features, shop, rng):
    found = candidates(features, shop)
    if not found:
        raise ValueError(f"No tax place fits the scenarios {sorted(features)} in a {shop.country} shop")
    domestic = [c for c in found if c[0].country_code == shop.country]
    if domestic and rng.random() < 0.8:
        return rng.choice(domestic)
    return rng.choice(found)
