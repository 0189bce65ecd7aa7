from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ShopifyTaxMapping(models.Model):
    """One Shopify tax line kind (title, rate, included) -> one Odoo tax.

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
    tax_id = fields.Many2one(
        "account.tax", string="Odoo tax", check_company=True, domain="[('type_tax_use', '=', 'sale')]",
    )

    _key_unique = models.UniqueIndex(
        "(store_id, title, rate, price_include)", "This Shopify tax is already mapped.",
    )

    @api.depends("title", "rate", "price_include")
    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = "%s %s%%%s" % (
                mapping.title, _percent(mapping.rate), _(" incl.") if mapping.price_include else "",
            )

    def action_create_missing_taxes(self):
        """Create an Odoo tax for each mapping that has none, by copying the company's
        default sale tax so that accounts and repartition lines are right."""
        for mapping in self.filtered(lambda m: not m.tax_id):
            mapping.tax_id = mapping._create_tax()
        return True

    def _create_tax(self):
        self.ensure_one()
        company = self.store_id.company_id
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
        name = _("%(title)s %(rate)s%% (Shopify%(incl)s)", title=self.title,
                 rate=_percent(self.rate), incl=_(", incl.") if self.price_include else "")
        Tax = self.env["account.tax"].with_context(active_test=False)
        same_name = Tax.search([*Tax._check_company_domain(company), ("type_tax_use", "=", "sale"),
                                ("name", "=", name)], limit=1)
        if same_name:
            # Another store of the company (or an earlier mapping) made this very tax.
            if (abs(same_name.amount - float(Decimal(str(self.rate)) * 100)) < 1e-6
                    and same_name.price_include == self.price_include and same_name.active):
                return same_name
            name = f"{name} [{self.store_id.name}]"
        return template.with_company(company).copy({
            "name": name,
            "tax_group_id": self._tax_group(template).id,
            "amount": float(Decimal(str(self.rate)) * 100),
            "amount_type": "percent",
            "type_tax_use": "sale",
            "price_include_override": "tax_included" if self.price_include else "tax_excluded",
            "include_base_amount": False,
            "is_base_affected": False,
            "invoice_label": self.title,
        })

    def _tax_group(self, template):
        """The group an invoice's tax summary prints this tax under: what Shopify calls it
        ("TX State Tax 6.25%"). Odoo sums a document's taxes per group, so a group per
        title, rate and country keeps Texas, Austin and the MTA on lines of their own. A
        group of that name and country is reused (another store's, or the accountant's);
        a new one takes the accounts of the template's group, so that the tax closing
        books it where it booked the template."""
        self.ensure_one()
        name = "%s %s%%" % (self.title, _percent(self.rate))
        source = template.tax_group_id
        Group = self.env["account.tax.group"]
        group = Group.search([*Group._check_company_domain(template.company_id), ("name", "=", name),
                              ("country_id", "=", template.country_id.id)], limit=1)
        return group or Group.create({
            "name": name,
            "company_id": template.company_id.id,
            "country_id": template.country_id.id,
            "sequence": source.sequence,
            "tax_payable_account_id": source.tax_payable_account_id.id,
            "tax_receivable_account_id": source.tax_receivable_account_id.id,
            "advance_tax_payment_account_id": source.advance_tax_payment_account_id.id,
            "preceding_subtotal": source.preceding_subtotal,
        })


def _percent(rate):
    return format(Decimal(str(rate)) * 100, "f").rstrip("0").rstrip(".") or "0"
