"""Transactions of one order, on both currency sides, and the financial status they add up to.

Each tender pays its share of the amount paid, the last one the rest, side by side, so the two
sides of every transaction are amounts of the same payment and each side adds up on its own.
Refunds go back to the payments in reverse order (the card before the gift card), as far as each
has money left on that side.
"""
from dataclasses import dataclass
from decimal import Decimal

from .draft import Tender
from .money import convert, half_up
from ..totals import minor_units

# The balance of a partly paid order, awaiting a bank transfer.
_MANUAL_REST = Tender("Bank Deposit", "Bank Deposit", manual=True)


@dataclass(slots=True)
class Payments:
    transactions: list               # dicts, in the order they happened
    by_refund: list                  # per refund: (its REFUND transactions, (shop, presentment) total)
    received: tuple                  # (shop, presentment)
    refunded: tuple
    capturable: tuple
    status: str                      # displayFinancialStatus
    gateways: list
    rounding: tuple = (0, 0)         # totalCashRoundingAdjustment.paymentSet: total - cash received


def _share(amount, share):
    return half_up(amount * int(share * 10000), 10000)


class _Ledger:
    def __init__(self, order, ids, purse, iso, rng):
        self.order, self.ids, self.purse, self.iso, self.rng = order, ids, purse, iso, rng
        self.transactions = []

    def add(self, kind, status, tender, amount, at, parent=None, error=None):
        gid = self.ids.gid("OrderTransaction")
        card = not tender.manual and tender.gateway not in ("gift_card", "cash", "shopify_store_credit")
        self.transactions.append({
            "id": gid, "kind": kind, "status": status, "gateway": tender.gateway,
            "formattedGateway": tender.formatted, "processedAt": self.iso(at), "createdAt": self.iso(at),
            "test": self.order.test, "errorCode": error,
            "paymentId": f"c{self.rng.getrandbits(64):x}.{len(self.transactions) + 1}" if card else None,
            "amountSet": self.purse.bag(*amount), "parentTransaction": {"id": parent["id"]} if parent else None,
            "manualPaymentGateway": tender.manual,
            "_amount": amount, "_tender": tender,
        })
        return self.transactions[-1]


def _split(amount, tenders, rate_back, order):
    """(shop, presentment) per tender: shares on the presentment side, converted for the shop side."""
    left_shop, left_presentment = amount
    parts = []
    for position, tender in enumerate(tenders):
        later = len(tenders) - position - 1
        if tender.share is None or not later:
            parts.append((left_shop, left_presentment))
            break
        presentment = min(max(1, _share(amount[1], tender.share)), left_presentment - later)
        shop = presentment if rate_back is None else min(
            max(1, convert(presentment, order.currency, order.shop_currency, rate_back)), left_shop - later)
        parts.append((shop, presentment))
        left_shop, left_presentment = left_shop - shop, left_presentment - presentment
    return parts


def collect(order, sides, ids, purse, iso, rng):
    payment = order.payment
    rate_back = None if order.rate is None else Decimal(1) / order.rate
    totals = (sides[0].total["price"], sides[1].total["price"])
    paid = totals
    rounding = (0, 0)
    if payment.cash_rounding:
        # Canada rounds cash totals to the nickel (0.01-0.02 down, 0.03-0.04 up); currencies
        # without cents have nothing to round.
        step = 5 if minor_units(order.currency) else 1
        paid = tuple(half_up(t, step) * step for t in totals)
        rounding = (totals[0] - paid[0], totals[1] - paid[1])
    if payment.paid_share is not None and min(totals) >= 2:
        presentment = min(max(1, _share(totals[1], payment.paid_share)), totals[1] - 1)
        shop = presentment if rate_back is None else min(
            max(1, convert(presentment, order.currency, order.shop_currency, rate_back)), totals[0] - 1)
        paid = (shop, presentment)
    ledger = _Ledger(order, ids, purse, iso, rng)
    at = order.processed_at + 4
    captured = []
    if paid[0] > 0 or paid[1] > 0:
        for tender, amount in zip(payment.tenders, _split(paid, payment.tenders, rate_back, order)):
            flow = payment.flow if tender is payment.tenders[-1] else "sale"
            if flow == "sale" and payment.failed_first and tender is payment.tenders[-1]:
                ledger.add("SALE", "FAILURE", tender, amount, at - 50, error="CARD_DECLINED")
            if flow == "sale":
                captured.append(ledger.add("SALE", "SUCCESS", tender, amount, at))
            elif flow == "pending":
                ledger.add("SALE", "PENDING", tender, amount, at)
            else:
                authorization = ledger.add("AUTHORIZATION", "SUCCESS", tender, amount, at)
                if flow == "auth_capture":
                    captured.append(ledger.add("CAPTURE", "SUCCESS", tender, amount, payment.captured_at,
                                               parent=authorization))
            at += 3
    if paid != totals and payment.pending_rest:
        ledger.add("SALE", "PENDING", _MANUAL_REST, (totals[0] - paid[0], totals[1] - paid[1]), at)

    voided = False
    if order.cancel and payment.flow == "auth_only":
        for authorization in [t for t in ledger.transactions if t["kind"] == "AUTHORIZATION"]:
            ledger.add("VOID", "SUCCESS", authorization["_tender"], authorization["_amount"], order.cancel.at,
                       parent=authorization)
            voided = True

    by_refund = []
    refundable = {id(t): list(t["_amount"]) for t in captured}
    for refund, figures in zip(order.refunds, zip(sides[0].refunds, sides[1].refunds)):
        left = [figures[0][2], figures[1][2]]
        made, total = [], [0, 0]
        for payment_tx in (() if voided else reversed(captured)):
            room = refundable[id(payment_tx)]
            amount = (min(room[0], left[0]), min(room[1], left[1]))
            if amount == (0, 0):
                continue
            made.append(ledger.add("REFUND", "SUCCESS", payment_tx["_tender"], amount, refund.at,
                                   parent=payment_tx))
            for s in (0, 1):
                room[s] -= amount[s]
                left[s] -= amount[s]
                total[s] += amount[s]
        by_refund.append((made, tuple(total)))

    received, refunded, capturable = [0, 0], [0, 0], [0, 0]
    captured_ids = {t["parentTransaction"]["id"] for t in ledger.transactions
                    if t["kind"] in ("CAPTURE", "VOID") and t["status"] == "SUCCESS"}
    for t in ledger.transactions:
        if t["status"] != "SUCCESS":
            continue
        for s in (0, 1):
            if t["kind"] in ("SALE", "CAPTURE"):
                received[s] += t["_amount"][s]
            elif t["kind"] == "REFUND":
                refunded[s] += t["_amount"][s]
            elif t["kind"] == "AUTHORIZATION" and t["id"] not in captured_ids:
                capturable[s] += t["_amount"][s]
    for t in ledger.transactions:
        del t["_amount"], t["_tender"]
    gateways = list(dict.fromkeys(t["gateway"] for t in ledger.transactions))
    return Payments(ledger.transactions, by_refund, tuple(received), tuple(refunded), tuple(capturable),
                    financial_status(totals[0], received[0] + rounding[0], refunded[0], capturable[0], voided),
                    gateways, rounding)


def financial_status(total, received, refunded, capturable, voided):
    if voided and not received:
        return "VOIDED"
    if refunded:
        return "REFUNDED" if refunded >= received else "PARTIALLY_REFUNDED"
    if not received:
        return "PAID" if not total else "AUTHORIZED" if capturable else "PENDING"
    return "PARTIALLY_PAID" if received < total else "PAID"

