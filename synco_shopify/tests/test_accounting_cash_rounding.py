"""POS cash payments rounded to the coin (Shopify's totalCashRoundingAdjustment) take Odoo's
cash rounding on the invoice: the rounding is booked where the method says, and no cent stays
open. Shopify rounds cash in CAD to the nickel (its changelog of 2025-04-24 lists CAD, AUD,
NZD, EUR in CH/BE/FI, DKK, SEK and NOK)."""
from decimal import Decimal

from odoo.tests import tagged

from .common import SyncoCase


@tagged("post_install", "-at_install", "synco")
class TestCashRounding(SyncoCase):
    shop_orders = 12
    shop_currency = "CAD"
    forced_scenarios = ["cash_rounding"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.currency"].search([("name", "=", "CAD")]).active = True
        Account = cls.env["account.account"]
        gain = Account.search([("name", "=", "Cash Difference Gain")], limit=1)
        loss = Account.search([("name", "=", "Cash Difference Loss")], limit=1)
        cls.nickel = cls.env["account.cash.rounding"].create({
            "name": "Nickel", "rounding": 0.05, "rounding_method": "HALF-UP", "strategy": "add_invoice_line",
            "profit_account_id": gain.id, "loss_account_id": loss.id})
        cls.store.write({"cash_rounding_id": cls.nickel.id, "invoice_policy": "all"})
        cls.rounded = [o for o in cls.sim.data.orders
                       if Decimal(o["totalCashRoundingAdjustment"]["paymentSet"]["shopMoney"]["amount"])]

    def take(self, sign):
        """An order whose till rounded up (sign 1: the customer paid more) or down (-1)."""
        used = self.__class__.__dict__.get("_taken", set())
        for order in self.rounded:
            adjustment = Decimal(order["totalCashRoundingAdjustment"]["paymentSet"]["shopMoney"]["amount"])
            # paymentSet is due − received: negative when the till took more than the total.
            if order["id"] not in used and (adjustment < 0) == (sign > 0):
                self.__class__._taken = used | {order["id"]}
                return order, -adjustment
        raise AssertionError("no such order")

    def sync(self, stored):
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        return order

    def check_rounded(self, stored, rounding):
        order = self.sync(stored)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        invoice = order.invoice_ids
        self.assertEqual(invoice.invoice_cash_rounding_id, self.nickel)
        line = invoice.line_ids.filtered(lambda l: l.display_type == "rounding")
        self.assertEqual(len(line), 1, "Odoo's own rounding line")
        self.assertEqual(line.account_id, self.nickel.profit_account_id if rounding > 0 else self.nickel.loss_account_id)
        self.assertEqual(line.shopify_line_kind, "cash_rounding")
        self.assertEqual(Decimal(str(round(-line.amount_currency, 2))), rounding)
        self.assertNotIn("cash_rounding", invoice.invoice_line_ids.mapped("shopify_line_kind"),
                         "no product line for the rounding")
        total = Decimal(stored["totalPriceSet"]["shopMoney"]["amount"])
        self.assertEqual(Decimal(str(order.sale_order_id.amount_total)), total, "the goods, unrounded")
        self.assertEqual(Decimal(str(invoice.amount_total)), total + rounding, "what the till took")
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual), "no open cent")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_rounded_up(self):
        self.check_rounded(*self.take(1))

    def test_rounded_down(self):
        self.check_rounded(*self.take(-1))

    def test_a_method_rounding_to_another_coin_fails_the_order_naming_it(self):
        self.nickel.rounding = 0.10
        stored, _rounding = self.take(1)
        order = self.sync(stored)
        self.assertNotEqual(order.sync_state, "synced")
        self.assertIn("Nickel", order.sync_error)
        self.assertFalse(order.invoice_ids)
        self.assertFalse(order.sale_order_id)

    def test_without_a_method_the_rounding_is_a_line(self):
        self.store.cash_rounding_id = False
        stored, rounding = self.take(1)
        order = self.sync(stored)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        line = order.invoice_ids.invoice_line_ids.filtered(lambda l: l.shopify_line_kind == "cash_rounding")
        self.assertEqual(Decimal(str(line.price_total)), rounding)
        self.assertTrue(order.invoice_ids.currency_id.is_zero(order.invoice_ids.amount_residual))
