"""Where the client agrees to send a token, and what it shows of its secrets."""
import pytest

from synco_shopify.shopify.api.auth import ClientCredentials, StaticToken
from synco_shopify.shopify.api.client import ShopifyClient
from synco_shopify.shopify.api.errors import ConfigurationError

TOKEN = "shpat_secret_0123456789"


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.1:8080", "ftp://127.0.0.1"])
def test_plain_http_is_refused_for_a_remote_host(url):
    with pytest.raises(ConfigurationError, match="https"):
        ShopifyClient("shop.myshopify.com", "2026-01", StaticToken(TOKEN), base_url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "http://127.8.9.10", "http://[::1]:80", "http://localhost:9"])
def test_plain_http_is_accepted_for_loopback(url):
    client = ShopifyClient("shop.myshopify.com", "2026-01", StaticToken(TOKEN), base_url=url)
    assert client.graphql_url == f"{url}/admin/api/2026-01/graphql.json"


def test_default_endpoint_is_https_on_the_shop_domain():
    client = ShopifyClient("shop.myshopify.com", "2026-01", StaticToken(TOKEN))
    assert client.graphql_url == "https://shop.myshopify.com/admin/api/2026-01/graphql.json"


def test_a_url_given_as_shop_domain_is_refused():
    with pytest.raises(ConfigurationError, match="host name"):
        ShopifyClient("https://shop.myshopify.com/", "2026-01", StaticToken(TOKEN))


def test_repr_shows_no_secret():
    credentials = ClientCredentials("client-id", "very-secret", token=TOKEN, expires_at=2e9)
    client = ShopifyClient("shop.myshopify.com", "2026-01", credentials)
    shown = repr(client) + repr(credentials) + repr(StaticToken(TOKEN))
    assert "client-id" in shown
    assert "very-secret" not in shown and TOKEN not in shown
