"""Imports Shopify order headers into the Shopify Orders list, page by page (or from a
bulk export: models/shopify_order_import_run.py).

Headers come before any sync: the list shows every order of the store, with its
eligibility, before anything is created in Odoo.
"""
import logging
from datetime import timedelta, timezone
from decimal import Decimal

from odoo import api, fields, models

from ..shopify.reading.order import parse_header

_logger = logging.getLogger(__name__)

PAGE_SIZE = 250
# Above this many orders, a Shopify bulk export (queued jobs) reads them rather than pages:
# it is not subject to the rate limit and runs on Shopify's side.
BULK_THRESHOLD = 2000


class ShopifyOrderImport(models.AbstractModel):
    _name = "shopify.order.import"
    _description = "Shopify order header import"

    @api.model
    def _import_headers(self, store, query, *, progress=None):
        """Upserts the headers that match a Shopify search query, page by page; returns the
        count of orders new or changed. ``progress(read, imported)`` after each page."""
        return self._import_payloads(store, self._header_pages(store, query), progress)[1]

    @api.model
    def _header_pages(self, store, query):
        from ..shopify.api import orders_api

        return orders_api.iter_order_headers(store._shopify_client(), query, page_size=PAGE_SIZE)

    @api.model
    def _import_payloads(self, store, payloads, progress=None):
        """Upserts header payloads (a page reader's, or a bulk export's lines) PAGE_SIZE at a
        time; returns (read, new or changed)."""
        read = imported = 0
        for page in _chunks(payloads, PAGE_SIZE):
            imported += len(self._upsert_page(store, page))
            read += len(page)
            if progress:
                progress(read, imported)
            # A history of 100,000 orders goes through one transaction: the cache of the
            # pages written is dropped, not kept to the end.
            self.env.flush_all()
            self.env.invalidate_all()
        return read, imported

    @api.model
    def _count(self, store, query, *, interactive=False):
        """Shopify's count of the orders matching ``query`` (None: every order)."""
        counted = store._shopify_client(interactive=interactive).execute(
            "OrdersCount", {"query": query})["ordersCount"]
        return counted["count"] if counted else 0

    @api.model
    def _upsert_page(self, store, payloads):
        """One search for the page's known orders, one create for the new ones."""
        # A Shopify order listed is not news: no "created" note per order (100,000 of
        # them would fill the chatter tables) and no tracking of header refreshes.
        # The headers are the integration's to write (shopify.order.write): as superuser,
        # once the caller's access to the store was checked (_shopify_client).
        store.check_access("read")
        Order = self.env["shopify.order"].sudo().with_context(mail_create_nolog=True, tracking_disable=True)
        side = store._currency_side()
        headers = [parse_header(p, side=side) for p in payloads]
        existing = {
            o.shopify_gid: o
            for o in Order.search([("store_id", "=", store.id), ("shopify_gid", "in", [h.id for h in headers])])
        }
        currencies = self._currencies({h.currency for h in headers})
        to_create, touched = [], Order
        for header in headers:
            values = self._header_values(header, currencies)
            figures = self._header_figures(header)
            order = existing.get(header.id)
            if order is None:
                to_create.append({"store_id": store.id, "shopify_gid": header.id, **values,
                                  "shopify_totals_json": figures or False})
                continue
            changes = {}
            if order.shopify_updated_at != values["shopify_updated_at"]:
                changes.update(values)
            elif "payment_gateway_names" in values and order.payment_gateway_names != values["payment_gateway_names"]:
                # An order listed before the header carried its gateways: a re-import fills them in.
                changes["payment_gateway_names"] = values["payment_gateway_names"]
            # Checked on an unchanged header too: a header read while a sync was fetching
            # the order is newer than what that sync applied.
            if self._changed_since_sync(order, values["shopify_updated_at"], figures):
                changes["sync_state"] = "changed"
            # Shopify's figures now, so the order's comparison shows drift at once (kept
            # keys the header does not carry, such as those a sync wrote).
            if figures:
                merged = {**(order.shopify_totals_json or {}), **figures}
                if merged != order.shopify_totals_json:
                    changes["shopify_totals_json"] = merged
            if changes:
                order.write(changes)
                touched |= order
        return touched | Order.create(to_create)

    @api.model
    def _changed_since_sync(self, order, updated_at, figures=None):
        """Whether a header updated at ``updated_at`` is news for a synced order: later than
        the payload its documents were made from (or, before the sync recorded that, than
        the header last read). Only synced orders change state: the others take the news
        in when they are synced. updatedAt has whole seconds: a change in the same second
        as the synced payload shows in Shopify's figures (total, outstanding) instead."""
        if order.sync_state != "synced" or not updated_at:
            return False
        applied = order.synced_updated_at or order.shopify_updated_at
        if not applied:
            return False
        if updated_at > applied:
            return True
        synced = order.shopify_totals_json or {}
        return updated_at == applied and any(
            key in synced and key in (figures or {}) and Decimal(str(synced[key])) != Decimal(str(figures[key]))
            for key in ("total", "outstanding"))

    @api.model
    def _currencies(self, codes):
        found = self.env["res.currency"].with_context(active_test=False).search([("name", "in", list(codes))])
        return {c.name: c.id for c in found}

    @api.model
    def _header_values(self, header, currencies):
        values = {
            "legacy_id": header.legacy_id,
            "name": header.name,
            "number": header.number,
            "created_at": naive_utc(header.created_at),
            "processed_at": naive_utc(header.processed_at),
            "shopify_updated_at": naive_utc(header.updated_at),
            "email": header.email,
            "customer_name": header.customer_name,
            "currency_id": currencies.get(header.currency),
            "amount_total": float(header.current_total_price),
            "financial_status": header.financial_status,
            "fulfillment_status": header.fulfillment_status,
            "source_name": header.source_name,
            "tags": ", ".join(header.tags),
            "test": header.test,
            "cancelled": header.cancelled,
            "shopify_odoo_ref": header.odoo_id,
        }
        if header.payment_gateway_names is not None:
            # Shopify's own list, in its words: the store lists those that have no mapping.
            values["payment_gateway_names"] = ", ".join(header.payment_gateway_names) or False
        return values

    @api.model
    def _header_figures(self, header):
        """Shopify's current figures from a header, under the keys of the sync's
        (order_sync._shopify_figures), plus the amount still to pay; only those the
        header carries (a payload read with an older fragment carries none)."""
        money = {
            "subtotal": header.current_subtotal,
            "discounts": header.current_total_discounts,
            "shipping": header.current_shipping,
            "tax": header.current_total_tax,
            "outstanding": header.total_outstanding,
        }
        figures = {key: str(amount) for key, amount in money.items() if amount is not None}
        if not figures:
            return {}
        figures["total"] = str(header.current_total_price)
        if header.taxes_included is not None:
            figures["taxes_included"] = header.taxes_included
        return figures

    # -- entry points ------------------------------------------------------------------
    @api.model
    def _catch_up(self, store):
        """Headers updated since the last catch-up, re-reading an overlap because
        Shopify's search index can lag behind its writes; returns the count of
        headers new or changed.

        A store's first catch-up reads its whole history: past BULK_THRESHOLD orders that
        is a bulk export, queued as jobs (shopify.order.import.run, shown on the store),
        and this returns 0 at once; the import sets the watermark when it is done. Until
        then the catch-ups of the store leave it to that import."""
        start = store.headers_synced_until
        now = fields.Datetime.now()
        query = None
        if start:
            since = start - timedelta(minutes=store.catchup_overlap_minutes or 0)
            query = f"updated_at:>='{since.strftime('%Y-%m-%dT%H:%M:%SZ')}'"
        else:
            Run = self.env["shopify.order.import.run"]
            if Run._running_for(store):
                return 0
            total = self._count(store, None)
            if total > BULK_THRESHOLD:
                Run._queue(store, None, total, bulk=True, kind="catch_up", caught_up_at=now)
                return 0
        count = self._import_headers(store, query)
        store.headers_synced_until = now
        return count


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def naive_utc(moment):
    """Odoo stores UTC datetimes without tzinfo."""
    return moment and moment.astimezone(timezone.utc).replace(tzinfo=None)
