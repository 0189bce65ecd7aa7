"""Shipments as deliveries: in a store where Shopify ships, each Shopify fulfillment Odoo has not
validated yet is a delivery of its goods units, on its day in the shop's time zone, from its
Shopify location; where Odoo's warehouse ships, none is planned."""
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from fixtures.order_builder import OrderBuilder

from synco_shopify.shopify.lifecycle.plan import item_quantities, plan_lifecycle
from synco_shopify.shopify.lifecycle.types import BookingPolicy, Held, HeldDocument, HeldSaleOrder
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan
from synco_shopify.shopify.reading.order import OrderDataError, parse_order

NY = ("NY State Tax", 0.08875)
POLICY = BookingPolicy(sale_order=True, invoice=True, paid_only=False, payments=True)
SHOPIFY_SHIPS = PlanSettings(timezone="America/New_York", shopify_ships=True)
WAREHOUSE_SHIPS = PlanSettings(timezone="America/New_York")
DEPOT = {"id": "gid://shopify/Location/8", "name": "Brooklyn depot"}


def shipment(number, lines, *, at="2026-03-02T03:30:00Z", status="SUCCESS", location=DEPOT, more=False):
    """A Fulfillment as OrderFull selects it; ``lines``: (LineItem GID, quantity)."""
    return {"id": f"gid://shopify/Fulfillment/{number}", "name": f"#1001.{number}", "status": status,
            "createdAt": at, "location": location,
            "fulfillmentLineItems": {"pageInfo": {"hasNextPage": more},
                                     "nodes": [{"lineItem": {"id": gid}, "quantity": q} for gid, q in lines]}}


def order_with(shipments, gift_card=False):
    """A paid order of 3 lamps (and a gift card) with the fulfillments ``shipments(lamp GID, card GID)``
    lists as (number, lines[, shipment() options])."""
    b = OrderBuilder()
    lamp = b.line("Lamp", "40.00", 3, taxes=[(*NY, "10.65")])
    card = b.line("Gift card", "25.00", 1, gift_card=True, sku=None, variant=False) if gift_card else None
    b.transaction("SALE", "155.65" if gift_card else "130.65")
    b.set(fulfillments=[shipment(*s[:2], **(s[2] if len(s) > 2 else {})) for s in shipments(lamp, card)])
    return b.build(), lamp, card


def life_of(payload, held=Held(), settings=SHOPIFY_SHIPS, policy=POLICY):
    order = parse_order(payload)
    plan = build_plan(order, settings)
    assert check_plan(plan, order) == []
    return plan_lifecycle(order, plan, held, policy, settings)


def booked(payload, life, held=Held()):
    """What Odoo holds once ``life`` was carried out on top of ``held``."""
    plan = build_plan(parse_order(payload), SHOPIFY_SHIPS)
    so = held.sale_order or HeldSaleOrder(state="sale", quantities=tuple(item_quantities(plan.lines).items()))
    documents = held.documents + tuple(
        HeldDocument(key=d.key, kind=d.kind, move_type=d.move_type, state="posted",
                     quantities=tuple(item_quantities(d.lines).items()), total=d.total) for d in life.documents)
    return Held(sale_order=so, documents=documents, payments=held.payments | {p.transaction_id for p in life.payments},
                fulfillments=held.fulfillments | {d.fulfillment_id for d in life.deliveries})


def test_a_shipment_is_delivered_on_its_shop_day_from_its_location_and_only_once():
    payload, lamp, _card = order_with(lambda lamp, card: [(1, [(lamp, 3)])])
    life = life_of(payload)
    (delivery,) = life.deliveries
    assert delivery.fulfillment_id == "gid://shopify/Fulfillment/1" and delivery.name == "#1001.1"
    assert delivery.lines == ((lamp, 3),)
    # 03:30 UTC on 2 March is still 1 March in New York: the shipment's day is the shop's.
    assert delivery.shipped_at == datetime(2026, 3, 2, 3, 30, tzinfo=timezone.utc)
    assert delivery.day == date(2026, 3, 1)
    assert (delivery.location_id, delivery.location_name) == (DEPOT["id"], DEPOT["name"])
    assert delivery.problem is None
    again = life_of(payload, booked(payload, life))
    assert again.empty


def test_where_the_warehouse_ships_no_shipment_is_delivered():
    payload, _lamp, _card = order_with(lambda lamp, card: [(1, [(lamp, 3)])])
    life = life_of(payload, settings=WAREHOUSE_SHIPS)
    assert life.create_sale_order and life.deliveries == ()
    # Synced again, with the shipment: nothing to do, the deliveries stay for the warehouse.
    assert life_of(payload, booked(payload, life), settings=WAREHOUSE_SHIPS).empty


