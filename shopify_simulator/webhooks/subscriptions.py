"""Webhook subscriptions, kept in memory for one simulator, stored as the GraphQL API serves them.

``webhookSubscriptionCreate`` validates its input here and answers Shopify-shaped userErrors.
"""
import ipaddress
import itertools
import threading
from urllib.parse import urlsplit

from .. import gids
from . import filter as webhook_filter

# Shopify's subscription ids are 10-digit numbers; far from every id the generator hands out.
_FIRST_ID = 1_400_000_001
LOOPBACK_ONLY = ("The Shopify simulator only calls loopback addresses (http:// or https:// on 127.0.0.1, "
                 "::1 or localhost), not {address}")


def rest_topic(topic):
    """ORDERS_CREATE -> orders/create, as headers and the REST API name topics."""
    resource, _, action = topic.lower().partition("_")
    return f"{resource}/{action}"


def _error(field, message):
    return {"field": ["webhookSubscription", field], "message": message}


def is_loopback(host):
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(address, field):
    """None when the simulator may call ``address``, else the userError."""
    if not address:
        return _error(field, "Address can't be blank")
    parts = urlsplit(address)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        if parts.scheme in ("pubsub", "arn"):
            # Shopify accepts Google Pub/Sub and EventBridge; the simulator cannot deliver there.
            return _error(field, LOOPBACK_ONLY.format(address=address))
        return _error(field, "Address is invalid")
    if not is_loopback(host):
        return _error(field, LOOPBACK_ONLY.format(address=address))
    return None


class Subscriptions:
    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._items = {}  # gid -> the stored subscription, in creation order
        self._ids = itertools.count(_FIRST_ID)

    def all(self):
        with self._lock:
            return list(self._items.values())

    def get(self, gid):
        return self._items.get(gid)

    def matching(self, topic):
        return [sub for sub in self.all() if sub["topic"] == topic]

    def create(self, topic, data, version):
        """(subscription, userErrors) for ``webhookSubscriptionCreate``."""
        # uri replaces the deprecated callbackUrl in every served version; Shopify does not publish
        # what happens when both are given: the simulator chooses uri.
        field = "uri" if data.get("uri") else "callbackUrl"
        address = data.get("uri") or data.get("callbackUrl")
        errors = [e for e in (check_address(address, field),) if e]
        if data.get("format") == "XML":
            errors.append(_error("format", "The Shopify simulator sends JSON webhooks only"))
        try:
            webhook_filter.compile_filter(data.get("filter"))
        except ValueError as bad:
            errors.append(_error("filter", str(bad)))
        with self._lock:
            if not errors and any(s["topic"] == topic and s["uri"] == address for s in self._items.values()):
                errors.append(_error(field, "Address for this topic has already been taken"))
            if errors:
                return None, errors
            number, now = next(self._ids), self.clock.iso()
            gid = gids.make("WebhookSubscription", number)
            subscription = {
                "id": gid, "legacyResourceId": str(number), "topic": topic, "uri": address,
                "callbackUrl": address, "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": address},
                "format": "JSON", "includeFields": list(data.get("includeFields") or ()),
                "metafieldNamespaces": list(data.get("metafieldNamespaces") or ()),
                "metafields": [{"namespace": m.get("namespace") or "$app", "key": m["key"]}
                               for m in data.get("metafields") or ()],
                "filter": data.get("filter") or None, "name": data.get("name"),
                # Shopify serializes with the app's webhook API version; the simulator has no app
                # configuration and chooses the version the subscription was created with.
                "apiVersion": {"handle": version, "displayName": version, "supported": True},
                "createdAt": now, "updatedAt": now,
            }
            self._items[gid] = subscription
        return subscription, []

    def delete(self, gid):
        """(deleted id or None, userErrors) for ``webhookSubscriptionDelete``."""
        with self._lock:
            if self._items.pop(gid, None) is None:
                return None, [{"field": ["id"], "message": "Webhook subscription does not exist"}]
        return gid, []
