from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.misc import format_amount, format_date

from ..shopify.api.errors import ShopifyError

# Lines shown unfolded; a longer order's lines are folded (a click opens them).
OPEN_LINES = 20


class ShopifyOrderPreview(models.TransientModel):
    """What Sync (or Update) would do with one order, without doing it. The dialog opens
    as a new record that is never saved (its only button is Close): the preview is
    computed when the dialog asks for its values, and nothing is stored."""

    _name = "shopify.order.preview"
    _description = "Preview of a Shopify order sync"

    order_id = fields.Many2one("shopify.order", required=True, readonly=True)
    would_fail = fields.Boolean(compute="_compute_preview")
    preview_html = fields.Html(compute="_compute_preview", sanitize=False)

    @api.depends("order_id")
    def _compute_preview(self):
        from ..services.order_preview import preview_order

        for wizard in self:
            if not wizard.order_id:
                wizard.would_fail, wizard.preview_html = False, False
                continue
            try:
                preview = preview_order(wizard.order_id)
            except ShopifyError as exc:
                wizard.would_fail = True
                wizard.preview_html = _alert("danger", _("Shopify could not be reached: %s", exc))
                continue
            wizard.would_fail = bool(preview.reasons)
            wizard.preview_html = _Html(self.env, preview).render()


