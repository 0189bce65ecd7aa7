"""Retries, faults and bad data: nothing duplicated, nothing half-written."""
import copy
from decimal import Decimal

from odoo.tests import tagged

from .common import SyncoCase


@tagged("post_install", "-at_install")
class TestSyncIdempotency(SyncoCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "3")
        self.sim.faults.clear()
        self.addCleanup(self.sim.faults.clear)

    def _documents(self, order):
        return (self.env["sale.order"].search_count([("shopify_order_id", "=", order.id)]),
                self.env["account.move"].search_count([("shopify_order_id", "=", order.id)]),
                self.env["account.payment"].search_count([("shopify_order_id", "=", order.id)]))

    def test_syncing_a_synced_order_again_creates_nothing(self):
        order = self.list_orders(self.pick("multi_gateway"))
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        first = self._documents(order)
        # one sale order; the sale invoice, and a credit note per refund Shopify lists
        refunds = [r for r in self.sim.store.node(order.shopify_gid)["refunds"] if r["refundLineItems"]
                   or r["refundShippingLines"] or r.get("orderAdjustments")]
        self.assertEqual(first[:2], (1, 1 + len(refunds)))
        requests = self.sim.stats["graphql_requests"]
        order.action_sync()
        self.assertEqual(self._documents(order), first)
        self.assertEqual(self.sim.stats["graphql_requests"], requests, "a synced order is not fetched again")

    def test_lost_sync_state_adopts_the_existing_documents(self):
        order = self.list_orders(self.pick("tax_exclusive"))
        order.action_sync()
        first = self._documents(order)
        sale_order = order.sale_order_id
        # As if the state had been reset by hand or a restore: the documents remain.
        order.write({"sync_state": "not_synced", "sale_order_id": False})
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertEqual(order.sale_order_id, sale_order)
        self.assertEqual(self._documents(order), first)

    def test_retried_write_back_keeps_one_metafield(self):
        orders = self.list_orders(self.pick("source_web", 3))
        self.sim.faults.inject("metafield_user_errors", count=10)
        orders.action_sync()
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"})
        # Shopify's "Internal error. Please try again.": the write-back job is postponed.
        job = self.run_write_backs()
        self.assertEqual((len(job), job.state, job.retry), (1, "pending", 1), "one job for the store, to retry")
        self.assertEqual(set(orders.mapped("writeback_state")), {"pending"})
        for order in orders:
            self.assertIsNone(self.sim.metafield(order.shopify_gid, "custom", "odoo_id"))
        documents = [self._documents(o) for o in orders]
        self.sim.faults.clear()
        self.assertEqual(self.run_write_backs(), job)
        self.assertEqual(job.state, "done")
        self.assertEqual(set(orders.mapped("writeback_state")), {"done"})
        self.env["shopify.order"]._cron_catch_up()
        self.assertFalse(self.run_write_backs(), "a second pass finds nothing to do")
        for order, before in zip(orders, documents):
            self.assertEqual(self._documents(order), before)
            metafield = self.sim.metafield(order.shopify_gid, "custom", "odoo_id")
            self.assertEqual(metafield["value"], order.odoo_record_ref)
        for order in orders:
            self.assertEqual(len(self.sim.metafields.of_owner(order.shopify_gid)), 1)

    def test_passing_faults_while_fetching_are_retried(self):
        self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "20")
        orders = self.list_orders(self.pick("shipping_tax", 2))
        self.sim.faults.inject("http_5xx", count=2)
        self.sim.faults.inject("drop", count=1)
        orders.action_sync()
        self.assertEqual(set(orders.mapped("sync_state")), {"synced"})
        self.assertGreaterEqual(self.sim.stats["faults_served"], 3)

    def test_shopify_down_leaves_orders_untouched(self):
        from odoo.addons.synco_shopify.shopify.api.errors import ShopifyUnavailable

        order = self.list_orders(self.pick("tip"))
        self.sim.faults.inject("http_5xx", fraction=1.0)
        with self.assertRaises(ShopifyUnavailable) as caught:
            order.action_sync()
        self.assertNotIn("shpat", str(caught.exception))
        self.sim.faults.clear()
        self.assertEqual(order.sync_state, "not_synced")
        self.assertEqual(self._documents(order), (0, 0, 0))


