from odoo import api, fields, models


class ShopifyWebhookDelivery(models.Model):
    """One webhook delivery Shopify made to the intake route: recorded once per
    X-Shopify-Webhook-Id (Shopify retries with the same id), then handled by a job."""

    _name = "shopify.webhook.delivery"
    _description = "Shopify webhook delivery"
    _order = "id desc"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    topic = fields.Char(readonly=True)
    webhook_id = fields.Char(required=True, readonly=True)
    event_id = fields.Char(readonly=True)
    order_gid = fields.Char(string="Shopify order", readonly=True, index=True)
    shopify_updated_at = fields.Datetime(readonly=True, help="The order's updated_at in the delivery")
    triggered_at = fields.Datetime(readonly=True)
    state = fields.Selection([("queued", "Queued"), ("done", "Done")], default="queued", readonly=True)
    job_id = fields.Many2one("queue.job", readonly=True, index="btree_not_null")

    _webhook_unique = models.UniqueIndex("(store_id, webhook_id)", "Shopify delivers a webhook once per id.")

    @api.model
    def _record(self, store, delivery):
        """The new delivery, or None when this webhook id was recorded already (a retry or a
        duplicate): PostgreSQL decides, so that two workers receiving it at once agree."""
        from ..services.order_import import naive_utc

        self.env.cr.execute("""
            INSERT INTO shopify_webhook_delivery (store_id, company_id, topic, webhook_id, event_id, order_gid,
                                                  shopify_updated_at, triggered_at, state, create_date, write_date,
                                                  create_uid, write_uid)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'queued', now() at time zone 'UTC', now() at time zone 'UTC',
                    %s, %s)
            ON CONFLICT (store_id, webhook_id) DO NOTHING
            RETURNING id
        """, [store.id, store.company_id.id, delivery.topic, delivery.webhook_id, delivery.event_id,
              delivery.order_gid, naive_utc(delivery.updated_at), naive_utc(delivery.triggered_at),
              self.env.uid, self.env.uid])
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else None