def test_a_partial_shipment_then_the_rest_are_two_deliveries_oldest_first():
    payload, lamp, _card = order_with(lambda lamp, card: [
        (2, [(lamp, 1)], {"at": "2026-03-04T15:00:00Z"}),
        (1, [(lamp, 2)], {"at": "2026-03-03T15:00:00Z"}),
    ])
    first, second = life_of(payload).deliveries
    assert (first.name, first.lines, first.day) == ("#1001.1", ((lamp, 2),), date(2026, 3, 3))
    assert (second.name, second.lines, second.day) == ("#1001.2", ((lamp, 1),), date(2026, 3, 4))


def test_a_shipment_after_the_first_sync_is_the_update_s_only_action():
    before, lamp, _card = order_with(lambda lamp, card: [])
    first = life_of(before)
    assert first.deliveries == () and first.create_sale_order and first.documents
    after = dict(before, fulfillments=[shipment(1, [(lamp, 3)])])
    update = life_of(after, booked(before, first))
    assert [d.fulfillment_id for d in update.deliveries] == ["gid://shopify/Fulfillment/1"]
    assert update.documents == () and update.payments == () and not update.create_sale_order


def test_cancelled_shipments_and_gift_cards_need_no_delivery():
    payload, lamp, card = order_with(lambda lamp, card: [
        (1, [(lamp, 3)], {"status": "CANCELLED"}),
        (2, [(card, 1)]),
        (3, [(lamp, 3), (card, 1)], {"status": "FAILURE"}),
        (4, [(lamp, 3), (card, 1)]),
    ], gift_card=True)
    (delivery,) = life_of(payload).deliveries
    assert delivery.fulfillment_id.endswith("/4") and delivery.lines == ((lamp, 3),)


def test_what_cannot_be_told_for_sure_is_left_to_the_warehouse_with_the_reason():
    payload, lamp, _card = order_with(lambda lamp, card: [
        (1, [(lamp, None)]),
        (2, [(lamp, 1), ("gid://shopify/LineItem/999", 1)]),
        (3, [(lamp, 1)], {"more": True, "location": None}),
    ])
    unknown, stranger, paged = life_of(payload).deliveries
    assert "does not say how many units of Lamp" in unknown.problem
    assert "gid://shopify/LineItem/999" in stranger.problem and stranger.lines == ((lamp, 1),)
    assert "more lines" in paged.problem and paged.location_id is None


def test_no_delivery_without_a_living_sale_order():
    payload, lamp, _card = order_with(lambda lamp, card: [(1, [(lamp, 3)])])
    assert life_of(payload, policy=replace(POLICY, sale_order=False)).deliveries == ()
    cancelled = Held(sale_order=HeldSaleOrder(state="cancel", quantities=()))
    assert life_of(payload, cancelled).deliveries == ()


def test_shipments_are_read_from_the_api_s_connection_and_from_a_stored_list():
    payload, lamp, _card = order_with(lambda lamp, card: [(1, [(lamp, 3)])])
    stored = dict(payload, fulfillments=[dict(payload["fulfillments"][0], fulfillmentLineItems=[
        {"lineItem": {"id": lamp}, "quantity": 3}])])
    assert parse_order(stored).fulfillments == parse_order(payload).fulfillments
    older = {k: v for k, v in payload.items() if k != "fulfillments"}
    assert parse_order(older).fulfillments == ()
    broken = dict(payload, fulfillments=[dict(payload["fulfillments"][0], createdAt=None)])
    with pytest.raises(OrderDataError, match=r"fulfillments\[0\].createdAt is missing"):
        parse_order(broken)


def test_a_store_switching_to_shopify_ships_leaves_earlier_shipments_of_earlier_orders_to_the_warehouse():
    """The warehouse had these deliveries (it may have validated them by hand): only what Shopify
    ships after the switch is validated for an order booked before it; an order booked after
    the switch gets all its shipments."""
    switched = datetime(2026, 3, 5, tzinfo=timezone.utc)
    settings = replace(SHOPIFY_SHIPS, ships_since=switched)
    payload, lamp, _card = order_with(lambda lamp, card: [(1, [(lamp, 1)]), (2, [(lamp, 2)], {"at": "2026-03-06T10:00:00Z"})])
    plan = build_plan(parse_order(payload), settings)
    quantities = tuple(item_quantities(plan.lines).items())
    before = Held(sale_order=HeldSaleOrder(state="sale", quantities=quantities,
                                           created_at=datetime(2026, 3, 1, tzinfo=timezone.utc)))
    assert [d.fulfillment_id for d in life_of(payload, before, settings).deliveries] == [
        "gid://shopify/Fulfillment/2"]
    after = replace(before, sale_order=replace(before.sale_order, created_at=datetime(2026, 3, 5, 1, tzinfo=timezone.utc)))
    assert [d.fulfillment_id for d in life_of(payload, after, settings).deliveries] == [
        "gid://shopify/Fulfillment/1", "gid://shopify/Fulfillment/2"]
