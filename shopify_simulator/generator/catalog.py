"""The shop's products, variants and locations, and the products deleted since they were sold."""
from dataclasses import dataclass
from decimal import Decimal

from .fx import shop_price
from .money import fmt, to_minor
from ..totals import minor_units

_ADJECTIVES = ("Classic", "Organic", "Vintage", "Everyday", "Alpine", "Coastal", "Urban", "Heritage", "Nordic",
               "Summit", "Merino", "Canvas", "Bamboo", "Linen", "Recycled")
_NOUNS = (("T-shirt", "Apparel", 190), ("Hoodie", "Apparel", 520), ("Cap", "Accessories", 150),
          ("Backpack", "Bags", 880), ("Water Bottle", "Outdoor", 320), ("Mug", "Home", 260),
          ("Sneakers", "Footwear", 780), ("Scarf", "Accessories", 240), ("Candle", "Home", 220),
          ("Notebook", "Stationery", 120), ("Jacket", "Apparel", 1450), ("Socks", "Apparel", 90),
          ("Tote Bag", "Bags", 180), ("Sunglasses", "Accessories", 950), ("Blanket", "Home", 640))
_VENDORS = ("Synco Goods", "Northfield Co.", "Maple & Pine", "Studio Kite", "Bergmann")
_SIZES = ("S", "M", "L", "XL")
_COLORS = ("Black", "Navy", "Sand", "Forest")
_GIFT_CARD_USD = (25, 50, 100)
_SITES = {  # (province code of the tax place, city, zip) of each location, by shop country
    "US": (("NJ", "Newark", "07102"), ("TX", "Austin", "78701"), ("IL", "Chicago", "60601")),
    "CA": (("ON", "Toronto", "M5V 2T6"), ("QC", "Montréal", "H2X 1Y4"), ("BC", "Vancouver", "V6B 1A1")),
    "DE": ((None, "Berlin", "10115"), (None, "Hamburg", "20095")),
    "FR": ((None, "Paris", "75011"), (None, "Lyon", "69002")),
    "GB": ((None, "London", "EC1A 1BB"), (None, "Manchester", "M1 1AE")),
    "AU": (("NSW", "Sydney", "2000"), ("VIC", "Melbourne", "3000")),
    "JP": (("JP-13", "Shibuya", "150-0002"), ("JP-13", "Shibuya", "150-0041")),
}


_CUSTOM_ITEMS = (("Gift wrapping", 5), ("Engraving service", 15), ("Alteration", 25))


@dataclass(frozen=True, slots=True)
class Item:
    """What a line item snapshots of a variant when it is sold."""
    title: str
    variant_title: str | None
    sku: str | None
    vendor: str | None
    price: int          # shop currency, minor units
    grams: int
    variant: dict | None  # the live variant, None once deleted
    product: dict | None  # {id, legacyResourceId, title}, None once deleted
    gift_card: bool = False


