"""Which Shopify shipments Odoo's deliveries must carry out, in a store where Shopify ships.

Each successful Fulfillment Odoo has not validated yet is one delivery: the units of its goods
lines, on its own day in the shop's time zone, from its Shopify location. A cancelled or failed
fulfillment shipped nothing. Gift cards and tips are never in Odoo's stock, so a shipment of
those only needs no delivery. What cannot be told for sure (a line Shopify does not count, a
line the order does not have, a shipment with more lines than were read) is not guessed: the
delivery is planned with the problem, and left to the warehouse with it.
"""
from ..planning.plan import local_day
from .types import Delivery

SHIPPED = "SUCCESS"  # FulfillmentStatus; CANCELLED, ERROR, FAILURE and the legacy OPEN, PENDING are not


def plan_deliveries(order, held, settings):
    """The deliveries to validate for ``order`` (parsed), oldest shipment first."""
    if not settings.shopify_ships:
        return ()
    lines_by_id = {line.id: line for line in order.line_items}
    # An order booked before the store switched to Shopify ships: its deliveries were the
    # warehouse's, which may have validated them by hand; its earlier shipments stay theirs.
    since = settings.ships_since
    booked_before = bool(since and held.sale_order and held.sale_order.created_at
                         and held.sale_order.created_at < since)
    deliveries = []
    for fulfillment in order.fulfillments:
        if fulfillment.status != SHIPPED or fulfillment.id in held.fulfillments:
            continue
        if booked_before and fulfillment.created_at < since:
            continue
        units, problems = {}, []
        for item in fulfillment.lines:
            line = lines_by_id.get(item.line_item_id)
            if line is None:
                problems.append(f"it ships line {item.line_item_id}, which the order does not have")
            elif line.is_gift_card or line.is_tip:
                continue
            elif item.quantity is None:
                problems.append(f"Shopify does not say how many units of {line.name} it shipped")
            elif item.quantity:
                units[line.id] = units.get(line.id, 0) + item.quantity
        if not fulfillment.all_lines_read:
            problems.append("it has more lines than Synco reads per shipment (20)")
        if not units and not problems:
            continue
        name = fulfillment.name or fulfillment.id
        deliveries.append(Delivery(
            fulfillment_id=fulfillment.id, name=name, shipped_at=fulfillment.created_at,
            day=local_day(fulfillment.created_at, settings), location_id=fulfillment.location_id,
            location_name=fulfillment.location_name, lines=tuple(units.items()),
            problem=(f"Shopify shipment {name} is left to the warehouse: {'; '.join(problems)}."
                     if problems else None),
        ))
    return tuple(deliveries)
