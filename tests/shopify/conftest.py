"""Fixtures for the Shopify layer tests: simulators on 127.0.0.1 and clients pointed at them."""
import pytest

from shopify_simulator import Simulator
from shopify_simulator import schema
from synco_shopify.shopify.api.auth import StaticToken
from synco_shopify.shopify.api.client import ShopifyClient

TOKEN = "shpat_test_token_0123456789abcdef"
SHOP = "synco-demo.myshopify.com"
VERSION = schema.latest()


def _make_client(sim, credentials=None, version=VERSION, **options):
    """A client for ``sim`` with short timeouts, so a test that goes wrong ends quickly."""
    options.setdefault("timeout", (2, 10))
    options.setdefault("max_retry_seconds", 15)
    return ShopifyClient(SHOP, version, credentials or StaticToken(TOKEN), base_url=sim.base_url, **options)


@pytest.fixture(scope="session")
def make_client():
    return _make_client


@pytest.fixture(scope="session")
def access_token():
    return TOKEN


@pytest.fixture(scope="session")
def shared_sim():
    with Simulator(orders=200, seed=1, token=TOKEN, shop=SHOP) as sim:
        yield sim


@pytest.fixture
def sim(shared_sim):
    """The shared 200-order shop, with no faults and fresh counters."""
    shared_sim.faults.clear()
    shared_sim.reset_stats()
    yield shared_sim
    shared_sim.faults.clear()


@pytest.fixture
def client(sim):
    with _make_client(sim) as made:
        yield made
