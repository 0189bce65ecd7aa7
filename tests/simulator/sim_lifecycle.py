"""Shops and GraphQL documents for the order-mutation tests (test_sim_lifecycle_*.py)."""
import json
from datetime import datetime, timezone
from decimal import Decimal

from shopify_simulator.generator import generate
from shopify_simulator.scenario import load_scenario
from shopify_simulator.totals import check_order

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
NY = [{"title": "NY Sales Tax", "rate": "0.08875"}]
VAT = [{"title": "FR TVA", "rate": "0.2"}]
TEN_PERCENT = {"type": "DiscountCodeApplication", "code": "SAVE10", "percentage": "10", "allocationMethod": "ACROSS",
               "targetSelection": "ENTITLED", "targetType": "LINE_ITEM", "targets": [0, 1]}
MONEY = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }"
ORDER = f"""id updatedAt edited displayFinancialStatus cancelledAt cancelReason
  currentTotalPriceSet {{ {MONEY} }} totalOutstandingSet {{ {MONEY} }} totalReceivedSet {{ {MONEY} }}
  totalRefundedSet {{ {MONEY} }} currentTotalTaxSet {{ {MONEY} }} currentSubtotalPriceSet {{ {MONEY} }}
  lineItems(first: 50) {{ nodes {{ id quantity currentQuantity refundableQuantity }} }}"""
REFUND = f"""mutation Refund($input: RefundInput!) {{ refundCreate(input: $input) @idempotent(key: $key) {{
  refund {{ id createdAt processedAt note totalRefundedSet {{ {MONEY} }}
    refundLineItems(first: 20) {{ nodes {{ quantity restockType restocked location {{ id }} lineItem {{ id }}
      subtotalSet {{ {MONEY} }} totalTaxSet {{ {MONEY} }} }} }}
    refundShippingLines(first: 5) {{ nodes {{ subtotalAmountSet {{ {MONEY} }} taxAmountSet {{ {MONEY} }} }} }}
    transactions(first: 10) {{ nodes {{ id kind status gateway amountSet {{ {MONEY} }} parentTransaction {{ id }} }} }}
    orderAdjustments(first: 5) {{ nodes {{ id reason amountSet {{ {MONEY} }} taxAmountSet {{ {MONEY} }} }} }} }}
  order {{ {ORDER} }} userErrors {{ field message }} }} }}""".replace("Refund($input: RefundInput!)",
                                                                 "Refund($input: RefundInput!, $key: String!)")
REFUND_2025 = REFUND.replace(" @idempotent(key: $key)", "").replace(", $key: String!", "") \
    .replace("refund { id createdAt processedAt", "refund { id createdAt")


def shop_from_spec(tmp_path, orders, currency="USD", taxes_included=False):
    path = tmp_path / "shop.json"
    path.write_text(json.dumps({"shop": {"currencyCode": currency, "taxesIncluded": taxes_included},
                                "orders": [{"_spec": spec} for spec in orders]}))
    return load_scenario(path)


def example_order(**extra):
    """Three T-shirts at 20.00 and a cap, 10 % off, NY tax, taxed shipping (worked example A)."""
    return {"lines": [{"title": "T-shirt", "price": "20.00", "quantity": 3, "taxes": NY},
                      {"title": "Cap", "price": "25.00", "quantity": 1, "taxes": NY}],
            "discounts": [TEN_PERCENT], "shippingLines": [{"title": "Standard", "price": "6.00", "taxes": NY}],
            "processedAt": "2026-05-01T12:00:00Z", **extra}


def generated(scenarios, count=6, seed=11, **kwargs):
    return generate(seed, count, now=NOW, scenarios=scenarios, **kwargs)


def stored(sim, gid):
    """The order as stored now; the independent checker must accept it."""
    order = sim.store.node(gid)
    assert check_order(order) == [], check_order(order)
    return order


def amount(bag, side="shopMoney"):
    return Decimal(bag[side]["amount"])


def pair(bag):
    return bag["shopMoney"]["amount"], bag["presentmentMoney"]["amount"]
