from odoo import fields, models


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
