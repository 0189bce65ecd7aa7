"""The scenarios an order can show, how often a mixed shop shows them, and which exclude others."""
from . import destinations

SCENARIOS = (
    "tax_exclusive", "tax_inclusive", "multi_tax", "same_rate_tax_lines",
    "line_discount_percentage", "line_discount_fixed", "order_discount_across", "order_discount_each",
    "free_shipping", "shipping_tax", "shipping_discount",
    "gift_card_purchase", "gift_card_payment", "tip", "duties", "additional_fees",
    "multi_gateway", "partial_payment", "refund", "cancelled", "test_order",
    "source_web", "source_pos", "source_draft", "source_custom",
    "presentment_currency", "guest_checkout", "repeat_customer", "company_customer",
    "no_sku", "deleted_variant", "old_order", "many_lines",
    "cash_rounding", "authorized", "pending_payment", "custom_item", "channel_liable",
)
# Only when asked for (``scenarios=[...]``): a mixed shop never draws them, so adding them changed
# no seed's data. Mixed shops still have authorized-only and pending manual orders now and then.
FORCED_ONLY = frozenset({"cash_rounding", "authorized", "pending_payment", "custom_item", "channel_liable"})
# Every order shows exactly one of each group.
TAX_GROUP = ("tax_exclusive", "tax_inclusive")
SOURCE_GROUP = ("source_web", "source_pos", "source_draft", "source_custom")
_CONFLICTS = {frozenset(pair) for pair in (
    ("guest_checkout", "repeat_customer"), ("guest_checkout", "company_customer"),
    ("cancelled", "refund"), ("cancelled", "partial_payment"), ("cancelled", "tip"), ("cancelled", "duties"),
    ("cancelled", "additional_fees"), ("partial_payment", "refund"),
    ("source_pos", "duties"), ("source_pos", "presentment_currency"),
    ("free_shipping", "shipping_discount"), ("free_shipping", "shipping_tax"),
    *((paid, other) for paid in ("cash_rounding", "authorized", "pending_payment")
      for other in ("refund", "cancelled", "partial_payment", "multi_gateway", "gift_card_payment")),
    ("cash_rounding", "test_order"), ("cash_rounding", "authorized"), ("cash_rounding", "pending_payment"),
    ("authorized", "pending_payment"), ("cash_rounding", "tip"),
)} | {frozenset((a, b)) for group in (TAX_GROUP, SOURCE_GROUP) for a in group for b in group if a != b}
# Two tax lines at one rate are several tax lines; cash is paid at a till.
# A marketplace's order (``channel_liable``: the channel remits its taxes) comes through an app.
_IMPLIES = {"same_rate_tax_lines": "multi_tax", "cash_rounding": "source_pos", "channel_liable": "source_custom"}

# Mixed shops: most orders are simple; the others draw each scenario with these odds.
SIMPLE_SHARE = 0.55
_EVERYDAY = {"shipping_tax": 0.4, "repeat_customer": 0.25, "guest_checkout": 0.12}
_OPTIONAL = {
    "multi_tax": 0.15, "same_rate_tax_lines": 0.04, "line_discount_percentage": 0.08,
    "line_discount_fixed": 0.06, "order_discount_across": 0.15, "order_discount_each": 0.05,
    "free_shipping": 0.1, "shipping_discount": 0.05, "gift_card_purchase": 0.04, "gift_card_payment": 0.05,
    "tip": 0.06, "duties": 0.05, "additional_fees": 0.04, "multi_gateway": 0.05, "partial_payment": 0.04,
    "refund": 0.1, "cancelled": 0.05, "test_order": 0.02, "presentment_currency": 0.15,
    "company_customer": 0.06, "no_sku": 0.08, "deleted_variant": 0.04, "many_lines": 0.003,
}
_SOURCES = {"source_web": 70, "source_pos": 12, "source_draft": 10, "source_custom": 8}
_OTHER_TAX_CONVENTION = 0.06  # a market that shows prices the other way (Shopify Markets)
OLD_SHARE = 0.5               # orders older than 60 days
_COVERAGE_FROM = 100          # mixed batches this large show every scenario at least once


def compatible(features, name):
    name_and_implied = {name, _IMPLIES.get(name, name)}
    return not any(frozenset((a, b)) in _CONFLICTS for a in name_and_implied for b in features)


def _add(features, name):
    features.add(name)
    if name in _IMPLIES:
        features.add(_IMPLIES[name])


def forced(names, taxes_included, shop):
    """The features of every order when scenarios are forced (exactly those, plus one of each group)."""
    features = set()
    for name in names:
        if name not in SCENARIOS:
            raise ValueError(f"Unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        if not compatible(features, name):
            raise ValueError(f"Scenario {name!r} cannot be combined with {sorted(features)}")
        _add(features, name)
    _complete(features, taxes_included)
    if not destinations.candidates(features, shop):
        raise ValueError(f"No tax place fits {sorted(features)} in a {shop.country} shop")
    return frozenset(features)


def _complete(features, taxes_included, rng=None):
    if not features & set(TAX_GROUP):
        other = rng is not None and rng.random() < _OTHER_TAX_CONVENTION
        features.add("tax_inclusive" if taxes_included != other else "tax_exclusive")
    if not features & set(SOURCE_GROUP):
        features.add(rng.choices(list(_SOURCES), list(_SOURCES.values()))[0] if rng else "source_web")


def mixed(rng, count, taxes_included, shop):
    """Features for ``count`` orders of a realistic shop; big batches cover every scenario."""
    plans = []
    for _ in range(count):
        features = set()
        _complete(features, taxes_included, rng)
        if rng.random() < OLD_SHARE:
            features.add("old_order")
        for odds in (_EVERYDAY, {} if rng.random() < SIMPLE_SHARE else _OPTIONAL):
            for name, chance in odds.items():
                if rng.random() < chance and compatible(features, name):
                    _try(features, name, shop)
        plans.append(features)
    if count >= _COVERAGE_FROM:
        _cover(rng, plans, shop)
    return [frozenset(f) for f in plans]


def _try(features, name, shop):
    """Adds a scenario unless no tax place could then serve the order."""
    trial = set(features)
    _add(trial, name)
    if destinations.candidates(trial, shop):
        features.clear()
        features.update(trial)
        return True
    return False


def _cover(rng, plans, shop):
    for name in SCENARIOS:
        if name in FORCED_ONLY or any(name in f for f in plans):
            continue
        group = next((g for g in (TAX_GROUP, SOURCE_GROUP) if name in g), ())
        for index in rng.sample(range(len(plans)), len(plans)):
            features = plans[index] - set(group)
            if compatible(features, name) and _try(features, name, shop):
                plans[index] = features
                break
