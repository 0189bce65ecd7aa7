"""The pieces of Shopify's REST resources that webhook payloads are made of, from the stored
GraphQL-shaped dicts: ids, money, addresses, customers, line items, shipping lines, tax lines.

REST money comes twice: ``price`` (shop currency, a string) and ``price_set`` ({shop_money,
presentment_money}), as the REST Admin API prints them.
"""
import re
from decimal import Decimal

from .. import gids

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def number(gid):
    return gids.number(gid) if gid else None


def snake(name):
    return _CAMEL.sub("_", name).lower()


def lower(value):
    return value.lower() if isinstance(value, str) else value


def amount(bag, side="shopMoney"):
    return bag[side]["amount"] if bag else None


def money_set(bag):
    if not bag:
        return None
    return {snake(side): {"amount": bag[side]["amount"], "currency_code": bag[side]["currencyCode"]}
            for side in ("shopMoney", "presentmentMoney")}


def money_fields(name, bag):
    """``{name: shop amount, name_set: both sides}``."""
    return {name: amount(bag), f"{name}_set": money_set(bag)}


def summed(bags, like):
    """The sum of MoneyBags, printed with as many decimals as ``like`` (a bag of the same order)."""
    total = {}
    for side in ("shopMoney", "presentmentMoney"):
        exponent = Decimal(like[side]["amount"]).as_tuple().exponent
        value = sum((Decimal(b[side]["amount"]) for b in bags), Decimal(0))
        total[side] = {"amount": str(value.quantize(Decimal(1).scaleb(exponent))),
                       "currencyCode": like[side]["currencyCode"]}
    return total


def address(stored):
    if not stored:
        return None
    out = {snake(key): value for key, value in stored.items() if not key.startswith("_")}
    if "country_code_v2" in out:
        out["country_code"] = out.pop("country_code_v2")
    return out


def customer(stored):
    if not stored or stored.get("__typename", "Customer") != "Customer":
        return None
    email = (stored.get("defaultEmailAddress") or {}).get("emailAddress")
    phone = (stored.get("defaultPhoneNumber") or {}).get("phoneNumber")
    return {"id": number(stored["id"]), "admin_graphql_api_id": stored["id"], "email": email,
            "first_name": stored.get("firstName"), "last_name": stored.get("lastName"), "phone": phone,
            "tags": ", ".join(stored.get("tags") or ()), "note": stored.get("note"),
            "state": lower(stored.get("state")), "created_at": stored.get("createdAt"),
            "updated_at": stored.get("updatedAt")}


def tax_lines(stored):
    return [{"title": t["title"], "rate": t["rate"], "channel_liable": t.get("channelLiable"),
             **money_fields("price", t["priceSet"])} for t in stored or ()]


def discount_allocations(stored):
    return [{"discount_application_index": (a.get("discountApplication") or {}).get("index"),
             **money_fields("amount", a["allocatedAmountSet"])} for a in stored or ()]


def line_item(stored):
    variant, product = stored.get("variant") or {}, stored.get("product") or {}
    return {
        "id": number(stored["id"]), "admin_graphql_api_id": stored["id"], "name": stored.get("name"),
        "title": stored.get("title"), "variant_title": stored.get("variantTitle"), "sku": stored.get("sku"),
        "vendor": stored.get("vendor"), "quantity": stored["quantity"],
        "current_quantity": stored.get("currentQuantity"), "fulfillable_quantity": stored.get("unfulfilledQuantity"),
        "gift_card": stored.get("isGiftCard", False), "taxable": stored.get("taxable"),
        "requires_shipping": stored.get("requiresShipping"),
        "product_id": number(product.get("id")), "variant_id": number(variant.get("id")),
        "properties": [{"name": a["key"], "value": a["value"]} for a in stored.get("customAttributes") or ()],
        **money_fields("price", stored.get("originalUnitPriceSet")),
        **money_fields("total_discount", stored.get("totalDiscountSet")),
        "tax_lines": tax_lines(stored.get("taxLines")),
        "discount_allocations": discount_allocations(stored.get("discountAllocations")),
    }


def shipping_line(stored):
    return {
        "id": number(stored["id"]), "title": stored.get("title"), "code": stored.get("code"),
        "source": stored.get("source"), "carrier_identifier": stored.get("carrierIdentifier"),
        "phone": stored.get("phone"), "is_removed": stored.get("isRemoved", False),
        **money_fields("price", stored.get("originalPriceSet")),
        **money_fields("discounted_price", stored.get("discountedPriceSet")),
        "tax_lines": tax_lines(stored.get("taxLines")),
        "discount_allocations": discount_allocations(stored.get("discountAllocations")),
    }


def discount_codes(order):
    """REST ``discount_codes``: each code application with what it took off (shop currency)."""
    found = []
    for application in order.get("discountApplications") or ():
        if application.get("__typename") != "DiscountCodeApplication":
            continue
        index = application.get("index")
        holders = [*(order.get("lineItems") or ()), *(order.get("shippingLines") or ())]
        allocations = [a["allocatedAmountSet"] for holder in holders for a in holder.get("discountAllocations") or ()
                       if (a.get("discountApplication") or {}).get("index") == index]
        kind = ("shipping" if application.get("targetType") == "SHIPPING_LINE"
                else "percentage" if (application.get("value") or {}).get("__typename") == "PricingPercentageValue"
                else "fixed_amount")
        taken = summed(allocations, order["totalPriceSet"])["shopMoney"]["amount"]
        found.append({"code": application.get("code"), "amount": taken, "type": kind})
    return found