@tagged("post_install", "-at_install")
class TestBadPayloads(SyncoCase):
    """Each bad order fails with a readable message, and leaves nothing behind."""

    def _bad(self, scenario, mutate):
        stored = copy.deepcopy(self.pick(scenario)[0])
        mutate(stored)
        self.sim.upsert_orders([stored])
        return self.list_orders([stored])

    def _assert_failed_cleanly(self, order, *fragments):
        counts = {m: self.env[m].search_count([]) for m in
                  ("sale.order", "account.move", "account.payment", "res.partner", "product.product")}
        order.action_sync()
        self.assertEqual(order.sync_state, "failed")
        for fragment in fragments:
            self.assertIn(fragment, order.sync_error)
        self.assertEqual({m: self.env[m].search_count([]) for m in counts}, counts)
        self.assertIsNone(self.sim.metafield(order.shopify_gid, "custom", "odoo_id"))

    def test_order_without_customer_or_email_fails_when_the_store_has_no_guest_customer(self):
        def anonymous(stored):
            stored.update(customer=None, email=None, purchasingEntity=None, phone=None)
        order = self._bad("guest_checkout", anonymous)
        self.store.guest_partner_id = False  # a store's walk-in customer, removed by the merchant
        self._assert_failed_cleanly(order, "neither a customer nor an email", "guest customer")

    def test_a_payment_without_gateway_fails_naming_the_field(self):
        def no_gateway(stored):
            for transaction in stored["transactions"]:
                transaction["gateway"] = None  # nullable in Shopify's schema
        order = self._bad("multi_gateway", no_gateway)
        self._assert_failed_cleanly(order, "Transaction.gateway")

    def test_order_in_a_currency_odoo_does_not_use_fails(self):
        stored = self.pick("presentment_currency")
        order = self.list_orders(stored)
        self.store.currency_policy = "presentment"
        currency = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", stored[0]["presentmentCurrencyCode"])])
        currency.active = False
        self._assert_failed_cleanly(order, "is not active in Odoo")

    def test_zero_quantity_line_that_still_costs_fails(self):
        def zero(stored):
            line = stored["lineItems"][0]
            line.update(quantity=0, currentQuantity=0)
        order = self._bad("tax_exclusive", zero)
        # The message names the order, the line, and the figures that disagree.
        self._assert_failed_cleanly(order, order.name, "originalTotalSet", "is not 0 ×")

    def test_deleted_variant_without_any_name_fails(self):
        def nameless(stored):
            line = stored["lineItems"][0]
            line.update(variant=None, product=None, sku=None, title="", name="")
        order = self._bad("deleted_variant", nameless)
        self._assert_failed_cleanly(order, "no title")

    def test_one_bad_order_does_not_stop_the_others(self):
        def anonymous(stored):
            stored.update(customer=None, email=None, purchasingEntity=None, phone=None)
        bad = self._bad("guest_checkout", anonymous)
        good = self.list_orders(self.pick("source_pos", 2))
        self.store.guest_partner_id = False
        (bad | good).action_sync()
        self.assertEqual(bad.sync_state, "failed")
        self.assertEqual(set(good.mapped("sync_state")), {"synced"})



@tagged("post_install", "-at_install")
class TestBatchFallback(SyncoCase):
    def test_an_order_failing_while_documents_are_created_fails_alone(self):
        """Documents are created for the whole batch at once; when one order breaks that
        step (here: its gift-card payment has no journal), the batch is redone order by
        order, and only that order fails."""
        self.store.gateway_mapping_ids.filtered(lambda m: m.gateway == "gift_card").unlink()
        gift = self.pick("gift_card_payment")
        plain = [o for o in self.sim.data.orders
                 if o["paymentGatewayNames"] == ["shopify_payments"] and o["displayFinancialStatus"] == "PAID"
                 and not o["cancelledAt"] and not o["test"] and o["id"] not in self._picked][:3]
        self.assertEqual(len(plain), 3)
        orders = self.list_orders(gift + plain)
        bad = orders.filtered(lambda o: o.shopify_gid == gift[0]["id"])
        orders.action_sync()
        self.assertEqual(bad.sync_state, "failed")
        self.assertIn("gift_card", bad.sync_error)
        self.assertFalse(self.env["sale.order"].search([("shopify_order_id", "=", bad.id)]))
        good = orders - bad
        self.assertEqual(set(good.mapped("sync_state")), {"synced"})
        self.assertEqual(len(good.mapped("payment_ids")), 3)


@tagged("post_install", "-at_install")
class TestDocumentsInTheOrdersCurrency(SyncoCase):
    def test_a_partner_pricelist_in_another_currency_does_not_change_the_order(self):
        stored = self.pick("repeat_customer")[0]
        euro = self.env.ref("base.EUR")
        euro.active = True
        pricelist = self.env["product.pricelist"].create({"name": "EUR list", "currency_id": euro.id})
        email = stored["customer"]["defaultEmailAddress"]["emailAddress"]
        partner = self.env["res.partner"].search([("email", "=ilike", email), ("parent_id", "=", False)]) \
            or self.env["res.partner"].create({"name": "Known customer", "email": email})
        partner.property_product_pricelist = pricelist
        order = self.list_orders([stored])
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertIn(order.sale_order_id.partner_id, partner)
        self.assertEqual(order.sale_order_id.partner_id.property_product_pricelist, pricelist)
        self.assertEqual(order.sale_order_id.currency_id.name, stored["currencyCode"])
        self.assertEqual(order.invoice_ids.currency_id.name, stored["currencyCode"])

    def test_an_accountant_posts_a_draft_shopify_invoice_and_its_number_goes_to_shopify(self):
        self.store.write({"sale_order_mode": "none", "invoice_mode": "draft", "invoice_policy": "all"})
        order = self.list_orders(self.pick("source_web"))
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "draft")
        accountant = self.env["res.users"].create({
            "name": "Accountant", "login": "synco_accountant",
            "group_ids": [(6, 0, [self.env.ref("account.group_account_invoice").id])],
        })
        invoice.with_user(accountant).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(order.writeback_state, "pending")
        self.env["shopify.order"]._cron_catch_up()
        self.run_write_backs()
        self.assertEqual(self.sim.metafield(order.shopify_gid, "custom", "odoo_id")["value"], invoice.name)

    def test_a_store_booking_in_the_customers_currency_reconciles_on_the_presentment_side(self):
        self.store.currency_policy = "presentment"
        stored = self.pick("presentment_currency")[0]
        self.assertNotEqual(stored["presentmentCurrencyCode"], stored["currencyCode"])
        order = self.list_orders([stored])
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        total = Decimal(stored["currentTotalPriceSet"]["presentmentMoney"]["amount"])
        for document in (order.sale_order_id, order.invoice_ids):
            self.assertEqual(document.currency_id.name, stored["presentmentCurrencyCode"])
            self.assertEqual(Decimal(str(document.amount_total)).quantize(total), total)
        self.assertEqual(order.currency_id.name, stored["presentmentCurrencyCode"])
