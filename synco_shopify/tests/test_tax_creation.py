"""Taxes Synco creates on demand land in the right tax report lines: they copy the grids of
the company's tax of the same rate, use and country; another country's rate gets that country
(or, without a foreign VAT there, no grid and a note saying what to set up); taxes the sales
channel remits book to the store's account, outside the tax report. The store lists what
needs a look."""
from decimal import Decimal

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SyncoCase


def _amount(bag):
    return Decimal(bag["shopMoney"]["amount"])


class TaxCase(SyncoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = cls.company.account_fiscal_country_id
        Tag = cls.env["account.account.tag"]
        cls.base_grid, cls.tax_grid, cls.other_grid = (
            Tag.create({"name": name, "applicability": "taxes", "country_id": cls.home.id})
            for name in ("Grid 625 base", "Grid 625 tax", "Grid default"))
        # The accountant's own 6.25 % sale tax, on its report lines.
        cls.own = cls.env["account.tax"].create({
            "name": "Sales tax 6.25%", "amount": 6.25, "type_tax_use": "sale", "company_id": cls.company.id,
            "invoice_repartition_line_ids": cls._lines(cls.base_grid, cls.tax_grid),
            "refund_repartition_line_ids": cls._lines(cls.base_grid, cls.tax_grid),
        })
        # The company's default sale tax is another rate's: its grids must never be copied.
        cls.company.account_sale_tax_id.invoice_repartition_line_ids.tag_ids = [Command.set(cls.other_grid.ids)]

    @classmethod
    def _lines(cls, base, tax):
        account = cls.company.account_sale_tax_id.invoice_repartition_line_ids.filtered(
            lambda l: l.repartition_type == "tax").account_id
        return [Command.create({"repartition_type": "base", "tag_ids": [Command.set(base.ids)]}),
                Command.create({"repartition_type": "tax", "account_id": account.id,
                                "tag_ids": [Command.set(tax.ids)]})]

    def mapping(self, title, rate, country=None, **values):
        mapping = self.env["shopify.tax.mapping"].create({
            "store_id": self.store.id, "title": title, "rate": rate,
            "country_id": country.id if country else False, **values})
        mapping.action_create_missing_taxes()
        return mapping

    def grids(self, tax):
        return {(l.document_type, l.repartition_type): l.tag_ids
                for l in tax.invoice_repartition_line_ids | tax.refund_repartition_line_ids}


@tagged("post_install", "-at_install", "synco")
class TestCreatedTaxes(TaxCase):
    shop_orders = 2

    def test_a_rate_the_company_has_takes_its_grids_and_needs_no_look(self):
        mapping = self.mapping("TX State Tax", 0.0625)
        tax = mapping.tax_id
        self.assertNotEqual(tax, self.own, "Shopify's title stays its own tax")
        self.assertEqual(self.grids(tax), self.grids(self.own))
        self.assertEqual(tax.country_id, self.home)
        self.assertFalse(mapping.review)
        self.assertEqual(self.store.tax_review_count, 0)

    def test_a_rate_the_company_lacks_gets_no_grid_and_a_note_on_the_store(self):
        mapping = self.mapping("Cook County Tax", 0.0175)
        tax = mapping.tax_id
        self.assertEqual(tax.amount, 1.75)
        self.assertFalse(tax.invoice_repartition_line_ids.tag_ids | tax.refund_repartition_line_ids.tag_ids,
                         "the default tax's grids are another rate's report lines")
        self.assertEqual(mapping.review, "no_grid")
        self.assertEqual(self.store.tax_review_count, 1)
        self.assertIn("Cook County Tax", self.store.tax_review_text)
        # The merchant's own choice of tax clears the note.
        mapping.tax_id = self.own
        self.assertFalse(mapping.review)
        self.assertEqual(self.store.tax_review_count, 0)

    def test_an_order_abroad_at_a_home_rate_is_the_companys_tax(self):
        germany = self.env.ref("base.de")
        mapping = self.mapping("TX State Tax", 0.0625, country=germany, price_include=True)
        self.assertEqual(mapping.tax_id.country_id, self.home)
        self.assertEqual(self.grids(mapping.tax_id), self.grids(self.own))
        self.assertTrue(mapping.tax_id.price_include)

    def test_another_countrys_rate_without_a_foreign_vat_stays_home_without_grid(self):
        france = self.env.ref("base.fr")
        mapping = self.mapping("FR TVA", 0.2, country=france, price_include=True)
        tax = mapping.tax_id
        self.assertEqual(tax.country_id, self.home, "Odoo takes no French tax on this company's invoices")
        self.assertFalse(tax.invoice_repartition_line_ids.tag_ids)
        self.assertEqual(mapping.review, "foreign_unregistered")
        self.assertIn("France", self.store.tax_review_text)
        self.assertIn("foreign tax ID", self.store.tax_review_text)
        self.assertFalse(self.company.multi_vat_foreign_country_ids, "Synco set nothing up itself")

    def test_another_countrys_rate_with_a_foreign_vat_gets_that_country(self):
        france = self.env.ref("base.fr")
        self.env["account.fiscal.position"].create({
            "name": "France (foreign VAT)", "company_id": self.company.id, "country_id": france.id,
            "foreign_vat": "FR23334175221", "auto_apply": True})
        mapping = self.mapping("FR TVA", 0.2, country=france, price_include=True)
        tax = mapping.tax_id
        self.assertEqual(tax.country_id, france)
        self.assertEqual(tax.tax_group_id.country_id, france)
        self.assertFalse(tax.invoice_repartition_line_ids.tag_ids, "no domestic grid on France's tax")
        self.assertEqual(mapping.review, "foreign")

    def test_the_channels_tax_needs_an_account_before_it_is_made(self):
        self.store.channel_tax_account_id = False
        with self.assertRaisesRegex(Exception, "remitted by the sales channel"):
            self.mapping("TX State Tax", 0.0625, channel_liable=True)

    def test_the_channels_tax_books_on_the_stores_liability_outside_the_report(self):
        account = self.env["account.account"].create(
            {"name": "Taxes collected by marketplaces", "code": "219700", "account_type": "liability_current"})
        self.store.channel_tax_account_id = account
        mine, channels = self.mapping("TX State Tax", 0.0625), self.mapping("TX State Tax", 0.0625, channel_liable=True)
        self.assertNotEqual(mine.tax_id, channels.tax_id)
        tax_lines = channels.tax_id.invoice_repartition_line_ids.filtered(lambda l: l.repartition_type == "tax")
        self.assertEqual(tax_lines.account_id, account)
        self.assertFalse(tax_lines.use_in_tax_closing, "the channel remits it, not the merchant's closing")
        self.assertFalse(channels.tax_id.invoice_repartition_line_ids.tag_ids)
        self.assertEqual(channels.review, "channel")
        # Treated as the merchant's output tax, it is the merchant's tax of that title.
        self.store.channel_tax_policy = "output"
        output = self.mapping("NJ State Tax", 0.0625, channel_liable=True)
        self.assertEqual(self.grids(output.tax_id), self.grids(self.own))

    def test_the_channel_account_is_a_liability(self):
        income = self.env["account.account"].search(
            [("account_type", "=", "income"), ("company_ids", "in", self.company.id)], limit=1)
        with self.assertRaises(ValidationError):
            self.store.channel_tax_account_id = income

    def test_the_store_form_shows_the_banner_and_the_setting(self):
        arch = self.env["shopify.store"].get_view(view_type="form")["arch"]
        for name in ("tax_review_text", "channel_tax_policy", "channel_tax_account_id"):
            self.assertIn(f'name="{name}"', arch)


@tagged("post_install", "-at_install", "synco")
class TestChannelLiableOrders(TaxCase):
    """Marketplace orders: every tax line channelLiable (the simulator's scenario)."""

    shop_orders = 4
    forced_scenarios = ["channel_liable"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel_account = cls.env["account.account"].create(
            {"name": "Taxes collected by marketplaces", "code": "219700", "account_type": "liability_current"})
        cls.store.write({"channel_tax_account_id": cls.channel_account.id, "invoice_policy": "all"})

    def sync(self, stored):
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        return order

    def test_the_channels_tax_is_on_its_account_and_the_totals_are_shopifys(self):
        stored = self.pick("channel_liable")[0]
        order = self.sync(stored)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        invoice = self.env["account.move"].search([("shopify_order_id", "=", order.id),
                                                   ("move_type", "=", "out_invoice")])
        self.assertEqual(Decimal(str(invoice.amount_total)), _amount(stored["currentTotalPriceSet"]))
        tax_lines = invoice.line_ids.filtered(lambda l: l.display_type == "tax")
        self.assertTrue(tax_lines)
        self.assertEqual(tax_lines.account_id, self.channel_account)
        self.assertEqual(Decimal(str(round(-sum(tax_lines.mapped("balance")), 2))),
                         _amount(stored["currentTotalTaxSet"]))
        self.assertFalse(invoice.line_ids.tax_tag_ids, "not the merchant's output tax: on no report line")
        mappings = self.store.tax_mapping_ids
        self.assertTrue(mappings and all(mappings.mapped("channel_liable")))
        self.assertEqual(set(mappings.mapped("review")), {"channel"})

    def test_without_the_account_the_order_fails_saying_what_to_choose(self):
        self.store.channel_tax_account_id = False
        order = self.sync(self.pick("channel_liable")[0])
        self.assertNotEqual(order.sync_state, "synced")
        self.assertIn("remitted by the sales channel", order.sync_error)


@tagged("post_install", "-at_install", "synco")
class TestOrdersAbroad(SyncoCase):
    """A US shop's orders to other countries (presentment currency): their rates are not the
    company's, so their taxes are the destination's."""

    shop_orders = 3
    forced_scenarios = ["presentment_currency"]

    def test_a_foreign_rate_is_noted_with_the_orders_country(self):
        stored = next(o for o in self.sim.data.orders if o["currentTaxLines"])
        order = self.list_orders([stored])
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        code = (stored["shippingAddress"] or stored["billingAddress"])["countryCodeV2"]
        mappings = self.store.tax_mapping_ids
        self.assertTrue(mappings)
        self.assertEqual(mappings.country_id.code, code)
        self.assertEqual(set(mappings.mapped("review")), {"foreign_unregistered"})
        home = self.company.account_fiscal_country_id
        self.assertEqual(mappings.tax_id.country_id, home, "Odoo refuses the destination's tax without a foreign VAT")
        self.assertFalse(mappings.tax_id.invoice_repartition_line_ids.tag_ids)
        self.assertIn(mappings.country_id[:1].name, self.store.tax_review_text)
