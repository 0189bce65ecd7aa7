"""The corpus: generated orders of every scenario, synced in every creation mode,
checked against what the simulator (Shopify) says — not against the plan."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo.tests import tagged

from shopify_simulator.generator import SCENARIOS

from .common import SyncoCase

MODES = [
    # (sale order, invoice, invoice policy)
    ("confirmed", "posted", "all"),
    ("confirmed", "draft", "all"),
    ("confirmed", "none", "all"),
    ("draft", "none", "all"),
    ("none", "posted", "all"),
    ("none", "draft", "all"),
    ("confirmed", "posted", "paid"),
]


def money(bag):
    return Decimal(bag["shopMoney"]["amount"])


@tagged("post_install", "-at_install")
class TestSyncCorpus(SyncoCase):
    shop_orders = 1500
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        picked = {}
        from shopify_simulator.generator.scenarios import FORCED_ONLY

        for scenario in SCENARIOS:
            if scenario in FORCED_ONLY:
                continue  # never in a mixed shop: the lifecycle corpus forces them
            # Two orders per scenario, so that every scenario meets two creation modes.
            # (orders of more than 250 lines are rare: one is enough)
            for stored in cls.pick(scenario, 1 if scenario == "many_lines" else 2, exclude=picked, bookable=False):
                picked[stored["id"]] = stored
        cls.stored = picked
        orders = cls.list_orders(list(picked.values()))
        cls.orders = orders.sorted(lambda o: list(picked).index(o.shopify_gid))

    def test_corpus_reconciles_to_the_cent_in_every_mode(self):
        self.assertGreaterEqual(len(self.orders), 40)
        reconciled = nothing_left = 0
        for index, order in enumerate(self.orders):
            so_mode, invoice_mode, policy = MODES[index % len(MODES)]
            self.store.write({"sale_order_mode": so_mode, "invoice_mode": invoice_mode, "invoice_policy": policy})
            with self.subTest(order=order.name, scenarios=self.stored[order.shopify_gid].get("_scenarios"),
                              mode=(so_mode, invoice_mode, policy)):
                order.action_sync()
                stored = self.stored[order.shopify_gid]
                had_money = any(t["status"] == "SUCCESS" and t["kind"] in ("SALE", "CAPTURE", "REFUND", "CHANGE")
                                and money(t["amountSet"]) and (stored["test"] or not t["test"])
                                for t in stored["transactions"])
                # Money that came in and went out is booked (sale + credit notes); nothing at all is refused.
                if not had_money and not any(line["currentQuantity"] for line in stored["lineItems"]) and not money(
                        stored["currentTotalPriceSet"]):
                    self.assertEqual(order.sync_state, "failed")
                    self.assertIn("Nothing to book", order.sync_error)
                    self.assertFalse(order.sale_order_id or order.invoice_ids)
                    nothing_left += 1
                    continue
                self.assertEqual(order.sync_state, "synced", (order.sync_error, self.stored[order.shopify_gid].get("_scenarios"), (so_mode, invoice_mode, policy)))
                self._assert_documents(order, self.stored[order.shopify_gid], so_mode, invoice_mode, policy)
                reconciled += 1
        print(f"\ncorpus: {reconciled}/{len(self.orders) - nothing_left} orders reconciled to the cent "
              f"({nothing_left} cancelled with nothing left to book, refused)")
        self.assertEqual(reconciled + nothing_left, len(self.orders))

    def _assert_documents(self, order, shopify, so_mode, invoice_mode, policy):
        total = money(shopify["currentTotalPriceSet"])
        tax = money(shopify["currentTotalTaxSet"])
        processed = datetime.fromisoformat(shopify["processedAt"].replace("Z", "+00:00"))
        so = order.sale_order_id
        if so_mode == "none":
            self.assertFalse(so)
        else:
            # Cancelled in Shopify before anything was invoiced: the sale order is cancelled too.
            cancelled = shopify.get("cancelledAt") and not order.invoice_ids
            self.assertEqual(so.state, "cancel" if cancelled else "sale" if so_mode == "confirmed" else "draft")
            if not shopify["refunds"]:  # the sale order holds the order as sold, refunds aside
                self.assertEqual(Decimal(str(so.amount_total)).quantize(total), total)
                self.assertEqual(Decimal(str(so.amount_tax)).quantize(tax), tax)
            self.assertEqual(so.date_order, processed.replace(tzinfo=None))
            self.assertEqual(so.client_order_ref, shopify["name"])
            # Shopify's note and attributes have places of their own, never the terms.
            self.assertEqual(so.shopify_note or None, shopify["note"] or None)
            self.assertNotIn(shopify["note"] or "\x00", so.note or "")
            for key, value in (a.values() for a in shopify["customAttributes"]):
                self.assertIn(f"{key}: {value or ''}", so.shopify_note_attributes)
            self.assertEqual(set((so.tag_ids.mapped("name"))), set(shopify["tags"]))
        invoices = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        credits = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        zone = ZoneInfo(self.sim.data.shop["ianaTimezone"])
        money_in = sorted(datetime.fromisoformat((t.get("processedAt") or t["createdAt"]).replace("Z", "+00:00"))
                          for t in shopify["transactions"] if t["kind"] in ("SALE", "CAPTURE")
                          and t["status"] == "SUCCESS" and money(t["amountSet"])
                          and (shopify["test"] or not t["test"]))
        wants_invoice = invoice_mode != "none" and (policy == "all" or money_in) and so_mode != "draft"
        self.assertEqual(len(invoices), 1 if wants_invoice else 0)
        if invoices:
            self.assertEqual(invoices.state, "posted" if invoice_mode == "posted" else "draft")
            # The sale as sold, less a credit note per refund: Shopify's order now.
            rounding = money(shopify["totalCashRoundingAdjustment"]["paymentSet"])
            net = Decimal(str(invoices.amount_total)) - sum((Decimal(str(c.amount_total)) for c in credits), Decimal(0))
            net_tax = Decimal(str(invoices.amount_tax)) - sum((Decimal(str(c.amount_tax)) for c in credits), Decimal(0))
            self.assertEqual(net.quantize(total), total - rounding)
            self.assertEqual(net_tax.quantize(tax), tax)
            day = processed.astimezone(zone).date()
            if policy == "paid" and money_in:
                day = max(day, money_in[0].astimezone(zone).date())
            self.assertEqual(invoices.invoice_date, day)
            for credit in credits:
                refund = next(r for r in shopify["refunds"] if r["id"] == credit.shopify_source_gid)
                self.assertEqual(credit.invoice_date, datetime.fromisoformat(
                    refund["createdAt"].replace("Z", "+00:00")).astimezone(zone).date())
            self._assert_tax_lines(invoices | credits, shopify)
            if invoices.state == "posted":
                self._assert_payments(order, invoices | credits, shopify)
        billing = shopify.get("billingAddress") or shopify.get("shippingAddress")
        if billing and billing.get("countryCodeV2"):
            invoice_address = so.partner_invoice_id if so else invoices.partner_id
            self.assertEqual(invoice_address.country_id.code, billing["countryCodeV2"])
            self.assertEqual(invoice_address.city or False, billing.get("city") or False)
        shipping = shopify.get("shippingAddress")
        if so and shipping and shipping.get("countryCodeV2"):
            self.assertEqual(so.partner_shipping_id.country_id.code, shipping["countryCodeV2"])
            self.assertEqual(so.partner_shipping_id.zip or False, shipping.get("zip") or False)
        for line in shopify["lineItems"]:
            if line["variant"] and line["currentQuantity"] and not line["isGiftCard"]:
                link = self.env["shopify.variant.link"].search(
                    [("store_id", "=", self.store.id), ("variant_gid", "=", line["variant"]["id"])])
                self.assertTrue(link, f"no product for variant {line['variant']['id']}")
        if order.invoice_ids or (order.sale_order_id and not shopify["refunds"]):
            # A sale order alone holds the sale as sold; its refunds are booked once invoiced.
            self.assertIn("Shopify says", order.comparison_html)
            self.assertNotIn("table-danger", order.comparison_html, "every compared figure agrees")
        # custom.odoo_id is written by the write-back job the sync queued, once it committed.
        self.run_write_backs()
        self.assertEqual(order.writeback_state, "done", (order.writeback_error, order.odoo_record_ref, so.name))
        metafield = self.sim.metafield(order.shopify_gid, "custom", "odoo_id")
        self.assertEqual(metafield and metafield["value"], order.odoo_record_ref)
        self.assertEqual(order.shopify_odoo_ref, order.odoo_record_ref)

    def _assert_tax_lines(self, invoice, shopify):
        """Each Shopify tax (title and rate) is one Odoo tax with Shopify's amount."""
        expected = {}
        for tax_line in shopify["currentTaxLines"]:
            amount = money(tax_line["priceSet"])
            if amount:
                key = tax_line["title"]
                expected[key] = expected.get(key, Decimal(0)) + amount
        got = {}
        for line in invoice.line_ids.filtered(lambda l: l.display_type == "tax"):
            key = line.tax_line_id.invoice_label or line.tax_line_id.name
            # a credit note's tax lines carry the opposite sign: the sum is the net tax
            got[key] = got.get(key, Decimal(0)) + Decimal(str(-line.amount_currency)).quantize(Decimal("0.01"))
        self.assertEqual({k: v for k, v in got.items() if v}, expected)

    def _assert_payments(self, order, invoice, shopify):
        """One payment per successful money movement, in or out, dated as Shopify dated
        it; what the customer still owes is Shopify's outstanding amount, no more."""
        moved = [t for t in shopify["transactions"]
                 if t["kind"] in ("SALE", "CAPTURE", "REFUND", "CHANGE") and t["status"] == "SUCCESS"
                 and (shopify["test"] or not t["test"]) and money(t["amountSet"])]
        if not self.store.register_payments:
            return
        self.assertEqual(sorted(order.payment_ids.mapped("shopify_transaction_gid")),
                         sorted(t["id"] for t in moved))
        zone = ZoneInfo(self.sim.data.shop["ianaTimezone"])
        for payment in order.payment_ids:
            txn = next(t for t in moved if t["id"] == payment.shopify_transaction_gid)
            self.assertEqual(payment.payment_type, "inbound" if txn["kind"] in ("SALE", "CAPTURE") else "outbound")
            self.assertEqual(Decimal(str(payment.amount)).quantize(Decimal("0.01")), money(txn["amountSet"]))
            self.assertEqual(payment.date, datetime.fromisoformat(
                txn["processedAt"].replace("Z", "+00:00")).astimezone(zone).date())
        received = sum((money(t["amountSet"]) for t in moved if t["kind"] in ("SALE", "CAPTURE")), Decimal(0))
        returned = sum((money(t["amountSet"]) for t in moved if t["kind"] in ("REFUND", "CHANGE")), Decimal(0))
        # What stays open on the order's documents is what Shopify says is outstanding.
        open_amount = sum((Decimal(str(m.amount_residual_signed)) for m in invoice), Decimal(0))
        self.assertEqual(open_amount.quantize(Decimal("0.01")), money(shopify["totalOutstandingSet"]))
        del received, returned
        # Nothing of the order's money is left unmatched on the customer's account.
        open_credit = sum(order.payment_ids.move_id.line_ids.filtered(
            lambda l: l.account_type == "asset_receivable" and not l.reconciled).mapped("amount_residual"))
        self.assertAlmostEqual(open_credit, 0.0, places=2)


@tagged("post_install", "-at_install")
class TestSyncCorpusTaxIncluded(TestSyncCorpus):
    """The same corpus from a tax-inclusive shop selling in euros, booked by a company
    that keeps its books in dollars (the documents are in the shop's currency)."""

    taxes_included = True
    shop_currency = "EUR"
    seed = 2
