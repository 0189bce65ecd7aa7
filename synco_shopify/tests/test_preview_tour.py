"""An accountant opens the Preview of an order in a real browser (an Odoo tour): what the
dialog shows is the preview's, and nothing is written, the dialog's own record included."""
import json

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import format_amount

from ..services.order_preview import preview_order
from .test_order_preview import ACCOUNTANT_GROUPS, PreviewCase


@tagged("post_install", "-at_install")
class TestPreviewTour(HttpCase, PreviewCase):
    shop_orders = 60

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(cls.env, login="preview_accountant", groups=ACCOUNTANT_GROUPS,
                                       name="Preview Accountant")
        cls.store.invoice_policy = "all"
        stored = next(o for o in cls.pick("source_web", 10)
                      if o["displayFinancialStatus"] == "PAID" and "company_customer" not in o["_scenarios"])
        cls.order = cls.list_orders([stored])

    def test_an_accountant_opens_a_preview(self):
        order = self.order
        self.assertFalse(self.accountant.has_group("synco_shopify.group_shopify_manager"), "a Shopify User")
        self.assertFalse(self.accountant.has_group("sales_team.group_sale_salesman"), "no sales rights")
        preview = preview_order(order)
        self.assertEqual(preview.reasons, [])
        invoice = preview.documents[0]
        expected = {
            "order": order.name,
            "customer_how": "new",
            "invoice": invoice["label"],
            # As the dialog writes it, less the currency symbol (a selector would stumble on "$").
            "total": format_amount(self.env, float(invoice["total"]), order.currency_id).replace(
                order.currency_id.symbol, "").strip("\xa0 "),
            "journal": preview.payments[0]["journal"],
            "odoo_id": preview.metafield["value"],
        }
        before = self.table_counts()
        code = (f"odoo.syncoExpected = {json.dumps(expected)};"
                "odoo.startTour('synco_shopify_preview_tour', {stepDelay: 0, keepWatchBrowser: false,"
                " debug: false, startUrl: '/odoo', delayToCheckUndeterminisms: 0})")
        self.start_tour("/odoo", "synco_shopify_preview_tour", login="preview_accountant", code=code, timeout=120)
        self.assertEqual(self.table_counts(), before, "the preview in the browser wrote nothing")
