"""Where the token and the client secret may travel: never after a redirect, only to a
shop's host name, and an address that does not answer is named, fast.

Real HTTP on 127.0.0.1: a server that answers every request with a redirect to a second
server, which records whatever reaches it.
"""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from synco_shopify.shopify.api.auth import ClientCredentials, StaticToken
from synco_shopify.shopify.api.client import ShopifyClient, checked_shop_domain, checked_url
from synco_shopify.shopify.api.errors import ConfigurationError, RedirectRefused, ShopifyUnavailable, ShopUnreachable

TOKEN = "shpat_redirect_probe_5f1e2d"
SECRET = "client_secret_redirect_probe_93ab"
SHOP = "synco-demo.myshopify.com"
VERSION = "2026-01"


class Recorder(ThreadingHTTPServer):
    """A loopback HTTP server that records each request (method, path, headers, body)
    and answers with ``answer(handler)``: (status, headers, body)."""

    daemon_threads = True

    def __init__(self, answer):
        self.answer = answer
        self.requests = []
        super().__init__(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    def saw(self, text):
        """Whether ``text`` reached this server, in any header or body."""
        return any(text in json.dumps(headers) or text in body for _m, _p, headers, body in self.requests)


class _Handler(BaseHTTPRequestHandler):
    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        status, headers, payload = self.server.answer(self)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _any

    def log_message(self, *args):
        pass


def _target_answer(handler):
    # What a hostile target would answer: a plausible success.
    return 200, {"Content-Type": "application/json"}, json.dumps(
        {"data": {"shop": {"name": "evil"}}, "access_token": "shpat_evil"}).encode()


@pytest.fixture
def target():
    with Recorder(_target_answer) as server:
        yield server


def _redirector(target, status):
    def answer(handler):
        return status, {"Location": f"{target.url}{handler.path}"}, b""
    return Recorder(answer)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_never_carries_the_token_and_names_its_target(target, status):
    with _redirector(target, status) as redirector:
        client = ShopifyClient(SHOP, VERSION, StaticToken(TOKEN), base_url=redirector.url,
                               timeout=(2, 5), max_retry_seconds=10)
        with pytest.raises(RedirectRefused) as caught:
            client.execute("Shop")
    assert target.requests == [], "nothing reaches the redirect's target"
    assert len(redirector.requests) == 1, "a redirect is a configuration error: never retried"
    message = str(caught.value)
    assert f"{target.url}/admin/api/{VERSION}/graphql.json" in message and str(status) in message
    assert TOKEN not in message
    assert isinstance(caught.value, ConfigurationError)


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_the_client_credentials_grant_never_follows_a_redirect_with_the_secret(target, status):
    with _redirector(target, status) as redirector:
        client = ShopifyClient(SHOP, VERSION, ClientCredentials("synco-app", SECRET), base_url=redirector.url,
                               timeout=(2, 5), max_retry_seconds=10)
        with pytest.raises(RedirectRefused) as caught:
            client.execute("Shop")
    assert target.requests == []
    assert not target.saw(SECRET)
    assert [path for _m, path, _h, _b in redirector.requests] == ["/admin/oauth/access_token"]
    assert f"{target.url}/admin/oauth/access_token" in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("domain", [
    "", "   ", "evil.com?", "evil.com", "my shop.myshopify.com", "shop\\evil.myshopify.com",
    "synco-demo.myshopify.com@127.0.0.1:18082", "shop.myshopify.com:443", "https://shop.myshopify.com/",
    "shop.myshopify.com.evil.com", "shop.myshopify.com/admin", "-shop.myshopify.com",
    pytest.param("a" * 100_000 + ".myshopify.com", id="100kB"),
    "sub.shop.myshopify.com", "shop.myshopify.com?x=1", "shop.myshopify.com#", None,
])
def test_only_a_shops_host_name_is_a_shop_domain(domain):
    with pytest.raises(ConfigurationError, match="host name") as caught:
        ShopifyClient(domain, VERSION, StaticToken(TOKEN))
    assert len(str(caught.value)) < 500, "a 100 kB domain is not echoed whole"


def test_a_shop_domain_is_lowercased_and_stripped():
    assert checked_shop_domain("  Synco-Demo.MyShopify.com \n") == "synco-demo.myshopify.com"
    client = ShopifyClient(" Synco-Demo.MyShopify.com ", VERSION, StaticToken(TOKEN))
    assert client.graphql_url == f"https://synco-demo.myshopify.com/admin/api/{VERSION}/graphql.json"


@pytest.mark.parametrize("url", [
    "https://synco-demo.myshopify.com@127.0.0.1:18082", "https://user:pw@shop.example.com",
    "https://shop.example.com/?x=1", "https://shop.example.com/#x", "https://shop.example.com:port",
    "https://", "https://shop example.com", "https://shop.example.com\\@evil.com",
])
def test_an_api_url_with_user_info_query_or_odd_characters_is_refused(url):
    with pytest.raises(ConfigurationError):
        checked_url(url)


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_names_the_address_without_blaming_shopify():
    port = _closed_port()
    client = ShopifyClient(SHOP, VERSION, StaticToken(TOKEN), base_url=f"http://127.0.0.1:{port}",
                           timeout=(2, 5), max_retry_seconds=1)
    started = time.monotonic()
    with pytest.raises(ShopUnreachable) as caught:
        client.execute("Shop")
    assert time.monotonic() - started < 3
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "connection refused" in message
    assert "shopifystatus" not in message
    assert isinstance(caught.value, ShopifyUnavailable), "a job still retries it later"


def test_a_host_that_never_accepts_the_connection_fails_within_the_connect_timeout():
    # A listening socket with a full accept queue: further connections are never
    # accepted, like a firewalled or mistyped address that swallows the SYN.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))
    try:
        client = ShopifyClient(SHOP, VERSION, StaticToken(TOKEN), base_url=f"http://127.0.0.1:{port}",
                               timeout=(1, 30), max_retry_seconds=0)
        started = time.monotonic()
        with pytest.raises(ShopUnreachable) as caught:
            client.execute("Shop")
        spent = time.monotonic() - started
    finally:
        filler.close()
        server.close()
    assert spent < 3, "the connect timeout, not the read timeout, bounds an address that never answers"
    assert f"127.0.0.1:{port}" in str(caught.value) and "no answer" in str(caught.value)
