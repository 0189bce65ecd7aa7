"""Orders that name neither a customer nor an email (POS sales, draft orders, other apps') are
booked on the store's walk-in customer, made with the store; their delivery address stays."""
import copy

from odoo.tests import tagged

from .common import SyncoCase


@tagged("post_install", "-at_install", "synco")
class TestWalkInCustomer(SyncoCase):
    shop_orders = 120

    def anonymous(self, source_name, with_shipping=None):
        """A shop order from ``source_name`` stripped of its customer and email, as Shopify sends
        an order nobody was named on (Order.customer and Order.email are nullable). The
        generator always names someone, so the test takes the names away."""
        used = self.__class__.__dict__.get("_anonymous", set())
        for order in self.sim.data.orders:
            if (order["sourceName"] != source_name or order["id"] in used
                    or "company_customer" in order["_scenarios"]
                    or order["cancelledAt"] or not any(line["currentQuantity"] for line in order["lineItems"])
                    or (with_shipping is not None and bool(order["shippingAddress"]) != with_shipping)):
                continue
            self.__class__._anonymous = used | {order["id"]}
            stripped = copy.deepcopy(order)
            # purchasingEntity is the customer too (a Customer | PurchasingCompany union).
            stripped.update(customer=None, email=None, purchasingEntity=None)
            return self.sim.upsert_orders([stripped])[0]
        raise AssertionError(f"the shop has no unused {source_name} order")

    def sync(self, stored):
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        return order

    def test_the_store_is_made_with_its_walk_in_customer(self):
        walk_in = self.store.guest_partner_id
        self.assertEqual(walk_in.name, "Test store — walk-in customer")
        self.assertEqual(walk_in.company_id, self.store.company_id)
        other = self.env["shopify.store"].create({
            "name": "Other store", "shop_domain": "other-store.myshopify.com", "company_id": self.company.id})
        self.assertEqual(other.guest_partner_id.name, "Other store — walk-in customer")
        self.assertNotEqual(other.guest_partner_id, walk_in, "one per store")

    def test_pos_sale_without_customer(self):
        order = self.sync(self.anonymous("pos"))
        sale = order.sale_order_id
        self.assertEqual(sale.partner_id, self.store.guest_partner_id)
        self.assertTrue(order.invoice_ids)
        self.assertEqual(order.invoice_ids.commercial_partner_id, self.store.guest_partner_id)

    def test_draft_order_without_customer_keeps_its_delivery_address(self):
        stored = self.anonymous("shopify_draft_order", with_shipping=True)
        order = self.sync(stored)
        sale = order.sale_order_id
        self.assertEqual(sale.partner_id, self.store.guest_partner_id)
        shipping = stored["shippingAddress"]
        self.assertEqual(sale.partner_shipping_id.street, shipping["address1"])
        self.assertEqual(sale.partner_shipping_id.city, shipping["city"])
        self.assertEqual(sale.partner_shipping_id.parent_id, self.store.guest_partner_id)

    def test_app_order_without_customer(self):
        stored = self.anonymous("marketplace_connector", with_shipping=True)
        order = self.sync(stored)
        self.assertEqual(order.sale_order_id.partner_id, self.store.guest_partner_id)
        self.assertEqual(order.sale_order_id.partner_shipping_id.zip, stored["shippingAddress"]["zip"] or False)

    def test_a_walk_in_customer_the_merchant_chose_is_used(self):
        chosen = self.env["res.partner"].create({"name": "Counter sales"})
        self.store.guest_partner_id = chosen
        order = self.sync(self.anonymous("pos"))
        self.assertEqual(order.sale_order_id.partner_id, chosen)

    def test_without_a_walk_in_customer_the_order_says_what_to_set(self):
        self.store.guest_partner_id = False
        order = self.list_orders([self.anonymous("pos")])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertNotEqual(order.sync_state, "synced")
        self.assertIn("guest customer", order.sync_error)
