"""Reconciliation of a store's period: Shopify's figures against what Odoo holds for the
same orders, by the shop's day. A record per store and period; its rows (one per order)
and lines (one per order, measure and tax or gateway) are rebuilt by SQL on Refresh, so
that a month of 10,000 orders is computed in seconds and read by pivot and graph views
as fast as any stored table."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .shopify_reconciliation_line import MEASURES
from .shopify_reconciliation_order import STATUSES
from .shopify_reconciliation_sql import refresh_sql

# Who computes reconciliations: accountants (Invoicing, implied by every accounting group
# that writes) and Shopify managers; read-only accountants read them (ir.model.access.csv).
WRITERS = ("account.group_account_invoice", "synco_shopify.group_shopify_manager")


class ShopifyReconciliation(models.Model):
    _name = "shopify.reconciliation"
    _description = "Shopify reconciliation"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    store_name = fields.Char(related="store_id.name", string="Store name")
    shop_timezone = fields.Char(related="store_id.shop_timezone")
    date_from = fields.Date(required=True, default=lambda self: fields.Date.today().replace(day=1))
    date_to = fields.Date(required=True, default=fields.Date.today)
    refresh_headers = fields.Boolean(
        string="Read Shopify's orders first", default=True,
        help="Before comparing, import the headers of the period's orders from Shopify: orders the "
             "store never listed, and Shopify's figures now (refunds, edits). Off: the figures last "
             "imported are compared.")
    refreshed_at = fields.Datetime(readonly=True)
    order_ids = fields.One2many("shopify.reconciliation.order", "reconciliation_id", readonly=True)
    line_ids = fields.One2many("shopify.reconciliation.line", "reconciliation_id", readonly=True)
    order_count = fields.Integer(compute="_compute_counts")
    matched_count = fields.Integer(compute="_compute_counts")
    missing_count = fields.Integer(compute="_compute_counts")
    failed_count = fields.Integer(compute="_compute_counts")
    different_count = fields.Integer(compute="_compute_counts")
    excluded_count = fields.Integer(compute="_compute_counts")

    _period_check = models.Constraint("CHECK (date_from <= date_to)", "The period ends before it starts.")

    @api.depends("store_id.name", "date_from", "date_to")
    def _compute_name(self):
        for rec in self:
            rec.name = "%s, %s – %s" % (rec.store_id.name or "", rec.date_from or "", rec.date_to or "")

    def _compute_counts(self):
        groups = self.env["shopify.reconciliation.order"]._read_group(
            [("reconciliation_id", "in", self.ids)], ["reconciliation_id", "status"], ["__count"])
        counts = {(rec.id, status): count for rec, status, count in groups}
        for rec in self:
            for status, _label in STATUSES:
                rec[f"{status}_count"] = counts.get((rec.id, status), 0)
            rec.order_count = sum(counts.get((rec.id, s), 0) for s, _l in STATUSES)

    # -- access --------------------------------------------------------------------------
    def _check_may_refresh(self):
        if not any(self.env.user.has_group(group) for group in WRITERS):
            raise AccessError(_("Only accountants and Shopify managers compute a reconciliation."))
        self.check_access("write")

    # -- refresh -------------------------------------------------------------------------
    def action_refresh(self):
        self._check_may_refresh()
        for rec in self:
            if rec.refresh_headers:
                rec._import_period_headers()
            rec._refresh()
        return True

    def _utc_bounds(self):
        """The period's first and last instants, in UTC: from the shop's midnight of date_from
        to its midnight after date_to (the shop's day, as Shopify's reports count it)."""
        zone = ZoneInfo(self.store_id.shop_timezone or "UTC")

        def utc(day):
            return datetime.combine(day, time.min, zone).astimezone(timezone.utc).replace(tzinfo=None)

        return utc(self.date_from), utc(self.date_to + timedelta(days=1))

    def _import_period_headers(self):
        """Shopify's headers of the period, through the store's client (a page of 250 per
        request): an order Odoo never listed joins the report, and every header brings
        Shopify's current figures. Done as the integration, as the header import always is."""
        start, end = self._utc_bounds()
        query = "processed_at:>='%s' processed_at:<'%s'" % (
            start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.env["shopify.order.import"].sudo()._import_headers(self.store_id.sudo(), query)

    def _refresh(self):
        """One DELETE and two INSERT ... SELECT: the period's orders and their figures."""
        self.ensure_one()
        if not self.store_id.sudo().shop_timezone:
            raise UserError(_("Store %s has not been connected yet (its time zone is unknown): "
                              "test its connection first.", self.store_id.name))
        self.env.flush_all()
        start, end = self._utc_bounds()
        cr = self.env.cr
        cr.execute("DELETE FROM shopify_reconciliation_line WHERE reconciliation_id = %s", [self.id])
        cr.execute("DELETE FROM shopify_reconciliation_order WHERE reconciliation_id = %s", [self.id])
        params = {
            "rec": self.id, "store": self.store_id.id, "start": start, "end": end,
            "tz": self.store_id.sudo().shop_timezone or "UTC",
            "side": "presentmentMoney" if self.store_id.sudo()._currency_side() == "presentment" else "shopMoney",
            "uid": self.env.uid, "company_currency": self.company_id.currency_id.id,
            "not_broken_down": _("Not broken down"),
        }
        for statement in refresh_sql():
            cr.execute(statement, params)
        self.refreshed_at = fields.Datetime.now()
        self.env.invalidate_all()

    # -- navigation ----------------------------------------------------------------------
    def _lines_action(self, xmlid, **context):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("reconciliation_id", "=", self.id)]
        action["context"] = {"default_reconciliation_id": self.id, **context}
        action["display_name"] = self.name
        return action

    def action_open_analysis(self):
        return self._lines_action("synco_shopify.action_shopify_reconciliation_lines")

    def action_open_graph(self):
        action = self._lines_action("synco_shopify.action_shopify_reconciliation_lines", search_default_total=1)
        action["views"] = [(v, k) for v, k in action["views"] if k == "graph"] + [
            (v, k) for v, k in action["views"] if k != "graph"]
        return action

    def _orders_action(self, status=None):
        action = self._lines_action("synco_shopify.action_shopify_reconciliation_orders")
        if status:
            action["context"][f"search_default_{status}"] = 1
        return action

    def action_open_orders(self):
        return self._orders_action()

    def action_open_missing(self):
        return self._orders_action("missing")

    def action_open_failed(self):
        return self._orders_action("failed")

    def action_open_different(self):
        return self._orders_action("different")

    def action_print(self):
        return self.env.ref("synco_shopify.action_report_shopify_reconciliation").report_action(self)

    # -- for the PDF -----------------------------------------------------------------------
    def _report_summary(self):
        """[(measure label, detail, Shopify, Odoo, difference)] summed over the period."""
        self.ensure_one()
        groups = self.env["shopify.reconciliation.line"]._read_group(
            [("reconciliation_id", "=", self.id)], ["measure", "detail"],
            ["shopify_amount:sum", "odoo_amount:sum", "difference:sum"])
        rank = {key: i for i, (key, _label) in enumerate(MEASURES)}
        labels = dict(MEASURES)
        groups = sorted(groups, key=lambda g: (rank[g[0]], g[1] or ""))
        return [(labels[m], d or "", s, o, diff) for m, d, s, o, diff in groups]

    def _report_orders(self, status):
        self.ensure_one()
        return self.order_ids.filtered(lambda row: row.status == status).sorted("shop_date")
