from odoo import fields, models


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "shopify.document.link.mixin"]
    _shopify_links = ('shopify_order_id', 'shopify_transaction_gid')

    shopify_order_id = fields.Many2one(
        "shopify.order", readonly=True, copy=False, index="btree_not_null", ondelete="restrict")
    shopify_transaction_gid = fields.Char(readonly=True, copy=False)

    # One payment per Shopify transaction, whatever retries or concurrent workers do.
    _shopify_transaction_unique = models.UniqueIndex(
        "(shopify_transaction_gid) WHERE shopify_transaction_gid IS NOT NULL",
        "This Shopify transaction is already registered as a payment.",
    )
