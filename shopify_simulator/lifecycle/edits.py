"""Order editing: ``orderEditBegin``, ``orderEditAddVariant``, ``orderEditSetQuantity`` and
``orderEditCommit``. A session (a CalculatedOrder id) keeps the staged changes in memory; the
stored order changes only at commit (edit_lines.py).

The CalculatedOrder serves id, committed, originalOrder, lineItems, addedLineItems and
subtotalLineItemsQuantity; its line items id, quantity, title, variantTitle, sku, variant,
originalUnitPriceSet, editableQuantity, editableQuantityBeforeChanges, restockable, restocking,
customAttributes, discountAllocations, hasStagedLineItemDiscount. Other fields (the money of the
calculated order, staged changes) are not modelled: asking for them is NOT_IMPLEMENTED.
"""
from dataclasses import dataclass, field

from .. import gids
from .common import change_order, now_iso, state, user_error
from .edit_lines import add_line, lower_line, record, unit_price
from .money import OrderMoney


@dataclass
class EditSession:
    id: str
    order_id: str
    added: dict = field(default_factory=dict)       # calculated line gid -> (variant, quantity, location id)
    quantities: dict = field(default_factory=dict)  # line item gid -> (new quantity, restock)
    committed: bool = False


def _calculated_line_id(line_id):
    return gids.make("CalculatedLineItem", gids.number(line_id))


def _line_id(calculated_id):
    """Accepts CalculatedLineItem ids (Shopify's) and, leniently, the LineItem ids they mirror."""
    return gids.make("LineItem", gids.number(calculated_id)) if gids.number(calculated_id) else calculated_id


def _calculated_order(info, session):
    order = info.context.sim.store.node(session.order_id)
    lines, added = [], []
    for line in order["lineItems"]:
        quantity, restock = session.quantities.get(line["id"], (line["currentQuantity"], False))
        lines.append({
            "id": _calculated_line_id(line["id"]), "quantity": quantity, "title": line.get("title"),
            "variantTitle": line.get("variantTitle"), "sku": line.get("sku"), "variant": line.get("variant"),
            "originalUnitPriceSet": line["originalUnitPriceSet"], "editableQuantity": quantity,
            "editableQuantityBeforeChanges": line["currentQuantity"], "restockable": True, "restocking": restock,
            "customAttributes": line.get("customAttributes") or [], "discountAllocations":
                line.get("discountAllocations") or [], "hasStagedLineItemDiscount": False})
    m = OrderMoney(order)
    for calculated_id, (variant, quantity, _) in session.added.items():
        product = info.context.sim.node((variant.get("product") or {}).get("id")) or {}
        added.append({
            "id": calculated_id, "quantity": quantity, "title": product.get("title"),
            "variantTitle": variant.get("title"), "sku": variant.get("sku"), "variant": variant,
            "originalUnitPriceSet": m.bag(unit_price(m, variant)), "editableQuantity": quantity, "editableQuantityBeforeChanges": 0,
            "restockable": False, "restocking": False, "customAttributes": [], "discountAllocations": [],
            "hasStagedLineItemDiscount": False})
    every = lines + added
    counted = sum(item["quantity"] for item, line in zip(lines, order["lineItems"])
                  if not line.get("isGiftCard") and line.get("title") != "Tip") + sum(a["quantity"] for a in added)
    return {"id": session.id, "committed": session.committed, "originalOrder": order, "lineItems": every,
            "addedLineItems": added, "subtotalLineItemsQuantity": counted}, {item["id"]: item for item in every}


def _session_payload(info, session, line_id=None, errors=()):
    if errors:
        return {"calculatedOrder": None, "calculatedLineItem": None, "orderEditSession": None,
                "userErrors": list(errors)}
    calculated, by_id = _calculated_order(info, session)
    return {"calculatedOrder": calculated, "calculatedLineItem": by_id.get(line_id),
            "orderEditSession": {"id": gids.make("OrderEditSession", gids.number(session.id))}, "userErrors": []}


def _open_session(info, calculated_id):
    session = state(info).edits.get(calculated_id)
    if session is None or session.committed:
        return None, user_error(["id"], "The calculated order does not exist or was already committed.")
    return session, None


