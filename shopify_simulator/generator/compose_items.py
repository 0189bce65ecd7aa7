"""What an order sells and charges: lines, discounts, shipping, duties, fees and the tip."""
from decimal import Decimal

from .draft import DiscountDraft, DutyDraft, FeeDraft, LineDraft, ShippingDraft
from .fx import shop_price
from .money import to_minor
from ..totals import minor_units

SHIPPING_SCENARIOS = frozenset({"free_shipping", "shipping_tax", "shipping_discount"})
_LINE_COUNTS = (1,) * 45 + (2,) * 28 + (3,) * 14 + (4,) * 7 + (5, 5, 6, 6, 7, 8)
_QUANTITIES = (1,) * 70 + (2,) * 18 + (3, 3, 3, 3, 4, 4, 4, 5, 5, 5) + (6, 12)
_RATES = (("Standard Shipping", "STANDARD", "shopify", None, 5), ("Express", "EXPRESS", "ups", "ups", 19),
          ("Economy", "ECONOMY", "usps", "usps", 4), ("Local Delivery", "LOCAL", "shopify", None, 8))
_CODES = ("WELCOME10", "SPRING15", "VIP20", "BUNDLE5", "FRIENDS")
_DUTY_RATES = (Decimal("0.05"), Decimal("0.08"), Decimal("0.12"), Decimal("0.165"))
_HS_CODES = ("6109.10", "6110.20", "4202.92", "6505.00", "9004.10", "6117.10")


def ships(features):
    """In-store POS sales ship nothing unless a shipping scenario asks for delivery."""
    return "source_pos" not in features or bool(features & SHIPPING_SCENARIOS)


