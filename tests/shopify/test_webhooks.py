"""Webhook deliveries: signatures (constant-time, raw body) and what the intake reads."""
import json
from datetime import datetime, timezone

import pytest

from synco_shopify.shopify.api.webhooks import BadDelivery, is_signed, read_delivery, signature

SECRET = "shpss_test_secret"


def headers(**extra):
    return {"X-Shopify-Topic": "orders/updated", "X-Shopify-Webhook-Id": "w-1", "X-Shopify-Event-Id": "e-1",
            "X-Shopify-Triggered-At": "2026-11-30T10:00:00.123Z", **extra}


def test_a_signature_is_the_base64_hmac_of_the_raw_body():
    body = b'{"id":1}'
    good = signature(SECRET, body)
    assert is_signed(SECRET, body, good)
    assert not is_signed(SECRET, body + b" ", good), "a changed body"
    assert not is_signed("other", body, good), "another secret"
    assert not is_signed(SECRET, body, None) and not is_signed(SECRET, body, "")
    assert not is_signed("", body, signature("", body)), "no secret configured: nothing is signed"


def test_the_order_and_its_update_time_come_from_the_body():
    body = json.dumps({"id": 5001, "admin_graphql_api_id": "gid://shopify/Order/5001",
                       "updated_at": "2026-11-30T05:00:00-05:00"}).encode()
    d = read_delivery(headers(), body, now=datetime(2026, 11, 30, 11, tzinfo=timezone.utc))
    assert (d.topic, d.webhook_id, d.event_id, d.order_gid) == ("orders/updated", "w-1", "e-1",
                                                               "gid://shopify/Order/5001")
    assert d.updated_at == datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


def test_a_refund_names_its_order_by_order_id():
    d = read_delivery(headers(**{"X-Shopify-Topic": "refunds/create"}), b'{"id": 9, "order_id": 5001}',
                      now=datetime(2026, 11, 30, 11, tzinfo=timezone.utc))
    assert d.order_gid == "gid://shopify/Order/5001"


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_a_body_that_is_not_an_object_is_refused(body):
    with pytest.raises(BadDelivery):
        read_delivery(headers(), body, now=datetime(2026, 11, 30, 11, tzinfo=timezone.utc))


def test_a_delivery_without_topic_or_id_is_refused():
    with pytest.raises(BadDelivery):
        read_delivery({"X-Shopify-Topic": "orders/updated"}, b"{}")


def test_a_signed_body_replayed_long_after_it_was_triggered_is_refused():
    old = headers(**{"X-Shopify-Triggered-At": "2026-11-01T10:00:00Z"})
    with pytest.raises(BadDelivery, match="a replay"):
        read_delivery(old, b'{"id": 1}', now=datetime(2026, 11, 30, tzinfo=timezone.utc))
    assert read_delivery(old, b'{"id": 1}', now=datetime(2026, 11, 1, 12, tzinfo=timezone.utc)).webhook_id == "w-1"