def order_edit_begin(source, info, args):
    order = info.context.sim.store.node(args["id"])
    if order is None:
        return _session_payload(info, None, errors=[user_error(["id"], "Order does not exist.")])
    if order.get("cancelledAt"):
        return _session_payload(info, None, errors=[user_error(["id"], "A cancelled order cannot be edited.")])
    session = EditSession(state(info).gid("CalculatedOrder"), order["id"])
    state(info).edits[session.id] = session
    return _session_payload(info, session)


def order_edit_add_variant(source, info, args):
    session, error = _open_session(info, args["id"])
    if error:
        return _session_payload(info, None, errors=[error])
    variant = info.context.sim.node(args["variantId"])
    if variant is None or gids.type_of(args["variantId"]) != "ProductVariant":
        return _session_payload(info, None, errors=[user_error(["variantId"], "Variant does not exist.")])
    if args["quantity"] < 1:
        return _session_payload(info, None, errors=[user_error(["quantity"], "Quantity must be at least 1.")])
    order = info.context.sim.store.node(session.order_id)
    present = [line for line in order["lineItems"] if (line.get("variant") or {}).get("id") == variant["id"]
               and line["currentQuantity"] > 0] + [a for a in session.added.values() if a[0]["id"] == variant["id"]]
    if present and not args.get("allowDuplicates"):
        return _session_payload(info, None, errors=[user_error(
            ["variantId"], "The variant is already on the order; set allowDuplicates to add another line.")])
    calculated_id = gids.make("CalculatedLineItem", gids.number(state(info).gid("LineItem")))
    session.added[calculated_id] = (variant, args["quantity"], args.get("locationId"))
    return _session_payload(info, session, calculated_id)


def order_edit_set_quantity(source, info, args):
    session, error = _open_session(info, args["id"])
    if error:
        return _session_payload(info, None, errors=[error])
    quantity, calculated_id = args["quantity"], args["lineItemId"]
    if quantity < 0:
        return _session_payload(info, None, errors=[user_error(["quantity"], "Quantity can't be negative.")])
    if calculated_id in session.added:
        variant, _, location = session.added[calculated_id]
        if quantity == 0:
            del session.added[calculated_id]
        else:
            session.added[calculated_id] = (variant, quantity, location)
        return _session_payload(info, session, calculated_id)
    order = info.context.sim.store.node(session.order_id)
    line = next((line for line in order["lineItems"] if line["id"] == _line_id(calculated_id)), None)
    if line is None:
        return _session_payload(info, None, errors=[user_error(["lineItemId"], "Line item does not exist.")])
    if quantity > line["currentQuantity"]:
        # Shopify allows it; the simulator does not model the extra units of an existing line.
        return _session_payload(info, None, errors=[user_error(
            ["quantity"], "The Shopify simulator does not implement raising a line's quantity; "
                          "add the variant with allowDuplicates instead.")])
    session.quantities[line["id"]] = (quantity, bool(args.get("restock")))
    return _session_payload(info, session, _calculated_line_id(line["id"]))


def order_edit_commit(source, info, args):
    session, error = _open_session(info, args["id"])
    if error:
        return {"order": None, "successMessages": None, "userErrors": [error]}

    def change(order, m):
        if order is None:
            return {"order": None, "successMessages": None,
                    "userErrors": [user_error(["id"], "Order does not exist.")]}, False
        lines = {line["id"]: line for line in order["lineItems"]}
        sales = []
        for line_id, (quantity, _) in session.quantities.items():
            line = lines[line_id]
            if quantity > line["currentQuantity"]:
                return {"order": None, "successMessages": None, "userErrors": [user_error(
                    ["id"], "The order changed since the edit began: a line has fewer units than staged.")]}, False
            if quantity < line["currentQuantity"]:
                sales.append(lower_line(info, order, m, line, line["currentQuantity"] - quantity))
        for calculated_id, (variant, quantity, location) in session.added.items():
            sales.append(add_line(info, order, m, variant, quantity, location,
                                  gids.make("LineItem", gids.number(calculated_id))))
        session.committed = True
        if sales:
            record(info, order, m, sales, now_iso(info))
        return {"order": order, "successMessages": ["Order updated"], "userErrors": []}, bool(sales)

    return change_order(info, session.order_id, change)


EDIT_MUTATIONS = {
    ("Mutation", "orderEditBegin"): order_edit_begin,
    ("Mutation", "orderEditAddVariant"): order_edit_add_variant,
    ("Mutation", "orderEditSetQuantity"): order_edit_set_quantity,
    ("Mutation", "orderEditCommit"): order_edit_commit,
}
