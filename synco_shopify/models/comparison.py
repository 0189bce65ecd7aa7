"""The "Shopify says / Odoo has" table of a Shopify order's form.

Shopify's side is the order's figures now: every header import refreshes them (and a
sync writes them too), so a refund or an edit made in Shopify shows as a difference at
once, before anything is applied. Odoo's side is read from the documents now, net of
credit notes: Σ invoices − Σ credit notes, so an edit or a refund in Odoo shows too."""
from markupsafe import Markup, escape

from odoo.tools.misc import formatLang

ROWS = (
    ("subtotal", "Subtotal (items after discounts)"),
    ("discounts", "Discounts"),
    ("shipping", "Shipping"),
    ("tax", "Tax"),
    ("total", "Total"),
)
ITEM_KINDS = ("product", "gift_card", "discount")
# Invoices add, credit notes take away.
MOVE_SIGNS = {"out_invoice": 1, "out_refund": -1}


def odoo_figures(document, taxes_included):
    """The rows' figures from a sale order or an invoice (or credit note, as positive
    amounts), by Shopify line kind."""
    lines = document.order_line if document._name == "sale.order" else document.invoice_line_ids
    kind_of = _line_kinds(document)

    def amount(line):
        return line.price_total if taxes_included else line.price_subtotal

    def gross(line):
        qty = line.product_uom_qty if document._name == "sale.order" else line.quantity
        return line.price_unit * qty

    discounts = -sum(amount(line) for line in lines if kind_of(line) in ("discount", "shipping_discount"))
    discounts += sum(gross(line) - amount(line) for line in lines if line.discount)
    return {
        "subtotal": sum(amount(line) for line in lines if kind_of(line) in ITEM_KINDS),
        "discounts": discounts,
        "shipping": sum(amount(line) for line in lines
                        if kind_of(line) in ("shipping", "shipping_discount")),
        "tax": document.amount_tax,
        "total": document.amount_total,
    }


def _line_kinds(document):
    """A line's Shopify kind. A credit note made with Odoo's reversal copies the
    invoice's lines without their kind (copy=False): it is read from the reversed
    invoice's line of the same product."""
    reversed_invoice = document._name == "account.move" and document.reversed_entry_id
    by_product = {}
    if reversed_invoice:
        for line in reversed_invoice.invoice_line_ids:
            if line.shopify_line_kind and line.product_id:
                by_product.setdefault(line.product_id, line.shopify_line_kind)

    def kind_of(line):
        return line.shopify_line_kind or by_product.get(line.product_id)

    return kind_of


def net_figures(moves, taxes_included):
    """Σ over the invoices − Σ over the credit notes, row by row."""
    net = dict.fromkeys((key for key, _label in ROWS), 0.0)
    for move in moves:
        sign = MOVE_SIGNS[move.move_type]
        for key, value in odoo_figures(move, taxes_included).items():
            net[key] += sign * value
    return net


def open_amount(moves):
    """What the customer still owes on the posted invoices, net of the credit notes
    still open. In the documents' currency (amount_residual is unsigned), not the
    company's as amount_residual_signed is: Shopify's totalOutstanding is in the
    order's currency."""
    return sum(MOVE_SIGNS[move.move_type] * move.amount_residual
               for move in moves if move.state == "posted")


def _live_moves(order):
    return order.invoice_ids.filtered(lambda m: m.move_type in MOVE_SIGNS and m.state != "cancel")


def comparison_table(order):
    shopify = order.shopify_totals_json or {}
    moves = _live_moves(order)
    sale_order = order.sale_order_id if order.sale_order_id.state != "cancel" else order.sale_order_id.browse()
    if not shopify or not (moves.filtered(lambda m: m.move_type == "out_invoice") or sale_order):
        return False
    taxes_included = shopify.get("taxes_included")
    if moves.filtered(lambda m: m.move_type == "out_invoice"):
        odoo = net_figures(moves, taxes_included)
        currency = moves[:1].currency_id
    else:
        # Nothing invoiced yet: the sale order is what Odoo has.
        odoo = odoo_figures(sale_order, taxes_included)
        currency = sale_order.currency_id
    rows = [(label, shopify.get(key), odoo[key]) for key, label in ROWS]
    # The open amount means something once a receivable is booked (a posted invoice).
    if "outstanding" in shopify and moves.filtered(lambda m: m.state == "posted"):
        rows.append(("Outstanding", shopify["outstanding"], open_amount(moves)))
    env = order.env
    cells = []
    for label, theirs, ours in rows:
        theirs = float(theirs or 0.0)
        same = currency.compare_amounts(theirs, ours) == 0
        cells.append(Markup(
            "<tr class='%s'><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>"
        ) % ("" if same else "table-danger", escape(label),
             formatLang(env, theirs, currency_obj=currency), formatLang(env, ours, currency_obj=currency)))
    return Markup(
        "<table class='table table-sm o_shopify_comparison'><thead><tr><th></th>"
        "<th class='text-end'>Shopify says</th><th class='text-end'>Odoo has</th></tr></thead>"
        "<tbody>%s</tbody></table>"
    ) % Markup("").join(cells)