def add_items(shop, order, features, place, exchange):
    rng = shop.rng
    order.lines = _lines(shop, features, place, exchange)
    if "tip" in features:
        goods = sum(line.unit[0] * line.quantity for line in order.lines)
        order.lines.append(LineDraft(
            title="Tip", variant_title=None, sku=None, vendor=None, variant=None, product=None, quantity=1,
            unit=exchange.pair(_round_amount(goods * rng.choice((10, 15, 18, 20)) // 100, shop.currency)),
            tip=True, requires_shipping=False))
    if "duties" in features:
        order.duties_included = rng.random() < 0.3
        for line in order.lines:
            if line.requires_shipping:
                line.duty = DutyDraft(
                    hs_code=rng.choice(_HS_CODES), origin=rng.choice(("CN", "PT", "VN", "TR")),
                    rate=rng.choice(_DUTY_RATES),
                    taxes=place.rates[:1] if place.rates and not order.duties_included and rng.random() < 0.5
                    else ())
    if ships(features):
        order.shipping = _shipping(shop, features, place, exchange)
    if "additional_fees" in features:
        order.fees = [FeeDraft(
            name=rng.choice(("Handling fee", "Import processing fee", "Environmental fee")),
            price=exchange.pair(to_minor(shop_price(Decimal(rng.randint(2, 5)), shop.currency), shop.currency)),
            taxes=place.rates if rng.random() < 0.5 else ())]
    order.discounts = _discounts(shop, order, features, exchange)


def _lines(shop, features, place, exchange):
    rng, catalog = shop.rng, shop.catalog
    count = rng.randint(251, 270) if "many_lines" in features else rng.choice(_LINE_COUNTS)
    items = rng.sample(catalog.with_sku, count)
    if "no_sku" in features:
        items[rng.randrange(count)] = rng.choice(catalog.without_sku)
    if "deleted_variant" in features:
        position = rng.randrange(count + 1)
        items.insert(position, rng.choice(catalog.deleted))
    if "gift_card_purchase" in features:
        items.append(rng.choice(catalog.gift_cards))
    if "custom_item" in features:
        items.append(rng.choice(catalog.custom))
    lines = []
    for item in items:
        lines.append(LineDraft(
            title=item.title, variant_title=item.variant_title, sku=item.sku, vendor=item.vendor,
            variant=item.variant, product=item.product,
            quantity=1 if item.gift_card else rng.choice(_QUANTITIES), unit=exchange.pair(item.price),
            taxes=() if item.gift_card else place.rates, gift_card=item.gift_card,
            requires_shipping=not item.gift_card, grams=item.grams,
            attributes=[{"key": "engraving", "value": "J.D."}] if rng.random() < 0.03 else []))
    return lines


def _shipping(shop, features, place, exchange):
    rng = shop.rng
    taxes = place.rates if "shipping_tax" in features else ()
    chosen = [rng.choice(_RATES)]
    if rng.random() < 0.08 and not features & SHIPPING_SCENARIOS:
        chosen.append(_RATES[1])  # a second parcel sent express
    return [ShippingDraft(title=title, code=code, source=source, carrier=carrier, taxes=taxes,
                          price=exchange.pair(to_minor(shop_price(Decimal(usd), shop.currency), shop.currency)))
            for title, code, source, carrier, usd in chosen]


def _round_amount(minor, currency):
    """Whole units of the currency (at least one), the way people pick a tip or a discount."""
    unit = 10 ** minor_units(currency)
    return max(unit, minor // unit * unit)


def _discounts(shop, order, features, exchange):
    rng, lines = shop.rng, order.lines
    found = []
    eligible = [i for i, line in enumerate(lines) if not line.gift_card and not line.tip]
    by_hand = "source_draft" in features or "source_pos" in features
    line_kind = "ManualDiscountApplication" if by_hand else "ScriptDiscountApplication"
    if "line_discount_percentage" in features:
        found.append(DiscountDraft(
            line_kind, "ACROSS", "EXPLICIT", "LINE_ITEM", (rng.choice(eligible),),
            percentage=Decimal(rng.choice((10, 15, 20, 25, 30))), title="Staff pick",
            description="Price match" if by_hand else None))
    if "line_discount_fixed" in features:
        target = rng.choice(eligible)
        unit = lines[target].unit
        off = exchange.pair(_round_amount(unit[0] * rng.choice((10, 20, 25)) // 100, shop.currency))
        found.append(DiscountDraft(
            line_kind, "EACH", "EXPLICIT", "LINE_ITEM", (target,),
            amount=(min(off[0], unit[0] - 1), min(off[1], unit[1] - 1)), title="Bundle saving",
            description="Damaged box" if by_hand else None))
    for method in ("ACROSS", "EACH"):
        if f"order_discount_{method.lower()}" in features:
            found.append(_order_discount(shop, order, method, eligible, exchange, by_hand))
    shipped = tuple(range(len(order.shipping)))
    if "free_shipping" in features:
        found.append(DiscountDraft("DiscountCodeApplication", "ACROSS", "ALL", "SHIPPING_LINE", shipped,
                                   percentage=Decimal(100), code="FREESHIP"))
    if "shipping_discount" in features:
        if rng.random() < 0.5:
            found.append(DiscountDraft("DiscountCodeApplication", "ACROSS", "ALL", "SHIPPING_LINE", shipped,
                                       percentage=Decimal(50), code="SHIPHALF"))
        else:
            cheapest = min(order.shipping[i].price[0] for i in shipped)
            found.append(DiscountDraft("AutomaticDiscountApplication", "ACROSS", "ALL", "SHIPPING_LINE", shipped,
                                       amount=exchange.pair(_round_amount(cheapest // 2, shop.currency)),
                                       title="Shipping saver"))
    return found


def _order_discount(shop, order, method, eligible, exchange, by_hand):
    rng, lines = shop.rng, order.lines
    if rng.random() < 0.5 and method == "ACROSS":
        selection, entitled = "ALL", tuple(eligible)
    else:
        selection = "ENTITLED"
        entitled = tuple(sorted(rng.sample(eligible, rng.randint(1, len(eligible)))))
    if by_hand:
        kind, extra = "ManualDiscountApplication", {"title": "Custom discount", "description": "Loyal customer"}
    elif rng.random() < 0.7:
        kind, extra = "DiscountCodeApplication", {"code": rng.choice(_CODES)}
    else:
        kind, extra = "AutomaticDiscountApplication", {"title": "Spring sale"}
    if rng.random() < 0.6:
        return DiscountDraft(kind, method, selection, "LINE_ITEM", entitled,
                             percentage=Decimal(rng.choice((5, 10, 15, 20))), **extra)
    if method == "EACH":
        cheapest = min(lines[i].unit for i in entitled)
        off = exchange.pair(_round_amount(cheapest[0] // 5, shop.currency))
        amount = (min(off[0], cheapest[0] - 1), min(off[1], cheapest[1] - 1))
    else:
        base = sum(lines[i].unit[0] * lines[i].quantity for i in entitled)
        amount = exchange.pair(_round_amount(base * 15 // 100, shop.currency))
    return DiscountDraft(kind, method, selection, "LINE_ITEM", entitled, amount=amount, **extra)
