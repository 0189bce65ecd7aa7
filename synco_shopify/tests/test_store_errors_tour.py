"""The banner above the orders list, in a real browser (an Odoo tour): a store Shopify
refuses is named there, with what Shopify answered, and the name leads to the store."""
import json

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SyncoCase


@tagged("post_install", "-at_install")
class TestStoreErrorsTour(HttpCase, SyncoCase):
    shop_orders = 5

    def test_a_shopify_user_sees_which_store_shopify_refuses(self):
        new_test_user(self.env, login="banner_user", groups="synco_shopify.group_shopify_user",
                      name="Banner User")
        self.store.name = "Refused store"
        self.store._record_connection_error("Shopify refused the access token (401)")
        expected = {"store": "Refused store", "message": "refused the access token"}
        code = (f"odoo.syncoExpected = {json.dumps(expected)};"
                "odoo.startTour('synco_shopify_store_errors_tour', {stepDelay: 0, keepWatchBrowser: false,"
                " debug: false, startUrl: '/odoo', delayToCheckUndeterminisms: 0})")
        self.start_tour("/odoo", "synco_shopify_store_errors_tour", login="banner_user", code=code, timeout=120)
