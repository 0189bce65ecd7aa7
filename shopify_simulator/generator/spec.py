"""Orders written by hand in a compact form (the ``_spec`` of a scenario file), built through the
generator's own pricing, payment and assembly code.

    {"number": 1001, "processedAt": "2026-03-01T12:00:00Z", "taxesIncluded": false,
     "currency": "EUR", "rate": "0.92",                        # presentment side, optional
     "lines": [{"title": "T-shirt", "price": "20.00", "quantity": 3,
                "taxes": [{"title": "NY State Tax", "rate": "0.08875"}]}],
     "discounts": [{"type": "DiscountCodeApplication", "code": "SAVE10", "percentage": "10",
                    "allocationMethod": "ACROSS", "targetSelection": "ENTITLED",
                    "targetType": "LINE_ITEM", "targets": [0]}],
     "shippingLines": [{"title": "Standard", "price": "6.00", "taxes": [...]}],
     "fees": [{"name": "Handling fee", "price": "2.00", "taxes": []}],
     "payment": {"gateways": ["gift_card", "shopify_payments"], "shares": ["0.25"], "flow": "sale"},
     "refunds": [{"at": "...", "lines": [[0, 1]], "shipping": [0]}],
     "cancel": {"reason": "CUSTOMER", "at": "..."},
     "fulfillment": "OPEN", "customer": {...} | null, "email": "...", "sourceName": "web",
     "scenarios": ["order_discount_across"]}

Prices are in the shop's currency (``amount`` of a fixed discount too, per unit with EACH); a line
may say ``"giftCard": true``, ``"tip": true``, ``"requiresShipping": false`` or carry a
``"duty": {"rate": "0.1", "hsCode": "6109.10", "origin": "CN", "taxes": [...]}``.
"""
import calendar
import time
from decimal import Decimal

from .assemble import assemble
from .context import Exchange
from .draft import (CancelDraft, DiscountDraft, DutyDraft, FeeDraft, FulfillmentDraft, LineDraft, OrderDraft,
                    PaymentDraft, RefundDraft, ShippingDraft, Tender)
from .money import to_minor
from .taxes import TaxRate

_GATEWAY_NAMES = {"shopify_payments": "Shopify Payments", "gift_card": "Gift card", "paypal": "PayPal",
                  "cash": "Cash", "bogus": "Bogus", "manual": "Manual", "shopify_store_credit": "Store credit"}


def timestamp(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def _taxes(items):
    return tuple(TaxRate(t["title"], Decimal(t["rate"])) for t in items or ())


def build(spec, shop, locations, ids, rng):
    """The order dict of one spec, in a shop described by its Shop dict."""
    shop_currency = shop["currencyCode"]
    currency = spec.get("currency", shop_currency)
    rate = Decimal(spec["rate"]) if currency != shop_currency else None
    exchange = Exchange(shop_currency, currency, rate)

    def pair(amount):
        return exchange.pair(to_minor(amount, shop_currency))

    processed = timestamp(spec.get("processedAt", "2026-01-15T12:00:00Z"))
    lines = [LineDraft(
        title=line["title"], variant_title=line.get("variantTitle"), sku=line.get("sku"), vendor=line.get("vendor"),
        variant=line.get("variant"), product=line.get("product"), quantity=line["quantity"],
        unit=pair(line["price"]), taxes=_taxes(line.get("taxes")), gift_card=line.get("giftCard", False),
        tip=line.get("tip", False),
        requires_shipping=line.get("requiresShipping", not (line.get("giftCard") or line.get("tip"))),
        duty=DutyDraft(line["duty"].get("hsCode"), line["duty"].get("origin"), Decimal(line["duty"]["rate"]),
                       _taxes(line["duty"].get("taxes"))) if line.get("duty") else None)
        for line in spec["lines"]]
    payment = spec.get("payment", {})
    gateways = payment.get("gateways", ["shopify_payments"])
    given = [Decimal(s) for s in payment.get("shares", ())]  # one per gateway but the last
    shares = given + [None] * (len(gateways) - len(given))
    refunds = [RefundDraft(at=timestamp(r["at"]), lines=tuple(tuple(x) for x in r.get("lines", ())),
                           shipping=tuple(r.get("shipping", ())), note=r.get("note"))
               for r in spec.get("refunds", ())]
    cancel = spec.get("cancel")
    if cancel:
        at = timestamp(cancel["at"])
        refunds.append(RefundDraft(at=at, lines=tuple((i, l.quantity) for i, l in enumerate(lines)),
                                   shipping=tuple(range(len(spec.get("shippingLines", ())))), restock="CANCEL"))
    shipped = tuple(i for i, line in enumerate(lines) if line.requires_shipping)
    draft = OrderDraft(
        number=spec.get("number", 1001), created_at=processed, processed_at=processed,
        shop_currency=shop_currency, currency=currency, rate=rate,
        taxes_included=spec.get("taxesIncluded", shop["taxesIncluded"]),
        duties_included=spec.get("dutiesIncluded", False), lines=lines,
        discounts=[_discount(d, pair) for d in spec.get("discounts", ())],
        shipping=[ShippingDraft(s["title"], s.get("code", s["title"].upper()), s.get("source", "shopify"), None,
                                pair(s["price"]), _taxes(s.get("taxes"))) for s in spec.get("shippingLines", ())],
        fees=[FeeDraft(f["name"], pair(f["price"]), _taxes(f.get("taxes"))) for f in spec.get("fees", ())],
        payment=PaymentDraft(
            tenders=[Tender(g, _GATEWAY_NAMES.get(g, g), share, manual=g == "manual")
                     for g, share in zip(gateways, shares)],
            flow=payment.get("flow", "sale"), captured_at=processed + 3600,
            paid_share=Decimal(payment["paidShare"]) if "paidShare" in payment else None),
        refunds=refunds, cancel=CancelDraft(cancel["reason"], timestamp(cancel["at"])) if cancel else None,
        fulfillments=[FulfillmentDraft(locations[0], "CANCELLED" if cancel else spec.get("fulfillment", "OPEN"),
                                       shipped, processed + 7200)] if shipped and locations else [],
        test=spec.get("test", False), source_name=spec.get("sourceName", "web"),
        customer=spec.get("customer"), email=spec.get("email"),
        billing=spec.get("billingAddress"), shipping_address=spec.get("shippingAddress"),
        scenarios=list(spec.get("scenarios", ())),
    )
    latest = max([processed, *(r.at for r in refunds)])
    return assemble(draft, ids, latest + 86400, rng)


def _discount(spec, pair):
    return DiscountDraft(
        typename=spec["type"], method=spec.get("allocationMethod", "ACROSS"),
        selection=spec.get("targetSelection", "ALL"), target=spec.get("targetType", "LINE_ITEM"),
        entitled=tuple(spec["targets"]),
        percentage=Decimal(spec["percentage"]) if "percentage" in spec else None,
        amount=pair(spec["amount"]) if "amount" in spec else None,
        code=spec.get("code"), title=spec.get("title", spec.get("code")), description=spec.get("description"))
