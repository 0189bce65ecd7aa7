"""Small hand-made shops for tests that need exact control over each order."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def money(amount, currency="USD"):
    return {"shopMoney": {"amount": amount, "currencyCode": currency},
            "presentmentMoney": {"amount": amount, "currencyCode": currency}}


def order(number, **fields):
    """A stored order with every OrderHeader field; ``fields`` override."""
    created = START + timedelta(hours=number)
    base = {
        "id": f"gid://shopify/Order/{5000000 + number}",
        "legacyResourceId": str(5000000 + number),
        "name": f"#{1000 + number}",
        "number": 1000 + number,
        "createdAt": iso(created),
        "processedAt": iso(created - timedelta(minutes=number % 7)),
        "updatedAt": iso(created + timedelta(hours=(number * 7) % 13)),
        "cancelledAt": None,
        "closedAt": None,
        "closed": False,
        "test": False,
        "sourceName": "web",
        "email": f"buyer{number}@example.com",
        "tags": [],
        "currencyCode": "USD",
        "presentmentCurrencyCode": "USD",
        "displayFinancialStatus": "PAID",
        "displayFulfillmentStatus": "UNFULFILLED",
        "customer": {"id": f"gid://shopify/Customer/{700 + number % 3}", "displayName": f"Buyer {number % 3}"},
        "totalPriceSet": money(f"{10 + number}.00"),
        "currentTotalPriceSet": money(f"{10 + number}.00"),
        "subtotalLineItemsQuantity": 1,
        "lineItems": [line(number, index) for index in range(1 + number % 3)],
        "transactions": [],
        "refunds": [],
    }
    base.update(fields)
    return base


def line(number, index):
    return {
        "id": f"gid://shopify/LineItem/{9000000 + number * 10 + index}",
        "name": f"Item {index}",
        "sku": f"SKU-{index}",
        "quantity": 1 + index,
        "originalUnitPriceSet": money("10.00"),
        "taxLines": [{"title": "Tax", "rate": 0.1, "priceSet": money("1.00")}],
        "variant": {"id": f"gid://shopify/ProductVariant/{400 + index}"},
    }


def shop_data(orders):
    customers = [
        {"id": f"gid://shopify/Customer/{700 + n}", "legacyResourceId": str(700 + n),
         "displayName": f"Buyer {n}", "firstName": "Buyer", "lastName": str(n),
         "createdAt": iso(START), "updatedAt": iso(START)}
        for n in range(3)
    ]
    variants = [
        {"id": f"gid://shopify/ProductVariant/{400 + n}", "legacyResourceId": str(400 + n),
         "sku": f"SKU-{n}", "title": f"Variant {n}", "barcode": None, "price": "10.00"}
        for n in range(3)
    ]
    products = [{"id": "gid://shopify/Product/300", "legacyResourceId": "300", "title": "Thing",
                 "createdAt": iso(START), "updatedAt": iso(START), "variants": variants}]
    locations = [
        {"id": "gid://shopify/Location/60", "legacyResourceId": "60", "name": "Warehouse", "isActive": True},
        {"id": "gid://shopify/Location/61", "legacyResourceId": "61", "name": "Old shop", "isActive": False},
    ]
    shop = {"id": "gid://shopify/Shop/1", "name": "Synco demo", "myshopifyDomain": "synco-demo.myshopify.com",
            "currencyCode": "USD", "ianaTimezone": "UTC", "taxesIncluded": False}
    return SimpleNamespace(shop=shop, orders=list(orders), customers=customers, products=products,
                           locations=locations)


def shop_with(count):
    return shop_data(order(n) for n in range(1, count + 1))
