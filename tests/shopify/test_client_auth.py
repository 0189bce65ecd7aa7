"""Client-credentials tokens are fetched, renewed before they expire, and renewed once after a 401."""
import time

import pytest

from shopify_simulator import Simulator
from synco_shopify.shopify.api.auth import ClientCredentials

APP_ID, APP_SECRET = "synco-app", "app-secret-kept-out-of-sight"


@pytest.fixture(scope="module")
def app_shop():
    with Simulator(orders=5, seed=4, token="shpat_static_unused", client_id=APP_ID,
                   client_secret=APP_SECRET, token_ttl=2) as sim:
        yield sim


def test_expiring_token_is_renewed_transparently(app_shop, make_client):
    issued = []
    credentials = ClientCredentials(APP_ID, APP_SECRET, on_token=lambda *pair: issued.append(pair))
    with make_client(app_shop, credentials) as client:
        client.execute("Shop")
        first_token, expires_at = issued[0]
        assert first_token.startswith("shpat_") and expires_at == pytest.approx(time.time() + 2, abs=1)
        time.sleep(max(0.0, expires_at - time.time()) + 0.05)  # the first token is dead by now
        client.execute("Shop")
    assert len(issued) == 2 and issued[1][0] != first_token
    assert client.counters.requests == 2  # renewed before sending, never refused


def test_rejected_persisted_token_is_renewed_once(app_shop, make_client):
    issued = []
    credentials = ClientCredentials(APP_ID, APP_SECRET, token="shpat_from_yesterday",
                                    expires_at=time.time() + 3600,
                                    on_token=lambda *pair: issued.append(pair))
    with make_client(app_shop, credentials) as client:
        assert client.execute("Shop")["shop"]["myshopifyDomain"]
    assert len(issued) == 1
    assert client.counters.requests == 2  # the 401, then the same request with the new token
