"""An order's life in the app: Changed in Shopify (state, Update, catch-up), its
documents, its history, the comparison with Shopify's figures now, and Reset.

Real Odoo, the real simulator over HTTP; jobs are trapped with queue_job's own test
helper, then performed the way its runner would."""
import ast
from datetime import timedelta
from decimal import Decimal

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import formatLang

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import SyncoCase

USER = "synco_shopify.group_shopify_user"
MANAGER = "synco_shopify.group_shopify_manager"


def shopify_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@tagged("post_install", "-at_install")
class TestOrderApp(SyncoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="app_user", groups=USER)
        cls.manager = new_test_user(cls.env, login="app_manager", groups=MANAGER)

    # -- helpers ------------------------------------------------------------------------------
    def search_filter(self, label):
        """The orders the list's filter ``label`` shows (its domain, from the search view)."""
        arch = etree.fromstring(self.env.ref("synco_shopify.shopify_order_view_search").arch)
        domain = ast.literal_eval(arch.find(f".//filter[@string='{label}']").get("domain"))
        return self.env["shopify.order"].search(domain)

    def synced(self, scenario="source_web"):
        """A paid order of the shop, listed and synced now: (stored order, shopify.order)."""
        stored = self.pick(scenario, exclude=[o["id"] for o in self.sim.data.orders
                                               if o["displayFinancialStatus"] != "PAID"])[0]
        order = self.list_orders([stored])
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        return stored, order

    def change_in_shopify(self, stored, order, **changes):
        """Shopify changes the order (its updatedAt moves on); the header is read again."""
        later = shopify_time(order.shopify_updated_at + timedelta(hours=1))
        self.sim.upsert_orders([{**stored, **changes, "updatedAt": later}])
        self.list_orders([stored])
        return later

    # -- Changed in Shopify ---------------------------------------------------------------------
    def test_header_import_marks_a_synced_order_changed_not_an_unsynced_one(self):
        stored, order = self.synced()
        # The same header again: nothing happened in Shopify.
        self.list_orders([stored])
        self.assertEqual(order.sync_state, "synced")

        self.change_in_shopify(stored, order, tags=["vip"])
        self.assertEqual(order.sync_state, "changed")
        self.assertEqual(order.tags, "vip")

        self.assertIn(order, self.search_filter("Changed in Shopify"))
        self.assertNotIn(order, self.search_filter("Synced"))

        waiting = self.pick("source_web")[0]
        listed = self.list_orders([waiting])
        self.change_in_shopify(waiting, listed, tags=["vip"])
        self.assertEqual(listed.sync_state, "not_synced", "an order not synced takes news in when synced")

    def test_a_change_in_the_same_second_as_the_sync_shows_in_shopifys_figures(self):
        """updatedAt has whole seconds: a refund in the second the synced payload was read
        keeps updatedAt, but not the order's total and outstanding amount."""
        stored, order = self.synced()
        node = self.sim.store.node(stored["id"])
        changed = {**node, "currentTotalPriceSet": {
            side: {**money, "amount": str(Decimal(money["amount"]) - Decimal("1.00"))}
            for side, money in node["currentTotalPriceSet"].items()}}
        self.sim.upsert_orders([changed])  # same updatedAt, as given
        self.list_orders([stored])
        self.assertEqual(order.sync_state, "changed")

    def test_header_read_during_a_sync_is_not_lost(self):
        stored, order = self.synced()
        self.assertEqual(order.synced_updated_at, order.shopify_updated_at)
        # The header was read (and kept) while the sync applied an older payload.
        order.synced_updated_at = order.shopify_updated_at - timedelta(minutes=5)
        self.list_orders([stored])
        self.assertEqual(order.sync_state, "changed")

    def test_header_import_refreshes_shopify_figures_now(self):
        stored = self.pick("source_web")[0]
        order = self.list_orders([stored])
        figures = order.shopify_totals_json

        def amount(key):
            return stored[key]["shopMoney"]["amount"]

        self.assertEqual(float(figures["total"]), float(amount("currentTotalPriceSet")))
        self.assertEqual(float(figures["subtotal"]), float(amount("currentSubtotalPriceSet")))
        self.assertEqual(float(figures["outstanding"]), float(amount("totalOutstandingSet")))
        self.assertEqual(figures["taxes_included"], stored["taxesIncluded"])
        # Shopify now says more is owed (a payment was voided): the figure follows at once.
        owed = {"shopMoney": {"amount": "12.34", "currencyCode": stored["currencyCode"]},
                "presentmentMoney": {"amount": "12.34", "currencyCode": stored["presentmentCurrencyCode"]}}
        self.change_in_shopify(stored, order, totalOutstandingSet=owed)
        self.assertEqual(float(order.shopify_totals_json["outstanding"]), 12.34)

    def test_update_button_queues_the_changed_order_through_the_sync_job(self):
        stored, order = self.synced()
        self.change_in_shopify(stored, order, tags=["vip"])
        self.assertEqual(order.sync_state, "changed")
        self.env.invalidate_all()  # read as the user, not from the superuser's cache
        with trap_jobs() as trap:
            order.with_user(self.user).action_enqueue_sync()
            self.assertEqual(order.sync_state, "in_progress")
            trap.assert_jobs_count(1, only=order._job_sync)
            trap.assert_enqueued_job(order._job_sync, args=(0,), properties={"priority": 1, "channel": "root.synco"})
            trap.assert_jobs_count(1, only=order._job_prefetch)
            by_method = {job.method_name: job for job in trap.enqueued_jobs}
            prefetch, sync = by_method["_job_prefetch"], by_method["_job_sync"]
            prefetch.perform()  # then the sync, as the runner runs them
            result = sync.perform()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertIn("1 updated", result)

    def test_bulk_action_queues_changed_orders_even_when_the_rules_now_refuse_them(self):
        stored, changed = self.synced()
        self.change_in_shopify(stored, changed, tags=["vip"])
        fresh = self.list_orders(self.pick("source_web", 2))
        # The rules changed since: the changed order is updated all the same.
        self.store.rule_source_ids = self.env["shopify.order.source"].search([("code", "=", "pos")])
        self.assertFalse(changed.eligible)
        orders = changed | fresh
        with trap_jobs() as trap:
            action = self.env["ir.actions.server"].browse(
                self.env.ref("synco_shopify.action_server_sync_orders").id
            ).with_context(active_model="shopify.order", active_ids=orders.ids).run()
            trap.assert_jobs_count(2)  # the batch's prefetch and sync
            trap.assert_jobs_count(1, only=changed._job_sync)
        self.assertEqual(changed.sync_state, "in_progress")
        self.assertEqual(set(fresh.mapped("sync_state")), {"not_synced"})
        self.assertEqual(action["params"]["message"], "1 order queued for sync. It applies changes made in "
                         "Shopify. Skipped: 2 not eligible.")

    def test_orders_an_update_job_did_not_reach_go_back_to_changed(self):
        stored, order = self.synced()
        self.change_in_shopify(stored, order, tags=["vip"])
        waiting = self.list_orders(self.pick("source_web"))
        (order | waiting).action_enqueue_sync()
        self.assertEqual(set((order | waiting).mapped("sync_state")), {"in_progress"})
        # Their job ended without touching them (set to Done by hand): they follow it at once.
        (order | waiting).job_id.button_done()
        self.assertEqual(order.sync_state, "changed", "it has documents: its update is still pending")
        self.assertEqual(waiting.sync_state, "not_synced")

    def test_catch_up_queues_changed_orders_only_when_the_store_applies_changes(self):
        stored, order = self.synced()
        later = shopify_time(order.shopify_updated_at + timedelta(hours=1))
        self.sim.upsert_orders([{**stored, "tags": ["vip"], "updatedAt": later}])
        self.assertFalse(self.store.auto_apply_changes)
        with trap_jobs() as trap:
            result = self.store._job_catch_up()
            trap.assert_jobs_count(0)
        self.assertEqual(order.sync_state, "changed")
        self.assertIn("0 updates queued.", result)

        self.store.auto_apply_changes = True
        with trap_jobs() as trap:
            result = self.store._job_catch_up()
            trap.assert_jobs_count(1, only=order._job_sync)
            trap.assert_enqueued_job(order._job_sync, args=(0,), properties={"priority": 20})
        self.assertEqual(order.sync_state, "in_progress")
        self.assertIn("1 update queued.", result)

    # -- documents and history --------------------------------------------------------------
    def test_history_records_what_an_update_did_readable_not_writable_by_users(self):
        _stored, order = self.synced()
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        entry = self.env["shopify.order.update"].with_user(self.user)._record(
            order, "Invoice posted, payment registered", invoice, order.payment_ids)
        self.assertEqual(entry.order_id, order)
        self.assertEqual(entry.move_ids, invoice)
        self.assertEqual(entry.payment_ids, order.payment_ids)
        self.assertEqual(entry.user_id, self.user)
        self.assertIn(entry, order.update_ids)
        History = self.env["shopify.order.update"].with_user(self.user)
        # The sync's own entries are there too; this one reads as the user.
        self.assertIn(entry, History.search([("order_id", "=", order.id)]))
        self.assertEqual(History.browse(entry.id).summary, "Invoice posted, payment registered")
        with self.assertRaises(AccessError):
            History.create({"order_id": order.id, "summary": "by hand"})
        with self.assertRaises(AccessError):
            self.env["shopify.order.update"].with_user(self.manager).create({"order_id": order.id})

    def test_form_lists_documents_for_accountants_and_history_for_every_user(self):
        _stored, order = self.synced()
        accountant = new_test_user(self.env, login="app_accountant",
                                   groups=f"{USER},account.group_account_invoice,sales_team.group_sale_salesman")
        arch = self.env["shopify.order"].with_user(accountant).get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("invoice_ids", "payment_ids", "sale_order_id", "update_ids", "move_type",
                     "shopify_document_kind", "amount_total_signed", "invoice_date", "payment_type"):
            self.assertIn(f'name="{name}"', arch)
        views = self.env["shopify.order"].with_user(self.user).get_views([(False, "list"), (False, "form")])["views"]
        self.assertIn("o_shopify_update", views["list"]["arch"], "the list has the Update button")
        user_arch = views["form"]["arch"]
        self.assertIn('name="update_ids"', user_arch)
        self.assertNotIn('name="invoice_ids"', user_arch)
        self.assertNotIn('name="action_reset"', user_arch)

    # -- comparison ---------------------------------------------------------------------------
    def test_comparison_nets_credit_notes_against_invoices_and_shows_what_is_open(self):
        stored, order = self.synced()
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(invoice.state, "posted")
        self.list_orders([stored])  # Shopify's figures now, the amount outstanding included
        self.assertNotIn("table-danger", order.comparison_html)
        self.assertIn("Outstanding", order.comparison_html)

        # An accountant refunds one item in Odoo, with Odoo's own reversal.
        credit_note = invoice._reverse_moves([{"shopify_order_id": order.id, "ref": "Damaged"}])
        item = credit_note.invoice_line_ids.filtered(lambda l: l.product_id and l.product_id.type != "service")[:1] \
            or credit_note.invoice_line_ids[:1]
        (credit_note.invoice_line_ids - item).unlink()
        credit_note.action_post()
        self.assertIn(credit_note, order.invoice_ids)
        order.invalidate_recordset(["comparison_html"])

        from odoo.addons.synco_shopify.models.comparison import ROWS, net_figures

        net = net_figures(order.invoice_ids, order.shopify_totals_json["taxes_included"])
        self.assertEqual([key for key, _label in ROWS], list(net))
        currency = invoice.currency_id
        self.assertAlmostEqual(net["total"], invoice.amount_total - credit_note.amount_total, places=2)
        self.assertAlmostEqual(net["tax"], invoice.amount_tax - credit_note.amount_tax, places=2)
        # The credit note's line is an item (its kind read from the invoice it reverses).
        taxes_included = order.shopify_totals_json["taxes_included"]
        refunded = item.price_total if taxes_included else item.price_subtotal
        invoiced_items = sum((line.price_total if taxes_included else line.price_subtotal)
                             for line in invoice.invoice_line_ids
                             if line.shopify_line_kind in ("product", "gift_card", "discount"))
        self.assertAlmostEqual(net["subtotal"], invoiced_items - refunded, places=2)
        self.assertEqual(item.product_id.type, "consu", "an item was refunded, not the shipping")
        html = order.comparison_html
        self.assertIn(formatLang(self.env, invoice.amount_total - credit_note.amount_total, currency_obj=currency), html)
        # Open: the credit note is owed to the customer, the invoice is paid.
        self.assertIn(formatLang(self.env, -credit_note.amount_total, currency_obj=currency), html)
        self.assertIn("table-danger", html, "Odoo now differs from Shopify's figures")

    # -- reset -------------------------------------------------------------------------------
    def test_reset_detaches_a_cancelled_invoice_and_starts_over(self):
        _stored, order = self.synced()
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        sale_order = order.sale_order_id
        payments = order.payment_ids
        self.assertTrue(invoice and sale_order)
        for payment in payments:
            payment.action_draft()
            payment.action_cancel()
        invoice.button_draft()
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")

        order.with_user(self.manager).action_reset()
        self.assertFalse(invoice.shopify_order_id)
        self.assertFalse(payments.shopify_order_id)
        self.assertNotIn(invoice, order.invoice_ids)
        self.assertEqual(order.sale_order_id, sale_order, "a sale order still valid stays linked")
        self.assertEqual((order.sync_state, order.sync_error, order.writeback_state), ("not_synced", False, "none"))
        note = order.message_ids[:1].body
        self.assertIn(invoice.name, note)
        self.assertIn(sale_order.name, note)

    def test_reset_refused_when_nothing_was_cancelled_or_deleted(self):
        _stored, order = self.synced()
        documents = (order.sale_order_id, order.invoice_ids, order.payment_ids)
        with self.assertRaisesRegex(UserError, "nothing to reset"):
            order.with_user(self.manager).action_reset()
        self.assertEqual(order.sync_state, "synced")
        self.assertEqual((order.sale_order_id, order.invoice_ids, order.payment_ids), documents)
        with self.assertRaises(AccessError):
            order.with_user(self.user).action_reset()

    # -- what the list and the form show ------------------------------------------------------
    def test_a_synced_order_shows_its_outcome_not_todays_rules(self):
        _stored, synced = self.synced()
        waiting = self.list_orders(self.pick("source_web"))
        self.assertIn(waiting, self.search_filter("Eligible"))
        self.assertNotIn(synced, self.search_filter("Eligible"), "eligibility is about what may be synced next")
        # The rules change: neither order would be synced today.
        self.store.rule_source_ids = self.env["shopify.order.source"].search([("code", "=", "pos")])
        self.assertFalse(synced.eligible or waiting.eligible, "the stored verdict keeps its meaning")
        self.assertEqual((synced.eligibility_shown, waiting.eligibility_shown), (False, True))
        self.assertNotIn(waiting, self.search_filter("Eligible"))
        views = self.env["shopify.order"].with_user(self.user).get_views([(False, "list"), (False, "form")])["views"]
        form = etree.fromstring(views["form"]["arch"])
        banner = form.xpath("//div[hasclass('o_shopify_not_eligible_banner')]")[0]
        self.assertIn("not eligibility_shown", banner.get("invisible"))
        self.assertIn("not eligibility_shown", form.xpath("//field[@name='eligible']")[0].get("invisible"))
        column = etree.fromstring(views["list"]["arch"]).xpath("//field[@name='eligible']")[0]
        self.assertEqual((column.get("widget"), column.get("invisible")), ("shopify_eligibility", "not eligibility_shown"))

    def test_odoo_id_opens_the_sale_order_for_sales_users_and_a_summary_for_the_others(self):
        _stored, order = self.synced()
        salesman = new_test_user(self.env, login="app_salesman", groups=f"{USER},sales_team.group_sale_salesman_all_leads")
        action = order.with_user(salesman).action_open_odoo_record()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", order.sale_order_id.id))

        # A Shopify User who may read neither: a read-only summary, never an access error.
        self.env.invalidate_all()
        self.assertFalse(order.sale_order_id.with_user(self.user).has_access("read"))
        action = order.with_user(self.user).action_open_odoo_record()
        summary = self.env.ref("synco_shopify.shopify_order_view_form_summary")
        self.assertEqual((action["res_model"], action["res_id"], action["target"]), ("shopify.order", order.id, "new"))
        self.assertEqual(action["views"], [(summary.id, "form")])
        view = self.env["shopify.order"].with_user(self.user).get_views([(summary.id, "form")])["views"]["form"]
        arch = etree.fromstring(view["arch"])
        self.assertEqual(arch.get("edit"), "0")
        shown = {node.get("name") for node in arch.iter("field")}
        self.assertIn("comparison_html", shown)
        values = order.with_user(self.user).web_read({name: {} for name in shown})[0]
        self.assertEqual(values["odoo_record_ref"], order.sale_order_id.name)
        self.assertIn("Shopify", values["comparison_html"])
        list_arch = self.env["shopify.order"].with_user(self.user).get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('widget="shopify_odoo_ref"', list_arch, "the Odoo ID is the link, for every user")

    def test_tab_counts_follow_the_search_in_one_query(self):
        _stored, synced = self.synced()
        listed = self.list_orders(self.pick("source_web", 3))
        other_store = self.env["shopify.store"].create({
            "name": "Other store", "shop_domain": "other-store.myshopify.com", "company_id": self.company.id})
        self.env["shopify.order"].sudo().create({"store_id": other_store.id, "shopify_gid": "gid://shopify/Order/1",
                                                 "name": "#1", "email": "x@example.com"})
        arch = etree.fromstring(self.env.ref("synco_shopify.shopify_order_view_search").arch)
        tabs = {node.get("name"): ast.literal_eval(node.get("domain")) for node in arch.iter("filter")
                if node.get("name") in ("filter_all", "filter_synced", "filter_not_synced", "filter_eligible",
                                        "filter_sale_order", "filter_invoice", "filter_failed")}
        store_domain = [("store_id", "=", self.store.id)]
        Order = self.env["shopify.order"].with_user(self.user)
        Order.tab_counts(store_domain, tabs)  # access rules read once, as any first search
        with self.assertQueryCount(1):
            counts = Order.tab_counts(store_domain, tabs)
        for name, domain in tabs.items():
            self.assertEqual(counts[name], Order.search_count(store_domain + domain), name)
        self.assertEqual(counts["filter_all"], len(synced | listed))
        self.assertEqual((counts["filter_synced"], counts["filter_not_synced"]), (1, 3))
        self.assertEqual(Order.tab_counts([], {"all": []})["all"], 5)
