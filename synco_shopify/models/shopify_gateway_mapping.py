from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ShopifyGatewayMapping(models.Model):
    """Which journal (and payment method) receives the money of a Shopify payment
    gateway, e.g. shopify_payments -> Bank, gift_card -> Gift cards."""

    _name = "shopify.gateway.mapping"
    _description = "Shopify payment gateway mapping"
    # Its journal, warehouse, tax or product belong to the store\'s company (Odoo checks on save).
    _check_company_auto = True
    _order = "store_id, gateway"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    gateway = fields.Char(required=True, help="Shopify's gateway name, e.g. shopify_payments, paypal, gift_card")
    journal_id = fields.Many2one(
        "account.journal", required=True, check_company=True,
        domain="[('type', 'in', ('bank', 'cash', 'credit'))]",
    )
    payment_method_line_id = fields.Many2one(
        "account.payment.method.line", check_company=True,
        domain="[('journal_id', '=', journal_id), ('payment_type', '=', 'inbound')]",
        help="Leave empty for the journal's first incoming payment method.",
    )

    _gateway_unique = models.UniqueIndex("(store_id, gateway)", "A gateway is mapped once per store.")

    @api.model
    def _gateways_seen(self, stores):
        """{store id: [gateway, ...]}: the gateways of the stores' imported orders, sorted.
        Orders keep Shopify's list as one text; a store has few distinct ones, so one
        grouped read covers any number of orders."""
        groups = self.env["shopify.order"]._read_group(
            [("store_id", "in", stores.ids), ("payment_gateway_names", "!=", False)],
            ["store_id", "payment_gateway_names"])
        seen = {}
        for store, names in groups:
            seen.setdefault(store.id, set()).update(n.strip() for n in names.split(",") if n.strip())
        return {store_id: sorted(names) for store_id, names in seen.items()}

    @api.model
    def _suggested_journal(self, store, gateway):
        """A starting point the merchant checks: cash at the till goes to a cash journal,
        anything else to the store's journal for payments, else the first bank journal."""
        Journal = self.env["account.journal"]
        company_domain = Journal._check_company_domain(store.company_id)
        journal = Journal
        if gateway == "cash":
            journal = Journal.search([*company_domain, ("type", "=", "cash")], limit=1)
        journal = journal or store.default_payment_journal_id or Journal.search(
            [*company_domain, ("type", "=", "bank")], limit=1)
        if not journal:
            raise UserError(_("Company %s has no bank journal to map gateway %s to: create one first.",
                              store.company_id.name, gateway))
        return journal
