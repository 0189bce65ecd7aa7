"""What merchants and accountants read: the printed invoice's tax summary and discounts,
the journal Shopify's payments land in, and the store's tax rates.

The invoice checks read the report's HTML, the text the accountant's PDF is printed from.
"""
import re
from decimal import Decimal

from lxml import etree, html as lxml_html

from odoo.tests import tagged

from .common import SyncoCase


def _text(node):
    return _spaced(node.text_content())


def _spaced(text):
    return re.sub(r"\s+", " ", text).strip()


def _invoice_html(env, invoice):
    content = env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)[0]
    return lxml_html.fromstring(content)


def _paid(order):
    return order["displayFinancialStatus"] == "PAID" and not order["cancelledAt"] and not order["test"]


@tagged("post_install", "-at_install")
class TestTaxSummary(SyncoCase):
    def test_each_shopify_tax_prints_under_its_own_name_and_amount(self):
        """Texas 6.25% + Austin 1% + MTA 1% read as three lines of the tax summary, each
        with Shopify's title, rate and amount; not one "Tax 15%" line."""
        stored = next(o for o in self.sim.data.orders if _paid(o) and not o["refunds"]
                      and {"TX State Tax", "Austin City Tax", "Austin MTA Transit Tax"}
                      <= {t["title"] for t in o["currentTaxLines"]})
        order = self.list_orders([stored])
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)

        expected = {}
        for tax in stored["currentTaxLines"]:
            label = "%s %s%%" % (tax["title"], format(Decimal(str(tax["ratePercentage"])).normalize(), "f"))
            expected[label] = expected.get(label, Decimal(0)) + Decimal(tax["priceSet"]["shopMoney"]["amount"])
        currency = invoice.currency_id
        expected = {label: _spaced(currency.format(float(amount))) for label, amount in expected.items()}

        page = _invoice_html(self.env, invoice)
        printed = {}
        for row in page.xpath("//tr[contains(@class, 'o_taxes')]"):
            cells = row.xpath("./td")
            printed[_text(cells[0]).split(" on ")[0]] = _text(cells[-1])
        self.assertEqual(printed, expected)
        self.assertNotIn("Tax 15%", _text(page))

        # The tax closing still books them where it booked the company's sale tax.
        template_group = self.company.account_sale_tax_id.tax_group_id
        for group in invoice.line_ids.tax_ids.tax_group_id:
            self.assertEqual(group.tax_payable_account_id, template_group.tax_payable_account_id)
            self.assertEqual(group.tax_receivable_account_id, template_group.tax_receivable_account_id)
            self.assertEqual(group.country_id, self.company.account_sale_tax_id.country_id)

    def test_a_tax_group_of_that_name_is_reused(self):
        """Another store, or the accountant, made "CA State Tax 7.25%": a new tax joins it."""
        other = self.store.copy({"name": "Second store", "shop_domain": "second-docs.myshopify.com"})
        first, second = self.env["shopify.tax.mapping"].create([
            {"store_id": self.store.id, "title": "CA State Tax", "rate": 0.0725},
            {"store_id": other.id, "title": "CA State Tax", "rate": 0.0725, "price_include": True}])
        (first | second).action_create_missing_taxes()
        self.assertNotEqual(first.tax_id, second.tax_id)
        self.assertEqual(first.tax_id.tax_group_id.name, "CA State Tax 7.25%")
        self.assertEqual(first.tax_id.tax_group_id, second.tax_id.tax_group_id)


@tagged("post_install", "-at_install")
class TestDiscountsReadable(SyncoCase):
    def test_a_discounted_line_says_its_discount_without_the_discount_column(self):
        """The company does not use discounts on lines, so the invoice form hides the
        discount column: the line's description says Shopify's discount, amount and title,
        on the invoice, its printout and the sale order."""
        group = "product.group_discount_per_so_line"
        self.assertFalse(self.env.user.has_group(group), "the company does not show line discounts")
        candidates = [o for o in self.sim.data.orders if _paid(o) and not o["refunds"] and any(
            line["discountAllocations"] and line["currentQuantity"] == line["quantity"] for line in o["lineItems"])]
        self.assertTrue(candidates)
        order = self.list_orders(candidates[:3])
        order.action_sync()
        self.assertEqual(set(order.mapped("sync_state")), {"synced"}, order.mapped("sync_error"))
        checked = 0
        for stored in candidates[:3]:
            record = order.filtered(lambda o: o.shopify_gid == stored["id"])
            invoice = record.invoice_ids
            page = _invoice_html(self.env, invoice)
            cells = {_text(td) for td in page.xpath("//td[@name='account_invoice_line_name']")}
            for line in stored["lineItems"]:
                if not line["discountAllocations"]:
                    continue
                amount = sum(Decimal(a["allocatedAmountSet"]["shopMoney"]["amount"])
                             for a in line["discountAllocations"])
                titles = {a["discountApplication"].get("code") or a["discountApplication"].get("title")
                          for a in line["discountAllocations"]}
                odoo_line = invoice.invoice_line_ids.filtered(lambda l: l.shopify_line_gid == line["id"])
                if len(odoo_line) != 1:
                    continue  # a discount Odoo's percentage cannot carry has a line of its own
                said = "-" + invoice.currency_id.format(float(amount))
                with self.subTest(line=line["name"]):
                    self.assertIn(said, odoo_line.name)
                    for title in titles:
                        self.assertIn(title, odoo_line.name)
                    self.assertTrue(any(line["name"] in cell and _spaced(said) in cell for cell in cells), cells)
                    self.assertIn(said, record.sale_order_id.order_line.filtered(
                        lambda l: l.shopify_line_gid == line["id"]).name)
                    checked += 1
        self.assertTrue(checked, "no discount was folded into a line")
        self.assertFalse(self.env.user.has_group(group), "the company's setting is left alone")


