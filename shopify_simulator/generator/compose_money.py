"""How an order was paid, fulfilled, refunded or cancelled."""
from decimal import Decimal

from .draft import CancelDraft, FulfillmentDraft, RefundDraft, Tender

_CARD = Tender("shopify_payments", "Shopify Payments")
_PAYPAL = Tender("paypal", "PayPal Express Checkout")
_CASH = Tender("cash", "Cash")
_MANUAL = Tender("manual", "Manual", manual=True)
_COD = Tender("Cash on Delivery (COD)", "Cash on Delivery (COD)", manual=True)
_BOGUS = Tender("bogus", "Bogus")
_CANCEL_REASONS = ("CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF")
HOUR, DAY = 3600, 86400


def add_money(shop, order, features):
    rng, now = shop.rng, shop.now
    _payment(shop, order, features)
    order.fulfillments = _fulfillments(shop, order, features)
    if "cancelled" in features:
        at = min(now, order.created_at + rng.randint(10 * 60, 2 * DAY))
        order.cancel = CancelDraft(rng.choice(_CANCEL_REASONS), at)
        order.refunds = [RefundDraft(
            at=at, note="Order canceled", restock="CANCEL",
            lines=tuple((i, line.quantity) for i, line in enumerate(order.lines)),
            shipping=tuple(range(len(order.shipping))))]
    elif "refund" in features:
        order.refunds = _refunds(shop, order)


def _primary(rng, order, features):
    if order.test:
        return _BOGUS
    if "source_pos" in features:
        return _CARD if rng.random() < 0.6 else _CASH
    if "source_draft" in features:
        return _MANUAL if rng.random() < 0.5 else _CARD
    return _CARD if rng.random() < 0.85 else _PAYPAL


def _payment(shop, order, features):
    rng, payment = shop.rng, order.payment
    settled = features & {"refund", "cancelled", "partial_payment"}
    primary = _primary(rng, order, features)
    if "source_web" in features and not settled and not order.test and rng.random() < 0.03:
        primary = _COD
    if "multi_gateway" in features:
        if "gift_card_payment" in features:
            first = ("gift_card", "Gift card")
        elif primary is not _CASH and "source_pos" in features:
            first = ("cash", "Cash")
        else:
            first = ("shopify_store_credit", "Store credit")
        share = Decimal(rng.randint(15, 45)) / 100
        payment.tenders = [Tender(*first, share=share), _CARD if primary in (_CASH, _COD) else primary]
    elif "gift_card_payment" in features:
        payment.tenders = [Tender("gift_card", "Gift card")]
    else:
        payment.tenders = [primary]
    _forced_payment(payment, features, order)
    last = payment.tenders[-1]
    if "authorized" in features:
        payment.flow = "auth_only"
    elif "pending_payment" in features:
        payment.flow = "pending"
    elif last.manual:
        payment.flow = "pending" if last is _COD or (not settled and rng.random() < 0.25) else "sale"
    elif last.gateway in ("cash", "gift_card"):
        payment.flow = "sale"
    elif "cancelled" in features:
        payment.flow = rng.choice(("auth_only", "auth_only", "sale", "auth_capture"))
    elif settled:
        payment.flow = rng.choice(("sale", "sale", "auth_capture"))
    else:
        payment.flow = rng.choices(("sale", "auth_capture", "auth_only"), (62, 30, 4))[0]
    payment.failed_first = payment.flow == "sale" and not last.manual and rng.random() < 0.06
    if "partial_payment" in features:
        payment.paid_share = Decimal(rng.randint(25, 70)) / 100
        payment.pending_rest = rng.random() < 0.5
    payment.captured_at = min(shop.now, order.processed_at + rng.randint(HOUR, 3 * DAY))


def _forced_payment(payment, features, order):
    """The forced-only payment scenarios: a till paid in cash (rounded to the nickel), a card
    authorized and not captured yet, a manual payment still pending."""
    if "cash_rounding" in features:
        payment.tenders, payment.cash_rounding = [_CASH], True
    elif "authorized" in features and (payment.tenders[-1].manual or payment.tenders[-1] is _CASH):
        payment.tenders = [*payment.tenders[:-1], _BOGUS if order.test else _CARD]
    elif "pending_payment" in features:
        payment.tenders = [_COD if "source_web" in features else _MANUAL]


def _fulfillments(shop, order, features):
    rng = shop.rng
    shipped = tuple(i for i, line in enumerate(order.lines) if line.requires_shipping)
    if not shipped:
        return []
    age = shop.now - order.created_at
    if "cancelled" in features:
        statuses = ["CANCELLED"]
    elif order.retail_location and not order.shipping:
        statuses = ["CLOSED"]  # carried out of the store
    else:
        statuses = [_status(rng, age)]
        if len(shipped) > 1 and rng.random() < 0.2:
            statuses.append("OPEN" if statuses[0] == "CLOSED" and age < 10 * DAY else statuses[0])
    warehouse = order.retail_location or shop.locations[0][0]
    groups = [shipped] if len(statuses) == 1 else [shipped[:len(shipped) // 2], shipped[len(shipped) // 2:]]
    sites = [warehouse, shop.locations[-1][0]]
    return [FulfillmentDraft(location=site, status=status, lines=group,
                             at=min(shop.now, order.created_at + rng.randint(2 * HOUR, 4 * DAY)))
            for site, status, group in zip(sites, statuses, groups)]


def _status(rng, age):
    roll = rng.random()
    if age > 5 * DAY:
        return "CLOSED" if roll < 0.95 else "OPEN"
    if age > DAY:
        return "CLOSED" if roll < 0.6 else "IN_PROGRESS" if roll < 0.7 else "OPEN"
    return "OPEN" if roll < 0.85 else "IN_PROGRESS"


def _refunds(shop, order):
    rng, now = shop.rng, shop.now
    eligible = [i for i, line in enumerate(order.lines) if not line.tip and not line.gift_card]
    fulfilled = {i for f in order.fulfillments if f.status == "CLOSED" for i in f.lines}
    count = 2 if len(eligible) > 1 and rng.random() < 0.2 else 1
    at = order.created_at
    refunds = []
    for position, index in enumerate(rng.sample(eligible, count)):
        at = min(now, at + rng.randint(DAY, 20 * DAY))
        line = order.lines[index]
        refunds.append(RefundDraft(
            at=at, lines=((index, rng.randint(1, line.quantity)),),
            shipping=(0,) if position == 0 and order.shipping and rng.random() < 0.25 else (),
            note=rng.choice((None, "Arrived damaged", "Wrong size")),
            restock="RETURN" if index in fulfilled else rng.choice(("CANCEL", "NO_RESTOCK"))))
    return refunds
