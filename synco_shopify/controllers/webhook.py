"""Shopify's webhook deliveries come in here: verified, recorded once, queued; never synced
inside the request (Shopify gives a delivery 5 s)."""
import logging

from odoo import http
from odoo.http import request

from ..shopify.api.webhooks import MAX_BODY_BYTES, BadDelivery, is_signed, read_delivery

_logger = logging.getLogger(__name__)


class ShopifyWebhook(http.Controller):
    @http.route("/synco/webhook/<string:token>", type="http", auth="public", methods=["POST"], csrf=False,
                save_session=False)
    def receive(self, token, **_kw):
        http_request = request.httprequest
        if (http_request.content_length or 0) > MAX_BODY_BYTES:
            return _answer(413, "too large")
        body = http_request.get_data(cache=False)
        if len(body) > MAX_BODY_BYTES:
            return _answer(413, "too large")
        store = request.env["shopify.store"].sudo().search([("webhook_token", "=", token)], limit=1) if token else None
        if not store:
            return _answer(404, "unknown")
        if not is_signed(store._webhook_secret(), body, http_request.headers.get("X-Shopify-Hmac-Sha256")):
            store._count_refused_delivery()
            _logger.warning("Store %s: refused an unsigned or forged webhook delivery", store.id)
            return _answer(401, "not signed")
        try:
            delivery = read_delivery(http_request.headers, body)
        except BadDelivery as exc:
            store._count_refused_delivery()
            return _answer(400, str(exc))
        store._receive_delivery(delivery)
        return _answer(200, "ok")


def _answer(status, text):
    return request.make_response(text, headers=[("Content-Type", "text/plain")], status=status)
