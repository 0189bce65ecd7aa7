"""Shopify webhooks, in plain Python: checking a delivery's signature and reading what the
intake needs from it. Odoo's route (controllers/webhook.py) only records and enqueues.

Shopify signs each delivery with the app's client secret: ``X-Shopify-Hmac-Sha256`` is the
base64 HMAC-SHA256 of the raw body. The comparison is constant-time.
"""
import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

# What the intake subscribes to. orders/updated fires on every change of an order (a
# payment, a refund, an edit, a cancellation, a fulfilment), so with orders/create it
# covers the order's whole life; the narrower topics would only deliver the same news
# twice. The catch-up cron stays as the safety net for deliveries that never arrive.
TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED")
# The job fetches the order through GraphQL: the delivery only needs to say which order
# and when it changed (Shopify keeps only these top-level fields of the payload).
INCLUDE_FIELDS = ("id", "admin_graphql_api_id", "updated_at")
MAX_BODY_BYTES = 256 * 1024  # with INCLUDE_FIELDS a delivery is tiny; anything this big is not ours
# Shopify retries a delivery for 4 hours. Its headers are not signed, only its body: a signed
# body replayed under a new webhook id is refused once it was triggered longer ago than that.
MAX_AGE = timedelta(hours=6)


def signature(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def is_signed(secret, body, header):
    """Whether ``header`` (X-Shopify-Hmac-Sha256) is the signature of ``body`` by ``secret``."""
    if not secret or not header:
        return False
    return hmac.compare_digest(signature(secret, body), header.strip())


@dataclass(frozen=True)
class Delivery:
    topic: str  # e.g. "orders/updated"
    webhook_id: str
    event_id: str | None
    order_gid: str | None
    updated_at: datetime | None
    triggered_at: datetime | None


class BadDelivery(ValueError):
    """A signed delivery the intake cannot use (the message says why)."""


def read_delivery(headers, body, now=None):
    """The delivery's facts from Shopify's headers and its JSON body."""
    triggered_at = _when(headers.get("X-Shopify-Triggered-At"))
    if triggered_at and triggered_at < (now or datetime.now(timezone.utc)) - MAX_AGE:
        raise BadDelivery(f"triggered at {triggered_at.isoformat()}, longer ago than Shopify retries: a replay")
    topic = headers.get("X-Shopify-Topic")
    webhook_id = headers.get("X-Shopify-Webhook-Id")
    if not topic or not webhook_id:
        raise BadDelivery("X-Shopify-Topic and X-Shopify-Webhook-Id are required")
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise BadDelivery("the body is not JSON") from None
    if not isinstance(payload, dict):
        raise BadDelivery("the body is not a JSON object")
    gid = payload.get("admin_graphql_api_id")
    if topic.startswith("refunds/"):
        gid = _order_gid(payload.get("order_id"))
    elif not gid:
        gid = _order_gid(payload.get("id"))
    return Delivery(topic=topic, webhook_id=webhook_id, event_id=headers.get("X-Shopify-Event-Id"),
                    order_gid=gid, updated_at=_when(payload.get("updated_at")),
                    triggered_at=triggered_at)


def _order_gid(value):
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return f"gid://shopify/Order/{value}"
    return None


def _when(value):
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
