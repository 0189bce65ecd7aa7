from odoo import fields, models

from .sale_order_line import LINE_KINDS


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    shopify_line_kind = fields.Selection(LINE_KINDS, readonly=True, copy=False)
    shopify_line_gid = fields.Char(readonly=True, copy=False)
