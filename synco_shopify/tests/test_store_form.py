"""The store's form as the people who use it see it: Test connection says what it found
(shop, currency, time zone, plan), and the connection (shop domain, API address) is
read-only to those who may not change it."""
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import SyncoCase

MANAGER_GROUPS = "synco_shopify.group_shopify_manager"


@tagged("post_install", "-at_install")
class TestStoreForm(HttpCase, SyncoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="store_manager", groups=MANAGER_GROUPS, name="Store Manager")
        cls.admin_user = new_test_user(cls.env, login="store_admin", groups=f"{MANAGER_GROUPS},base.group_system",
                                       name="Store Admin")

    def test_test_connection_says_shop_currency_timezone_and_plan(self):
        shop = self.sim.data.shop
        action = self.store.with_user(self.manager).action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        message = action["params"]["message"]
        for said in (shop["name"], shop["myshopifyDomain"], shop["currencyCode"], shop["ianaTimezone"], "Plus"):
            self.assertIn(said, message)
        # SyncoCase's simulator runs on the Plus rate limit: the shop says it is on Plus.
        self.assertEqual(self.store.shop_plan, "Plus")
        self.assertEqual(self.store.connection_message, message)

    def test_plan_names_say_plus_and_development_stores(self):
        name = self.store._plan_name
        self.assertEqual(name({"publicDisplayName": "Grow", "shopifyPlus": False, "partnerDevelopment": False}),
                         "Grow")
        self.assertEqual(name({"publicDisplayName": "Advanced", "shopifyPlus": False, "partnerDevelopment": True}),
                         "Advanced (development store)")
        self.assertEqual(name({"publicDisplayName": "Enterprise", "shopifyPlus": True, "partnerDevelopment": False}),
                         "Enterprise (Shopify Plus)")
        self.assertFalse(name(None))

    def test_a_failed_connection_says_so_in_a_notification(self):
        self.store.access_token = "shpat_wrong"
        action = self.store.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("401", action["params"]["message"])
        self.assertNotIn("shpat_wrong", action["params"]["message"])

    def test_a_manager_sees_the_connection_read_only(self):
        with Form(self.store.with_user(self.manager)) as form:
            for field in ("shop_domain", "api_base_url"):
                with self.assertRaises(AssertionError, msg=f"{field} is read-only to a Manager"):
                    setattr(form, field, "other-shop.myshopify.com")
            form.order_prefix = "SHOP"  # the rest of the store stays theirs to set
        self.assertEqual(self.store.order_prefix, "SHOP")

    def test_a_manager_creating_a_store_sets_its_domain_but_not_its_api_address(self):
        with Form(self.env["shopify.store"].with_user(self.manager)) as form:
            form.name = "Second shop"
            form.shop_domain = "second-shop.myshopify.com"
            with self.assertRaises(AssertionError):
                form.api_base_url = "https://elsewhere.example"
        self.assertEqual(form.record.shop_domain, "second-shop.myshopify.com")

    def test_an_administrator_may_change_the_connection(self):
        with Form(self.store.with_user(self.admin_user)) as form:
            form.shop_domain = "renamed-shop.myshopify.com"
        self.assertEqual(self.store.shop_domain, "renamed-shop.myshopify.com")

    def test_tour_manager_sees_read_only_domain_and_what_test_connection_found(self):
        shop = self.sim.data.shop
        expected = {"domain": self.store.shop_domain, "shop": shop["name"], "currency": shop["currencyCode"],
                    "timezone": shop["ianaTimezone"], "plan": "Plus"}
        self.start_tour("/odoo", "synco_shopify_store_tour", login="store_manager", timeout=120,
                        code=f"odoo.syncoExpected = {expected!r}; odoo.startTour('synco_shopify_store_tour', "
                             "{stepDelay: 0, keepWatchBrowser: false, debug: false, startUrl: '/odoo'})")
