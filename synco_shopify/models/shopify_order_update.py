from odoo import Command, api, fields, models


class ShopifyOrderUpdate(models.Model):
    """One entry of a Shopify order's history: what one sync or update did in Odoo
    (which documents it made or changed), in words and as links. Written by the sync
    only (as the integration); users read it on the order's form."""

    _name = "shopify.order.update"
    _description = "Shopify order update"
    _order = "date desc, id desc"
    _rec_name = "date"

    order_id = fields.Many2one("shopify.order", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="order_id.company_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    summary = fields.Text(readonly=True)
    move_ids = fields.Many2many("account.move", string="Journal entries", readonly=True)
    payment_ids = fields.Many2many("account.payment", string="Payments", readonly=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, readonly=True)

    @api.model
    def _record(self, order, summary, moves=None, payments=None):
        """Adds one entry to ``order``'s history; called by the sync after it applied a
        first sync or an update. ``moves``/``payments``: the account.move / account.payment
        records it created or changed (or None). The user is whoever queued the work (a
        job runs as them): the entry says who asked, the sudo only lets it be written."""
        return self.sudo().create({
            "order_id": order.id,
            "summary": summary,
            "move_ids": [Command.set(moves.ids if moves else [])],
            "payment_ids": [Command.set(payments.ids if payments else [])],
            "user_id": self.env.uid,
        })
