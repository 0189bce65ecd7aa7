"""Order-level calls built on ShopifyClient: whole orders, headers, and the custom.odoo_id write-back.

The page sizes below are the ones tests/shopify/test_documents.py prices against
Shopify's 1,000-point single-query limit; change them together.
"""
from .errors import MaxCostExceeded, UserErrors

# 33 is the largest batch whose requested cost (902) stays under 1,000: from 34 on the
# connection multiplier floor(2 ln n) steps from 6 to 7 and the cost to 1,052.
ORDERS_PER_REQUEST = 33
LINE_ITEMS_PER_PAGE = 250
HEADERS_PER_PAGE = 250
# From this many orders a sync reads them through one bulk export (fetch_orders_bulk). Measured
# by bench/bulk_fetch.py on a Standard-plan shop (100 points/s; each OrdersFull request of 33
# orders needs 902 points free): pages took 9.9 s for 150 orders, 25.9 s for 300, 53.6 s for
# 500; the export 5.5 s, 9.5 s and 8.4 s, and almost none of the bucket. Below ~150 orders pages
# run on the bucket's 2,000 points with little or no wait; the simulator does not model the time
# Shopify may queue an export before it starts (unpublished), and before 2026-01 a shop runs one
# bulk query at a time, so small syncs keep pages and leave that slot free. At 250 orders pages
# already take ~2.5 times the export, a margin for that queueing.
BULK_THRESHOLD = 250
HEADERS_BY_ID = 100  # nodes(ids:) is priced per element: 100 headers stay well under 1,000
METAFIELDS_PER_CALL = 25

ODOO_ID = {"namespace": "custom", "key": "odoo_id", "type": "single_line_text_field"}
ODOO_ID_DEFINITION = {
    **ODOO_ID,
    "name": "Odoo ID",
    "description": "Reference of the Odoo record created from this order (written by Synco).",
    "ownerType": "ORDER",
}


def fetch_orders(client, gids, batch_size=ORDERS_PER_REQUEST):
    """Whole orders for ``gids``, in the given order; orders Shopify no longer has are left out.

    One ``OrdersFull`` request per ``batch_size`` orders (``id:1 OR id:2 ...``), then
    ``OrderLineItemsPage`` requests only for orders with more lines than the first page.
    A batch Shopify prices above its limit is split in two, as often as needed.
    """
    wanted = list(dict.fromkeys(gids))
    found = {}
    for start in range(0, len(wanted), batch_size):
        _fetch_batch(client, wanted[start:start + batch_size], found)
    for gid, order in list(found.items()):
        if not _complete_line_items(client, order):
            del found[gid]
    orders = [found[gid] for gid in wanted if gid in found]
    _add_refund_details(client, orders)
    _add_edits(client, orders)
    return orders


REFUNDS_PER_REQUEST = 25
EDITED_ORDERS_PER_REQUEST = 4


def _add_refund_details(client, orders):
    """Merges RefundDetails into the orders' refunds: one request per 25 refunds, none
    for a batch without refunds."""
    refunds = {r["id"]: r for order in orders for r in order.get("refunds") or () if r.get("id")}
    ids = list(refunds)
    for start in range(0, len(ids), REFUNDS_PER_REQUEST):
        found = client.execute("RefundDetails", {"ids": ids[start:start + REFUNDS_PER_REQUEST]})["nodes"]
        for detail in found:
            if not detail:
                continue
            refund = refunds[detail["id"]]
            refund["orderAdjustments"] = detail.get("orderAdjustments") or {"nodes": []}
            flags = {(n.get("lineItem") or {}).get("id"): n for n in (detail.get("refundLineItems") or {}).get("nodes") or ()}
            for item in (refund.get("refundLineItems") or {}).get("nodes") or ():
                extra = flags.get((item.get("lineItem") or {}).get("id")) or {}
                item["restockType"] = extra.get("restockType")
                item["restocked"] = extra.get("restocked")


def _add_edits(client, orders):
    """Merges the sales agreements of edited orders (OrderEdits) into them."""
    edited = [order for order in orders if order.get("edited")]
    for start in range(0, len(edited), EDITED_ORDERS_PER_REQUEST):
        chunk = edited[start:start + EDITED_ORDERS_PER_REQUEST]
        found = client.execute("OrderEdits", {"ids": [order["id"] for order in chunk]})["nodes"]
        by_id = {node["id"]: node for node in found if node}
        for order in chunk:
            order["agreements"] = (by_id.get(order["id"]) or {}).get("agreements") or {"nodes": []}


