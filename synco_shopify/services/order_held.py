"""What Odoo holds for Shopify orders, as the pure lifecycle plan reads it (``Held``).

One query each for the orders' documents, their sale orders and payments. Cancelled
documents are not held, but their keys are: a document cancelled by hand is made again
only after Reset. An invoice from before documents were keyed by their Shopify source
(Synco < 19.0.1.1) is the sale's, net of the refunds its sync saw (its stored payload).
"""
import json
from datetime import timezone
from decimal import Decimal

from ..shopify.lifecycle.types import SALE, Held, HeldDocument, HeldSaleOrder

ITEM_KINDS = ("product", "gift_card", "tip")


def read_held(env, orders):
    """{shopify.order id: Held} for ``orders``."""
    ids = orders.ids
    moves = env["account.move"].search([("shopify_order_id", "in", ids),
                                        ("move_type", "in", ("out_invoice", "out_refund"))])
    sale_orders = env["sale.order"].search([("shopify_order_id", "in", ids)])
    payments = env["account.payment"].search([("shopify_order_id", "in", ids), ("state", "!=", "canceled"),
                                              ("shopify_transaction_gid", "!=", False)])
    documents, cancelled, folded, by_order_so, paid = {}, {}, {}, {}, {}
    by_id = {o.id: o for o in orders}
    for move in moves:
        order = by_id[move.shopify_order_id.id]
        legacy = not move.shopify_source_gid and move.move_type == "out_invoice"
        key = move.shopify_source_gid or (order.shopify_gid if legacy else None)
        if key is None:
            continue  # a credit note someone made by hand: not Shopify's
        if move.state == "cancel":
            cancelled.setdefault(order.id, set()).add((key, move.move_type))
            continue
        if legacy:
            folded[order.id] = _refunds_of_payload(order)
        documents.setdefault(order.id, []).append(HeldDocument(
            key=key, kind=move.shopify_document_kind or SALE, move_type=move.move_type, state=move.state,
            quantities=_quantities(move.invoice_line_ids, "quantity"),
            total=_decimal(move.amount_total, move.currency_id),
            rounding=_decimal(sum(move.invoice_line_ids.filtered(
                lambda l: l.shopify_line_kind == "cash_rounding").mapped("price_total")), move.currency_id),
        ))
    for so in sale_orders:
        by_order_so[so.shopify_order_id.id] = HeldSaleOrder(
            state=so.state, quantities=_quantities(so.order_line, "product_uom_qty"),
            created_at=so.create_date and so.create_date.replace(tzinfo=timezone.utc))
    for payment in payments:
        paid.setdefault(payment.shopify_order_id.id, set()).add(payment.shopify_transaction_gid)
    return {order_id: Held(sale_order=by_order_so.get(order_id), documents=tuple(documents.get(order_id, ())),
                           payments=frozenset(paid.get(order_id, ())),
                           cancelled=frozenset(cancelled.get(order_id, ())),
                           folded_refunds=frozenset(folded.get(order_id, ())))
            for order_id in ids}


def _refunds_of_payload(order):
    """The refunds an old sync folded into its invoice: those of the payload it booked."""
    try:
        payload = json.loads(order.sudo().payload_json or "{}")
    except ValueError:
        return ()
    return tuple(r["id"] for r in payload.get("refunds") or () if isinstance(r, dict) and r.get("id"))


def _decimal(amount, currency):
    return Decimal(str(amount)).quantize(Decimal(1).scaleb(-currency.decimal_places))


def _quantities(lines, field):
    out = {}
    for line in lines:
        if line.shopify_line_kind in ITEM_KINDS and line.shopify_line_gid and round(line[field]):
            out[line.shopify_line_gid] = out.get(line.shopify_line_gid, 0) + round(line[field])
    return tuple(out.items())