class Catalog:
    def __init__(self, rng, ids, shop_currency, created_at, iso):
        self.products, self.items, self.gift_cards, self.deleted = [], [], [], []
        self._rng, self._ids, self._currency, self._iso = rng, ids, shop_currency, iso
        self._barcodes = []
        for number in range(150):
            noun, kind, grams = _NOUNS[number % len(_NOUNS)]
            title = f"{_ADJECTIVES[number // len(_NOUNS)]} {noun}"  # 150 distinct titles
            self._product(number, title, kind, grams, created_at - rng.randint(30, 900) * 86400)
        self._gift_card_product(created_at - 400 * 86400)
        # Sold once, deleted since: their lines keep title and SKU but lose variant and product.
        for number in range(12):
            noun, _, grams = _NOUNS[number]
            self.deleted.append(Item(
                title=f"Discontinued {noun}", variant_title=None, sku=f"OLD-{number:03d}", vendor=_VENDORS[0],
                price=self._price(rng.randint(8, 60)), grams=grams, variant=None, product=None))
        # Custom items (a draft order's or a POS sale's "custom sale"): a title and a price,
        # no variant, product or SKU. Made without the RNG: shops drew the same before.
        self.custom = [Item(title=title, variant_title=None, sku=None, vendor=None, price=self._price(usd),
                            grams=0, variant=None, product=None) for title, usd in _CUSTOM_ITEMS]
        self.with_sku = [i for i in self.items if i.sku]
        self.without_sku = [i for i in self.items if not i.sku]

    def _price(self, usd):
        return to_minor(shop_price(Decimal(usd), self._currency), self._currency)

    def _product(self, number, title, kind, grams, created):
        rng = self._rng
        gid, legacy = self._ids.new("Product")
        options = [None] if rng.random() < 0.3 else (
            [f"{s} / {c}" for s in _SIZES[:rng.randint(2, 4)] for c in _COLORS[:rng.randint(1, 2)]])
        usd = rng.randint(6, 180)
        product = {
            "id": gid, "legacyResourceId": legacy, "title": title,
            "handle": title.lower().replace(" ", "-"), "vendor": rng.choice(_VENDORS), "productType": kind,
            "status": "ACTIVE" if rng.random() < 0.9 else rng.choice(("DRAFT", "ARCHIVED")),
            "createdAt": self._iso(created), "updatedAt": self._iso(created + rng.randint(0, 20) * 86400),
            "tags": [kind.lower()], "variants": [],
        }
        ref = {"id": gid, "legacyResourceId": legacy, "title": title}
        for position, option in enumerate(options):
            sku = None if rng.random() < 0.08 else f"{title[:3].upper()}-{number:03d}-{position + 1:02d}"
            price = self._price(usd + (position // 4) * 2)
            variant = self._variant(option or "Default Title", sku, price, gid)
            product["variants"].append(variant)
            self.items.append(Item(title=title, variant_title=option, sku=sku, vendor=product["vendor"],
                                   price=price, grams=grams, variant=variant, product=ref))
        self.products.append(product)

    def _gift_card_product(self, created):
        gid, legacy = self._ids.new("Product")
        product = {"id": gid, "legacyResourceId": legacy, "title": "Gift Card", "handle": "gift-card",
                   "vendor": _VENDORS[0], "productType": "Gift Card", "status": "ACTIVE",
                   "createdAt": self._iso(created), "updatedAt": self._iso(created), "tags": [], "variants": []}
        ref = {"id": gid, "legacyResourceId": legacy, "title": "Gift Card"}
        for usd in _GIFT_CARD_USD:
            price = to_minor(Decimal(usd) * _rounded_multiplier(self._currency), self._currency)
            label = fmt(price, minor_units(self._currency)).removesuffix(".00")
            variant = self._variant(label, f"GIFT-{usd}", price, gid)
            product["variants"].append(variant)
            self.gift_cards.append(Item(title="Gift Card", variant_title=label, sku=f"GIFT-{usd}",
                                        vendor=_VENDORS[0], price=price, grams=0, variant=variant,
                                        product=ref, gift_card=True))
        self.products.append(product)

    def _variant(self, title, sku, price, product_id):
        gid, legacy = self._ids.new("ProductVariant")
        return {"id": gid, "legacyResourceId": legacy, "title": title, "sku": sku,
                "barcode": self._barcode(), "price": fmt(price, minor_units(self._currency)),
                "product": {"id": product_id}}

    def _barcode(self):
        """Mostly unique EAN-13s; some variants have none, a few share one (merchant mistakes)."""
        roll = self._rng.random()
        if roll < 0.1:
            return None
        if roll < 0.14 and self._barcodes:
            return self._rng.choice(self._barcodes)
        body = f"40{self._rng.randint(0, 10 ** 10 - 1):010d}"
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
        self._barcodes.append(body + str(check))
        return self._barcodes[-1]


def _rounded_multiplier(currency):
    """Gift cards come in round amounts of the shop's currency."""
    return {"JPY": Decimal(150), "INR": Decimal(80)}.get(currency, Decimal(1))


def locations(ids, shop_country, places):
    """The shop's 2-3 stock locations (warehouse first), active, in the shop's country, with the
    tax place each one charges at the till."""
    found = []
    for number, (province_code, city, zip_code) in enumerate(_SITES[shop_country]):
        place = next(p for p in places if p.country_code == shop_country and p.province_code == province_code
                     and any(c == city for c, _ in p.cities))
        gid, legacy = ids.new("Location")
        street = f"{10 + 7 * number} Commerce Street"
        found.append(({
            "id": gid, "legacyResourceId": legacy, "isActive": True,
            "name": f"{city} Warehouse" if number == 0 else f"{city} Store {number}",
            "address": {"address1": street, "address2": None, "city": city, "province": place.province,
                        "provinceCode": place.province_code, "zip": zip_code, "country": place.country,
                        "countryCode": place.country_code, "phone": None,
                        "formatted": [street, f"{zip_code} {city}", place.country]},
        }, place))
    return found
