"""One simulated shop, served over HTTP on loopback (see README.md)."""
import os
import threading

from . import schema as schemas
from .auth import Auth
from .bucket import SHOP_PLANS, LeakyBucket
from .bulk import OBJECTS_PER_SECOND, BulkOperations
from .clock import Clock
from .faults import Faults
from .gateway import Gateway
from .lifecycle import LifecycleState
from .lifecycle import api as lifecycle
from .metafields import Metafields
from .server import SimulatorServer, require_loopback
from .stats import Stats
from .store import ShopStore
from .webhooks import Webhooks


def _shop_data(seed, orders, taxes_included, scenario, now, shop, currency):
    if scenario is None:
        from .generator import generate

        return generate(seed, orders, taxes_included=taxes_included, now=now, shop_domain=shop,
                        shop_currency=currency)
    if hasattr(scenario, "orders"):
        return scenario  # already loaded (a ShopData)
    from .scenario import load_scenario

    return load_scenario(scenario)


class Simulator:
    """A Shopify Admin API stand-in for one shop.

    ``scenario`` is a scenario JSON path (or an already loaded ShopData) used
    instead of generating ``orders`` orders from ``seed``. Webhooks are signed with
    ``client_secret`` (the app's secret, as Shopify does) or else ``webhook_secret``; retries wait
    Shopify's 4 hours times ``webhook_retry_scale``; a receiver has ``webhook_timeout`` s to answer.
    A bulk export stays RUNNING one second per ``bulk_objects_per_second`` objects it writes.
    """

    def __init__(self, orders=200, seed=1, token="shpat_test", plan="standard", taxes_included=False,
                 scenario=None, client_id=None, client_secret=None, token_ttl=86400,
                 shop="synco-demo.myshopify.com", host="127.0.0.1", port=0, now=None, currency="USD",
                 webhook_secret=None, webhook_retry_scale=0.001, webhook_timeout=5.0,
                 bulk_objects_per_second=OBJECTS_PER_SECOND):
        require_loopback(host)
        if client_secret and webhook_secret and client_secret != webhook_secret:
            raise ValueError("Shopify signs webhooks with the app's client secret: give client_secret or "
                             "webhook_secret, or the same value for both")
        if webhook_retry_scale < 0 or webhook_timeout <= 0:
            raise ValueError("webhook_retry_scale must be 0 or more and webhook_timeout more than 0")
        self.seed = seed
        self.host, self.port = host, port
        self.clock = Clock(now)
        self.counters = Stats()
        self.faults = Faults(seed, self.counters)
        self.store = ShopStore(_shop_data(seed, orders, taxes_included, scenario, now, shop, currency), self.clock)
        self.metafields = Metafields(self.clock, self._owner_exists)
        self.lifecycle = LifecycleState()
        self.bulk = BulkOperations(self, self.clock, lambda: self.base_url, bulk_objects_per_second)
        self.auth = Auth(token, client_id, client_secret, token_ttl)
        self.bucket = LeakyBucket(plan)
        # The shop says the plan its rate limit comes from (a scenario file keeps its own).
        if not isinstance(scenario, (str, os.PathLike)):
            self.store.shop["plan"] = dict(SHOP_PLANS[plan])
        self.gateway = Gateway(self, self.auth, self.bucket)
        self.webhooks = Webhooks(self, client_secret or webhook_secret, webhook_retry_scale, webhook_timeout,
                                 shop_domain=self.store.shop.get("myshopifyDomain") or shop)
        self._server = None
        self._thread = None
        self._order_of = {}  # refund / fulfillment id -> order id (_within_order)

    # -- lifecycle ---------------------------------------------------------------
    def start(self):
        self.webhooks.start()
        if self._server is None:
            schemas.load(schemas.latest())  # built once per process (~1 s): not inside the first request
            self._server = SimulatorServer((self.host, self.port), self)
            self.port = self._server.server_address[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                name=f"shopify-simulator-{self.port}", daemon=True,
            )
            self._thread.start()
        return self

    def stop(self):
        self.webhooks.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- addresses -----------------------------------------------------------------
    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    def graphql_url(self, version=None):
        return f"{self.base_url}/admin/api/{version or schemas.latest()}/graphql.json"

    # -- in-process use --------------------------------------------------------------
    def execute(self, query, variables=None, version=None):
        """Runs a document as the server would, minus HTTP, cost, faults and token."""
        return self.gateway.execute(version or schemas.latest(), query, variables)

    @property
    def data(self):
        return self.store.data

    def upsert_orders(self, orders):
        return self.store.upsert_orders(orders)

    def new_order(self, seed=None):
        """Places one realistic generated order now, numbered after the shop's last one, with fresh
        ids, through the same path as ``POST /__simulator__/orders`` (so it fires orders/create).
        ``seed`` draws it; None draws from the shop's seed and the new number. Returns it as stored."""
        from .generator.fresh import fresh_order, with_fresh_ids

        number = max((o.get("number") or 0 for o in self.store.objects("Order")), default=1000) + 1
        shop = self.store.shop
        order = fresh_order(f"{self.seed}-{number}" if seed is None else seed, number, self.clock.now(),
                            shop_currency=shop.get("currencyCode") or "USD",
                            taxes_included=bool(shop.get("taxesIncluded")))
        order = with_fresh_ids(order, self.lifecycle.gid)
        return self.upsert_orders([order])[0]

    def metafield(self, owner_id, namespace, key):
        return self.metafields.get(owner_id, namespace, key)

    @property
    def stats(self):
        """A snapshot of the counters (see stats.py)."""
        return self.counters.snapshot()

    def reset_stats(self):
        self.counters.reset()

    def node(self, gid):
        """Any object the API can reach by id (resolvers use this)."""
        if not gid:
            return None
        if gid == self.store.shop.get("id"):
            return self.store.shop
        return (self.store.node(gid) or self.metafields.node(gid) or self.bulk.get(gid)
                or self.webhooks.subscriptions.get(gid) or self._refund(gid)
                or self._fulfillment(gid))

    def _refund(self, gid):
        """Refund implements Node: ``nodes(ids:)`` reaches a refund by its id, as Shopify's does."""
        return self._within_order(gid, "Refund", "refunds")

    def _fulfillment(self, gid):
        """Fulfillment implements Node too (what a bulk export of orders reads its lines by)."""
        return self._within_order(gid, "Fulfillment", "fulfillments")

    def _within_order(self, gid, type_name, key):
        """The refund or fulfillment ``gid`` of the order that holds it now. The index maps ids to
        order ids only (orders are replaced whole when they change) and is rebuilt on a miss, so a
        refund or shipment made since is found, and a scan per id is not paid by 10,000 orders."""
        if not gid.startswith(f"gid://shopify/{type_name}/"):
            return None
        for rebuild in (False, True):
            if rebuild:
                self._order_of = {child["id"]: order["id"] for order in self.store.objects("Order")
                                  for name in ("refunds", "fulfillments") for child in order.get(name) or ()
                                  if child.get("id")}
            order = self.store.node(self._order_of.get(gid, ""))
            found = next((child for child in (order or {}).get(key) or () if child.get("id") == gid), None)
            if found is not None:
                return found
        return None

    # -- an order's life after checkout: real GraphQL mutations (lifecycle/api.py) ---------------
    def refund(self, order_gid, lines=(), shipping=None, amount=None, when=None, **options):
        return lifecycle.refund(self, order_gid, lines, shipping, amount, when, **options)

    def cancel(self, order_gid, refund=True, restock=True, when=None, **options):
        return lifecycle.cancel(self, order_gid, refund, restock, when, **options)

    def edit(self, order_gid, add=(), set_quantity=(), when=None, **options):
        return lifecycle.edit(self, order_gid, add, set_quantity, when, **options)

    def capture(self, order_gid, amount=None, when=None, **options):
        return lifecycle.capture(self, order_gid, amount, when, **options)

    def mark_as_paid(self, order_gid, when=None):
        return lifecycle.mark_as_paid(self, order_gid, when)

    def fulfill(self, order_gid, lines=None, when=None, **options):
        return lifecycle.fulfill(self, order_gid, lines, when, **options)

    def _owner_exists(self, gid):
        return self.node(gid) is not None
