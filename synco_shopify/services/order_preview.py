"""What a sync of one order would do, said before it is done, and without writing anything.

The preview fetches the order from Shopify (read-only GraphQL) and runs the very steps of
the sync (``order_sync._plan``): parse, the store's rules, build_plan, check_plan and
plan_lifecycle, from what Odoo holds (``read_held``). It does not call ``_plan`` itself,
which stores the fresh header on the order. The Odoo records the plan's keys lead to are
asked of the resolver's find functions (``match_*``), the same the sync's create paths
call, so a "matched" here is the record the sync will use, and a "new" one it will make.

The reasons are listed in the order the sync meets them: the first is the message the
sync would fail the order with. The sync stops there; the preview goes on, so that every
problem is seen at once.
"""
import time
from decimal import Decimal
from dataclasses import dataclass, field

from odoo import _
from odoo.exceptions import UserError, ValidationError

from ..shopify.reading.order_types import OrderDataError

# The errors the sync fails an order with (order_sync.ORDER_ERRORS, TotalsMismatch being a UserError).
ORDER_ERRORS = (OrderDataError, UserError, ValidationError)


class _NoLife:
    """What the writer's checks read of a lifecycle plan the preview could not make."""
    documents = ()


_NO_LIFE = _NoLife()


@dataclass
class OrderPreview:
    order_name: str
    reasons: list = field(default_factory=list)  # why the sync would fail, in the sync's words
    notes: list = field(default_factory=list)  # what else the sync would do, or not do
    partner: dict | None = None  # name, id, how; invoice / delivery address
    sale_order: dict | None = None  # the sale order to create: name, lines, totals
    documents: list = field(default_factory=list)  # invoices and credit notes to create
    payments: list = field(default_factory=list)
    products: list = field(default_factory=list)  # one per distinct product of the lines
    taxes: list = field(default_factory=list)  # one per distinct Shopify tax
    metafield: dict | None = None  # what custom.odoo_id would say
    currency: str = ""
    seconds: dict = field(default_factory=dict)  # fetch (Shopify), plan (everything else)

    def add_reason(self, message):
        message = str(message)
        if message not in self.reasons:
            self.reasons.append(message)


def preview_order(order, payload=None):
    """An ``OrderPreview`` of ``order`` (a shopify.order the caller may read). ``payload``:
    the order as Shopify returns it; fetched when not given."""
    from ..shopify.api import orders_api

    order.check_access("read")
    # Read as the integration, as the sync reads (a Shopify user may not read invoices).
    order = order.sudo().with_company(order.store_id.company_id)
    store = order.store_id
    result = OrderPreview(order_name=order.name or order.shopify_gid)
    if not store.shop_timezone:
        result.add_reason(order.env._(
            "Store %s has not been connected yet: click Test connection, so that Odoo knows the "
            "shop's currency and time zone (invoices and payments are dated in it).", store.name))
        return result
    start = time.perf_counter()
    if payload is None:
        found = orders_api.fetch_orders(store._shopify_client(interactive=True), [order.shopify_gid])
        payload = found[0] if found else None
    result.seconds["fetch"] = time.perf_counter() - start
    start = time.perf_counter()
    if payload is None:
        result.add_reason(order.env._("Shopify no longer returns this order (deleted, or older than "
                            "the app's 60-day access without read_all_orders)."))
    else:
        _Planner(order, result).run(payload)
    result.seconds["plan"] = time.perf_counter() - start
    return result


