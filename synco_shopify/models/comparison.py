"""The "Shopify says / Odoo has" table of a Shopify order's form.

Shopify's side is what the order said when it was synced (stored as JSON at sync
time); Odoo's side is read from the documents now, so an edit in Odoo shows up."""
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


def odoo_figures(document, taxes_included):
    """The rows' figures from a sale order or an invoice, by Shopify line kind."""
    lines = document.order_line if document._name == "sale.order" else document.invoice_line_ids

    def amount(line):
        return line.price_total if taxes_included else line.price_subtotal

    def gross(line):
        qty = line.product_uom_qty if document._name == "sale.order" else line.quantity
        return line.price_unit * qty

    discounts = -sum(amount(line) for line in lines if line.shopify_line_kind in ("discount", "shipping_discount"))
    discounts += sum(gross(line) - amount(line) for line in lines if line.discount)
    return {
        "subtotal": sum(amount(line) for line in lines if line.shopify_line_kind in ITEM_KINDS),
        "discounts": discounts,
        "shipping": sum(amount(line) for line in lines
                        if line.shopify_line_kind in ("shipping", "shipping_discount")),
        "tax": document.amount_tax,
        "total": document.amount_total,
    }


def comparison_table(order):
    shopify = order.shopify_totals_json or {}
    document = order.sale_order_id or order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")[:1]
    if not shopify or not document:
        return False
    odoo = odoo_figures(document, shopify.get("taxes_included"))
    currency = document.currency_id
    env = order.env
    rows = []
    for key, label in ROWS:
        theirs = float(shopify.get(key) or 0.0)
        ours = odoo[key]
        same = currency.compare_amounts(theirs, ours) == 0
        rows.append(Markup(
            "<tr class='%s'><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>"
        ) % ("" if same else "table-danger", escape(label),
             formatLang(env, theirs, currency_obj=currency), formatLang(env, ours, currency_obj=currency)))
    return Markup(
        "<table class='table table-sm o_shopify_comparison'><thead><tr><th></th>"
        "<th class='text-end'>Shopify says</th><th class='text-end'>Odoo has</th></tr></thead>"
        "<tbody>%s</tbody></table>"
    ) % Markup("").join(rows)
