"""The JSON body of each topic: the REST resource Shopify sends, built from the stored order as it
was when the event happened (README "Webhooks" lists the fields served).

orders/create, orders/updated, orders/cancelled, orders/paid: the REST Order.
refunds/create: the REST Refund. orders/edited: ``{"order_edit": …}``.
"""
from . import rest
from .rest import amount, lower, money_fields, money_set, number

# REST fulfillment_status: null while nothing is fulfilled.
_FULFILLMENT = {"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial", "RESTOCKED": "restocked"}


def order(stored):
    bag = stored.get
    return {
        "id": number(stored["id"]), "admin_graphql_api_id": stored["id"],
        "app_id": number((bag("app") or {}).get("id")), "name": bag("name"),
        # GraphQL ``number`` counts from 1001 like REST order_number; REST ``number`` from 1.
        "order_number": bag("number"), "number": bag("number") - 1000 if bag("number") else None,
        "confirmation_number": bag("confirmationNumber"), "confirmed": True,
        "created_at": bag("createdAt"), "updated_at": bag("updatedAt"), "processed_at": bag("processedAt"),
        "cancelled_at": bag("cancelledAt"), "cancel_reason": lower(bag("cancelReason")),
        "closed_at": bag("closedAt"),
        "financial_status": lower(bag("displayFinancialStatus")),
        "fulfillment_status": _FULFILLMENT.get(bag("displayFulfillmentStatus")),
        "currency": bag("currencyCode"), "presentment_currency": bag("presentmentCurrencyCode"),
        "email": bag("email"), "contact_email": bag("email"), "phone": bag("phone"), "note": bag("note"),
        "note_attributes": [{"name": a["key"], "value": a["value"]} for a in bag("customAttributes") or ()],
        "tags": ", ".join(bag("tags") or ()), "test": bag("test", False), "po_number": bag("poNumber"),
        "source_name": bag("sourceName"), "source_identifier": bag("sourceIdentifier"),
        "taxes_included": bag("taxesIncluded"), "estimated_taxes": bag("estimatedTaxes"),
        "duties_included": bag("dutiesIncluded"), "payment_gateway_names": list(bag("paymentGatewayNames") or ()),
        "total_weight": int(bag("totalWeight") or 0),
        "location_id": number((bag("retailLocation") or {}).get("id")),
        **money_fields("total_price", bag("totalPriceSet")),
        **money_fields("subtotal_price", bag("subtotalPriceSet")),
        **money_fields("total_tax", bag("totalTaxSet")),
        **money_fields("total_discounts", bag("totalDiscountsSet")),
        **money_fields("current_total_price", bag("currentTotalPriceSet")),
        **money_fields("current_subtotal_price", bag("currentSubtotalPriceSet")),
        **money_fields("current_total_tax", bag("currentTotalTaxSet")),
        **money_fields("current_total_discounts", bag("currentTotalDiscountsSet")),
        **_line_items_price(stored),
        "total_shipping_price_set": money_set(bag("totalShippingPriceSet")),
        "total_outstanding": amount(bag("totalOutstandingSet")),
        "total_tip_received": amount(bag("totalTipReceivedSet")),
        "current_total_duties_set": money_set(bag("currentTotalDutiesSet")),
        "original_total_duties_set": money_set(bag("originalTotalDutiesSet")),
        "current_total_additional_fees_set": money_set(bag("currentTotalAdditionalFeesSet")),
        "original_total_additional_fees_set": money_set(bag("originalTotalAdditionalFeesSet")),
        "tax_lines": rest.tax_lines(bag("taxLines")),
        "discount_codes": rest.discount_codes(stored),
        "customer": rest.customer(bag("customer")),
        "billing_address": rest.address(bag("billingAddress")),
        "shipping_address": rest.address(bag("shippingAddress")),
        "line_items": [rest.line_item(line) for line in bag("lineItems") or ()],
        "shipping_lines": [rest.shipping_line(line) for line in bag("shippingLines") or ()],
        "refunds": [refund(r, stored) for r in bag("refunds") or ()],
    }


def _line_items_price(stored):
    lines = [line["originalTotalSet"] for line in stored.get("lineItems") or () if line.get("originalTotalSet")]
    if not lines or not stored.get("totalPriceSet"):
        return {}
    return money_fields("total_line_items_price", rest.summed(lines, stored["totalPriceSet"]))


