"""Lifecycle corpus: Shopify orders that keep living, changed through the simulator's real
mutations (refundCreate, orderCancel, orderEdit*, orderCapture, orderMarkAsPaid), with a sync
after every step. After each step: Σ invoices − Σ credit notes is Shopify's current total
(and tax), what is left open is Shopify's outstanding amount, every document is dated on
its Shopify day, no posted document changed, and syncing again creates nothing."""
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo.tests import tagged

from .common import SyncoCase

SHOP_TZ = "America/New_York"


def money(bag):
    return Decimal(bag["shopMoney"]["amount"])


class LifecycleStories(SyncoCase):
    """Helpers of the stories; each class below is one simulated shop."""

    @classmethod
    def tearDownClass(cls):
        # What the stories made, by type (run pytest with -s to see it).
        results = cls.__dict__.get("results") or []
        totals = {}
        for _name, kinds, payments in results:
            for kind, count in kinds.items():
                totals[kind] = totals.get(kind, 0) + count
            totals["payments"] = totals.get("payments", 0) + payments
        if results:
            print(f"\nlifecycle {cls.__name__}: {len(results)} stories, documents {dict(sorted(totals.items()))}")
        super().tearDownClass()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.invoice_policy = "all"
        cls.tz = ZoneInfo(cls.store.shop_timezone or "UTC")
        cls.results = []
        cls._picked_lines = set()

    # -- steps --------------------------------------------------------------------------------
    def sync(self, order):
        if order.sync_state == "synced":
            order.sync_state = "changed"  # what the header import says after a Shopify change
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)

    def check(self, order, gid, story):
        """The invariants after a step, then a second sync that must create nothing."""
        shopify = self.sim.store.node(gid)
        moves = order.invoice_ids.filtered(lambda m: m.state != "cancel")
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        credits = moves.filtered(lambda m: m.move_type == "out_refund")
        net = sum(invoices.mapped("amount_total")) - sum(credits.mapped("amount_total"))
        net_tax = sum(invoices.mapped("amount_tax")) - sum(credits.mapped("amount_tax"))
        rounding = money(shopify["totalCashRoundingAdjustment"]["paymentSet"])
        cur = order.currency_id
        if not invoices:  # not invoiced yet ("paid orders only"): the books hold nothing to compare
            return self._recheck(order, story)
        self.assertEqual(cur.compare_amounts(net, float(money(shopify["currentTotalPriceSet"]) - rounding)), 0,
                         f"{story}: invoices − credit notes {net}, Shopify {shopify['currentTotalPriceSet']}")
        self.assertEqual(cur.compare_amounts(net_tax, float(money(shopify["currentTotalTaxSet"]))), 0, story)
        open_amount = sum(moves.filtered(lambda m: m.state == "posted").mapped("amount_residual_signed"))
        self.assertEqual(cur.compare_amounts(open_amount, float(money(shopify["totalOutstandingSet"]))), 0,
                         f"{story}: open {open_amount}, Shopify outstanding {shopify['totalOutstandingSet']}")
        for refund in shopify["refunds"]:
            day = datetime.fromisoformat(refund["createdAt"].replace("Z", "+00:00")).astimezone(self.tz).date()
            credit = credits.filtered(lambda m, r=refund: m.shopify_source_gid == r["id"])
            if credit:
                self.assertEqual(credit.invoice_date, day, f"{story}: credit note of {refund['id']}")
        edits = {a["id"]: a for a in shopify.get("agreements") or () if a.get("__typename") == "OrderEditAgreement"}
        for move in moves.filtered(lambda m: m.shopify_document_kind == "edit"):
            happened = datetime.fromisoformat(edits[move.shopify_source_gid]["happenedAt"].replace("Z", "+00:00"))
            self.assertEqual(move.invoice_date, happened.astimezone(self.tz).date(), f"{story}: {move.display_name}")
        sale = invoices.filtered(lambda m: m.shopify_document_kind == "sale")
        processed = datetime.fromisoformat(shopify["processedAt"].replace("Z", "+00:00")).astimezone(self.tz).date()
        money_in = [datetime.fromisoformat((t.get("processedAt") or t["createdAt"]).replace("Z", "+00:00"))
                    for t in shopify["transactions"] if t["kind"] in ("SALE", "CAPTURE") and t["status"] == "SUCCESS"]
        expected_day = processed
        if self.store.invoice_policy == "paid" and money_in:
            expected_day = max(processed, min(money_in).astimezone(self.tz).date())
        self.assertEqual(sale.invoice_date, expected_day, f"{story}: the sale invoice's date")
        for payment in order.payment_ids:
            txn = next(t for t in shopify["transactions"] if t["id"] == payment.shopify_transaction_gid)
            when = datetime.fromisoformat((txn.get("processedAt") or txn["createdAt"]).replace("Z", "+00:00"))
            self.assertEqual(payment.date, when.astimezone(self.tz).date(), story)
        return self._recheck(order, story)

    def _recheck(self, order, story):
        before = self._snapshot(order)
        order.sync_state = "changed"
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(self._snapshot(order), before, f"{story}: a second sync changed or created something")
        return before

    def _snapshot(self, order):
        moves = order.invoice_ids
        return (sorted((m.id, m.state, str(m.write_date), m.amount_total) for m in moves if m.state == "posted"),
                sorted(order.payment_ids.ids), order.sale_order_id.id, order.sale_order_id.state)

    def assert_posted_unchanged(self, before, order, story):
        now = {m[0]: m for m in self._snapshot(order)[0]}
        for move in before[0]:
            self.assertEqual(now.get(move[0]), move, f"{story}: posted document {move[0]} was rewritten")

    def at(self, day, hour=12):
        return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=ZoneInfo(SHOP_TZ)).astimezone(
            timezone.utc)

    def line_of(self, gid, index=0):
        lines = [line for line in self.sim.store.node(gid)["lineItems"] if line["currentQuantity"]
                 and not (line["title"] == "Tip" and line.get("variant") is None)]
        return lines[index]

    def story(self, name, scenario, steps, **pick):
        stored = self.pick(scenario, **pick)[0]
        return self.story_on(name, stored, steps), stored["id"]

    def story_on(self, name, stored, steps):
        """Sync ``stored``, then each step (a Shopify change) and a sync, checking after each."""
        order = self.list_orders([stored])
        self.sync(order)
        gid = stored["id"]
        snapshot = self.check(order, gid, f"{name}: first sync")
        for i, step in enumerate(steps):
            step(gid)
            self.sync(order)
            self.assert_posted_unchanged(snapshot, order, f"{name}: step {i + 1}")
            snapshot = self.check(order, gid, f"{name}: step {i + 1}")
        kinds = {}
        for move in order.invoice_ids:
            kind = f"{move.shopify_document_kind} {'invoice' if move.move_type == 'out_invoice' else 'credit note'}"
            kinds[kind] = kinds.get(kind, 0) + 1
        self.__class__.results.append((name, kinds, len(order.payment_ids)))
        return order


