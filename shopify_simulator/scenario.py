"""Shops as JSON files, for hand-written test scenarios and for saving generated shops.

A file holds ``{"shop": {...}, "orders": [...]}`` and optionally ``customers``, ``products`` and
``locations``; whichever of the three is missing is derived from the orders. An order is either
complete (as ``dump_scenario`` writes it) or a compact ``"_spec"`` (see generator/spec.py) built
by the generator's own pricing code; keys beside ``"_spec"`` then override the built fields
(handy for a deliberately inconsistent order).
"""
import json
from random import Random

from .generator import ShopData
from .generator.catalog import locations as default_locations
from .generator.ids import Ids
from .generator.spec import build
from .generator.taxes import PLACES, SHOP_COUNTRY


def dump_scenario(data, path):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"shop": data.shop, "orders": data.orders, "customers": data.customers,
                   "products": data.products, "locations": data.locations}, fh, ensure_ascii=False)


def load_scenario(path):
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    shop = raw["shop"]
    locations = raw.get("locations")
    if locations is None and any("_spec" in o for o in raw["orders"]):
        locations = [location for location, _ in
                     default_locations(Ids(), SHOP_COUNTRY.get(shop["currencyCode"], "US"), PLACES)]
    ids, rng = Ids(), Random(0)
    orders = []
    for order in raw["orders"]:
        if "_spec" in order:
            built = build(order["_spec"], shop, locations or [], ids, rng)
            built.update({key: value for key, value in order.items() if key != "_spec"})
            order = built
        orders.append(order)
    return ShopData(
        shop=shop, orders=orders,
        customers=raw["customers"] if "customers" in raw else _customers(orders),
        products=raw["products"] if "products" in raw else _products(orders, shop["currencyCode"]),
        locations=locations if locations is not None else _locations(orders))


def _unique(objects):
    return list({o["id"]: o for o in objects if o is not None}.values())


def _customers(orders):
    return _unique(o.get("customer") for o in orders)


def _locations(orders):
    return _unique([o.get("retailLocation") for o in orders]
                   + [f["assignedLocation"].get("location") for o in orders for f in o.get("fulfillmentOrders", ())])


def _products(orders, currency):
    """Products as far as the orders show them: one per line product, with the variants sold."""
    products = {}
    for order in orders:
        for line in order.get("lineItems", ()):
            product, variant = line.get("product"), line.get("variant")
            if product is None:
                continue
            entry = products.setdefault(product["id"], {
                "id": product["id"], "legacyResourceId": product.get("legacyResourceId"),
                "title": product.get("title", line["title"]),
                "handle": product.get("title", line["title"]).lower().replace(" ", "-"),
                "vendor": line.get("vendor") or "", "productType": "", "status": "ACTIVE",
                "createdAt": order["createdAt"], "updatedAt": order["createdAt"], "tags": [], "variants": []})
            if variant and all(v["id"] != variant["id"] for v in entry["variants"]):
                entry["variants"].append({
                    "id": variant["id"], "legacyResourceId": variant.get("legacyResourceId"),
                    "title": variant.get("title") or line.get("variantTitle") or "Default Title",
                    "sku": variant.get("sku"), "barcode": variant.get("barcode"),
                    "price": line["originalUnitPriceSet"]["shopMoney"]["amount"], "product": {"id": product["id"]}})
    return list(products.values())
