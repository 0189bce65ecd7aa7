from odoo import api, models

from ..services.document_links import refuse_link_changes


class ShopifyDocumentLinkMixin(models.AbstractModel):
    """For the documents Synco makes (sale orders, invoices and credit notes, payments): their
    links to Shopify (``_shopify_links``) are set by the integration only, because what Odoo
    holds for an order is read from them."""

    _name = "shopify.document.link.mixin"
    _description = "Links of a document to Shopify"
    _shopify_links = ()

    @api.model_create_multi
    def create(self, vals_list):
        refuse_link_changes(self, vals_list, self._shopify_links)
        return super().create(vals_list)

    def write(self, vals):
        refuse_link_changes(self, [vals], self._shopify_links)
        return super().write(vals)
