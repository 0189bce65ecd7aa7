"""Where a store's payments go when their gateway has no mapping, and which gateways
of the imported orders have none.

A payment booked on the Bank journal's own outstanding account looks like money on its
way to the bank: gift cards, store credit or a PayPal balance never arrive there, and the
bank reconciliation shows them as missing weeks later. So an unmapped gateway either
fails its order, naming the gateway, or is booked explicitly on an account the store names.
"""
from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError


class ShopifyStore(models.Model):
    _inherit = "shopify.store"

    unmapped_gateway_policy = fields.Selection(
        [("fail", "Fail the order, naming the gateway"),
         ("account", "Book the payment on an outstanding account")],
        string="Unmapped gateways", default="fail", required=True, tracking=True,
        help="A Shopify payment whose gateway has no mapping: its order fails until the gateway "
        "is mapped, or the payment is booked in the journal below with the outstanding account "
        "below, where the accountant finds it.",
    )
    unmapped_gateway_account_id = fields.Many2one(
        "account.account", string="Outstanding account", check_company=True, tracking=True,
        domain="[('account_type', 'in', ('asset_current', 'liability_current')), ('reconcile', '=', True)]",
        help="Holds the payments of unmapped gateways until the accountant books them where they belong.",
    )
    unmapped_gateways = fields.Char(
        string="Gateways without a mapping", compute="_compute_unmapped_gateways",
        help="Gateways that imported orders were paid through and that have no mapping on this store.",
    )

    @api.constrains("unmapped_gateway_policy", "unmapped_gateway_account_id", "default_payment_journal_id")
    def _check_unmapped_gateway_account(self):
        for store in self.filtered(lambda s: s.unmapped_gateway_policy == "account"):
            if not (store.unmapped_gateway_account_id and store.default_payment_journal_id):
                raise ValidationError(_(
                    "Store %s books unmapped gateways on an outstanding account: choose the account "
                    "and the journal of those payments.", store.name))

    def copy_data(self, default=None):
        # A copy for another company cannot keep this company's account (nor, in the base
        # store, its journal): it fails unmapped gateways until its own are chosen.
        vals_list = super().copy_data(default=default)
        company_id = (default or {}).get("company_id")
        for store, vals in zip(self, vals_list):
            account = store.unmapped_gateway_account_id
            if company_id and account and company_id not in account.company_ids.ids:
                vals["unmapped_gateway_account_id"] = False
            if not (vals.get("unmapped_gateway_account_id") and vals.get("default_payment_journal_id")):
                vals["unmapped_gateway_policy"] = "fail"
        return vals_list

    @api.depends("gateway_mapping_ids.gateway")
    def _compute_unmapped_gateways(self):
        seen = self.env["shopify.gateway.mapping"]._gateways_seen(self)
        for store in self:
            mapped = set(store.gateway_mapping_ids.mapped("gateway"))
            store.unmapped_gateways = ", ".join(g for g in seen.get(store.id, ()) if g not in mapped) or False

    def action_map_unmapped_gateways(self):
        """One mapping per unmapped gateway, on a journal the merchant then checks (the form
        shows them in the list, and says so)."""
        self.ensure_one()
        self.check_access("write")
        seen = self.env["shopify.gateway.mapping"]._gateways_seen(self).get(self.id, ())
        mapped = set(self.gateway_mapping_ids.mapped("gateway"))
        missing = [g for g in seen if g not in mapped]
        if missing:
            Mapping = self.env["shopify.gateway.mapping"]
            self.write({"gateway_mapping_ids": [
                Command.create({"gateway": gateway, "journal_id": Mapping._suggested_journal(self, gateway).id})
                for gateway in missing]})
        return True
