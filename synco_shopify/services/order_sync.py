"""Syncs Shopify orders into Odoo: fetch (batched), parse, plan, write, write back.

Every order is synced in its own savepoint: one bad order never rolls back the
others, and a failed order leaves nothing half-written. A row lock per order keeps
two workers (or a click and a job) from syncing the same order at once; unique
indexes on the links make a duplicate impossible even if that lock were bypassed.
"""
import hashlib
import json

from psycopg2 import errors as pg_errors

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..shopify.reading.order_types import OrderDataError
from .order_import import naive_utc
from .order_writer import OrderWriter, TotalsMismatch

QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True, "mail_auto_subscribe_no_notify": True}

# Errors that belong to the order's data or Odoo's configuration: the order fails
# with the message. Anything else (Shopify unreachable, a bug) propagates, so that a
# job retries it or the user sees it.
ORDER_ERRORS = (OrderDataError, UserError, ValidationError, TotalsMismatch)
# A parallel sync making the same record: PostgreSQL refused the duplicate, or the two
# transactions waited for each other (a deadlock) and PostgreSQL rolled this one back. The
# order's savepoint is rolled back and the order tried again later, never the whole job.
CLASHES = (pg_errors.UniqueViolation, pg_errors.DeadlockDetected)


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
        by_store = {store: orders.filtered(lambda o, store=store: o.store_id == store) for store in orders.store_id}
        # Shopify first, for every store, with no lock held: a store's orders stay locked
        # until the commit, so the next store's fetch must not wait behind them.
        fetched = {store: self._fetch_for_sync(store, batch) for store, batch in by_store.items()}
        for store, batch in by_store.items():
            result = self._sync_store_batch(store, batch, *fetched[store])
            for key in summary:
                summary[key] += result[key]
        return summary

    @api.model
    def _fetch_for_sync(self, store, orders):
        """(gids asked, payloads by gid) of the orders of ``store`` still to sync: the prefetch
        job's payloads, else a fetch now. Nothing is locked yet."""
        if not store.shop_timezone:
            return set(), {}
        candidates = orders.filtered(lambda o: o.sync_state != "synced")
        payloads = candidates._prefetched_payloads()
        missing = [gid for gid in candidates.mapped("shopify_gid") if gid not in payloads]
        if missing:
            from ..shopify.api import orders_api

            payloads.update((p["id"], p) for p in orders_api.fetch_orders(store._shopify_client(), missing))
        return set(candidates.mapped("shopify_gid")), payloads

    @api.model
    def _sync_store_batch(self, store, orders, asked, payloads):
        """The documents of ``orders`` of ``store``, from what ``_fetch_for_sync`` read: the
        orders are locked and written in a short transaction, with no HTTP call."""
        summary = {SYNCED: 0, FAILED: 0, "skipped": 0, DEFERRED: orders.browse()}
        if not store.shop_timezone:
            todo = self._lock(orders).filtered(lambda o: o.sync_state != "synced")
            todo._mark_failed(_(
                "Store %s has not been connected yet: click Test connection, so that Odoo knows the "
                "shop's currency and time zone (invoices and payments are dated in it).", store.name))
            summary[FAILED] = len(todo)
            summary["skipped"] = len(orders) - len(todo)
            return summary
        # Skipped: held by another worker right now, or already synced (and unchanged).
        # Oldest first: the documents are created, and the invoices numbered, in this order.
        # (An order that turned unsynced only now was not asked of Shopify: left to a later sync.)
        todo = self._lock(orders._sorted_for_booking()).filtered(
            lambda o: o.sync_state != "synced" and o.shopify_gid in asked)
        summary["skipped"] = len(orders) - len(todo)
        todo._clear_prefetched()
        if not todo:
            return summary
        # Imported documents need no field-by-field tracking or "created" notes: Shopify
        # holds their history. This halves the work Odoo does per document.
        writer = OrderWriter(self.with_company(store.company_id).with_context(**QUIET).env, store)
        found = todo.filtered(lambda o: o.shopify_gid in payloads)
        from .order_deliveries import with_shipments
        from .order_held import read_held

        # What Odoo already holds decides what is still to do (the lifecycle plan).
        writer.held = with_shipments(writer.env, store, found, read_held(writer.env, found))
        for order in todo - found:
            order._mark_failed(_("Shopify no longer returns this order (deleted, or older than "
                                 "the app's 60-day access without read_all_orders)."))
        summary[FAILED] += len(todo - found)
        outcomes = self._sync_together(found, payloads, writer)
        if outcomes is None:
            # Something in the batch's documents failed: every order again, each in its
            # own savepoint, so that the failing one is found and the others are kept.
            outcomes = {order: self._sync_one(order, payloads[order.shopify_gid], writer) for order in found}
        if writer.history:
            self.env["shopify.order.update"].sudo().create(writer.history)
        for order, outcome in outcomes.items():
            if outcome == DEFERRED:
                summary[DEFERRED] |= order
            else:
                summary[outcome] += 1
        # custom.odoo_id is written by a job of its own, queued in this transaction: it runs
        # only once the documents are committed, and a rolled-back sync never queues it.
        todo.filtered(lambda o: o.writeback_state == "pending")._enqueue_write_back()
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
                    self._mark_synced(p.record, shopify_order, payload, documents, p.life, writer)
        except ORDER_ERRORS + CLASHES:
            writer.forget()
            writer.history = []  # the whole batch was rolled back
            return None
        return outcomes

    def _prepare_one(self, order, payload, writer):
        """(outcome, step): step is (prepared, parsed order, payload) for an order whose
        documents are still to be made; None when it failed (marked so), was deferred,
        or had its documents already (adopted)."""
        try:
            with self.env.cr.savepoint():
                shopify_order, plan, life = self._plan(order, payload, writer)
                if life.empty:
                    return self._nothing_to_do(order, shopify_order, payload, life, writer), None
                return SYNCED, (writer.prepare(order, plan, life), shopify_order, payload)
        except ORDER_ERRORS + CLASHES as exc:
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
                shopify_order, plan, life = self._plan(order, payload, writer)
                if life.empty:
                    return self._nothing_to_do(order, shopify_order, payload, life, writer)
                documents = writer.write(order, plan, life)
                self._mark_synced(order, shopify_order, payload, documents, life, writer)
            return SYNCED
        except ORDER_ERRORS + CLASHES as exc:
            return self._outcome_of_error(order, exc, writer)

    def _nothing_to_do(self, order, shopify_order, payload, life, writer):
        """Odoo already holds everything this order asks for; or, under "paid orders only"
        without a sale order, nothing may be booked before the payment (the order then
        stays to sync, with the reason)."""
        held = writer.held.get(order.id)
        if life.waiting and not (held and (held.sale_order or held.documents)):
            order.write({"sync_state": "not_synced", "sync_error": life.waiting,
                         "last_sync_at": fields.Datetime.now()})
            return "skipped"
        self._mark_synced(order, shopify_order, payload, None, life, writer)
        return SYNCED

    def _outcome_of_error(self, order, exc, writer):
        """After an order's savepoint rolled back: a duplicate refused by PostgreSQL
        means a parallel job is creating the same record (deferred); anything else is
        the order's own problem (failed, with the message)."""
        writer.forget()  # records it found or made may be gone with the savepoint
        writer.history = [h for h in writer.history if h["order_id"] != order.id]
        if isinstance(exc, CLASHES):
            return DEFERRED
        order._mark_failed(str(exc.args[0] if exc.args else exc))
        return FAILED

    def _plan(self, order, payload, writer):
        """Parse, check the rules (first sync only: a booked order is followed whatever the
        rules say now), plan, check the plan against Shopify's figures, and plan what is
        left to do from what Odoo holds."""
        from ..shopify.lifecycle.plan import plan_lifecycle
        from ..shopify.lifecycle.types import Held
        from ..shopify.reading.order import parse_order
        from ..shopify.planning.plan import build_plan, check_plan

        store = order.store_id
        held = writer.held.get(order.id) or Held()
        shopify_order = parse_order(payload, side=store._currency_side())
        if not (held.sale_order or held.documents):
            reasons = store._rules_refuse(shopify_order)
            if reasons:
                raise UserError(_("Not eligible: %s", " ".join(reasons)))
        settings = store._plan_settings()
        plan = build_plan(shopify_order, settings)
        differences = check_plan(plan, shopify_order)
        if differences:
            raise TotalsMismatch(_("The order does not reconcile with Shopify's totals:\n%s",
                                   "\n".join(differences)))
        life = plan_lifecycle(shopify_order, plan, held, writer.policy(), settings)
        Import = self.env["shopify.order.import"]
        order.write(Import._header_values(shopify_order.header, Import._currencies({shopify_order.currency})))
        return shopify_order, plan, life

    def _mark_synced(self, order, shopify_order, payload, documents, life, writer):
        held = writer.held.get(order.id)
        first = not (held and (held.sale_order or held.documents))
        values = {
            "payload_json": json.dumps(payload, indent=1, sort_keys=True),
            "shopify_totals_json": _shopify_figures(shopify_order),
            "sync_state": "synced",
            "sync_error": life.waiting if life.waiting and not (documents and documents["moves"]) else False,
            "last_sync_at": fields.Datetime.now(),
            "payload_digest": _digest(payload),
            "synced_updated_at": naive_utc(shopify_order.header.updated_at),
        }
        if documents and documents["sale_order_id"]:
            values["sale_order_id"] = documents["sale_order_id"]
        elif not order.sale_order_id and held and held.sale_order:
            # The documents of an earlier sync whose state was lost are the order's again.
            values["sale_order_id"] = self.env["sale.order"].search([("shopify_order_id", "=", order.id)], limit=1).id
        if first:
            values.update(writeback_state="pending", writeback_error=False)
        order.write(values)
        if not first and order.shopify_odoo_ref != order.odoo_record_ref:
            # An update changed what custom.odoo_id should say (a draft invoice got its number).
            order.write({"writeback_state": "pending", "writeback_error": False})
        if documents:
            history = self._history_values(order, documents, life)
            shipped = writer.deliveries.summary(order)  # the deliveries it validated or left to the warehouse
            if shipped:
                history["summary"] = "\n".join(filter(None, [history["summary"], *shipped]))
            writer.history.append(history)

    def _history_values(self, order, documents, life):
        """What this sync did, in words, for the order's History tab (created per batch)."""
        lines = []
        if life.create_sale_order and documents["sale_order_id"]:
            lines.append(_("Sale order %s created.", order.sale_order_id.name))
        if life.sale_order_lines is not None:
            lines.append(_("Sale order lines updated after an edit in Shopify."))
        if life.cancel_sale_order:
            lines.append(_("Sale order cancelled: Shopify cancelled the order before it was invoiced."))
        for doc, move in documents["documents"]:
            lines.append(_("%(label)s: %(move)s dated %(date)s, %(total)s %(currency)s.", label=doc.label,
                           move=move.name or move.display_name, date=doc.date, total=move.amount_total,
                           currency=move.currency_id.name))
        payments = documents["payments"]
        for payment in payments:
            lines.append(_("Payment %(name)s (%(kind)s) dated %(date)s: %(amount)s %(currency)s.",
                           name=payment.name, kind=payment.payment_type, date=payment.date,
                           amount=payment.amount, currency=payment.currency_id.name))
        if life.waiting:
            lines.append(life.waiting)
        return {"order_id": order.id, "summary": "\n".join(lines), "user_id": self.env.uid,
                "move_ids": [Command.set(documents["moves"].ids)], "payment_ids": [Command.set(payments.ids)]}


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
        "outstanding": str(totals.total_outstanding),
    }


def _digest(payload):
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
