"""Syncs Shopify orders into Odoo: fetch (batched), parse, plan, write, write back.

Every order is synced in its own savepoint: one bad order never rolls back the
others, and a failed order leaves nothing half-written. A row lock per order keeps
two workers (or a click and a job) from syncing the same order at once; unique
indexes on the links make a duplicate impossible even if that lock were bypassed.
"""
import hashlib
import json
import logging

from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..shopify.errors import ShopifyError
from ..shopify.order_types import OrderDataError
from .order_writer import OrderWriter, TotalsMismatch

_logger = logging.getLogger(__name__)

QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True, "mail_auto_subscribe_no_notify": True}

# Errors that belong to the order's data or Odoo's configuration: the order fails
# with the message. Anything else (Shopify unreachable, a bug) propagates, so that a
# job retries it or the user sees it.
ORDER_ERRORS = (OrderDataError, UserError, ValidationError, TotalsMismatch)


# What a sync did with one order.
SYNCED, FAILED, DEFERRED = "synced", "failed", "deferred"


class ShopifyOrderSync(models.AbstractModel):
    _name = "shopify.order.sync"
    _description = "Shopify order sync"

    @api.model
    def _sync_orders(self, orders):
        """Syncs ``orders`` (shopify.order records) store by store. Returns counts, and
        in ``deferred`` the orders to try again in a new transaction: a parallel job was
        creating the same new customer, product or tax. PostgreSQL refused the duplicate,
        and under Odoo's repeatable-read isolation this transaction cannot see the other's
        row, so only a later transaction can use it."""
        summary = {SYNCED: 0, FAILED: 0, "skipped": 0, DEFERRED: orders.browse()}
        for store in orders.store_id:
            result = self._sync_store_batch(store, orders.filtered(lambda o: o.store_id == store))
            for key in summary:
                summary[key] += result[key]
        return summary

    @api.model
    def _sync_store_batch(self, store, orders):
        summary = {SYNCED: 0, FAILED: 0, "skipped": 0, DEFERRED: orders.browse()}
        # Skipped: held by another worker right now, or already synced.
        todo = self._lock(orders).filtered(lambda o: o.sync_state != "synced")
        summary["skipped"] = len(orders) - len(todo)
        if not todo:
            return summary
        if not store.shop_timezone:
            todo._mark_failed(_(
                "Store %s has not been connected yet: click Test connection, so that Odoo knows the "
                "shop's currency and time zone (invoices and payments are dated in it).", store.name))
            summary[FAILED] = len(todo)
            return summary
        from ..shopify import orders_api

        client = store._shopify_client()
        payloads = {p["id"]: p for p in orders_api.fetch_orders(client, todo.mapped("shopify_gid"))}
        # Imported documents need no field-by-field tracking or "created" notes: Shopify
        # holds their history. This halves the work Odoo does per document.
        writer = OrderWriter(self.with_company(store.company_id).with_context(**QUIET).env, store)
        found = todo.filtered(lambda o: o.shopify_gid in payloads)
        for order in todo - found:
            order._mark_failed(_("Shopify no longer returns this order (deleted, or older than "
                                 "the app's 60-day access without read_all_orders)."))
        summary[FAILED] += len(todo - found)
        outcomes = self._sync_together(found, payloads, writer)
        if outcomes is None:
            # Something in the batch's documents failed: every order again, each in its
            # own savepoint, so that the failing one is found and the others are kept.
            outcomes = {order: self._sync_one(order, payloads[order.shopify_gid], writer) for order in found}
        for order, outcome in outcomes.items():
            if outcome == DEFERRED:
                summary[DEFERRED] |= order
            else:
                summary[outcome] += 1
        self._write_back(store, todo.filtered(lambda o: o.writeback_state == "pending"), client)
        return summary

    def _sync_together(self, orders, payloads, writer):
        """The fast path: every order prepared in its own savepoint, then all their
        documents created in batches. Returns each order's outcome; or None, with
        nothing of the batch kept (failures included), when a document step fails: the
        caller then redoes every order on its own."""
        outcomes = {}
        try:
            with self.env.cr.savepoint():
                prepared = []
                for order in orders:
                    outcome, step = self._prepare_one(order, payloads[order.shopify_gid], writer)
                    outcomes[order] = outcome
                    if step:
                        prepared.append(step)
                created = writer.write_documents([p for p, _s, _pl in prepared]) if prepared else []
                for (p, shopify_order, payload), documents in zip(prepared, created):
                    self._mark_synced(p.record, shopify_order, payload, documents)
        except ORDER_ERRORS + (pg_errors.UniqueViolation,):
            writer.forget()
            return None
        return outcomes

    def _prepare_one(self, order, payload, writer):
        """(outcome, step): step is (prepared, parsed order, payload) for an order whose
        documents are still to be made; None when it failed (marked so), was deferred,
        or had its documents already (adopted)."""
        try:
            with self.env.cr.savepoint():
                shopify_order, plan = self._plan(order, payload)
                adopted = self._adopt(order)
                if adopted:
                    self._mark_synced(order, shopify_order, payload, adopted)
                    return SYNCED, None
                return SYNCED, (writer.prepare(order, plan), shopify_order, payload)
        except ORDER_ERRORS + (pg_errors.UniqueViolation,) as exc:
            return self._outcome_of_error(order, exc, writer), None

    @api.model
    def _lock(self, orders):
        """Row locks taken without waiting: an order another transaction is syncing is
        left to it (the other sync will set its state)."""
        if not orders:
            return orders
        self.env.cr.execute(
            "SELECT id FROM shopify_order WHERE id IN %s FOR UPDATE SKIP LOCKED", [tuple(orders.ids)])
        locked = {row[0] for row in self.env.cr.fetchall()}
        orders = orders.browse([i for i in orders.ids if i in locked])
        # Re-read under the lock: another worker may have synced them meanwhile.
        orders.invalidate_recordset(["sync_state", "sale_order_id", "writeback_state"])
        return orders

    def _sync_one(self, order, payload, writer):
        try:
            with self.env.cr.savepoint():
                shopify_order, plan = self._plan(order, payload)
                documents = self._adopt(order) or writer.write(order, plan)
                self._mark_synced(order, shopify_order, payload, documents)
            return SYNCED
        except ORDER_ERRORS + (pg_errors.UniqueViolation,) as exc:
            return self._outcome_of_error(order, exc, writer)

    def _outcome_of_error(self, order, exc, writer):
        """After an order's savepoint rolled back: a duplicate refused by PostgreSQL
        means a parallel job is creating the same record (deferred); anything else is
        the order's own problem (failed, with the message)."""
        writer.forget()  # records it found or made may be gone with the savepoint
        if isinstance(exc, pg_errors.UniqueViolation):
            return DEFERRED
        order._mark_failed(str(exc.args[0] if exc.args else exc))
        return FAILED

    def _plan(self, order, payload):
        """Parse, check the rules, plan, and check the plan against Shopify's figures."""
        from ..shopify.order import parse_order
        from ..shopify.plan import build_plan, check_plan

        store = order.store_id
        shopify_order = parse_order(payload, side=store._currency_side())
        reasons = store._rules_refuse(shopify_order)
        if reasons:
            raise UserError(_("Not eligible: %s", " ".join(reasons)))
        plan = build_plan(shopify_order, store._plan_settings())
        differences = check_plan(plan, shopify_order)
        if differences:
            raise TotalsMismatch(_("The order does not reconcile with Shopify's totals:\n%s",
                                   "\n".join(differences)))
        Import = self.env["shopify.order.import"]
        order.write(Import._header_values(shopify_order.header, Import._currencies({shopify_order.currency})))
        return shopify_order, plan

    def _mark_synced(self, order, shopify_order, payload, documents):
        order.write({
            "payload_json": json.dumps(payload, indent=1, sort_keys=True),
            "shopify_totals_json": _shopify_figures(shopify_order),
            "sync_state": "synced",
            "sync_error": False,
            "last_sync_at": fields.Datetime.now(),
            "payload_digest": _digest(payload),
            "sale_order_id": documents["sale_order_id"],
            "writeback_state": "pending",
            "writeback_error": False,
        })

    def _adopt(self, order):
        """Documents already made for this order (its sync state was lost, say) are the
        order's: take them back instead of creating a second set."""
        sale_order = self.env["sale.order"].search([("shopify_order_id", "=", order.id)], limit=1)
        invoices = self.env["account.move"].search(
            [("shopify_order_id", "=", order.id), ("move_type", "=", "out_invoice")])
        if not (sale_order or invoices):
            return None
        order.message_post(body=_("Found the documents of an earlier sync; nothing new was created."))
        return {"sale_order_id": sale_order.id or False, "invoice": invoices, "payments": order.payment_ids}

    # -- write-back ---------------------------------------------------------------------------
    @api.model
    def _write_back(self, store, orders, client=None):
        """Sets custom.odoo_id on Shopify, 25 orders per call. A failure leaves the
        orders Synced with their write-back pending, for the next attempt."""
        if not orders:
            return
        from ..shopify import orders_api

        client = client or store._shopify_client()
        pairs = [(o.shopify_gid, o.odoo_record_ref) for o in orders if o.odoo_record_ref]
        try:
            results = orders_api.set_odoo_ids(client, pairs)
        except ShopifyError as exc:
            orders.write({"writeback_error": str(exc)})
            _logger.warning("Shopify write-back of %d orders postponed: %s", len(orders), exc)
            return
        by_gid = {o.shopify_gid: o for o in orders}
        for gid, error in results.items():
            order = by_gid[gid]
            if error:
                order.writeback_error = str(error)
            else:
                # What Shopify's metafield now says, as the list would read it next time.
                order.write({"writeback_state": "done", "writeback_error": False,
                             "shopify_odoo_ref": order.odoo_record_ref})


def _shopify_figures(shopify_order):
    """What Shopify says, kept for the order's comparison table."""
    totals = shopify_order.totals
    return {
        "taxes_included": shopify_order.taxes_included,
        "subtotal": str(totals.current_subtotal),
        "discounts": str(totals.current_total_discounts),
        "shipping": str(totals.current_shipping),
        "tax": str(totals.current_total_tax),
        "total": str(shopify_order.header.current_total_price),
    }


def _digest(payload):
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
