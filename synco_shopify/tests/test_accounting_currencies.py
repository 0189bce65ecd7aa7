"""Currencies whose digits are not two: Odoo holds Shopify's figures exactly, or refuses the
order before anything is written, naming the setting to change.

The simulator prices shops in USD, EUR, GBP, CAD, AUD and JPY. Orders in other currencies
are a USD order of the shop restated: every amount scaled by a power of ten (exact in decimal,
so every sum and every rounding Shopify made stays as it was) and relabelled. A tenth of
69.99 is 6.999 KWD; a hundredfold is 6999 KRW.
"""
import copy
from decimal import Decimal

from odoo.tests import tagged

from .common import SyncoCase

THREE = ("KWD", "BHD", "JOD", "OMR", "TND")
ZERO_DECIMAL = ("KRW", "CLP", "ISK")


def restated(order, currency, scale, digits):
    """``order`` with every MoneyV2 in ``currency``, its amount times ``scale`` at ``digits``."""
    order = copy.deepcopy(order)
    quantum = Decimal(1).scaleb(-digits)
    seen = set()  # the generator shares some amounts between fields: each is scaled once

    def walk(value):
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, dict):
            if "amount" in value and "currencyCode" in value:
                value["amount"] = str((Decimal(value["amount"]) * scale).quantize(quantum))
                value["currencyCode"] = currency
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(order)
    order["currencyCode"] = order["presentmentCurrencyCode"] = currency
    return order


@tagged("post_install", "-at_install", "synco")
class TestCurrencies(SyncoCase):
    shop_orders = 30
    forced_scenarios = ["source_web"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", [*THREE, *ZERO_DECIMAL, "TWD", "JPY"])]).active = True
        cls.store.invoice_policy = "all"
        cls.price = cls.env.ref("product.decimal_price")

    def take(self, currency, scale, digits):
        """A shop order (one currency each) restated; its unit prices have cents, so a tenth
        of them needs a third decimal."""
        used = self.__class__.__dict__.get("_taken", set())
        for order in self.sim.data.orders:
            prices = [Decimal(l["originalUnitPriceSet"]["shopMoney"]["amount"]) for l in order["lineItems"]]
            if order["id"] in used or order["presentmentCurrencyCode"] != "USD" or not all(p % 1 for p in prices):
                continue
            self.__class__._taken = used | {order["id"]}
            return self.sim.upsert_orders([restated(order, currency, scale, digits)])[0]
        raise AssertionError("no such order")

    def sync(self, stored):
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        return order

    def assert_exact(self, order, stored):
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        invoice = order.invoice_ids
        self.assertEqual(invoice.currency_id.name, stored["currencyCode"])
        self.assertEqual(Decimal(str(invoice.amount_total)), Decimal(stored["totalPriceSet"]["shopMoney"]["amount"]))
        self.assertEqual(Decimal(str(invoice.amount_tax)), Decimal(stored["totalTaxSet"]["shopMoney"]["amount"]))
        for line in order.sale_order_id.order_line.filtered(lambda l: l.shopify_line_kind == "product"):
            shopify = next(l for l in stored["lineItems"] if l["id"] == line.shopify_line_gid)
            self.assertEqual(Decimal(str(line.price_unit)), Decimal(shopify["originalUnitPriceSet"]["shopMoney"]["amount"]))
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))

    def test_three_decimal_currencies(self):
        self.assertEqual(self.price.digits, 2)
        stored = self.take("KWD", Decimal("0.1"), 3)
        partners, products = self.env["res.partner"].search_count([]), self.env["product.product"].search_count([])
        order = self.sync(stored)
        self.assertNotEqual(order.sync_state, "synced")
        self.assertIn('"Product Price"', order.sync_error)
        self.assertIn("set it to 3", order.sync_error)
        self.assertFalse(order.sale_order_id or order.invoice_ids)
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "nothing was written")
        self.assertEqual(self.env["product.product"].search_count([]), products, "nothing was written")

        self.price.digits = 3  # what the message asks
        order = self.sync(stored)
        self.assert_exact(order, stored)
        for currency in THREE[1:]:
            with self.subTest(currency=currency):
                stored = self.take(currency, Decimal("0.1"), 3)
                self.assert_exact(self.sync(stored), stored)

    def test_zero_decimal_currencies(self):
        for currency in ZERO_DECIMAL:
            with self.subTest(currency=currency):
                stored = self.take(currency, Decimal(100), 0)
                self.assert_exact(self.sync(stored), stored)

    def test_twd_cents_are_refused_until_odoo_rounds_twd_to_the_cent(self):
        """ISO 4217 gives TWD two decimals, Odoo rounds it to whole dollars."""
        twd = self.env["res.currency"].search([("name", "=", "TWD")])
        self.assertEqual(twd.rounding, 1.0)
        whole = self.take("TWD", Decimal(100), 2)  # 6999.00: whole dollars fit Odoo's rounding
        self.assert_exact(self.sync(whole), whole)
        cents = self.take("TWD", Decimal(1), 2)  # 69.99
        order = self.sync(cents)
        self.assertNotEqual(order.sync_state, "synced")
        self.assertIn("rounding factor to 0.01", order.sync_error)
        self.assertFalse(order.sale_order_id or order.invoice_ids)
        twd.rounding = 0.01
        self.assert_exact(self.sync(cents), cents)