@tagged("post_install", "-at_install", "synco")
class TestLifecycleCorpus(LifecycleStories):
    shop_orders = 400

    # -- stories ------------------------------------------------------------------------------
    def test_partial_refund_of_a_line(self):
        order, _ = self.story("partial refund", "source_web", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-10"))],
            )
        self.assertEqual(len(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")), 1)

    def test_refund_of_shipping_only(self):
        self.story("shipping only", "shipping_tax", [
            lambda gid: self.sim.refund(gid, shipping="full", when=self.at("2026-11-11"))])

    def test_amount_only_refund(self):
        order, _ = self.story("amount only", "source_web", [
            lambda gid: self.sim.refund(gid, amount=Decimal("5.00"), when=self.at("2026-11-12"))])
        credit = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(credit.invoice_line_ids.shopify_line_kind, "adjustment")

    def test_two_refunds_across_a_month_end(self):
        order, _ = self.story("two refunds across month end", "multi_tax", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "NO_RESTOCK")],
                                        when=self.at("2026-10-31", 23)),
            lambda gid: self.sim.refund(gid, shipping="full", when=self.at("2026-11-01", 1)),
        ])
        dates = sorted(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund").mapped("invoice_date"))
        self.assertEqual([d.isoformat() for d in dates], ["2026-10-31", "2026-11-01"])

    def test_refund_with_and_without_restock(self):
        order, _ = self.story("restock", "source_web", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-13"))])
        credit = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertTrue(credit.shopify_restocked)
        order, _ = self.story("no restock", "source_web", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "NO_RESTOCK")],
                                        when=self.at("2026-11-13"))])
        credit = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertFalse(credit.shopify_restocked)

    def test_full_refund(self):
        self.story("full refund", "source_web", [
            lambda gid: self.sim.refund(gid, lines=[(line["id"], line["currentQuantity"], "RETURN")
                                                    for line in self.sim.store.node(gid)["lineItems"]
                                                    if line["currentQuantity"]], shipping="full",
                                        when=self.at("2026-11-14"))])

    def test_cancel_after_invoicing(self):
        order, _ = self.story("cancel after invoicing", "source_web", [
            lambda gid: self.sim.cancel(gid, refund=True, restock=True, when=self.at("2026-11-15"))])
        self.assertTrue(order.sale_order_id.shopify_cancelled)
        # the sale order's and the credit note's forms say so
        self.assertIn("shopify_cancelled", self.env["sale.order"].get_view(view_type="form")["arch"])
        self.assertIn("shopify_restocked", self.env["account.move"].get_view(view_type="form")["arch"])




    def test_edit_after_invoicing_adds_and_removes(self):
        variant = self.sim.data.products[0]["variants"][0]["id"]
        order, _ = self.story("edit after invoicing", "source_web", [
            lambda gid: self.sim.edit(gid, add=[(variant, 1)], when=self.at("2026-11-22")),
            lambda gid: self.sim.edit(gid, set_quantity=[(self.line_of(gid)["id"],
                                                          self.line_of(gid)["currentQuantity"] - 1)],
                                      when=self.at("2026-11-23")),
        ], )
        edits = order.invoice_ids.filtered(lambda m: m.shopify_document_kind == "edit")
        self.assertEqual(sorted(edits.mapped("move_type")), ["out_invoice", "out_refund"])


    def test_tax_inclusive_and_presentment_orders(self):
        self.story("presentment currency", "presentment_currency", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-25"))])
        self.story("tax inclusive", "tax_inclusive", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-25"))])


    def test_refunded_before_its_first_sync(self):
        stored = self.pick("refund")[0]
        order = self.list_orders([stored])
        self.sync(order)
        self.check(order, stored["id"], "refunded before first sync")
        self.assertTrue(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund"))

    def test_exchange(self):
        """An exchange: one item returned and refunded, another added by an edit."""
        variant = self.sim.data.products[1]["variants"][0]["id"]
        self.story("exchange", "source_web", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-26")),
            lambda gid: self.sim.edit(gid, add=[(variant, 1)], when=self.at("2026-11-26", 14)),
        ])


    def paid_order_with(self, min_quantity=2):
        """A paid, bookable web order with a line of at least ``min_quantity`` units."""
        if "_picked" not in type(self).__dict__:
            type(self)._picked = set()
        used = type(self)._picked
        for stored in self.sim.data.orders:
            if (stored["id"] not in used and stored["displayFinancialStatus"] == "PAID" and not stored["refunds"]
                    and not stored["cancelledAt"] and "source_web" in stored["_scenarios"]
                    and any(line["currentQuantity"] >= min_quantity and line.get("variant")
                            for line in stored["lineItems"])):
                used.add(stored["id"])
                return stored
        raise AssertionError(f"no paid order with a line of {min_quantity} units left")

    def big_line(self, gid):
        return next(line for line in self.sim.store.node(gid)["lineItems"] if line["currentQuantity"] >= 2)

    def test_refund_of_a_discounted_line(self):
        self.story("discounted line refund", "order_discount_across", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-27"))])

    def test_restocking_fee_pays_back_less_than_the_items(self):
        order, _ = self.story("restocking fee", "source_web", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        amount=Decimal("1.00"), when=self.at("2026-11-27"))])
        credit = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertIn("adjustment", credit.invoice_line_ids.mapped("shopify_line_kind"))

    def test_refund_of_a_multi_gateway_order(self):
        self.story("multi gateway refund", "multi_gateway", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-28"))])

    def test_edit_removing_a_whole_line_after_invoicing(self):
        stored = self.paid_order_with(1)
        self.story_on("edit removes a line", stored, [
            lambda gid: self.sim.edit(gid, set_quantity=[(self.line_of(gid)["id"], 0)],
                                      when=self.at("2026-11-28"))])

    def test_edit_after_a_partial_refund(self):
        stored = self.paid_order_with(3)
        self.story_on("edit after partial refund", stored, [
            lambda gid: self.sim.refund(gid, lines=[(self.big_line(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-20")),
            lambda gid: self.sim.edit(gid, set_quantity=[(self.big_line(gid)["id"],
                                                          self.big_line(gid)["currentQuantity"] - 1)],
                                      when=self.at("2026-11-21")),
        ])

    def test_cancel_after_a_partial_refund(self):
        stored = self.paid_order_with(2)
        self.story_on("cancel after partial refund", stored, [
            lambda gid: self.sim.refund(gid, lines=[(self.big_line(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-18")),
            lambda gid: self.sim.cancel(gid, refund=True, restock=True, when=self.at("2026-11-19")),
        ])

    def test_gift_card_purchase_refunded(self):
        self.story("gift card refund", "gift_card_purchase", [
            lambda gid: self.sim.cancel(gid, refund=True, restock=False, when=self.at("2026-11-19"))])

    def test_cancelled_tip_order_keeps_the_tip(self):
        self.story("tip order cancelled", "tip", [
            lambda gid: self.sim.cancel(gid, refund=True, restock=True, when=self.at("2026-11-19"))])

    def test_presentment_order_cancelled(self):
        self.story("presentment cancel", "presentment_currency", [
            lambda gid: self.sim.cancel(gid, refund=True, restock=True, when=self.at("2026-11-29"))])


@tagged("post_install", "-at_install", "synco")
class TestLifecycleUnpaid(LifecycleStories):
    shop_orders = 20
    forced_scenarios = ["pending_payment"]

    def test_cancel_before_invoicing(self):
        self.store.invoice_policy = "paid"
        order, _ = self.story("cancel before invoicing", "source_web", [
            lambda gid: self.sim.cancel(gid, refund=False, restock=True, when=self.at("2026-11-16"))])
        self.assertEqual(order.sale_order_id.state, "cancel")
        self.assertFalse(order.invoice_ids)
    def test_pay_later_under_paid_only(self):
        self.store.invoice_policy = "paid"
        order, _ = self.story("pay later", "source_web", [
            lambda gid: self.sim.mark_as_paid(gid, when=self.at("2026-11-20"))])
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(invoice.invoice_date.isoformat(), "2026-11-20")
    def test_edit_before_invoicing_changes_the_sale_order(self):
        self.store.invoice_policy = "paid"
        variant = self.sim.data.products[0]["variants"][0]["id"]
        order, _ = self.story("edit before invoicing", "source_web", [
            lambda gid: self.sim.edit(gid, add=[(variant, 2)], when=self.at("2026-11-24"))])
        self.assertFalse(order.invoice_ids)
        self.assertIn(2.0, order.sale_order_id.order_line.mapped("product_uom_qty"))


    def test_pay_later_then_refund(self):
        self.store.invoice_policy = "paid"
        order, _ = self.story("pay later then refund", "source_web", [
            lambda gid: self.sim.mark_as_paid(gid, when=self.at("2026-11-20")),
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        when=self.at("2026-11-22")),
        ])
        self.assertEqual(len(order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")), 1)


    def test_edit_removing_a_line_before_invoicing_leaves_it_out_of_the_sale(self):
        self.store.invoice_policy = "paid"
        stored = next(o for o in self.sim.data.orders if o["id"] not in getattr(type(self), "_picked", ())
                      and sum(1 for line in o["lineItems"] if line["currentQuantity"]) >= 2)
        self.pick("source_web", exclude=[o["id"] for o in self.sim.data.orders if o is not stored])
        removed = next(line for line in stored["lineItems"] if line["currentQuantity"])["id"]
        order = self.story_on("edit removes a line before invoicing", stored, [
            lambda gid: self.sim.edit(gid, set_quantity=[(removed, 0)], when=self.at("2026-11-24")),
            lambda gid: self.sim.mark_as_paid(gid, when=self.at("2026-11-25")),
        ])
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertNotIn(removed, invoice.invoice_line_ids.mapped("shopify_line_gid"))
        self.assertEqual(invoice.invoice_date.isoformat(), "2026-11-25")

    def test_invoice_only_store_waits_for_the_payment(self):
        """Paid orders only, no sale order: an unpaid order stays to sync, with the reason,
        and nothing is created; paid later, it is invoiced on the payment's day."""
        self.store.write({"sale_order_mode": "none", "invoice_policy": "paid"})
        stored = self.pick("source_web")[0]
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "not_synced")
        self.assertIn("Waiting for payment", order.sync_error)
        self.assertFalse(order.invoice_ids or order.sale_order_id or order.payment_ids)
        self.sim.mark_as_paid(stored["id"], when=self.at("2026-11-26"))
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertEqual(order.invoice_ids.invoice_date.isoformat(), "2026-11-26")
        self.check(order, stored["id"], "invoice-only, paid later")


@tagged("post_install", "-at_install", "synco")
class TestLifecycleAuthorized(LifecycleStories):
    shop_orders = 10
    forced_scenarios = ["authorized"]

    def test_capture_later(self):
        self.store.invoice_policy = "paid"
        self.story("capture later", "source_web", [
            lambda gid: self.sim.capture(gid, when=self.at("2026-11-21"))])


    def test_two_partial_captures(self):
        self.store.invoice_policy = "paid"
        def half(gid):
            auth = next(t for t in self.sim.store.node(gid)["transactions"] if t["kind"] == "AUTHORIZATION")
            amount = Decimal(auth["amountSet"]["presentmentMoney"]["amount"]) / 2
            return amount.quantize(Decimal("0.01"))
        order, _ = self.story("two partial captures", "source_web", [
            lambda gid: self.sim.capture(gid, amount=half(gid), when=self.at("2026-11-21")),
            lambda gid: self.sim.capture(gid, when=self.at("2026-11-23")),
        ])
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(invoice.invoice_date.isoformat(), "2026-11-21", "invoiced when the first money came in")


@tagged("post_install", "-at_install", "synco")
class TestLifecycleTaxIncluded(LifecycleStories):
    taxes_included = True
    shop_currency = "EUR"
    shop_orders = 300

    def test_tax_inclusive_refund_and_edit_after_invoicing(self):
        variant = self.sim.data.products[0]["variants"][0]["id"]
        self.story("tax-inclusive refund and edit", "source_web", [
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")], shipping="full",
                                        when=self.at("2026-11-02")),
            lambda gid: self.sim.edit(gid, add=[(variant, 2)], when=self.at("2026-11-03")),
        ])

    def test_tax_inclusive_cancel(self):
        self.story("tax-inclusive cancel", "multi_tax", [
            lambda gid: self.sim.cancel(gid, refund=True, restock=True, when=self.at("2026-11-04"))])


@tagged("post_install", "-at_install", "synco")
class TestLifecycleCashRounding(LifecycleStories):
    shop_orders = 10
    forced_scenarios = ["cash_rounding"]

    def test_cash_rounded_pos_order(self):
        self.story("cash rounding", "source_pos", [])

    def test_cash_rounded_pos_order_refunded(self):
        order, _ = self.story("cash rounding then refund", "source_pos", [
            # What the refund pays back is stated (1.00 in cash): the simulator's default, what the
            # refund comes to, can exceed what a rounded cash payment took.
            lambda gid: self.sim.refund(gid, lines=[(self.line_of(gid)["id"], 1, "RETURN")],
                                        amount=Decimal("1.00"), when=self.at("2026-11-30"))])
        self.assertIn("cash_rounding", order.invoice_ids.invoice_line_ids.mapped("shopify_line_kind"))
