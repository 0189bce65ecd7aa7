"""One HTTP attempt of a webhook, with the headers and signature Shopify sends."""
import base64
import hashlib
import hmac
import ssl
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit


def sign(secret, body):
    """X-Shopify-Hmac-Sha256: base64 of the HMAC-SHA256 of the raw body, keyed with the secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def headers(delivery, body, secret, shop_domain, bad_signature=False):
    # webhook_bad_signature: a well-formed signature made with another key.
    key = secret + ("-not-the-secret" if bad_signature else "")
    sent = {
        "Content-Type": "application/json", "User-Agent": "Shopify-Captain-Hook",
        "X-Shopify-Topic": delivery.topic, "X-Shopify-Hmac-Sha256": sign(key, body),
        "X-Shopify-Shop-Domain": shop_domain, "X-Shopify-API-Version": delivery.api_version,
        "X-Shopify-Webhook-Id": delivery.webhook_id, "X-Shopify-Event-Id": delivery.event_id,
        "X-Shopify-Triggered-At": delivery.triggered_at,
    }
    if delivery.name:
        sent["X-Shopify-Name"] = delivery.name
    return sent


def post(url, body, sent_headers, timeout):
    """The status Shopify would see, or None (refused, reset, or slower than ``timeout`` for any
    one read or write: the simulator's approximation of Shopify's 5 s in all)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        # Loopback receivers use self-signed certificates; the simulator does not check them.
        connection = HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                     context=ssl._create_unverified_context())
    else:
        connection = HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=sent_headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, HTTPException):
        return None
    finally:
        connection.close()