class _Html:
    def __init__(self, env, preview):
        self.env, self.preview = env, preview
        self.currency = env["res.currency"].with_context(active_test=False).search(
            [("name", "=", preview.currency)], limit=1) if preview.currency else None

    def money(self, amount):
        if self.currency:
            return format_amount(self.env, float(amount), self.currency)
        return f"{amount} {self.preview.currency}"

    def render(self):
        p = self.preview
        parts = [self.verdict()]
        if p.notes:
            parts.append(_list("o_shopify_preview_notes", p.notes))
        if p.partner:
            parts.append(self.partner())
        if p.products:
            parts.append(self.products())
        if p.taxes:
            parts.append(self.taxes())
        if p.sale_order:
            so = p.sale_order
            parts.append(self.document(
                "o_shopify_preview_sale_order",
                _("Sale order %s", so["name"] or _("(Odoo's sequence)")), format_date(self.env, so["date"]), so))
        for doc in p.documents:
            parts.append(self.document(
                "o_shopify_preview_document", f"{_('Invoice') if doc['move_type'] == 'out_invoice' else _('Credit note')}: {doc['label']}",
                f"{format_date(self.env, doc['date'])}, {doc['state']}", doc))
        if p.payments:
            parts.append(self.payments())
        if p.metafield:
            parts.append(self.metafield())
        seconds = sum(p.seconds.values())
        parts.append(Markup('<p class="text-muted small o_shopify_preview_time">%s</p>') % _(
            "Previewed in %(total).2f s (Shopify %(fetch).2f s, plan %(plan).2f s). Nothing was written.",
            total=seconds, fetch=p.seconds.get("fetch", 0), plan=p.seconds.get("plan", 0)))
        return Markup("").join(parts)

    def verdict(self):
        p = self.preview
        if p.reasons:
            return _alert("danger", Markup("<strong>%s</strong>%s") % (
                _("Sync would fail:"), _list("o_shopify_preview_reasons mb-0", p.reasons)))
        return _alert("success", _("Sync would succeed with what follows."), "o_shopify_preview_ok")

    def partner(self):
        partner = self.preview.partner
        how = (_("new: created by the sync") if partner["how"] == "new" else _("matched by %s", partner["how"]))
        rows = [(_("Customer"), Markup("<strong>%s</strong> (%s)") % (partner["name"], how)),
                (_("Invoice address"), partner["invoice"]), (_("Delivery address"), partner["delivery"])]
        return _section(_("Customer"), "o_shopify_preview_partner", None, rows)

    def products(self):
        rows = [(product["line"], product["name"], product["sku"] or "", product["barcode"] or "",
                 _("new: created by the sync") if product["how"] == "new" else product["how"])
                for product in self.preview.products]
        return _section(_("Products"), "o_shopify_preview_products",
                        (_("Shopify line"), _("Odoo product"), _("SKU"), _("Barcode"), _("Matched by")), rows)

    def taxes(self):
        states = {"mapped": _("mapped"), "to create": _("no Odoo tax yet: the sync creates it"),
                  "unmapped": _("no Odoo tax: the sync fails")}
        rows = [(tax["label"], tax["name"] or "", states[tax["state"]]) for tax in self.preview.taxes]
        return _section(_("Taxes"), "o_shopify_preview_taxes", (_("Shopify tax"), _("Odoo tax"), _("State")), rows)

    def document(self, css, title, when, doc):
        head = (_("Product"), _("Description"), _("Quantity"), _("Unit price"), _("Discount %"), _("Taxes"),
                _("Untaxed"))
        rows = [(line["product"], line["name"], line["quantity"], self.money(line["price_unit"]),
                 f"{line['discount']}", ", ".join(f"{tax['key'].title} {self.money(tax['amount'])}"
                                                  for tax in line["taxes"]),
                 self.money(line["base"])) for line in doc["lines"]]
        totals = Markup('<p class="o_shopify_preview_totals">%s</p>') % _(
            "%(when)s. Untaxed %(untaxed)s, tax %(tax)s, total %(total)s.", when=when,
            untaxed=self.money(doc["untaxed"]), tax=self.money(doc["tax"]), total=self.money(doc["total"]))
        table = _table(head, rows)
        lines = Markup("<details%s><summary>%s</summary>%s</details>") % (
            Markup(" open") if len(rows) <= OPEN_LINES else "", _("%s lines", len(rows)), table)
        return Markup('<div class="%s"><h4>%s</h4>%s%s</div>') % (css, title, totals, lines)

    def payments(self):
        rows = [(payment["kind"].capitalize(), payment["gateway"], format_date(self.env, payment["date"]),
                 self.money(payment["amount"] if payment["inbound"] else -payment["amount"]),
                 payment["journal"] or _("none: the sync fails"), payment["outstanding"] or "")
                for payment in self.preview.payments]
        return _section(_("Payments"), "o_shopify_preview_payments",
                        (_("Kind"), _("Gateway"), _("Date"), _("Amount"), _("Journal"), _("Outstanding account")),
                        rows)

    def metafield(self):
        meta = self.preview.metafield
        value = meta["value"] or _("(not known yet)")
        said = (_("The sync sets it to %(value)s: %(explain)s.", value=value, explain=meta["explain"])
                if meta["written"] else
                _("The sync leaves it as it is (%(now)s): %(explain)s.", now=meta["now"] or _("empty"),
                  explain=meta["explain"]))
        return Markup('<div class="o_shopify_preview_metafield"><h4>%s</h4><p>%s</p></div>') % (
            _("Shopify metafield custom.odoo_id"), said)


def _alert(kind, content, css=""):
    return Markup('<div class="alert alert-%s %s" role="alert">%s</div>') % (kind, css, content)


def _list(css, items):
    return Markup('<ul class="%s">%s</ul>') % (css, Markup("").join(
        Markup("<li>%s</li>") % Markup("<br/>").join(str(item).split("\n")) for item in items))


def _table(head, rows):
    header = Markup("").join(Markup("<th>%s</th>") % h for h in head) if head else ""
    body = Markup("").join(Markup("<tr>%s</tr>") % Markup("").join(
        Markup("<%s>%s</%s>") % (("th" if not head and i == 0 else "td"), cell, ("th" if not head and i == 0 else "td"))
        for i, cell in enumerate(row)) for row in rows)
    return Markup('<table class="table table-sm o_shopify_preview_table"><thead><tr>%s</tr></thead>'
                  '<tbody>%s</tbody></table>') % (header, body)


def _section(title, css, head, rows):
    return Markup('<div class="%s"><h4>%s</h4>%s</div>') % (css, title, _table(head, rows))
