"""Webhooks of a store: its intake address, the secret deliveries are signed with, the
subscriptions managed from the store form, and the job a delivery queues."""
import ipaddress
import secrets
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..shopify.api.errors import ShopifyError, ShopifyUnavailable, Throttled

ADMIN = "base.group_system"
PRIORITY_WEBHOOK = 1  # a person is often waiting for the order to appear


class ShopifyStore(models.Model):
    _inherit = "shopify.store"

    webhook_token = fields.Char(
        readonly=True, copy=False, default=lambda self: secrets.token_urlsafe(32),
        help="Names this store in its webhook address. Deliveries are trusted by their signature, not by it.")
    webhook_secret = fields.Char(
        groups=ADMIN, copy=False,
        help="The app's client secret (API secret key), which Shopify signs deliveries with. Stores "
        "connected with a client ID and secret use that secret when this is empty.")
    webhook_callback_url = fields.Char(compute="_compute_webhook_callback_url", string="Webhook address")
    webhook_url_warning = fields.Char(compute="_compute_webhook_callback_url")
    webhook_message = fields.Char(readonly=True, copy=False)
    webhook_refused_count = fields.Integer(readonly=True, copy=False, string="Refused deliveries")
    webhook_last_delivery_at = fields.Datetime(compute="_compute_webhook_last_delivery", string="Last delivery")

    def init(self):
        # A new column's default is computed once for every existing store: each gets its own.
        self.env.cr.execute("""
            SELECT id FROM shopify_store
             WHERE webhook_token IS NULL
                OR webhook_token IN (SELECT webhook_token FROM shopify_store GROUP BY webhook_token HAVING count(*) > 1)
        """)
        for (store_id,) in self.env.cr.fetchall():
            self.env.cr.execute("UPDATE shopify_store SET webhook_token = %s WHERE id = %s",
                                [secrets.token_urlsafe(32), store_id])

    def _compute_webhook_callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for store in self:
            url = f"{base.rstrip('/')}/synco/webhook/{store.webhook_token}" if store.webhook_token else False
            store.webhook_callback_url = url
            store.webhook_url_warning = url and _public_https_warning(store.env, url)

    def _compute_webhook_last_delivery(self):
        last = dict(self.env["shopify.webhook.delivery"].sudo()._read_group(
            [("store_id", "in", self.ids)], ["store_id"], ["create_date:max"]))
        for store in self:
            store.webhook_last_delivery_at = last.get(store, False)

    # -- intake (controllers/webhook.py) -------------------------------------------------
    def _webhook_secret(self):
        store = self.sudo()
        return store.webhook_secret or (store.client_secret if store.auth_method == "client_credentials" else "")

    def _count_refused_delivery(self):
        # A counter, not a record: a refused request leaves no delivery, job or order change.
        self.env.cr.execute("UPDATE shopify_store SET webhook_refused_count = COALESCE(webhook_refused_count, 0) + 1 "
                            "WHERE id = %s", [self.id])

    def _receive_delivery(self, delivery):
        """Records a verified delivery once and queues the order's refresh; a delivery whose
        webhook id was seen already queues nothing."""
        self.ensure_one()
        recorded = self.env["shopify.webhook.delivery"].sudo()._record(self, delivery)
        if recorded is None or not delivery.order_gid:
            return recorded
        # One pending job per order: a burst of deliveries for it is one refresh.
        job = self.sudo().with_delay(
            channel="root.synco", priority=PRIORITY_WEBHOOK, identity_key=f"synco-webhook-{self.id}-{delivery.order_gid}",
            description=_("Shopify webhook: order %s", delivery.order_gid.rsplit("/", 1)[-1]),
        )._job_webhook(delivery.order_gid)
        # queue_job hands back the pending job itself when the identity key matched one.
        recorded.job_id = (job if getattr(job, "_name", None) == "queue.job" else job.db_record()).id
        return recorded

    def _job_webhook(self, order_gid):
        """Refreshes the order's header from Shopify (what the order is now decides, so
        deliveries out of order or twice do no harm), then follows the store's rules: a new
        eligible order is synced with automatic sync, a changed one updated with automatic
        updates."""
        from ..shopify.api import orders_api
        from .shopify_order_jobs import PRIORITY_CLICK

        self = self.sudo()
        try:
            headers = orders_api.fetch_headers(self._shopify_client(), [order_gid])
        except (ShopifyUnavailable, Throttled) as exc:
            raise RetryableJobError(str(exc), seconds=30) from None
        except ShopifyError as exc:
            # A revoked token, a wrong address: an administrator fixes it, not a retry. Said
            # on the store; the catch-up brings the order in once it is fixed.
            self._record_connection_error(exc)
            return _("Shopify refused the refresh of %(order)s: %(error)s", order=order_gid, error=exc)
        self.env["shopify.order.import"]._upsert_page(self, headers)
        order = self.env["shopify.order"].search([("store_id", "=", self.id), ("shopify_gid", "=", order_gid)])
        deliveries = self.env["shopify.webhook.delivery"].search(
            [("store_id", "=", self.id), ("order_gid", "=", order_gid), ("state", "=", "queued")])
        deliveries.state = "done"
        if not order:
            return _("Shopify does not return order %s", order_gid)
        # updatedAt has whole seconds: a change in the same second as the payload a sync applied
        # looks unchanged to the header. A delivery says something changed: one not older than
        # what was applied makes the order changed (an update with nothing to do is harmless).
        news = max((d.shopify_updated_at for d in deliveries if d.shopify_updated_at), default=None)
        if order.sync_state == "synced" and news and order.synced_updated_at and news >= order.synced_updated_at:
            order.sync_state = "changed"
        queued = ((order.sync_state == "not_synced" and order.eligible and self.auto_sync)
                  or (order.sync_state == "changed" and self.auto_apply_changes))
        if queued:
            order._enqueue_batches(PRIORITY_CLICK)
        order._notify_list()
        return _("%(name)s is %(state)s%(queued)s", name=order.name, state=order.sync_state,
                 queued=_(", sync queued") if queued else "")

    # -- subscriptions (store form) --------------------------------------------------------
    def action_webhooks_subscribe(self):
        return self._webhooks_call("subscribe")

    def action_webhooks_check(self):
        return self._webhooks_call("check")

    def action_webhooks_unsubscribe(self):
        return self._webhooks_call("unsubscribe")

    def _webhooks_call(self, what):
        from ..shopify.api import webhook_subscriptions as subs
        from ..shopify.api.webhooks import TOPICS

        self.check_access("write")
        for store in self:
            if what != "unsubscribe" and not store._webhook_secret():
                raise UserError(_("Store %s needs the app's client secret (Webhooks tab) to check what Shopify "
                                  "delivers.", store.name))
            # Someone waits on the form: short timeouts, a message naming the address.
            client, url = store._shopify_client(interactive=True), store.webhook_callback_url
            try:
                if what == "subscribe":
                    found = subs.subscribe(client, url)
                elif what == "unsubscribe":
                    subs.unsubscribe(client, url)
                    found = []
                else:
                    found = subs.current(client, url)
            except ShopifyError as exc:
                store.sudo().webhook_message = str(exc)
                continue
            topics = sorted(node["topic"] for node in found)
            missing = sorted(set(TOPICS) - set(topics))
            store.sudo().webhook_message = (
                _("Subscribed to %(topics)s at %(url)s.", topics=", ".join(topics), url=url) if topics and not missing
                else _("Not subscribed to %(missing)s at %(url)s.", missing=", ".join(missing), url=url))
        return True


def _public_https_warning(env, url):
    """Why Shopify could not deliver to ``url``, or False: it delivers to public https only."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    problems = []
    if parts.scheme != "https":
        problems.append(env._("it is not https"))
    try:
        address = ipaddress.ip_address(host)
        private = not address.is_global
    except ValueError:
        private = host in ("localhost",) or host.endswith((".local", ".localhost", ".internal")) or "." not in host
    if private:
        problems.append(env._("%s is not a public host", host or "(no host)"))
    if not problems:
        return False
    return env._("Shopify delivers webhooks to public https addresses only, and this one (from web.base.url) "
             "fails that: %s. Deliveries will not arrive; the catch-up still polls.", "; ".join(problems))
