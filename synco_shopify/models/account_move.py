from odoo import fields, models

DOCUMENT_KINDS = [("sale", "Sale"), ("refund", "Refund"), ("edit", "Order edit")]


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "shopify.document.link.mixin"]
    _shopify_links = ('shopify_order_id', 'shopify_source_gid', 'shopify_document_kind', 'shopify_restocked')

    shopify_order_id = fields.Many2one(
        "shopify.order", readonly=True, copy=False, index="btree_not_null", ondelete="restrict")
    # What in Shopify this document books: the Order (the sale), a Refund, or an
    # OrderEditAgreement (an edit); with the move type, one document per source.
    shopify_source_gid = fields.Char(string="Shopify source", readonly=True, copy=False)
    shopify_document_kind = fields.Selection(DOCUMENT_KINDS, string="Shopify event", readonly=True, copy=False)
    shopify_restocked = fields.Boolean(
        string="Restocked in Shopify", readonly=True, copy=False,
        help="Shopify restocked the items this refund took back; Odoo's own returns handle Odoo's stock.")

    _shopify_source_unique = models.UniqueIndex(
        "(shopify_order_id, shopify_source_gid, move_type) WHERE shopify_source_gid IS NOT NULL",
        "This Shopify sale, refund or edit already has its document.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # An invoice-only order that was synced as a draft now has a number: send it.
        # Whoever posts it (an accountant reviewing drafts) need not see Shopify orders.
        orders = posted.shopify_order_id.sudo().filtered(
            lambda o: not o.sale_order_id and o.sync_state == "synced")
        orders.write({"writeback_state": "pending"})
        return posted
