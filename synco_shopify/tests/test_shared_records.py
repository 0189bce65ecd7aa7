"""Records that orders share are made once (issue 9, point 7): every B2B buyer of one
Shopify company books to one company partner, and a custom item (no variant, SKU or
barcode) reuses one product per store and title, or the store's product for them."""
from collections import defaultdict

from odoo.tests import tagged

from .common import SyncoCase


@tagged("post_install", "-at_install")
class TestCompanyBuyers(SyncoCase):
    shop_orders = 300

    def _two_buyers_of_one_company(self):
        by_company = defaultdict(dict)
        for stored in self.sim.data.orders:
            entity = stored.get("purchasingEntity") or {}
            if ("company_customer" in stored.get("_scenarios", ()) and entity.get("company")
                    and stored.get("customer") and any(line["currentQuantity"] for line in stored["lineItems"])
                    and not stored["cancelledAt"]):
                by_company[entity["company"]["id"]].setdefault(stored["customer"]["id"], stored)
        for company_gid, buyers in by_company.items():
            if len(buyers) >= 2:
                return company_gid, list(buyers.values())[:2]
        self.fail("the shop has no company with two buyers")

    def test_buyers_of_one_company_share_its_partner_and_are_its_contacts(self):
        company_gid, stored = self._two_buyers_of_one_company()
        first, second = self.list_orders(stored[:1]), self.list_orders(stored[1:])
        first._sync_now()  # two syncs, as two batches would (one resolver each)
        second._sync_now()
        orders = first | second
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
        companies = orders.sale_order_id.partner_id
        self.assertEqual(len(companies), 1, "one company partner for both buyers")
        self.assertTrue(companies.is_company)
        self.assertEqual(companies.name, stored[0]["purchasingEntity"]["company"]["name"])
        links = self.env["shopify.customer.link"].search([("store_id", "=", self.store.id)])
        self.assertEqual(links.filtered(lambda l: l.customer_gid == company_gid).partner_id, companies)
        buyers = links.filtered(lambda l: l.customer_gid in {o["customer"]["id"] for o in stored}).partner_id
        self.assertEqual(len(buyers), 2, "each buyer is a contact of its own")
        self.assertEqual(buyers.parent_id, companies)
        self.assertEqual(self.env["res.partner"].search_count(
            [("is_company", "=", True), ("name", "=", companies.name)]), 1)


@tagged("post_install", "-at_install")
class TestCustomItems(SyncoCase):
    shop_orders = 40
    forced_scenarios = ["custom_item"]

    def _custom_titles(self, stored):
        return [line["title"] for line in stored["lineItems"] if not line["variant"] and not line["sku"]]

    def _same_custom_item(self, count):
        by_title = defaultdict(list)
        for stored in self.sim.data.orders:
            if any(line["currentQuantity"] for line in stored["lineItems"]) and not stored["cancelledAt"]:
                for title in self._custom_titles(stored):
                    by_title[title].append(stored)
        title, orders = max(by_title.items(), key=lambda item: len(item[1]))
        self.assertGreaterEqual(len(orders), count)
        return title, orders[:count]

    def test_a_custom_item_reuses_one_product_per_title(self):
        title, stored = self._same_custom_item(2)
        first, second = self.list_orders(stored[:1]), self.list_orders(stored[1:])
        first._sync_now()
        second._sync_now()
        orders = first | second
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"}, orders.mapped("sync_error"))
        products = orders.sale_order_id.order_line.filtered(lambda l: l.name.startswith(title)).product_id
        self.assertEqual(len(products), 1, "the second order found the product the first made")
        self.assertEqual(self.env["product.product"].search_count([("name", "=", title)]), 1)

    def test_the_store_product_for_custom_items_takes_them_all(self):
        product = self.env["product.product"].create({"name": "Custom sale", "type": "service"})
        self.store.custom_item_product_id = product
        title, stored = self._same_custom_item(1)
        order = self.list_orders(stored)
        order._sync_now()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        lines = order.sale_order_id.order_line.filtered(lambda l: l.name.startswith(title))
        self.assertEqual(lines.product_id, product)
        self.assertFalse(self.env["product.product"].search_count([("name", "=", title)]))