def refund(stored, order_stored):
    order_id = number(order_stored["id"])
    items = stored.get("refundLineItems") or ()
    return {
        "id": number(stored["id"]), "admin_graphql_api_id": stored["id"], "order_id": order_id,
        "created_at": stored.get("createdAt"), "processed_at": stored.get("processedAt"),
        "note": stored.get("note"), "user_id": None, "restock": any(i.get("restocked") for i in items),
        "refund_line_items": [{
            "id": number(i["id"]), "quantity": i["quantity"], "line_item_id": number(i["lineItem"]["id"]),
            "location_id": number((i.get("location") or {}).get("id")), "restock_type": lower(i.get("restockType")),
            **money_fields("subtotal", i.get("subtotalSet")), **money_fields("total_tax", i.get("totalTaxSet")),
            "line_item": rest.line_item(i["lineItem"]),
        } for i in items],
        "refund_shipping_lines": [{
            "id": number(s["id"]), "shipping_line_id": number((s.get("shippingLine") or {}).get("id")),
            "subtotal_amount_set": money_set(s.get("subtotalAmountSet")),
            "tax_amount_set": money_set(s.get("taxAmountSet")),
        } for s in stored.get("refundShippingLines") or ()],
        "transactions": [transaction(t, order_id) for t in stored.get("transactions") or ()],
        "order_adjustments": [{
            "id": number(a["id"]), "order_id": order_id, "refund_id": number(stored["id"]),
            "kind": "refund_discrepancy", "reason": lower(a.get("reason")),
            **money_fields("amount", a.get("amountSet")), **money_fields("tax_amount", a.get("taxAmountSet")),
        } for a in stored.get("orderAdjustments") or ()],
        "duties": [],
    }


def transaction(stored, order_id):
    """REST amounts of a transaction are in the presentment currency."""
    presentment = (stored.get("amountSet") or {}).get("presentmentMoney") or {}
    return {
        "id": number(stored["id"]), "admin_graphql_api_id": stored["id"], "order_id": order_id,
        "kind": lower(stored.get("kind")), "status": lower(stored.get("status")), "gateway": stored.get("gateway"),
        "amount": presentment.get("amount"), "currency": presentment.get("currencyCode"),
        "created_at": stored.get("createdAt"), "processed_at": stored.get("processedAt"),
        "parent_id": number((stored.get("parentTransaction") or {}).get("id")), "test": stored.get("test", False),
        "error_code": stored.get("errorCode"), "payment_id": stored.get("paymentId"),
    }


def order_edit(agreement, order_stored):
    """orders/edited: the committed edit as line items added and removed (with their deltas)."""
    additions, removals = [], []
    for sale in agreement.get("sales") or ():
        line = (sale.get("lineItem") or {}).get("id")
        if line and sale.get("actionType") == "ORDER" and sale.get("quantity", 0) > 0:
            additions.append({"id": number(line), "delta": sale["quantity"]})
        elif line and sale.get("actionType") == "UPDATE" and sale.get("quantity", 0) < 0:
            removals.append({"id": number(line), "delta": -sale["quantity"]})
    return {"order_edit": {
        # Shopify does not publish which id this is; the simulator chooses the OrderEditAgreement's.
        "id": number(agreement["id"]), "app_id": None, "created_at": agreement.get("happenedAt"),
        "notify_customer": False, "order_id": number(order_stored["id"]), "staff_note": "", "user_id": None,
        "line_items": {"additions": additions, "removals": removals},
        "discounts": {"line_item": {"additions": [], "removals": []}},
        "shipping_lines": {"additions": [], "removals": []},
    }}


def metafields(sim, owner_id, subscription):
    """The owner's metafields a subscription asked for (``metafieldNamespaces``, ``metafields``)."""
    namespaces = set(subscription["metafieldNamespaces"])
    keys = {(m["namespace"], m["key"]) for m in subscription["metafields"]}
    return [{
        "id": number(m["id"]), "admin_graphql_api_id": m["id"], "namespace": m["namespace"], "key": m["key"],
        "value": m.get("value"), "type": m.get("type"), "description": m.get("description"),
        "owner_id": number(owner_id), "owner_resource": "order",
        "created_at": m.get("createdAt"), "updated_at": m.get("updatedAt"),
    } for m in sim.metafields.of_owner(owner_id) if m["namespace"] in namespaces or (m["namespace"], m["key"]) in keys]


def include_fields(payload, fields):
    """Only the listed fields; a period goes one level down (``line_items.sku``), into each element
    of a list. Without fields, the whole payload."""
    if not fields:
        return payload
    tree = {}
    for field in fields:
        node = tree
        for part in field.split("."):
            node = node.setdefault(part, {})
    return _prune(payload, tree)


def _prune(value, tree):
    if not tree:
        return value
    if isinstance(value, list):
        return [_prune(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: _prune(value[key], sub) for key, sub in tree.items() if key in value}
