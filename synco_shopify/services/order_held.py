"""What Odoo holds for Shopify orders, as the pure lifecycle plan reads it (``Held``).

One query each for the orders' documents, their item lines, sale orders and payments.
Cancelled documents are not held (Reset detaches them); an invoice from before
documents were keyed by their Shopify source is the sale's.
"""
from decimal import Decimal

from ..shopify.lifecycle.types import SALE, Held, HeldDocument, HeldSaleOrder

ITEM_KINDS = ("product", "gift_card", "tip")


def read_held(env, orders):
    """{shopify.order id: Held} for ``orders``."""
    ids = orders.ids
    moves = env["account.move"].search([("shopify_order_id", "in", ids), ("state", "!=", "cancel"),
                                        ("move_type", "in", ("out_invoice", "out_refund"))])
    sale_orders = env["sale.order"].search([("shopify_order_id", "in", ids)])
    payments = env["account.payment"].search([("shopify_order_id", "in", ids), ("state", "!=", "canceled"),
                                              ("shopify_transaction_gid", "!=", False)])
    documents, by_order_so, paid = {}, {}, {}
    gids = {o.id: o.shopify_gid for o in orders}
    for move in moves:
        key = move.shopify_source_gid or (gids[move.shopify_order_id.id] if move.move_type == "out_invoice" else None)
        if key is None:
            continue  # a credit note someone made by hand: not Shopify's
        documents.setdefault(move.shopify_order_id.id, []).append(HeldDocument(
            key=key, kind=move.shopify_document_kind or SALE, move_type=move.move_type, state=move.state,
            quantities=_quantities(move.invoice_line_ids, "quantity"),
            total=Decimal(str(move.amount_total)).quantize(Decimal(1).scaleb(-move.currency_id.decimal_places)),
        ))
    for so in sale_orders:
        by_order_so[so.shopify_order_id.id] = HeldSaleOrder(
            state=so.state, quantities=_quantities(so.order_line, "product_uom_qty"))
    for payment in payments:
        paid.setdefault(payment.shopify_order_id.id, set()).add(payment.shopify_transaction_gid)
    return {order_id: Held(sale_order=by_order_so.get(order_id), documents=tuple(documents.get(order_id, ())),
                           payments=frozenset(paid.get(order_id, ())))
            for order_id in ids}


def _quantities(lines, field):
    out = {}
    for line in lines:
        if line.shopify_line_kind in ITEM_KINDS and line.shopify_line_gid:
            out[line.shopify_line_gid] = out.get(line.shopify_line_gid, 0) + round(line[field])
    return tuple(out.items())
