"""A gift card sold is owed to its holder, not revenue; its redemption clears what is owed.

The shop's orders each pay part of their total with a gift card (a redemption) and the rest
by card. A card is sold on an order of its own; the redemption of that card is the gift card
part of a later order.
"""
from decimal import Decimal

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from shopify_simulator.generator import generate
from shopify_simulator.generator.fresh import with_fresh_ids

from .common import SyncoCase


def _money(bag, amount):
    for side in ("shopMoney", "presentmentMoney"):
        bag[side]["amount"] = f"{amount:.2f}"


@tagged("post_install", "-at_install", "synco")
class TestGiftCards(SyncoCase):
    shop_orders = 4
    forced_scenarios = ["gift_card_payment", "multi_gateway"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.liability = Account.create({"name": "Gift cards outstanding", "code": "219900",
                                        "account_type": "liability_current", "reconcile": False})
        cls.store.write({"gift_card_account_id": cls.liability.id, "invoice_policy": "all"})
        # The sale of a card: an order of the same shop, drawn with a gift card line and paid by card.
        sold = generate(cls.seed + 7, 1, shop_currency=cls.shop_currency, scenarios=["gift_card_purchase"]).orders[0]
        sold = with_fresh_ids(sold, cls.sim.lifecycle.gid)
        number = max(o["number"] for o in cls.sim.data.orders) + 1
        sold.update(number=number, name=f"#{number}", _scenarios=["gift_card_sale"])
        cls.sold = cls.sim.upsert_orders([sold])[0]
        card = next(line for line in cls.sold["lineItems"] if line["isGiftCard"])
        cls.card_value = Decimal(card["originalUnitPriceSet"]["shopMoney"]["amount"]) * card["quantity"]
        # Its redemption: a later order whose gift card part is that card's value, the rest by card
        # (the generator draws the gift card's share at random).
        redeeming = next(o for o in cls.sim.data.orders if "gift_card_payment" in o.get("_scenarios", ())
                         and Decimal(o["totalPriceSet"]["shopMoney"]["amount"]) > cls.card_value)
        total = Decimal(redeeming["totalPriceSet"]["shopMoney"]["amount"])
        for txn in redeeming["transactions"]:
            _money(txn["amountSet"], cls.card_value if txn["gateway"] == "gift_card" else total - cls.card_value)
        cls.redeeming = cls.sim.upsert_orders([redeeming])[0]

    def sync(self, stored):
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        return order

    def liability_balance(self):
        lines = self.env["account.move.line"].search([("account_id", "=", self.liability.id),
                                                      ("parent_state", "=", "posted")])
        return Decimal(str(round(sum(lines.mapped("balance")), 2)))

    def revenue(self, moves):
        lines = moves.line_ids.filtered(lambda l: l.account_id.account_type in ("income", "income_other"))
        return -Decimal(str(round(sum(lines.mapped("balance")), 2)))

    def test_sell_then_redeem_counts_revenue_once_and_clears_the_liability(self):
        sold = self.sync(self.sold)
        invoice = sold.invoice_ids
        self.assertEqual(invoice.state, "posted")
        card_line = invoice.invoice_line_ids.filtered(lambda l: l.shopify_line_kind == "gift_card")
        self.assertEqual(card_line.account_id, self.liability)
        self.assertEqual(card_line.product_id, self.env.ref("synco_shopify.product_gift_card"))
        self.assertEqual(self.liability_balance(), -self.card_value, "the card sold is owed")
        self.assertEqual(self.revenue(invoice), Decimal(str(invoice.amount_untaxed)) - self.card_value,
                         "the card is not revenue")
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))

        redeemed = self.sync(self.redeeming)
        redemption = redeemed.payment_ids.filtered(lambda p: p.memo and "gift_card" in p.memo)
        self.assertEqual(len(redemption), 1)
        self.assertEqual(redemption.outstanding_account_id, self.liability)
        self.assertEqual(Decimal(str(redemption.amount)), self.card_value)
        self.assertEqual(self.liability_balance(), Decimal("0.00"), "the card is redeemed: nothing is owed")
        # Revenue is the goods of both orders, once: the card's value is in neither.
        both = sold.invoice_ids | redeemed.invoice_ids
        self.assertEqual(self.revenue(both), Decimal(str(sum(both.mapped("amount_untaxed")))) - self.card_value)
        self.assertTrue(redeemed.invoice_ids.currency_id.is_zero(redeemed.invoice_ids.amount_residual),
                        "the redemption and the card together pay the order")

    def test_a_gift_card_sold_without_a_liability_account_fails_before_anything_is_written(self):
        from odoo.addons.synco_shopify.services.order_preview import preview_order

        self.store.gift_card_account_id = False
        order = self.list_orders([self.sold])
        partners = self.env["res.partner"].search_count([])
        # The preview says it first, in the sync's words, and shows the store's card product.
        self.store.gift_card_product_id = self.env["product.product"].create({"name": "Store gift card"})
        preview = preview_order(order)
        self.assertTrue(any("gift card liability account" in reason for reason in preview.reasons), preview.reasons)
        card = next(p for p in preview.products if p["kind"] == "gift_card")
        self.assertEqual(card["name"], "Store gift card")
        partners = self.env["res.partner"].search_count([])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertNotEqual(order.sync_state, "synced")
        self.assertIn("gift card liability account", order.sync_error)
        self.assertFalse(order.invoice_ids)
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "no customer was made")

    def test_the_store_proposes_a_gift_card_liability_from_the_chart(self):
        store = self.env["shopify.store"].create({
            "name": "Second store", "shop_domain": "second-store.myshopify.com", "company_id": self.company.id})
        self.assertEqual(store.gift_card_account_id, self.liability, "the account named after gift cards")
        self.liability.name = "Customer deposits"
        store = self.env["shopify.store"].create({
            "name": "Third store", "shop_domain": "third-store.myshopify.com", "company_id": self.company.id})
        deferred = store.gift_card_account_id
        self.assertIn("Deferred Revenue", deferred.name, "a sold card is deferred revenue")
        chosen = self.env["shopify.store"].create({
            "name": "Fourth store", "shop_domain": "fourth-store.myshopify.com", "company_id": self.company.id,
            "gift_card_account_id": self.liability.id})
        self.assertEqual(chosen.gift_card_account_id, self.liability, "the merchant's choice stands")

    def test_the_store_form_shows_the_accounting_settings(self):
        arch = self.env["shopify.store"].get_view(view_type="form")["arch"]
        for field in ("gift_card_account_id", "tip_account_id", "duty_account_id", "fee_account_id",
                      "cash_rounding_id", "tip_product_id"):
            self.assertIn(f'name="{field}"', arch)

    def test_a_receivable_is_never_a_charges_account(self):
        receivable = self.env["account.account"].search([("account_type", "=", "asset_receivable")], limit=1)
        with self.assertRaises(ValidationError):
            self.store.write({"tip_account_id": receivable.id})
        with self.assertRaises(ValidationError):
            self.store.write({"gift_card_account_id": receivable.id})
