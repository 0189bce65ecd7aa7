"""Deliveries: where Shopify ships, each Shopify shipment validates the sale order's delivery for
the units shipped, dated on the shipment, from the stock its Shopify location is mapped to, once;
where Odoo's warehouse ships, the deliveries stay for the warehouse."""
from datetime import datetime, timedelta, timezone

from .common import SyncoCase


def _moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _naive(moment):
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class DeliveriesCase(SyncoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.write({"invoice_policy": "all", "shipping_by": "shopify"})
        cls.depot = cls.env["stock.warehouse"].create({"name": "Brooklyn depot", "code": "BKD",
                                                       "company_id": cls.company.id})
        cls.shelf = cls.env["stock.location"].create({"name": "Shelf 1", "usage": "internal",
                                                      "location_id": cls.depot.lot_stock_id.id})

    # -- helpers ------------------------------------------------------------------------------
    @classmethod
    def goods(cls, stored):
        return [line for line in stored["lineItems"] if not line["isGiftCard"]
                and not (line["title"] == "Tip" and line["variant"] is None)]

    def candidate(self, test, shipped):
        """An unused order of the shop with one fulfillment order, every goods line with a SKU,
        neither refunded nor edited nor cancelled, that ``test`` accepts."""
        cls = self.__class__
        if "_picked" not in cls.__dict__:
            cls._picked = set()
        used = cls._picked
        for stored in self.sim.data.orders:
            current = self.sim.store.node(stored["id"])
            if (stored["id"] in used or current["cancelledAt"] or current["refunds"] or current["edited"]
                    or len(current["fulfillmentOrders"]) != 1 or not all(l["sku"] for l in self.goods(current))
                    or bool(current["fulfillments"]) != shipped or not test(current)):
                continue
            used.add(stored["id"])
            return current
        raise AssertionError("the simulated shop has no such order left")

    def stock_up(self, stored, where, tracking="none"):
        """Storable products for the order's goods (matched by SKU), with 10 units each at ``where``."""
        products = {}
        for line in self.goods(stored):
            product = self.env["product.product"].create({
                "name": line["name"], "default_code": line["sku"], "type": "consu", "is_storable": True,
                "tracking": tracking})
            self.env["stock.quant"]._update_available_quantity(product, where, 10)
            products[line["id"]] = product
        return products

    def map_location(self, stored, **values):
        location = stored["fulfillmentOrders"][0]["assignedLocation"]["location"]
        self.store.location_mapping_ids = [(0, 0, {"location_gid": location["id"], "location_name": location["name"],
                                                   "warehouse_id": self.depot.id, **values})]

    def sync(self, order):
        if order.sync_state == "synced":
            order.sync_state = "changed"  # what the header import says after a Shopify change
        self.env["shopify.order.sync"]._sync_orders(order)
        self.assertEqual(order.sync_state, "synced", order.sync_error)

    def deliveries(self, order):
        return order.sale_order_id.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    def on_hand(self, product, location):
        """Units at ``location`` itself, reserved ones included."""
        return sum(self.env["stock.quant"].search([("product_id", "=", product.id),
                                                   ("location_id", "=", location.id)]).mapped("quantity"))

    def history(self, order):
        return "\n".join(order.update_ids.mapped("summary"))


class ShopifyShips(DeliveriesCase):
    def test_a_shipped_order_s_delivery_is_done_on_the_shipment_from_the_mapped_stock(self):
        stored = self.candidate(lambda o: o["fulfillmentOrders"][0]["status"] == "CLOSED", shipped=True)
        self.map_location(stored, stock_location_id=self.shelf.id)
        products = self.stock_up(stored, self.shelf)
        (shipment,) = stored["fulfillments"]
        order = self.list_orders([stored])
        self.sync(order)
        (delivery,) = self.deliveries(order)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.shopify_fulfillment_gid, shipment["id"])
        self.assertEqual(delivery.shopify_fulfillment_name, shipment["name"])
        self.assertEqual(delivery.date_done, _naive(_moment(shipment["createdAt"])))
        self.assertEqual(set(delivery.move_ids.mapped("date")), {delivery.date_done})
        self.assertEqual(delivery.location_id, self.shelf)
        self.assertEqual(delivery.picking_type_id, self.depot.out_type_id)
        for item in shipment["fulfillmentLineItems"]:
            product = products[item["lineItem"]["id"]]
            self.assertEqual(sum(delivery.move_ids.filtered(lambda m, p=product: m.product_id == p).mapped("quantity")),
                             item["quantity"])
            self.assertEqual(self.on_hand(product, self.shelf), 10 - item["quantity"], product.display_name)
        self.assertIn(f"Delivery {delivery.name} validated: Shopify shipment {shipment['name']}", self.history(order))

        # Applying it again (the order changed in Shopify, or Update clicked) validates nothing more.
        moves_before = self.env["stock.move"].search_count([("product_id", "in", [p.id for p in products.values()])])
        self.sync(order)
        self.assertEqual(self.deliveries(order), delivery)
        self.assertEqual(self.env["stock.move"].search_count(
            [("product_id", "in", [p.id for p in products.values()])]), moves_before)
        for item in shipment["fulfillmentLineItems"]:
            self.assertEqual(self.on_hand(products[item["lineItem"]["id"]], self.shelf), 10 - item["quantity"])

    def test_a_partial_shipment_after_the_first_sync_leaves_a_backorder_until_the_rest_ships(self):
        stored = self.candidate(lambda o: o["fulfillmentOrders"][0]["status"] == "OPEN"
                                and any(l["currentQuantity"] >= 2 for l in self.goods(o)), shipped=False)
        products = self.stock_up(stored, self.depot.lot_stock_id)
        line = next(l for l in self.goods(stored) if l["currentQuantity"] >= 2)
        order = self.list_orders([stored])
        self.sync(order)
        (ready,) = self.deliveries(order)
        self.assertNotEqual(ready.state, "done")
        first_warehouse = ready.location_id
        self.assertNotEqual(first_warehouse, self.depot.lot_stock_id)
        # The merchant maps the Shopify location to the depot, where the goods are, before Shopify ships.
        self.map_location(stored)

        # Shopify ships one unit at 03:30 UTC: the evening before in New York, the shop's day.
        base = _moment(stored["processedAt"]) + timedelta(hours=1)
        when = base.replace(hour=3, minute=30, second=0)
        when += timedelta(days=1) if when < base else timedelta()
        first = self.sim.fulfill(stored["id"], [(line["id"], 1)], when=when)["fulfillment"]
        self.sync(order)
        done = self.deliveries(order).filtered(lambda p: p.state == "done")
        self.assertEqual(done.shopify_fulfillment_gid, first["id"])
        self.assertEqual(done.date_done, _naive(when))
        self.assertEqual(done.move_ids.mapped("quantity"), [1.0])
        self.assertEqual((done.location_id, done.picking_type_id), (self.depot.lot_stock_id, self.depot.out_type_id))
        backorder = self.deliveries(order) - done
        self.assertEqual(backorder.backorder_id, done)
        self.assertNotEqual(backorder.state, "done")
        self.assertEqual(backorder.location_id, first_warehouse, "what is not shipped stays where it was")
        left = {m.product_id: m.product_uom_qty for m in backorder.move_ids}
        self.assertEqual(left[products[line["id"]]], line["currentQuantity"] - 1)
        self.assertEqual(self.on_hand(products[line["id"]], self.depot.lot_stock_id), 9)

        # The rest ships: the backorder is done with it, and nothing is left open.
        rest = self.sim.fulfill(stored["id"], when=when + timedelta(days=1))["fulfillment"]
        self.sync(order)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(backorder.shopify_fulfillment_gid, rest["id"])
        self.assertEqual(backorder.location_id, self.depot.lot_stock_id)
        self.assertEqual(self.deliveries(order).mapped("state"), ["done", "done"])
        self.assertEqual(self.on_hand(products[line["id"]], self.depot.lot_stock_id), 10 - line["currentQuantity"])

    def test_tracked_products_are_left_to_the_warehouse_with_the_reason(self):
        stored = self.candidate(lambda o: o["fulfillmentOrders"][0]["status"] == "CLOSED", shipped=True)
        self.stock_up(stored, self.env.ref("stock.warehouse0").lot_stock_id, tracking="lot")
        order = self.list_orders([stored])
        self.sync(order)
        (delivery,) = self.deliveries(order)
        self.assertNotEqual(delivery.state, "done")
        self.assertFalse(delivery.shopify_fulfillment_gid)
        self.assertIn("tracked by lots or serial numbers", self.history(order))
        self.assertTrue(order.invoice_ids, "the order's documents are booked all the same")


class WarehouseShips(DeliveriesCase):
    def test_where_the_warehouse_ships_a_shipped_order_s_delivery_stays_ready(self):
        self.store.shipping_by = "warehouse"
        stored = self.candidate(lambda o: o["fulfillmentOrders"][0]["status"] == "CLOSED", shipped=True)
        self.stock_up(stored, self.env.ref("stock.warehouse0").lot_stock_id)
        order = self.list_orders([stored])
        self.sync(order)
        self.sync(order)  # and again, as an update would
        (delivery,) = self.deliveries(order)
        self.assertEqual(delivery.state, "assigned")
        self.assertFalse(delivery.shopify_fulfillment_gid)
        self.assertNotIn("Delivery", self.history(order))
