"""Draws one order's draft from the scenarios it must show."""
from . import destinations
from .compose_items import add_items
from .compose_money import add_money
from .context import Exchange
from .draft import OrderDraft, PaymentDraft
from .fx import order_rate
from .people import address, phone

_APPS = {
    "source_web": ("web", {"id": "gid://shopify/App/580111", "name": "Online Store"}),
    "source_pos": ("pos", {"id": "gid://shopify/App/129785", "name": "Point of Sale"}),
    "source_draft": ("shopify_draft_order", {"id": "gid://shopify/App/1354745", "name": "Draft Orders"}),
    # A merchant's own integration creating orders through the Admin API under its own source name.
    "source_custom": ("marketplace_connector", {"id": "gid://shopify/App/6171001", "name": "Marketplace Connector"}),
}
_TAGS = ("newsletter", "priority", "gift", "influencer", "wholesale", "returning")
_NOTES = ("Please leave the parcel at the front door.", "Gift - no prices on the packing slip, please.",
          "Customer called about delivery time.")
_CONFIRMATION = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def compose(shop, number, features, created):
    rng = shop.rng
    source = next(name for name in _APPS if name in features)
    source_name, app = _APPS[source]
    processed = created - rng.randint(60, 3 * 3600) if source == "source_custom" else created
    place, location = destinations.choose(features, shop, rng)
    currency, rate = shop.currency, None
    if "presentment_currency" in features:
        currency = place.currency
        rate = order_rate(shop.currency, currency, rng)
    order = OrderDraft(
        number=number, created_at=created, processed_at=processed, shop_currency=shop.currency,
        currency=currency, rate=rate, taxes_included="tax_inclusive" in features, lines=[],
        payment=PaymentDraft(tenders=[]), test="test_order" in features, source_name=source_name, app=app,
        retail_location=location, scenarios=sorted(features),
        confirmation="".join(rng.choice(_CONFIRMATION) for _ in range(9)),
    )
    if source == "source_pos":
        order.source_identifier = f"{location['legacyResourceId'][-4:]}-{rng.randint(1, 3)}-{1000 + number}"
    elif source == "source_custom":
        order.source_identifier = f"MC-{rng.randint(10 ** 7, 10 ** 8 - 1)}"
    _people(shop, order, features, place, created)
    add_items(shop, order, features, place, Exchange(shop.currency, currency, rate))
    add_money(shop, order, features)
    order.tags = rng.sample(_TAGS, rng.choice((0, 0, 0, 1, 1, 2))) + (["b2b"] if order.company else [])
    order.note = rng.choice(_NOTES) if rng.random() < 0.15 else None
    if rng.random() < 0.1:
        order.attributes = [{"key": "gift_wrap", "value": "yes"}]
    return order


def _people(shop, order, features, place, created):
    rng = shop.rng
    book = shop.customers
    if "company_customer" in features:
        order.company = book.company()
        order.po_number = f"PO-{rng.randint(10000, 99999)}"
    if "guest_checkout" in features:
        customer = None
    elif "repeat_customer" in features:
        customer = book.regular(created, order.company)
    else:
        customer = book.one_off(created, order.company)
    order.customer = customer
    if customer:
        first, last = customer["firstName"], customer["lastName"]
        order.email = customer["defaultEmailAddress"]["emailAddress"]
    else:
        first, last = "Guest", f"Buyer {order.number}"
        order.email = f"guest.{order.number}@example.net"
    order.phone = phone(rng, place.country_code) if rng.random() < 0.3 else None
    company = order.company and order.company["company"]["name"]
    in_store = "source_pos" in features and not features & {"free_shipping", "shipping_tax", "shipping_discount"}
    if in_store:
        order.billing = address(rng, place, first, last, company) if company or rng.random() < 0.5 else None
        return
    order.shipping_address = address(rng, place, first, last, company, with_phone=rng.random() < 0.5)
    order.billing = dict(order.shipping_address) if rng.random() < 0.75 else address(rng, place, first, last, company)