class _Planner:
    def __init__(self, order, result):
        from .order_writer import OrderWriter

        self.order, self.result, self.store = order, result, order.store_id
        self.env = order.env
        # Never asked to write: its resolver's match_* functions and its booking policy.
        self.writer = OrderWriter(self.env, self.store)
        self.resolver = self.writer.resolver

    def run(self, payload):
        from ..shopify.lifecycle.plan import plan_lifecycle
        from ..shopify.lifecycle.types import Held
        from ..shopify.planning.plan import build_plan, check_plan
        from ..shopify.reading.order import parse_order
        from .order_deliveries import with_shipments
        from .order_held import read_held

        order, store, result = self.order, self.store, self.result
        held = with_shipments(self.env, store, order, read_held(self.env, order)).get(order.id) or Held()
        first = not (held.sale_order or held.documents)
        try:
            shopify_order = parse_order(payload, side=store._currency_side())
            if first:
                reasons = store._rules_refuse(shopify_order)
                if reasons:
                    result.add_reason(_("Not eligible: %s", " ".join(reasons)))
            settings = store._plan_settings()
            plan = build_plan(shopify_order, settings)
        except ORDER_ERRORS as exc:
            result.add_reason(_message(exc))
            return
        result.currency = plan.currency
        differences = check_plan(plan, shopify_order)
        if differences:
            result.add_reason(_("The order does not reconcile with Shopify's totals:\n%s", "\n".join(differences)))
        try:
            life = plan_lifecycle(shopify_order, plan, held, self.writer.policy(), settings)
        except ORDER_ERRORS as exc:
            result.add_reason(_message(exc))
            life = None
        if life is None or not life.empty:
            # An order with nothing to do is not written: the sync resolves none of its records.
            self._records(plan, life)
        if life is not None:
            self._what_is_done(plan, life, held)
            from .order_preview_metafield import metafield

            result.metafield = metafield(self.order, plan, life, held)

    # -- the Odoo records the plan leads to ------------------------------------------------------
    def _records(self, plan, life):
        """Currency, customer, products and taxes, in the order the sync resolves them."""
        result, resolver = self.result, self.resolver
        try:
            currency = resolver.currency(plan.currency)
        except UserError as exc:
            result.add_reason(_message(exc))
            currency = None
        # The writer's own checks, made before it writes anything (order_writer.prepare):
        # amounts Odoo could not hold exactly, a gift card without its liability account.
        checks = [lambda: self.writer._check_accounts(plan, life or _NO_LIFE)]
        if currency:
            checks.insert(0, lambda: self.writer._check_precision(plan, currency))
        for check in checks:
            try:
                check()
            except UserError as exc:
                result.add_reason(_message(exc))
        partner, how = resolver.match_partner(plan)
        if how == resolver.NOBODY:
            result.add_reason(_message(resolver._nobody()))
        result.partner = {
            "id": partner.id, "name": partner.display_name if partner else self._new_partner_name(plan),
            "how": how,
            "invoice": self._address(partner, plan.billing_address, "invoice"),
            "delivery": self._address(partner, plan.shipping_address, "delivery"),
        }
        documents = life.documents if life else ()
        lines = [line for doc in documents for line in doc.lines]
        if life is None or life.create_sale_order or life.sale_order_lines is not None:
            lines = list(plan.lines) + lines
        # Hundreds of lines: their products looked up at once, not line by line.
        keys = {line.product for line in lines if line.kind == "product" and line.product}
        resolver.prefetch_products(keys)
        self.barcodes = set(self.env["product.product"].with_context(active_test=False).search_fetch(
            [("barcode", "in", [k.barcode for k in keys if k.barcode])], ["barcode"]).mapped("barcode"))
        self.products, self.made, seen_taxes = {}, {}, set()
        for line in lines:
            self._product(line, self.products)
            for key, _amount in line.taxes:
                self._tax(key, seen_taxes)
        if life and life.create_sale_order and plan.name and self.env["sale.order"].search_count(
                [("name", "=", plan.name), ("company_id", "=", self.store.company_id.id)]):
            result.add_reason(_(
                "Odoo already has a sale order named %s: change the store's order prefix, or use "
                "Odoo's sequence.", plan.name))

    def _new_partner_name(self, plan):
        return self.resolver._partner_values(plan)["name"]  # what the sync would name it

    def _address(self, partner, address, kind):
        if not address:
            return _("the customer's own address")
        parts = ", ".join(filter(None, (address.street, address.zip, address.city, address.country_code)))
        if not partner:
            return parts
        found = self.resolver.match_address(partner, address, kind)
        if found == partner:
            return _("%s (the customer's own address)", parts)
        if found:
            return _("%(address)s (contact %(name)s)", address=parts, name=found.display_name)
        return _("%s (a new address contact)", parts)

    def _product(self, line, seen):
        """The product entry of ``line`` (its first line's: the sync resolves a key once)."""
        key = ((line.kind, line.product.variant_id, line.product.sku, line.product.barcode, line.product.title)
               if line.kind == "product" else (line.kind, line.name))
        if key in seen:
            return seen[key]
        store_product = self.store._charge_product(line.kind)  # a tip, duty, fee or gift card of the store's
        product, how = ((store_product, _("the store's product for this kind of line")) if store_product
                        else self.resolver.match_product(line))
        entry = {"id": product.id, "name": product.display_name or line.name, "how": how, "kind": line.kind,
                 "line": line.name, "sku": None, "barcode": None, "variant": None}
        if line.product:
            entry.update(sku=line.product.sku, barcode=line.product.barcode, variant=line.product.variant_id)
        if how == self.resolver.UNIDENTIFIED:
            self.result.add_reason(_message(self.resolver._unidentified()))
        elif how == self.resolver.NEW:
            self._made_earlier(line.product, entry)
        seen[key] = entry
        self.result.products.append(entry)
        return entry

    def _made_earlier(self, product_key, entry):
        """A product the sync makes for an earlier line is found by a later line of the same
        variant, SKU or barcode (as the sync searches them, in that order); else this line's
        new product is the one later lines find."""
        made = self.made
        custom = not (product_key.variant_id or product_key.sku or product_key.barcode)
        title = " ".join((product_key.title or "").split()).casefold() if custom else None
        for field, value, how in (("variant", product_key.variant_id, self.resolver.VARIANT),
                                  ("sku", product_key.sku, self.resolver.SKU),
                                  ("barcode", product_key.barcode, self.resolver.BARCODE),
                                  ("custom", title, self.resolver.CUSTOM_LINK)):
            if value and (field, value) in made:
                earlier = made[field, value]
                entry.update(name=earlier["name"], how=_("%s: the product made for line %s", how, earlier["line"]))
                return
        entry["name"] = self._new_product_name(product_key) if product_key else entry["line"]
        for field, value in (("variant", product_key.variant_id), ("sku", product_key.sku), ("custom", title)):
            if value:
                made[field, value] = entry
        # The sync gives a new product its barcode only when no product has it yet.
        if product_key.barcode and product_key.barcode not in self.barcodes:
            made.setdefault(("barcode", product_key.barcode), entry)

    def _new_product_name(self, product_key):
        return self.resolver.product_name(product_key)  # what the sync would name it

    def _tax(self, key, seen):
        if key in seen:
            return
        seen.add(key)
        tax, state = self.resolver.match_tax(key)
        label = self.env["shopify.tax.mapping"].new(
            {"title": key.title, "rate": float(key.rate), "price_include": key.included}).display_name
        if state == self.resolver.UNMAPPED:
            self.result.add_reason(_message(self.resolver._unmapped_tax(label)))
        self.result.taxes.append({"key": key, "label": label, "state": state, "id": tax.id,
                                  "name": tax.display_name if tax else False})

    # -- the documents and payments ---------------------------------------------------------------
    def _what_is_done(self, plan, life, held):
        result = self.result
        if life.empty:
            result.notes.append(life.waiting or _("Nothing to do: Odoo already holds everything this order asks for."))
        elif life.waiting:
            result.notes.append(life.waiting)
        if life.create_sale_order:
            result.sale_order = {"name": plan.name, "lines": [self._line(line) for line in plan.lines],
                                 **_totals(plan.lines), "date": plan.order_date}
        if life.sale_order_lines is not None:
            result.notes.append(_("The sale order's lines are replaced by the order's lines as Shopify has them now."))
        if life.cancel_sale_order:
            result.notes.append(_("The sale order is cancelled: Shopify cancelled the order before it was invoiced."))
        if life.flag_cancelled:
            result.notes.append(_("The sale order is flagged cancelled in Shopify (it was invoiced)."))
        for doc in life.documents:
            result.documents.append({
                "label": doc.label, "move_type": doc.move_type, "kind": doc.kind, "key": doc.key, "date": doc.date,
                "state": "posted" if self.store.invoice_mode == "posted" else "draft",
                "lines": [self._line(line) for line in doc.lines], **_totals(doc.lines), "note": doc.note,
            })
        for payment in life.payments:
            result.payments.append(self._payment(payment))
        for delivery in life.deliveries:
            result.notes.append(_("Delivery of Shopify shipment %(name)s validated on %(day)s.",
                                  name=delivery.name, day=delivery.day) if not delivery.problem else
                                _("Shipment %(name)s left to the warehouse: %(why)s", name=delivery.name,
                                  why=delivery.problem))

    def _line(self, line):
        product = self._product(line, self.products)
        taxes = []
        for key, amount in line.taxes:
            tax, state = self.resolver.match_tax(key)
            taxes.append({"key": key, "amount": amount, "id": tax.id, "state": state})
        return {"kind": line.kind, "name": line.name, "source_id": line.source_id,
                "product_id": product["id"], "product": product["name"], "how": product["how"], "quantity": line.quantity, "price_unit": line.price_unit,
                "discount": line.discount_percent, "base": line.base, "tax": line.tax, "total": line.total,
                "taxes": taxes}

    def _payment(self, payment):
        entry = {"transaction": payment.transaction_id, "kind": payment.kind, "inbound": payment.inbound,
                 "gateway": payment.gateway, "amount": payment.amount, "date": payment.day,
                 "journal_id": False, "journal": False, "outstanding": False}
        try:
            journal, _method, outstanding = self.resolver.payment_journal(payment.gateway)
            if not payment.inbound:
                self.resolver.refund_method(journal)
        except UserError as exc:
            self.result.add_reason(_message(exc))
            return entry
        entry.update(journal_id=journal.id, journal=journal.display_name,
                     outstanding=outstanding.display_name if outstanding else False)
        return entry


def _totals(lines):
    untaxed = sum((line.base for line in lines), Decimal(0))
    tax = sum((line.tax for line in lines), Decimal(0))
    return {"untaxed": untaxed, "tax": tax, "total": untaxed + tax}


def _message(exc):
    return str(exc.args[0] if exc.args else exc)
