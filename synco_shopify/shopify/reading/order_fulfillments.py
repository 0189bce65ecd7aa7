"""Reading an order's shipments (``Order.fulfillments``, a plain list of Fulfillment).

A payload stored before the fulfillments were selected has none: the order then has none to
carry out. Fields the schema makes nullable (a fulfillment's location, a line's quantity) are
kept as None; the lifecycle plan says what it does without them.
"""
from .order_types import Fulfillment, FulfillmentLine


def read_fulfillments(reader, payload):
    """The order's fulfillments, oldest first, read with ``reader`` (a FieldReader)."""
    found = payload.get("fulfillments")
    if found is None:
        return ()
    if not isinstance(found, list):
        reader.fail("fulfillments", "is not a list")
    fulfillments = tuple(_fulfillment(reader, node, f"fulfillments[{i}]") for i, node in enumerate(found))
    return tuple(sorted(fulfillments, key=lambda f: (f.created_at, f.id)))


def _fulfillment(reader, node, path):
    location = node.get("location") or {}
    where = f"{path}.fulfillmentLineItems"
    items, more = _line_items(reader, node.get("fulfillmentLineItems"), where)
    lines = tuple(
        FulfillmentLine(
            line_item_id=reader.req(reader.req(item, "lineItem", f"{where}.nodes[{j}]"), "id",
                                    f"{where}.nodes[{j}].lineItem"),
            quantity=None if item.get("quantity") is None else reader.count(item, "quantity", f"{where}.nodes[{j}]"),
        )
        for j, item in enumerate(items)
    )
    return Fulfillment(
        id=reader.req(node, "id", path),
        name=reader.text(node, "name"),
        status=reader.req(node, "status", path),
        created_at=reader.when(node, "createdAt", path),
        location_id=location.get("id"),
        location_name=location.get("name"),
        lines=lines,
        all_lines_read=not more,
    )


def _line_items(reader, connection, where):
    """(nodes, whether Shopify has more): a connection as the API sends it, or a plain list
    (the simulator's stored shape, a bulk export's lines)."""
    if isinstance(connection, list):
        return connection, False
    if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
        reader.fail(where, "is missing or not a connection with nodes")
    return connection["nodes"], bool((connection.get("pageInfo") or {}).get("hasNextPage"))
