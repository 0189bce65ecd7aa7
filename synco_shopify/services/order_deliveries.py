"""Carries out a lifecycle plan's deliveries (``LifecyclePlan.deliveries``), in a store where
Shopify ships: for each Shopify shipment, the sale order's open delivery is validated for the
units shipped — dated on the shipment, from the stock location its Shopify location is mapped
to — and keyed by the shipment; what is not shipped yet stays in a backorder.

What Odoo cannot validate by itself (products tracked by lots or serial numbers, deliveries in
several steps, units no open delivery holds, a refusal by Odoo such as a locked period) is left
to the warehouse, with the reason in the order's history. Each validation runs in its own
savepoint: a refused one leaves its delivery as it was, and the order's documents are kept.
"""
from dataclasses import replace

from odoo import _
from odoo.exceptions import UserError, ValidationError

from .order_import import naive_utc


class LeftToWarehouse(UserError):
    """A delivery Synco does not validate; the message says why."""


def with_shipments(env, store, orders, held):
    """``held`` ({shopify.order id: Held}) with the shipments whose delivery Odoo validated: one
    query per batch, and none for a store whose warehouse ships."""
    if store.shipping_by != "shopify" or not orders:
        return held
    done = {}
    for picking in env["stock.picking"].search_fetch(
            [("shopify_order_id", "in", orders.ids), ("shopify_fulfillment_gid", "!=", False)],
            ["shopify_order_id", "shopify_fulfillment_gid"]):
        done.setdefault(picking.shopify_order_id.id, set()).add(picking.shopify_fulfillment_gid)
    return {order_id: replace(found, fulfillments=frozenset(done.get(order_id, ())))
            for order_id, found in held.items()}


class OrderDeliveries:
    def __init__(self, writer):
        self.writer = writer
        self.env = writer.env
        self.results = {}  # shopify.order id -> [(Delivery, validated picking or None, why not or None)]

    def apply(self, batch):
        """The deliveries of every prepared order whose plan has some (after its sale order exists)."""
        for p in batch:
            if p.life.deliveries:
                self.results[p.record.id] = [self._apply(p, delivery) for delivery in p.life.deliveries]

    def summary(self, order):
        """What the last ``apply`` did for ``order``, in words, for its History tab."""
        lines = []
        for delivery, picking, reason in self.results.get(order.id, ()):
            if picking:
                lines.append(_("Delivery %(picking)s validated: Shopify shipment %(name)s of %(day)s, from %(where)s.",
                               picking=picking.name, name=delivery.name, day=delivery.day,
                               where=picking.location_id.display_name))
            elif reason:
                lines.append(reason)
        return lines

    def _apply(self, prepared, delivery):
        if delivery.problem:
            return delivery, None, delivery.problem
        try:
            with self.env.cr.savepoint():
                return delivery, self._validate(prepared.sale_order, prepared.record, delivery), None
        except (UserError, ValidationError) as refused:
            reason = refused.args[0] if refused.args else str(refused)
            if not isinstance(refused, LeftToWarehouse):
                reason = _("Shopify shipment %(name)s: Odoo refused to validate the delivery: %(reason)s",
                           name=delivery.name, reason=reason)
            return delivery, None, reason

    def _validate(self, sale_order, record, delivery):
        left = _("Shopify shipment %s is left to the warehouse: ", delivery.name)
        if not sale_order:
            raise LeftToWarehouse(left + _("the order has no sale order in Odoo."))
        quantities = self._shipped_moves(sale_order, delivery, left)
        if not quantities:
            return None  # services only: nothing leaves Odoo's stock
        picking = self.env["stock.move"].union(*quantities).picking_id
        if len(picking) != 1:
            raise LeftToWarehouse(left + _("its units are in %s deliveries.", len(picking)))
        warehouse, location = self._ships_from(delivery, picking)
        tracked = picking.move_ids.filtered(lambda m: m in quantities and m.product_id.tracking != "none")
        if tracked:
            raise LeftToWarehouse(left + _("%s is tracked by lots or serial numbers, which only the warehouse "
                                           "can choose.", ", ".join(tracked.product_id.mapped("display_name"))))
        steps = (picking.picking_type_id.warehouse_id | warehouse).filtered(lambda w: w.delivery_steps != "ship_only")
        if steps or picking.move_ids.move_orig_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            raise LeftToWarehouse(left + _("the delivery waits for other operations (picking, packing) of the "
                                           "warehouse."))
        self._set_shipped(picking, quantities)
        if any(m.quantity < m.product_uom_qty for m in picking.move_ids if m.state not in ("done", "cancel")):
            # What Shopify has not shipped yet goes to a backorder, as it was; only the shipment
            # itself may change location.
            picking.action_split_transfer()
        if picking.location_id != location:
            self._set_shipped(picking, dict.fromkeys(picking.move_ids, 0))  # its stock was taken elsewhere
            if picking.picking_type_id != warehouse.out_type_id:
                picking.picking_type_id = warehouse.out_type_id
            picking.location_id = location
            self._set_shipped(picking, {move: move.product_uom_qty for move in picking.move_ids})
        # skip_sms: stock_sms would otherwise answer with its one-time SMS wizard (and Shopify
        # told the customer already).
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids, skip_sms=True,
                             synco_shopify_shipment=True, force_period_date=delivery.day).button_validate()
        if picking.state != "done":
            raise LeftToWarehouse(left + _("Odoo did not validate delivery %s.", picking.name))
        picking.write({"date_done": naive_utc(delivery.shipped_at), "shopify_order_id": record.id,
                       "shopify_fulfillment_gid": delivery.fulfillment_id, "shopify_fulfillment_name": delivery.name})
        return picking

    def _shipped_moves(self, sale_order, delivery, left):
        """{open outgoing move: units Shopify shipped of it}; a line's units fill its moves in turn."""
        moves = sale_order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        ).move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        found, short = {}, []
        for gid, units in delivery.lines:
            lines = sale_order.order_line.filtered(
                lambda l, g=gid: l.shopify_line_gid == g and l.shopify_line_kind == "product")
            if lines and all(line.product_id.type == "service" for line in lines):
                continue
            line_moves = moves.filtered(lambda m, ls=lines: m.sale_line_id in ls)
            open_units = sum(line_moves.mapped("product_uom_qty"))
            if not lines or open_units < units:
                short.append(_("%(line)s (%(shipped)s shipped, %(open)s in open deliveries)",
                               line=lines[:1].product_id.display_name or gid, shipped=units, open=open_units))
                continue
            for move in line_moves:
                take = min(units, move.product_uom_qty)
                if take:
                    found[move] = take
                    units -= take
        if short:
            raise LeftToWarehouse(left + _("Odoo's deliveries do not hold what Shopify shipped: %s.", ", ".join(short)))
        return found

    def _ships_from(self, delivery, picking):
        """(warehouse, stock location) of the shipment: its Shopify location's mapping; a location
        that is not mapped (or unknown) leaves the delivery where the sale order put it."""
        mapping = self.writer.store.location_mapping_ids.filtered(
            lambda m: delivery.location_id and m.location_gid == delivery.location_id)[:1]
        if mapping:
            return mapping.warehouse_id, mapping._ships_from()
        return picking.picking_type_id.warehouse_id, picking.location_id

    def _set_shipped(self, picking, quantities):
        for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            units = quantities.get(move, 0)
            move.quantity = units
            move.picked = bool(units)
