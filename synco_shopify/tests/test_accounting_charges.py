"""Tips, duties and additional fees: each on the store's own product and account, each with
Shopify's own taxes."""
from decimal import Decimal

from odoo.tests import tagged

from .common import SyncoCase


def _amount(bag):
    return Decimal(bag["shopMoney"]["amount"])


@tagged("post_install", "-at_install", "synco")
class TestCharges(SyncoCase):
    shop_orders = 6
    forced_scenarios = ["tip", "duties", "additional_fees"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.duty_account = Account.create({"name": "Duties collected", "code": "219800",
                                           "account_type": "liability_current"})
        cls.fee_account = Account.create({"name": "Fee income", "code": "451000", "account_type": "income_other"})
        cls.tip_product = cls.env["product.product"].create({"name": "Gratuity", "type": "service"})
        cls.store.write({"duty_account_id": cls.duty_account.id, "fee_account_id": cls.fee_account.id,
                         "tip_product_id": cls.tip_product.id, "invoice_policy": "all"})

    def stored(self, taxed_fee):
        """A shop order whose duties are charged apart (not in the prices), with a taxed fee or not."""
        for order in self.sim.data.orders:
            if order["id"] in self.__class__.__dict__.get("_used", set()) or order["dutiesIncluded"]:
                continue
            fee_taxed = any(t["priceSet"]["shopMoney"]["amount"] != "0.00"
                            for fee in order["additionalFees"] for t in fee["taxLines"])
            if fee_taxed == taxed_fee:
                self.__class__._used = self.__class__.__dict__.get("_used", set()) | {order["id"]}
                return order
        raise AssertionError("no such order in the shop")

    def sync(self, stored):
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        return order

    def check_charges(self, stored, invoice):
        lines = invoice.invoice_line_ids
        tip = lines.filtered(lambda l: l.shopify_line_kind == "tip")
        self.assertEqual(tip.product_id, self.tip_product)
        self.assertEqual(tip.account_id, self.store.tip_account_id)
        self.assertEqual(tip.account_id.account_type, "income_other", "a tip is not the goods' revenue")
        self.assertFalse(tip.tax_ids)
        duties = [d for line in stored["lineItems"] for d in line["duties"]]
        duty_lines = lines.filtered(lambda l: l.shopify_line_kind == "duty")
        self.assertEqual(len(duty_lines), len(duties))
        for duty in duties:
            line = duty_lines.filtered(lambda l, gid=duty["id"]: l.shopify_line_gid == gid)
            self.assertEqual(line.account_id, self.duty_account)
            self.assertEqual(line.product_id, self.env.ref("synco_shopify.product_duty"))
            self.assertEqual(Decimal(str(line.price_subtotal)), _amount(duty["price"]))
            self.assertEqual(Decimal(str(round(line.price_total - line.price_subtotal, 2))),
                             sum((_amount(t["priceSet"]) for t in duty["taxLines"]), Decimal(0)),
                             "the duty keeps Shopify's taxes")
        fee_lines = lines.filtered(lambda l: l.shopify_line_kind == "fee")
        for fee in stored["additionalFees"]:
            line = fee_lines.filtered(lambda l, gid=fee["id"]: l.shopify_line_gid == gid)
            self.assertEqual(line.account_id, self.fee_account)
            self.assertEqual(Decimal(str(round(line.price_total - line.price_subtotal, 2))),
                             sum((_amount(t["priceSet"]) for t in fee["taxLines"]), Decimal(0)),
                             "the fee keeps Shopify's taxes")
            self.assertEqual(bool(line.tax_ids), any(_amount(t["priceSet"]) for t in fee["taxLines"]))
        goods = lines.filtered(lambda l: l.shopify_line_kind == "product")
        self.assertNotIn(goods.account_id, tip.account_id | self.duty_account | self.fee_account)
        self.assertEqual(Decimal(str(invoice.amount_total)), _amount(stored["currentTotalPriceSet"]))

    def test_charges_through_the_sale_order(self):
        stored = self.stored(taxed_fee=True)
        order = self.sync(stored)
        self.assertTrue(order.sale_order_id)
        self.assertEqual(order.invoice_ids.state, "posted")
        self.check_charges(stored, order.invoice_ids)

    def test_charges_on_an_invoice_without_sale_order(self):
        self.store.sale_order_mode = "none"
        stored = self.stored(taxed_fee=False)
        order = self.sync(stored)
        self.assertFalse(order.sale_order_id)
        self.check_charges(stored, order.invoice_ids)

    def test_the_store_proposes_other_income_for_tips(self):
        self.assertEqual(self.store.tip_account_id.account_type, "income_other")
        self.assertEqual(self.store.tip_account_id, self.env["account.account"].search(
            [("account_type", "=", "income_other")], limit=1))
