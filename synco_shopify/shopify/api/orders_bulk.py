"""Whole orders through a bulk export (BulkOrdersFull), for syncs of many orders at once.

The payloads are those ``orders_api.fetch_orders`` returns (same keys, same lists), so
``reading.order.parse_order`` reads them unchanged. What a bulk query cannot hold is read
afterwards with ordinary requests, as fetch_orders does for refunds and edits:

- Order.fulfillments and Order.refunds are plain lists; Shopify refuses a connection inside a
  plain list in a bulk query, so each shipment's fulfillmentLineItems (FulfillmentLines) and
  each refund's refundLineItems / refundShippingLines / orderAdjustments (RefundLines) are
  read by id;
- agreements of edited orders come from OrderEdits, as in fetch_orders.

Orders are chosen by ranges of ids, ``(id:>=A id:<=B) OR id:C``: Shopify's order search takes
``id`` with comparators (https://shopify.dev/docs/api/usage/search-syntax and the ``query``
argument of ``orders``), so thousands of ids fit in a short query. Orders inside a range that
were not asked for are dropped here; they cost export time only, not rate-limit points.
"""
import json

from . import bulk, documents
from .orders_api import _add_edits, legacy_id

# What OrderFull's `first` keeps of each nested connection; the bulk export returns all nodes.
# lineItems has none: fetch_orders pages on to the last line.
KEPT = {"discountApplications": 20, "shippingLines": 10, "fulfillmentOrders": 2}
# Node types of the nested connections' lines; discount applications have no id and are told
# apart by __typename (DiscountCodeApplication, ManualDiscountApplication...: all end so).
CONNECTION_OF = {"LineItem": "lineItems", "ShippingLine": "shippingLines", "FulfillmentOrder": "fulfillmentOrders"}

# Sized as if nodes(ids:) were priced per id (Shopify publishes no rule for it; the simulator
# prices a list like one element): FulfillmentLines 13 a shipment, 70 -> 910 of the 1,000-point
# cap; RefundLines 31 a refund, 30 -> 930.
FULFILLMENTS_PER_REQUEST = 70
REFUNDS_PER_REQUEST = 30
MAX_RANGES = 100  # id ranges in one search query; closer ranges are merged past this


def fetch_orders(client, gids, **polling):
    """Whole orders for ``gids`` in the given order, through one bulk export; orders Shopify no
    longer has are left out. ``polling`` goes to ``bulk.run_query`` (deadline, poll seconds).

    Raises UserErrors (code OPERATION_IN_PROGRESS) when the shop already runs as many bulk
    queries as the API version allows: 1 before 2026-01, 5 from 2026-01.
    """
    wanted = list(dict.fromkeys(gids))
    if not wanted:
        return []
    found = read_export(bulk.export(client, orders_query(search_for(wanted)), **polling), set(wanted))
    orders = [found[gid] for gid in wanted if gid in found]
    _add_fulfillment_lines(client, orders)
    _add_refund_lines(client, orders)
    _add_edits(client, orders)
    return orders


def orders_query(search):
    # Bulk queries take no variables, so the search string is written into the text.
    return documents.load("BulkOrdersFull").replace('"$QUERY"', json.dumps(search))


def search_for(gids, max_ranges=MAX_RANGES):
    """A search query matching every order of ``gids`` (and maybe others between them)."""
    numbers = sorted({int(legacy_id(gid)) for gid in gids})
    ranges = [[n, n] for n in numbers[:1]]
    for number in numbers[1:]:
        if number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    while len(ranges) > max_ranges:
        # Merge across the smallest gap: the fewest unwanted orders come along.
        at = min(range(len(ranges) - 1), key=lambda i: ranges[i + 1][0] - ranges[i][1])
        ranges[at:at + 2] = [[ranges[at][0], ranges[at + 1][1]]]
    terms = [f"id:{low}" if low == high else f"(id:>={low} id:<={high})" for low, high in ranges]
    return " OR ".join(terms)


def read_export(objects, wanted):
    """Orders of ``wanted`` rebuilt from a bulk file read in order (a parent always comes before
    its children), in OrderFull's shape."""
    orders = {}
    for obj in objects:
        parent = obj.pop("__parentId", None)
        if parent is None:
            if obj["id"] in wanted:
                obj.update({"lineItems": [], "discountApplications": [], "shippingLines": [],
                            "fulfillmentOrders": []})
                orders[obj["id"]] = obj
            continue
        order = orders.get(parent)
        if order is not None:
            order[_connection(obj)].append(obj)
    for order in orders.values():
        for key, keep in KEPT.items():
            order[key] = {"nodes": order[key][:keep]}
        # Every line is here, as after fetch_orders paged to the end. Its last cursor cannot be
        # had from a bulk file; nothing reads it once hasNextPage is false.
        order["lineItems"] = {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": order["lineItems"]}
    return orders


def _connection(obj):
    """The connection a line of the file belongs to, by its __typename (asked for the very
    reason that ShippingLine.id may be null; dropped, OrderFull does not ask it), else by
    its id's type."""
    kind = obj.get("__typename")
    if kind in CONNECTION_OF:
        del obj["__typename"]
        return CONNECTION_OF[kind]
    kind = bulk.gid_type(obj.get("id") or "")
    if kind in CONNECTION_OF:
        return CONNECTION_OF[kind]
    if str(obj.get("__typename", "")).endswith("Application"):
        return "discountApplications"
    raise ValueError(f"A bulk line of no known connection: {obj.get('id') or obj.get('__typename')!r}")


def _add_fulfillment_lines(client, orders):
    shipments = {f["id"]: f for order in orders for f in order.get("fulfillments") or () if f.get("id")}
    for detail in _nodes(client, "FulfillmentLines", list(shipments), FULFILLMENTS_PER_REQUEST):
        shipments[detail["id"]]["fulfillmentLineItems"] = detail["fulfillmentLineItems"]


def _add_refund_lines(client, orders):
    refunds = {r["id"]: r for order in orders for r in order.get("refunds") or () if r.get("id")}
    for detail in _nodes(client, "RefundLines", list(refunds), REFUNDS_PER_REQUEST):
        refund = refunds[detail["id"]]
        refund["refundLineItems"] = detail["refundLineItems"]
        refund["refundShippingLines"] = detail["refundShippingLines"]
        refund["orderAdjustments"] = detail.get("orderAdjustments") or {"nodes": []}


def _nodes(client, document, ids, per_request):
    for start in range(0, len(ids), per_request):
        for node in client.execute(document, {"ids": ids[start:start + per_request]})["nodes"]:
            if node:
                yield node
