"""How a store books the taxes a sales channel remits, and which taxes Synco created need a look.

Shopify marks a tax line ``channelLiable`` when the channel that sold the order (a marketplace)
collects and remits it: it is not the merchant's output tax. By default such a tax books to
a liability account the merchant picks (what the channel owes or settled), with no tax grid;
a store may instead treat it as its own output tax. Taxes Synco creates on demand copy the
grids of the company's tax of the same rate and country; those it could not place are listed
on the store, with what to set up. Synco changes no company setting itself.
"""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .shopify_tax_mapping import REVIEW

_LIABILITIES = ("liability_current", "liability_non_current")


class ShopifyStore(models.Model):
    _inherit = "shopify.store"

    channel_tax_policy = fields.Selection(
        [("account", "On a liability account"), ("output", "As my output tax")],
        string="Taxes remitted by the channel", default="account", required=True, tracking=True,
        help="Taxes Shopify marks channelLiable (a marketplace collects and remits them). On a "
        "liability account: their Odoo tax books them on the account below, outside the tax report. "
        "As my output tax: they are mapped like any other tax.",
    )
    channel_tax_account_id = fields.Many2one(
        "account.account", string="Account for channel-remitted taxes", check_company=True, tracking=True,
        domain="[('account_type', 'in', %s)]" % (_LIABILITIES,),
        help="E.g. 'Taxes collected by marketplaces'. Needed before an order with such a tax is booked.",
    )
    tax_review_count = fields.Integer(compute="_compute_tax_review")
    tax_review_text = fields.Text(compute="_compute_tax_review")

    @api.constrains("channel_tax_account_id")
    def _check_channel_tax_account(self):
        for store in self:
            if store.channel_tax_account_id and store.channel_tax_account_id.account_type not in _LIABILITIES:
                raise ValidationError(_("Store %(store)s: %(account)s is not a liability account.",
                                        store=store.name, account=store.channel_tax_account_id.display_name))

    def copy_data(self, default=None):
        # Another company's store cannot keep this company's account.
        vals_list = super().copy_data(default=default)
        company_id = (default or {}).get("company_id")
        for store, vals in zip(self, vals_list):
            if company_id and company_id != store.company_id.id:
                vals.pop("channel_tax_account_id", None)
        return vals_list

    @api.depends("tax_mapping_ids.review", "tax_mapping_ids.tax_id")
    def _compute_tax_review(self):
        labels = dict(REVIEW)
        for store in self:
            mappings = store.tax_mapping_ids.filtered(lambda m: m.review and m.tax_id)
            store.tax_review_count = len(mappings)
            store.tax_review_text = "\n".join(
                "%s → %s: %s" % (m.display_name, m.tax_id.display_name, _review_advice(m, labels))
                for m in mappings) or False


def _review_advice(mapping, labels):
    country = mapping.country_id.name or ""
    advice = {
        "no_grid": _("the company has no sale tax of this rate to copy the tax grids from; set its "
                     "grids so it appears in the tax report."),
        "foreign": _("%s's tax, booked under your foreign tax ID there; its invoices need that fiscal "
                     "position. Check its grids.", country),
        "foreign_unregistered": _(
            "the order went to %(country)s and your company charges no tax of this rate at home, so this is "
            "likely %(country)s's tax (OSS or a registration there). Odoo only takes another country's tax "
            "under a fiscal position with a foreign tax ID: it was made in your country without a grid, "
            "outside the tax report. Set up OSS (module l10n_eu_oss) or that fiscal position, then give the "
            "tax its country and grids.", country=country),
        "channel": _("the sales channel remits it: booked on %s, outside the tax report.",
                     mapping.store_id.channel_tax_account_id.display_name or _("the store's account")),
    }
    return advice.get(mapping.review) or labels.get(mapping.review, "")
