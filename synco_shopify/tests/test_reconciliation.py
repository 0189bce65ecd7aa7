"""The reconciliation report (issue 8, point 5) on a real period of the simulated shop:
a synced order that matches, a failed order, an order changed in Shopify after its sync
(a refund) and an order the store never imported; each must land in its list with
Shopify's and Odoo's amounts, and the PDF must list them."""
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo.tests import new_test_user, tagged

from .common import SyncoCase


def money(bag):
    return Decimal(bag["shopMoney"]["amount"])


class ReconciliationCase(SyncoCase):
    """A period of the shop with one order of each kind (also the tour's, test_reconciliation_tour)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.invoice_policy = "all"
        # Four orders placed now in the shop (fixed seeds: paid, one line or more, taxed; B
        # pays with PayPal, the others with Shopify Payments).
        cls.placed = {key: cls.sim.new_order(seed=seed) for key, seed in
                      (("matched", "recon-0"), ("failed", "recon-4"), ("changed", "recon-3"),
                       ("missing", "recon-2"))}
        assert cls.placed["failed"]["paymentGatewayNames"] == ["paypal"]
        assert cls.placed["matched"]["paymentGatewayNames"] == ["shopify_payments"]
        zone = ZoneInfo(cls.sim.data.shop["ianaTimezone"])
        days = [datetime.fromisoformat(o["processedAt"].replace("Z", "+00:00")).astimezone(zone).date()
                for o in cls.placed.values()]
        cls.date_from, cls.date_to = min(days), max(days)
        cls.accountant = new_test_user(cls.env, login="recon_accountant",
                                       groups="account.group_account_manager,base.group_allow_export",
                                       name="Accountant")
        cls.prepare_period()

    @classmethod
    def order_of(cls, key):
        return cls.env["shopify.order"].search(
            [("store_id", "=", cls.store.id), ("shopify_gid", "=", cls.placed[key]["id"])])

    @classmethod
    def prepare_period(cls):
        # A and C synced, B fails (its gateway is no longer mapped), D is never imported.
        listed = cls.list_orders([cls.placed[k] for k in ("matched", "failed", "changed")])
        assert len(listed) == 3
        matched, failed, changed = cls.order_of("matched"), cls.order_of("failed"), cls.order_of("changed")
        cls.env["shopify.order.sync"]._sync_orders(matched | changed)
        assert (matched | changed).mapped("sync_state") == ["synced", "synced"], (matched | changed).sync_error
        cls.store.gateway_mapping_ids.filtered(lambda m: m.gateway == "paypal").unlink()
        cls.env["shopify.order.sync"]._sync_orders(failed)
        assert failed.sync_state == "failed"
        cls.synced_total = money(cls.placed["changed"]["currentTotalPriceSet"])
        # After its sync, C has a unit of its first line refunded in Shopify.
        lines = cls.placed["changed"]["lineItems"]
        line = (lines if isinstance(lines, list) else lines["nodes"])[0]
        cls.sim.refund(cls.placed["changed"]["id"], lines=[(line["id"], 1, "RETURN")])
        cls.changed_now = cls.sim.node(cls.placed["changed"]["id"])
        assert money(cls.changed_now["currentTotalPriceSet"]) < cls.synced_total
        assert not cls.order_of("missing"), "D was never imported"


@tagged("post_install", "-at_install", "synco")
class TestReconciliation(ReconciliationCase):

    def reconcile(self, user=None):
        Recon = self.env["shopify.reconciliation"].with_user(user) if user else self.env["shopify.reconciliation"]
        rec = Recon.create({"store_id": self.store.id, "date_from": self.date_from, "date_to": self.date_to})
        rec.action_refresh()
        return rec

    def row(self, rec, key):
        found = rec.order_ids.filtered(lambda r: r.order_id == self.order_of(key))
        self.assertEqual(len(found), 1, key)
        return found

    def amount(self, value):
        return Decimal(str(value)).quantize(Decimal("0.01"))

    def test_each_order_is_in_its_list_with_its_amounts(self):
        rec = self.reconcile(self.accountant)
        # The accountant reads the lists (not the Shopify orders themselves: the test does).
        rec.order_ids.read(["name", "status", "shopify_total", "odoo_total", "difference", "differences"])
        rec = rec.sudo()

        # Every order Shopify processed in the period is in the report, no other.
        start, end = rec._utc_bounds()
        in_period = {o["id"] for o in self.sim.store.objects("Order")
                     if start <= datetime.fromisoformat(o["processedAt"].replace("Z", "+00:00"))
                     .astimezone(timezone.utc).replace(tzinfo=None) < end}
        self.assertEqual(set(rec.order_ids.order_id.mapped("shopify_gid")), in_period)

        matched = self.row(rec, "matched")
        self.assertEqual(matched.status, "matched")
        total = money(self.placed["matched"]["currentTotalPriceSet"])
        self.assertEqual(self.amount(matched.shopify_total), total)
        self.assertEqual(self.amount(matched.odoo_total), total)
        # Every figure matches, tax by tax and gateway by gateway.
        for line in matched.line_ids:
            self.assertEqual(self.amount(line.difference), 0, (line.measure, line.detail))
        taxes = {line.detail: self.amount(line.odoo_amount) for line in matched.line_ids if line.measure == "tax"}
        for tax in self.placed["matched"]["currentTaxLines"]:
            key = "%s %s%%" % (tax["title"], format(Decimal(str(tax["rate"])) * 100, "f").rstrip("0").rstrip("."))
            self.assertEqual(taxes.get(key), money(tax["priceSet"]), (key, taxes))
        payments = {line.detail: self.amount(line.odoo_amount)
                    for line in matched.line_ids if line.measure == "payments"}
        self.assertEqual(payments, {"shopify_payments": total})

        failed = self.row(rec, "failed")
        self.assertEqual(failed.status, "failed")
        self.assertIn("paypal", failed.sync_error)
        self.assertEqual(self.amount(failed.shopify_total), money(self.placed["failed"]["currentTotalPriceSet"]))
        self.assertEqual(self.amount(failed.odoo_total), 0)

        changed = self.row(rec, "changed")
        self.assertEqual(changed.status, "different")
        now_total = money(self.changed_now["currentTotalPriceSet"])
        self.assertEqual(self.amount(changed.shopify_total), now_total)
        self.assertEqual(self.amount(changed.odoo_total), self.synced_total)
        self.assertEqual(self.amount(changed.difference), self.synced_total - now_total)
        refunds = changed.line_ids.filtered(lambda l: l.measure == "refunds")
        self.assertEqual(self.amount(refunds.shopify_amount), self.synced_total - now_total)
        self.assertEqual(self.amount(refunds.odoo_amount), 0)
        self.assertIn("Total: ", changed.differences)

        missing = self.row(rec, "missing")
        self.assertEqual(missing.status, "missing")
        self.assertEqual(self.amount(missing.shopify_total), money(self.placed["missing"]["currentTotalPriceSet"]))
        self.assertEqual(self.amount(missing.odoo_total), 0)
        self.assertEqual(self.amount(missing.difference), -money(self.placed["missing"]["currentTotalPriceSet"]))

        # The other orders of the period were never synced: without a document, or excluded.
        for row in rec.order_ids - matched - failed - changed - missing:
            self.assertEqual(row.status, "missing" if row.order_id.eligible else "excluded", row.name)
        self.assertEqual(rec.failed_count, 1)
        self.assertEqual(rec.different_count, 1)
        self.assertEqual(rec.matched_count, 1)

        # The pivot's figures: the period's totals by status, as the accountant reads them.
        groups = self.env["shopify.reconciliation.line"].with_user(self.accountant)._read_group(
            [("reconciliation_id", "=", rec.id), ("measure", "=", "total")], ["status"],
            ["shopify_amount:sum", "odoo_amount:sum", "difference:sum"])
        by_status = {status: (self.amount(s), self.amount(o), self.amount(d)) for status, s, o, d in groups}
        self.assertEqual(by_status["different"], (now_total, self.synced_total, self.synced_total - now_total))
        self.assertEqual(by_status["matched"], (total, total, 0))
        orders = self.env["shopify.reconciliation.line"]._read_group(
            [("reconciliation_id", "=", rec.id), ("measure", "=", "orders")], [],
            ["shopify_amount:sum", "odoo_amount:sum"])[0]
        self.assertEqual((orders[0], orders[1]), (len(in_period), 2))

        # Odoo's standard export (the list's Export, for users allowed to export) of a list.
        exported = rec.with_user(self.accountant).order_ids.filtered(lambda r: r.status == "different").export_data(
            ["name", "status", "shopify_total", "odoo_total", "difference"])["datas"]
        self.assertEqual([row[0] for row in exported], [changed.name])
        self.assertEqual(self.amount(exported[0][4]), self.synced_total - now_total)

        # The PDF lists each under its heading, with its amounts.
        html = self.env["ir.actions.report"]._render_qweb_html(
            "synco_shopify.action_report_shopify_reconciliation", rec.ids)[0].decode()
        sections = html.split("Orders that failed")
        self.assertEqual(len(sections), 2)
        no_document, rest = sections
        failed_part, differ_part = rest.split("Orders whose Odoo documents differ from Shopify now")
        self.assertIn(missing.name, no_document)
        self.assertNotIn(changed.name + "<", no_document)
        self.assertIn(failed.name, failed_part)
        self.assertIn(changed.name, differ_part)
        self.assertNotIn(matched.name + "<", html)
        self.assertIn("%.2f" % (self.synced_total - now_total), differ_part.replace(",", ""))
        # And a real PDF (wkhtmltopdf, as the Print button makes it; tests otherwise get HTML).
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "synco_shopify.action_report_shopify_reconciliation", rec.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") + pdf.count(b"/Type /Page>")
                                + pdf.count(b"/Type /Page "), 1)

    def test_a_second_compute_replaces_the_first(self):
        rec = self.reconcile()
        first = rec.order_ids
        count = len(rec.line_ids)
        rec.action_refresh()
        self.assertFalse(first.exists())
        self.assertEqual(len(rec.line_ids), count)

    def test_a_shopify_user_cannot_compute_it(self):
        user = new_test_user(self.env, login="recon_shopify_user", groups="synco_shopify.group_shopify_user")
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.env["shopify.reconciliation"].with_user(user).create(
                {"store_id": self.store.id, "date_from": self.date_from, "date_to": self.date_to})
