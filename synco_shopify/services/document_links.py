"""The links from Odoo's documents to Shopify (which order, which refund or edit, which
transaction) are the integration's: what Odoo holds for an order is read from them, so a
user who rewrites one over RPC could make a sync book a document twice or not at all."""
from odoo import _
from odoo.exceptions import AccessError


def refuse_link_changes(records, values_list, fields):
    """Refuses ``fields`` in create/write values unless the integration (superuser) writes."""
    if records.env.su:
        return
    touched = sorted({name for values in values_list for name in values if name in fields})
    if touched:
        raise AccessError(_("Only the Shopify integration sets %(fields)s on %(model)s.",
                            fields=", ".join(touched), model=records._description))