def fetch_orders_bulk(client, gids, **polling):
    """What ``fetch_orders`` returns, read through one bulk export (orders_bulk.py): worth it
    from ``BULK_THRESHOLD`` orders on. ``polling`` goes to ``bulk.run_query``."""
    from . import orders_bulk  # it builds on this module's helpers

    return orders_bulk.fetch_orders(client, gids, **polling)


def fetch_order(client, gid):
    """One whole order, or None when Shopify has no such order."""
    order = client.execute("OrderFull", {"id": gid})["order"]
    if order is not None and not _complete_line_items(client, order):
        order = None
    if order is not None:
        _add_refund_details(client, [order])
        _add_edits(client, [order])
    return order


def iter_order_headers(client, query, page_size=HEADERS_PER_PAGE, sort_key="UPDATED_AT"):
    """Yield order headers matching a search query such as ``updated_at:>='2026-03-01'``."""
    variables = {"query": query, "sortKey": sort_key}
    return client.paginate("OrderHeaders", variables, page_size=page_size)


def fetch_headers(client, gids):
    """Order headers by id (``nodes``, not the search index); orders Shopify no longer has
    are left out."""
    found = []
    for start in range(0, len(gids), HEADERS_BY_ID):
        nodes = client.execute("OrderHeadersById", {"ids": list(gids[start:start + HEADERS_BY_ID])})["nodes"]
        found.extend(node for node in nodes if node)
    return found


def set_odoo_ids(client, pairs):
    """Write ``custom.odoo_id`` on each order; return ``{gid: None or error message}``.

    25 entries per ``metafieldsSet`` call. That call is atomic: when some entries
    are refused nothing is written, so the batch is sent again without them.
    Transport errors propagate; sending again later is safe (the mutation is an upsert).
    """
    values = dict(pairs)
    results = {}
    gids = list(values)
    for start in range(0, len(gids), METAFIELDS_PER_CALL):
        pending = gids[start:start + METAFIELDS_PER_CALL]
        while pending:
            entries = [{"ownerId": gid, **ODOO_ID, "value": str(values[gid])} for gid in pending]
            try:
                client.execute("SetOdooIds", {"metafields": entries})
            except UserErrors as refused:
                failed = _errors_by_owner(pending, refused.user_errors)
                results.update(failed)
                pending = [gid for gid in pending if gid not in failed]
                continue
            results.update(dict.fromkeys(pending))
            pending = []
    return results


def ensure_odoo_id_definition(client):
    """Create the order metafield definition for custom.odoo_id; True if created, False if it existed."""
    try:
        client.execute("DefineOdooId", {"definition": ODOO_ID_DEFINITION})
    except UserErrors as refused:
        if all(e.get("code") == "TAKEN" for e in refused.user_errors):
            return False
        raise
    return True


def legacy_id(gid):
    """``gid://shopify/Order/123`` -> ``123``."""
    return gid.rsplit("/", 1)[-1]


def _fetch_batch(client, batch, found):
    search = " OR ".join(f"id:{legacy_id(gid)}" for gid in batch)
    try:
        for order in client.paginate("OrdersFull", {"query": search}, page_size=len(batch)):
            found[order["id"]] = order
    except MaxCostExceeded:
        if len(batch) == 1:
            raise
        half = len(batch) // 2
        _fetch_batch(client, batch[:half], found)
        _fetch_batch(client, batch[half:], found)


def _complete_line_items(client, order):
    """Pages the order's line items to the last; False when Shopify no longer has the order
    (deleted between two pages: the schema lets ``order`` be null)."""
    lines = order["lineItems"]
    page = lines["pageInfo"]
    while page["hasNextPage"]:
        found = client.execute(
            "OrderLineItemsPage",
            {"id": order["id"], "first": LINE_ITEMS_PER_PAGE, "after": page["endCursor"]},
        )["order"]
        if found is None:
            return False
        more = found["lineItems"]
        lines["nodes"].extend(more["nodes"])
        page = more["pageInfo"]
    lines["pageInfo"] = page
    return True


def _errors_by_owner(pending, user_errors):
    """Map each userError to its entry; one that names no entry fails the whole batch."""
    failed = {}
    for error in user_errors:
        index = _entry_index(error)
        message = _message(error)
        owners = [pending[index]] if index is not None and index < len(pending) else pending
        for gid in owners:
            failed[gid] = f"{failed[gid]}; {message}" if gid in failed else message
    return failed


def _entry_index(error):
    if error.get("elementIndex") is not None:
        return error["elementIndex"]
    field = error.get("field") or []
    # Older answers only locate the entry in the field path: ["metafields", "3", "value"].
    if len(field) > 1 and field[0] == "metafields" and str(field[1]).isdigit():
        return int(field[1])
    return None


def _message(error):
    code = error.get("code")
    return f"{code}: {error.get('message', '?')}" if code else error.get("message", "?")