@tagged("post_install", "-at_install")
class TestPaymentGateways(SyncoCase):
    def _account(self):
        return self.env["account.account"].create({
            "code": "101999", "name": "Shopify payments to sort out", "account_type": "asset_current",
            "reconcile": True})

    def _gift_card_order(self):
        stored = next(o for o in self.pick("gift_card_payment", 2) if "gift_card" in o["paymentGatewayNames"])
        return stored, self.list_orders([stored])

    def test_an_unmapped_gateway_fails_the_order_naming_it(self):
        # A default journal set, as stores had it: it no longer takes unmapped gateways silently.
        self.store.default_payment_journal_id = self.bank
        self.store.gateway_mapping_ids.filtered(lambda m: m.gateway == "gift_card").unlink()
        _stored, order = self._gift_card_order()
        order.action_sync()
        self.assertEqual(order.sync_state, "failed")
        self.assertIn("“gift_card”", order.sync_error)
        self.assertFalse(self.env["account.payment"].search([("shopify_order_id", "=", order.id)]))
        # Its invoice was posted before the payment failed: account's post-commit hook must not
        # raise the rank of a customer the rollback removed (the commit would then fail).
        ranks = self.env.cr.postcommit.data.get("account.res.partner.increase_rank.customer_rank") or {}
        self.assertEqual(self.env["res.partner"].browse(list(ranks)).exists().ids, list(ranks))

    def test_an_unmapped_gateway_is_booked_on_the_account_the_store_names(self):
        account = self._account()
        self.store.write({"unmapped_gateway_policy": "account", "unmapped_gateway_account_id": account.id,
                          "default_payment_journal_id": self.bank.id})
        self.store.gateway_mapping_ids.filtered(lambda m: m.gateway == "gift_card").unlink()
        stored, order = self._gift_card_order()
        order.action_sync()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        by_gateway = {}
        for payment in order.payment_ids:
            gateway = next(t["gateway"] for t in stored["transactions"] if t["id"] == payment.shopify_transaction_gid)
            by_gateway.setdefault(gateway, self.env["account.payment"])
            by_gateway[gateway] |= payment
        gift = by_gateway.pop("gift_card")
        self.assertEqual(gift.journal_id, self.bank)
        self.assertEqual(gift.outstanding_account_id, account)
        self.assertIn(account, gift.move_id.line_ids.account_id)
        for payments in by_gateway.values():  # mapped gateways keep their journal's own account
            self.assertNotIn(account, payments.outstanding_account_id)

    def test_the_store_lists_the_gateways_of_imported_orders_that_have_no_mapping(self):
        stored = self.pick("multi_gateway", 3) + self.pick("gift_card_payment", 1)
        orders = self.list_orders(stored)
        for data in stored:
            self.assertEqual(orders.filtered(lambda o: o.shopify_gid == data["id"]).payment_gateway_names,
                             ", ".join(data["paymentGatewayNames"]))
        seen = sorted({g for data in stored for g in data["paymentGatewayNames"]})
        unmapped = [g for g in seen if g != "shopify_payments"]
        self.assertTrue(unmapped)
        self.store.gateway_mapping_ids.filtered(lambda m: m.gateway != "shopify_payments").unlink()
        self.assertEqual(self.store.unmapped_gateways, ", ".join(unmapped))

        # An order listed before the header carried its gateways gets them from a re-import.
        first = orders.filtered(lambda o: o.shopify_gid == stored[0]["id"])
        first.sudo().payment_gateway_names = False
        self.list_orders(stored[:1])
        self.assertEqual(first.payment_gateway_names, ", ".join(stored[0]["paymentGatewayNames"]))

        self.store.action_map_unmapped_gateways()
        self.assertFalse(self.store.unmapped_gateways)
        self.assertEqual(sorted(self.store.gateway_mapping_ids.mapped("gateway")), seen)
        form = self.env["shopify.store"].get_views([(False, "form")])["views"]["form"]["arch"]
        banner = etree.fromstring(form).xpath("//div[contains(@class, 'o_shopify_unmapped_gateways')]")
        self.assertTrue(banner and banner[0].xpath(".//field[@name='unmapped_gateways']"))
        self.assertTrue(banner[0].xpath(".//button[@name='action_map_unmapped_gateways']"))


@tagged("post_install", "-at_install")
class TestTaxRateShownOnce(SyncoCase):
    def test_the_tax_mappings_show_the_rate_as_a_percentage(self):
        """Stored as Shopify gives it (0.0725), shown and typed as "7.25%" like the mapping's name."""
        mapping = self.env["shopify.tax.mapping"].create(
            {"store_id": self.store.id, "title": "CA State Tax", "rate": 0.0725})
        self.assertEqual(mapping.display_name, "CA State Tax 7.25%")
        self.assertEqual(mapping.rate, 0.0725)
        store_form = self.env["shopify.store"].get_views([(False, "form")])["views"]["form"]["arch"]
        mapping_list = self.env["shopify.tax.mapping"].get_views([(False, "list")])["views"]["list"]["arch"]
        for arch, path in ((store_form, "//field[@name='tax_mapping_ids']//field[@name='rate']"),
                           (mapping_list, "//field[@name='rate']")):
            rate = etree.fromstring(arch).xpath(path)
            self.assertEqual(len(rate), 1)
            self.assertEqual(rate[0].get("widget"), "percentage")
            self.assertIn("hide_trailing_zeros", rate[0].get("options", ""))
