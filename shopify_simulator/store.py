"""The simulated shop's records, indexed for the API.

Objects are the generator's dicts (see the stored-data convention in
README.md), served as they are. Readers never lock: a write builds new
containers and swaps them in, so a page being served keeps a consistent view.
Sorted and filtered listings are cached until the data changes.
"""
import copy
import dataclasses
import threading
from collections import OrderedDict
from typing import NamedTuple
from zoneinfo import ZoneInfo

from . import gids
from .paging import PagingError, sort_entries
from .search import compile_query
from .totals import minor_units

_CACHE_SIZE = 64


class SearchEnv(NamedTuple):
    now: object  # callable -> aware datetime
    tz: object


class Listing(NamedTuple):
    entries: list
    keys: list  # the entries' sort keys, for bisecting cursors
    warnings: list
    unknown_fields: list


class ShopStore:
    def __init__(self, data, clock):
        self.clock = clock
        self._data = data
        self._lock = threading.Lock()
        self._write_lock = threading.RLock()  # one order mutation at a time, read to swap
        self._cache = OrderedDict()
        self._cache_lock = threading.Lock()
        self.version = 0
        # Called as listener(before, after) for every order added or replaced, inside the swap so
        # that listeners see changes in the order they happened (webhooks/ queues them, cheaply).
        self.order_listeners = []
        self.env = SearchEnv(clock.now, ZoneInfo(data.shop.get("ianaTimezone") or "UTC"))
        self._orders = {order["id"]: with_lifecycle_fields(order) for order in data.orders}
        self._others = {}
        self._index = {}
        variants = []
        for product in data.products:
            for variant in product.get("variants") or ():
                if "product" not in variant:
                    # The generator nests variants in their product; the API also links back.
                    variant = {**variant, "product": {"id": product["id"]}}
                variants.append(variant)
        for type_name, objects in (
            ("Customer", data.customers),
            ("Product", data.products),
            ("ProductVariant", variants),
            ("Location", data.locations),
        ):
            self._others[type_name] = list(objects)
            self._index.update((obj["id"], obj) for obj in objects)

    @property
    def shop(self):
        return self._data.shop

    @property
    def data(self):
        """The shop data as generated, with orders as they are now."""
        return _with_orders(self._data, list(self._orders.values()))

    def objects(self, type_name):
        if type_name == "Order":
            return list(self._orders.values())
        return self._others[type_name]

    def node(self, gid):
        """The stored Order/Customer/Product/ProductVariant/Location with this id."""
        if gids.type_of(gid) == "Order":
            return self._orders.get(gid)
        return self._index.get(gid)

    def listing(self, resource, sort_name, query):
        """Entries of one resource, filtered by a search query, sorted ascending."""
        sort_key = resource.sort_keys.get(sort_name)
        if sort_key is None:
            raise PagingError(f"Sort key {sort_name} of {resource.type_name} is not implemented by the Shopify simulator.")
        cache_key = (resource.type_name, self.version, sort_name, query or "")
        cacheable = "now" not in (query or "").lower()
        if cacheable:
            with self._cache_lock:
                hit = self._cache.get(cache_key)
                if hit is not None:
                    self._cache.move_to_end(cache_key)
                    return hit
        found = select(self.objects(resource.type_name), resource, sort_key, query, self.env)
        if cacheable:
            with self._cache_lock:
                self._cache[cache_key] = found
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return found

    def upsert_orders(self, orders):
        """Add or replace orders by id; ``updatedAt`` becomes now unless given."""
        now = self.clock.iso()
        fresh = []
        for order in orders:
            if gids.type_of(order.get("id")) != "Order":
                raise ValueError(f"An order needs an id gid://shopify/Order/<n>, got {order.get('id')!r}")
            fresh.append(with_lifecycle_fields({"updatedAt": now, **copy.deepcopy(order)}))
        with self._lock:
            before = self._orders
            merged = dict(before)
            merged.update((order["id"], order) for order in fresh)
            self._orders = merged
            self.version += 1
            for order in fresh:
                self._notify(before.get(order["id"]), order)
        return fresh

    def _notify(self, before, after):
        for listener in self.order_listeners:
            listener(before, after)

    def mutate_order(self, gid, change):
        """Runs ``change(copy)`` on a private copy of one order; swaps the copy in when it returns
        ``(result, True)``. Readers keep the old dict until the swap (copy-on-write)."""
        with self._write_lock:
            order = self._orders.get(gid)
            if order is None:
                return change(None)[0]
            clone = clone_order(order)
            result, changed = change(clone)
            if changed:
                with self._lock:
                    merged = dict(self._orders)
                    merged[gid] = clone
                    self._orders = merged
                    self.version += 1
                    self._notify(order, clone)
            return result


def with_lifecycle_fields(order):
    """A hand-made order (tests, POSTed orders) gets the fields every generated order has for an
    order's life after checkout, at their values for an order nothing happened to."""
    if all(key in order for key in ("edited", "cancelReason", "agreements", "totalCashRoundingAdjustment",
                                    "fulfillments")):
        return order
    zero = {side: {"amount": f"{0:.{minor_units(currency)}f}", "currencyCode": currency}
            for side, currency in (("shopMoney", order.get("currencyCode", "USD")),
                                   ("presentmentMoney", order.get("presentmentCurrencyCode", "USD")))}
    return {"edited": False, "cancelReason": None, "agreements": [], "fulfillments": [],
            "totalCashRoundingAdjustment": {"paymentSet": zero, "refundSet": zero}, **order}


def clone_order(order):
    """A deep copy of an order that keeps the objects it shares with the rest of the shop
    (customer, company, variants, products, locations) shared, as the generator built them."""
    memo = {}
    for key in ("customer", "purchasingEntity", "retailLocation", "app"):
        if isinstance(order.get(key), dict):
            memo[id(order[key])] = order[key]
    for line in order.get("lineItems") or ():
        for key in ("variant", "product"):
            if isinstance(line.get(key), dict):
                memo[id(line[key])] = line[key]
    for fulfillment in order.get("fulfillmentOrders") or ():
        location = (fulfillment.get("assignedLocation") or {}).get("location")
        if isinstance(location, dict):
            memo[id(location)] = location
    for fulfillment in order.get("fulfillments") or ():
        if isinstance(fulfillment.get("location"), dict):
            memo[id(fulfillment["location"])] = fulfillment["location"]
    return copy.deepcopy(order, memo)


def select(objects, resource, sort_key, query, env):
    compiled = compile_query(query, resource.filters, env)
    if compiled.predicate is not None:
        objects = [obj for obj in objects if compiled.predicate(obj)]
    entries = sort_entries(objects, sort_key, _number)
    return Listing(entries, [key for key, _ in entries], compiled.warnings, compiled.unknown_fields)


def _number(obj):
    return gids.number(obj["id"])


def _with_orders(data, orders):
    if dataclasses.is_dataclass(data):
        return dataclasses.replace(data, orders=orders)
    if hasattr(data, "_replace"):
        return data._replace(orders=orders)
    clone = copy.copy(data)
    clone.orders = orders
    return clone
