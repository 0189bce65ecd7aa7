from decimal import Decimal

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# Why a tax Synco created needs the merchant's look (the store's banner lists them).
REVIEW = [
    ("no_grid", "No tax grid"),
    ("foreign", "Another country's tax"),
    ("foreign_unregistered", "Another country's tax, no foreign VAT"),
    ("channel", "Remitted by the sales channel"),
]


class ShopifyTaxMapping(models.Model):
    """One Shopify tax line kind (title, rate, included, remitted by whom) -> one Odoo tax.

    Two Shopify tax lines with the same rate but different titles (state and county,
    say) stay two mappings and two taxes, so the invoice shows what Shopify charged.
    """

    _name = "shopify.tax.mapping"
    _description = "Shopify tax mapping"
    # Its journal, warehouse, tax or product belong to the store\'s company (Odoo checks on save).
    _check_company_auto = True
    _order = "store_id, title, rate"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    title = fields.Char(required=True)
    # Stored as Shopify gives it (a fraction, 0.08875), shown and typed as a percentage (8.875%).
    rate = fields.Float(digits=(16, 6), required=True, help="Shopify's rate, e.g. 8.875%")
    price_include = fields.Boolean(string="Included in price")
    channel_liable = fields.Boolean(
        string="Remitted by the channel", help="Shopify's channelLiable: the sales channel (a marketplace) "
        "remits this tax, not the merchant.")
    # A Shopify tax line names no country: the sync notes where the order that first brought
    # it went (shipping address, else billing). Empty: the company's own.
    country_id = fields.Many2one("res.country", string="Order's country")
    tax_id = fields.Many2one(
        "account.tax", string="Odoo tax", check_company=True, domain="[('type_tax_use', '=', 'sale')]",
    )
    review = fields.Selection(REVIEW, string="To check", help="Why the tax Synco created needs a look.")

    _key_unique = models.UniqueIndex(
        "(store_id, title, rate, price_include, channel_liable)", "This Shopify tax is already mapped.",
    )

    @api.depends("title", "rate", "price_include", "channel_liable")
    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = "%s %s%%%s%s" % (
                mapping.title, _percent(mapping.rate), _(" incl.") if mapping.price_include else "",
                _(" (channel)") if mapping.channel_liable else "",
            )

    def write(self, vals):
        # A tax the merchant chose is theirs: the note about Synco's tax no longer applies.
        if vals.get("tax_id") and "review" not in vals:
            vals = {**vals, "review": False}
        return super().write(vals)

    def action_create_missing_taxes(self):
        """Create an Odoo tax for each mapping that has none (see ``_create_tax``)."""
        for mapping in self.filtered(lambda m: not m.tax_id):
            tax, review = mapping._create_tax()
            # After the tax: ``write`` clears the review when only the tax is set.
            mapping.write({"tax_id": tax.id, "review": review})
        return True

    # -- creation ------------------------------------------------------------------------
    def _create_tax(self):
        """(tax, review) for this mapping. Copies the company's tax of the same rate, use and
        country, so the tax lands on the same tax report lines (grids) and accounts; with none,
        a copy of the company's sale tax without its grids (they are another rate's) and a
        review note. A tax the channel remits books to the store's account, with no grid."""
        self.ensure_one()
        company = self.store_id.company_id
        amount = float(Decimal(str(self.rate)) * 100)
        channel = self.channel_liable and self.store_id.channel_tax_policy == "account"
        if channel and not self.store_id.channel_tax_account_id:
            raise UserError(_(
                "Shopify tax %(tax)s is remitted by the sales channel (a marketplace), not by you: choose the "
                "account such taxes are booked on (store %(store)s > Creation > Accounting), or have them "
                "booked as your output tax.", tax=self.display_name, store=self.store_id.name))
        # The channel's tax is not the merchant's to declare in any country: it stays in the
        # company's own, which every invoice accepts.
        country, review = (company.account_fiscal_country_id, False) if channel else self._tax_country(amount)
        sibling = self.env["account.tax"] if channel else self._sibling(country, amount)
        template = sibling or self._template(company)
        if channel:
            review = "channel"
        elif not sibling and not review:
            review = "no_grid"
        existing, name = self._existing(company, self._tax_name(country, channel), country, amount)
        if existing:
            return existing, review
        tax = template.with_company(company).copy({
            "name": name,
            "country_id": country.id,
            "tax_group_id": self._tax_group(template, country, channel).id,
            "amount": amount,
            "amount_type": "percent",
            "type_tax_use": "sale",
            "price_include_override": "tax_included" if self.price_include else "tax_excluded",
            "include_base_amount": False,
            "is_base_affected": False,
            "invoice_label": self.title,
        })
        lines = tax.invoice_repartition_line_ids | tax.refund_repartition_line_ids
        if channel:
            # Owed to (or already settled by) the channel: not the merchant's tax to declare,
            # so no grid, and out of the tax closing that would move it to tax payable.
            lines.tag_ids = [Command.clear()]
            lines.filtered(lambda l: l.repartition_type == "tax").write({
                "account_id": self.store_id.channel_tax_account_id.id, "use_in_tax_closing": False})
        elif not sibling:
            # The template's grids are another rate's (or another country's) report lines.
            lines.tag_ids = [Command.clear()]
        return tax, review

    def _tax_country(self, amount):
        """(country of the tax, review). The order's country when it is not the company's and
        the company charges no tax of that rate at home (a German shop's 19 % on a parcel to
        Austria is German VAT; 20 % there is Austria's, OSS). Odoo accepts another country's
        tax on an invoice only under a fiscal position with a foreign tax ID for that country
        (account.move _validate_taxes_country); without one, the tax stays in the company's
        country, without a grid, and the store says what to set up: Synco changes no setting."""
        company = self.store_id.company_id
        home = company.account_fiscal_country_id
        order_country = self.country_id
        if not order_country or order_country == home or self._sibling(home, amount):
            return home, False
        if order_country in company.multi_vat_foreign_country_ids:
            return order_country, "foreign"
        return home, "foreign_unregistered"

    def _sibling(self, country, amount):
        """The company's own sale tax of this rate and country, whose grids and accounts a new
        tax reuses: same price-included mode first, else the other (grids do not depend on it)."""
        Tax = self.env["account.tax"]
        company = self.store_id.company_id
        found = Tax.search([
            *Tax._check_company_domain(company), ("type_tax_use", "=", "sale"), ("amount_type", "=", "percent"),
            ("country_id", "=", country.id), ("id", "not in", self._synco_taxes().ids),
        ]).filtered(lambda t: float_compare(t.amount, amount, precision_digits=4) == 0)
        return found.sorted(lambda t: (t.price_include != self.price_include, t.sequence, t.id))[:1]

    def _synco_taxes(self):
        """Taxes Synco made without grids: never a model for the grids of another."""
        return self.search([("company_id", "=", self.store_id.company_id.id), ("review", "!=", False)]).tax_id

    def _template(self, company):
        template = company.account_sale_tax_id
        if not template:
            template = self.env["account.tax"].search([
                *self.env["account.tax"]._check_company_domain(company),
                ("type_tax_use", "=", "sale"), ("amount_type", "=", "percent"),
            ], limit=1)
        if not template:
            raise UserError(_(
                "Company %s has no sale tax to copy: install a chart of accounts or create a "
                "sale tax, then map the Shopify tax %s.", company.name, self.display_name,
            ))
        return template

    def _tax_name(self, country, channel):
        return _("%(title)s %(rate)s%% (Shopify%(incl)s%(channel)s)", title=self.title, rate=_percent(self.rate),
                 incl=_(", incl.") if self.price_include else "",
                 channel=_(", channel remits") if channel else "")

    def _existing(self, company, name, country, amount):
        """(tax, name): the tax of that name another store (or an earlier mapping) made when it
        is this very tax; else no tax, and a name free of a different tax's."""
        Tax = self.env["account.tax"].with_context(active_test=False)
        same_name = Tax.search([*Tax._check_company_domain(company), ("type_tax_use", "=", "sale"),
                                ("name", "=", name), ("country_id", "=", country.id)], limit=1)
        if same_name and same_name.active and same_name.price_include == self.price_include and \
                float_compare(same_name.amount, amount, precision_digits=4) == 0:
            return same_name, name
        return Tax, (f"{name} [{self.store_id.name}]" if same_name else name)

    def _tax_group(self, template, country, channel=False):
        """The group an invoice's tax summary prints this tax under: what Shopify calls it
        ("TX State Tax 6.25%"). Odoo sums a document's taxes per group, so a group per
        title, rate and country keeps Texas, Austin and the MTA on lines of their own. A
        group of that name and country is reused (another store's, or the accountant's);
        a new one takes the accounts of the template's group, so that the tax closing
        books it where it booked the template."""
        self.ensure_one()
        name = "%s %s%%" % (self.title, _percent(self.rate))
        if channel:
            name = _("%s (channel remits)", name)
        source = template.tax_group_id
        Group = self.env["account.tax.group"]
        group = Group.search([*Group._check_company_domain(template.company_id), ("name", "=", name),
                              ("country_id", "=", country.id)], limit=1)
        return group or Group.create({
            "name": name,
            "company_id": template.company_id.id,
            "country_id": country.id,
            "sequence": source.sequence,
            "tax_payable_account_id": source.tax_payable_account_id.id,
            "tax_receivable_account_id": source.tax_receivable_account_id.id,
            "advance_tax_payment_account_id": source.advance_tax_payment_account_id.id,
            "preceding_subtotal": source.preceding_subtotal,
        })


def _percent(rate):
    return format(Decimal(str(rate)) * 100, "f").rstrip("0").rstrip(".") or "0"
