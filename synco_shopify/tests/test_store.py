"""Stores: the connection test, client-credentials tokens, and tax mappings."""
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from shopify_simulator import Simulator

from .common import SyncoCase


@tagged("post_install", "-at_install")
class TestStore(SyncoCase):
    def test_test_connection_reads_the_shop(self):
        self.assertEqual(self.store.connection_state, "ok", self.store.connection_message)
        shop = self.sim.data.shop
        self.assertEqual(self.store.shop_currency_id.name, shop["currencyCode"])
        self.assertEqual(self.store.shop_taxes_included, shop["taxesIncluded"])
        self.assertEqual(self.store.shop_timezone, shop["ianaTimezone"])
        # Merchants see the Odoo ID on the order in Shopify's admin: it has a definition.
        self.assertTrue(self.sim.metafields.definition("ORDER", "custom", "odoo_id"))

    def test_a_wrong_token_says_so_without_the_token(self):
        self.store.access_token = "shpat_wrong_secret_value"
        self.store.action_test_connection()
        self.assertEqual(self.store.connection_state, "error")
        self.assertIn("401", self.store.connection_message)
        self.assertNotIn("shpat_wrong_secret_value", self.store.connection_message)

    def test_client_credentials_token_is_fetched_kept_and_renewed(self):
        with Simulator(orders=5, seed=4, client_id="synco-app", client_secret="s3cr3t-value",
                       token_ttl=2, plan="plus") as sim:
            store = self.env["shopify.store"].create({
                "name": "CC store", "shop_domain": "cc.myshopify.com", "api_base_url": sim.base_url,
                "auth_method": "client_credentials", "client_id": "synco-app", "client_secret": "s3cr3t-value",
            })
            store.action_test_connection()
            self.assertEqual(store.connection_state, "ok", store.connection_message)
            first = store.oauth_token
            self.assertTrue(first)
            import time
            time.sleep(2.2)
            store.action_test_connection()
            self.assertEqual(store.connection_state, "ok", store.connection_message)
            self.assertNotEqual(store.oauth_token, first, "an expired token is renewed")

    def test_plain_http_is_refused_off_loopback(self):
        with self.assertRaises(ValidationError):
            self.store.api_base_url = "http://shop.example.com"
        self.store.api_base_url = "http://127.0.0.1:1"

    def test_two_stores_share_one_tax_for_the_same_shopify_tax(self):
        other = self.store.copy({"name": "Second store", "shop_domain": "second.myshopify.com"})
        mappings = self.env["shopify.tax.mapping"].create([
            {"store_id": store.id, "title": "CA State Tax", "rate": 0.0725, "price_include": False}
            for store in (self.store, other)])
        mappings.action_create_missing_taxes()
        self.assertEqual(mappings[0].tax_id, mappings[1].tax_id)
        tax = mappings[0].tax_id
        self.assertAlmostEqual(tax.amount, 7.25)
        self.assertFalse(tax.price_include)
        # Its accounts come from the company's sale tax: the tax is booked on a tax account.
        self.assertTrue(tax.invoice_repartition_line_ids.filtered(lambda l: l.repartition_type == "tax").account_id)

    def test_only_administrators_can_redirect_the_credentials(self):
        from odoo.exceptions import AccessError

        manager = self.env["res.users"].create({
            "name": "Store manager", "login": "synco_store_manager",
            "group_ids": [(6, 0, [self.env.ref("synco_shopify.group_shopify_manager").id])],
        })
        store = self.store.with_user(manager)
        with self.assertRaises(AccessError):
            store.api_base_url = "https://attacker.example.com"
        with self.assertRaises(AccessError):
            store.shop_domain = "attacker.myshopify.com"
        store.order_prefix = "WEB"  # the rest of the store is the manager's to configure
        self.assertEqual(self.store.order_prefix, "WEB")

    def test_a_store_never_connected_refuses_to_sync_and_says_why(self):
        order = self.list_orders(self.pick("source_web"))
        self.store.shop_timezone = False
        order.action_sync()
        self.assertEqual(order.sync_state, "failed")
        self.assertIn("Test connection", order.sync_error)
        self.assertFalse(order.sale_order_id)
