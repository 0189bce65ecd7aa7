from odoo import api, fields, models

from ..services.document_links import refuse_link_changes


class AccountPayment(models.Model):
    _inherit = "account.payment"

    shopify_order_id = fields.Many2one(
        "shopify.order", readonly=True, copy=False, index="btree_not_null", ondelete="restrict")
    shopify_transaction_gid = fields.Char(readonly=True, copy=False)

    # One payment per Shopify transaction, whatever retries or concurrent workers do.
    _shopify_transaction_unique = models.UniqueIndex(
        "(shopify_transaction_gid) WHERE shopify_transaction_gid IS NOT NULL",
        "This Shopify transaction is already registered as a payment.",
    )

    _SHOPIFY_LINKS = ('shopify_order_id', 'shopify_transaction_gid')

    @api.model_create_multi
    def create(self, vals_list):
        refuse_link_changes(self, vals_list, self._SHOPIFY_LINKS)
        return super().create(vals_list)

    def write(self, vals):
        refuse_link_changes(self, [vals], self._SHOPIFY_LINKS)
        return super().write(vals)
