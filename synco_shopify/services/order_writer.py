"""The only place that creates sale orders, invoices and payments from sync plans.

The plan (``shopify/plan.py``) already says, in Shopify's terms and to the cent, what
Odoo must contain; the writer resolves Shopify keys to Odoo records (partners,
products, taxes, journals, warehouses), creates the documents, and checks that Odoo's
totals are the plan's. Taxes are never left to Odoo's own rounding: every line carries
Shopify's tax amounts as Odoo's per-line manual tax amounts (``extra_tax_data``), so
the company's rounding method stays whatever the merchant chose.
"""
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo import Command, _
from odoo.exceptions import UserError

from .order_import import naive_utc
from .order_resolver import OrderResolver


# Shopify financial statuses under which money was received: "paid orders only"
# invoices these, so that every received payment has an invoice to settle.
PAID_STATUSES = ("PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED")


class TotalsMismatch(UserError):
    """Odoo's figures are not Shopify's: the order fails and nothing is kept."""


class Prepared:
    """One order ready to be written: its Odoo records resolved, its values built."""

    __slots__ = ("record", "plan", "currency", "partner", "invoice_address", "delivery_address",
                 "lines", "wants_invoice", "sale_order", "invoice", "payments")

    def __init__(self, record, plan, currency, partner, invoice_address, delivery_address, lines, wants_invoice):
        self.record, self.plan, self.currency = record, plan, currency
        self.partner, self.invoice_address, self.delivery_address = partner, invoice_address, delivery_address
        self.lines, self.wants_invoice = lines, wants_invoice
        self.sale_order = self.invoice = self.payments = None


class OrderWriter:
    """Writes orders in two steps: ``prepare`` one order (resolve and build values; it may
    create partners, products and taxes), then ``write_documents`` for many prepared
    orders at once, so that Odoo creates, confirms, invoices, posts and pays them in
    batches. A batch that fails is retried order by order by the caller."""

    def __init__(self, env, store):
        self.env = env
        self.store = store
        self.company = store.company_id
        self.resolver = OrderResolver(env, store)

    def forget(self):
        """After a rollback: records the resolver found or made may be gone."""
        self.resolver.forget()

    def write(self, shopify_order, plan):
        """One order: prepare and write. Returns what ``write_documents`` returns for it."""
        return self.write_documents([self.prepare(shopify_order, plan)])[0]

    # -- step 1: one order ---------------------------------------------------------------------
    def prepare(self, record, plan):
        if not plan.lines:
            raise UserError(_(
                "Nothing to book: every line of Shopify order %(name)s was cancelled or refunded "
                "(Shopify's current total is %(total)s %(currency)s). Exclude such orders with the "
                "store's rules, or leave them unsynced.",
                name=plan.shopify_name, total=plan.expected.total, currency=plan.currency))
        currency = self.resolver.currency(plan.currency)
        partner, invoice_address, delivery_address = self.resolver.partner(plan)
        lines = [self._line_values(line, currency) for line in plan.lines]
        if plan.name and self.env["sale.order"].search_count([("name", "=", plan.name), ("company_id", "=", self.company.id)]):
            raise UserError(_(
                "Odoo already has a sale order named %s: change the store's order prefix, or use "
                "Odoo's sequence.", plan.name))
        return Prepared(record, plan, currency, partner, invoice_address, delivery_address, lines,
                        self._wants_invoice(record))

    # -- step 2: many orders ---------------------------------------------------------------------
    def write_documents(self, batch):
        """Creates the documents of every prepared order; raises on the first problem
        (the caller then retries order by order). Returns one dict per order."""
        store = self.store
        if store.sale_order_mode != "none":
            self._create_sale_orders(batch)
            with_invoice = [p for p in batch if p.wants_invoice]
            if with_invoice:
                self._invoice_sale_orders(with_invoice)
        else:
            self._create_invoices([p for p in batch if p.wants_invoice])
        invoices = self.env["account.move"].union(*(p.invoice for p in batch if p.invoice))
        if invoices and store.invoice_mode == "posted":
            invoices.action_post()
        for prepared in batch:
            self._check_totals(prepared)
        if store.register_payments:
            self._register_payments([p for p in batch if p.invoice and p.invoice.state == "posted"])
        return [{
            "sale_order_id": p.sale_order.id if p.sale_order else False,
            "invoice": p.invoice or self.env["account.move"],
            "payments": p.payments or self.env["account.payment"],
        } for p in batch]

    def _local_day(self, moment):
        """The day of a Shopify moment in the shop's time zone, as its invoice date is."""
        return moment.astimezone(ZoneInfo(self.store.shop_timezone or "UTC")).date()

    def _wants_invoice(self, record):
        if self.store.invoice_mode == "none":
            return False
        return self.store.invoice_policy == "all" or record.financial_status in PAID_STATUSES

    # -- lines -------------------------------------------------------------------------------
    def _line_values(self, line, currency):
        """Odoo line values with Shopify's exact tax amounts forced per tax."""
        product = self.resolver.product(line)
        taxes = [(self.resolver.tax(key), amount) for key, amount in line.taxes]
        price_unit = float(line.price_unit)
        quantity = float(line.quantity)
        discount = float(line.discount_percent)
        values = {
            "product_id": product.id,
            "name": line.name,
            "price_unit": price_unit,
            "discount": discount,
            "tax_ids": [Command.set([tax.id for tax, _amount in taxes])],
            "shopify_line_kind": _line_kind(line),
            "shopify_line_gid": line.source_id,
            "_quantity": quantity,
        }
        if taxes:
            # Only the document-currency amounts: Odoo derives the company-currency ones
            # at the document's own rate, as it does for any foreign-currency line.
            base = float(line.base)
            values["extra_tax_data"] = {
                "currency_id": currency.id,
                "price_unit": price_unit,
                "discount": discount,
                "quantity": quantity,
                "rate": 1.0,
                # The line's own untaxed amount, exact: without it, Odoo's "round globally"
                # would round the document's unrounded sum instead.
                "manual_total_excluded_currency": base,
                "manual_tax_amounts": {
                    str(tax.id): {"tax_amount_currency": float(amount), "base_amount_currency": base}
                    for tax, amount in _per_tax(taxes).items()
                },
            }
        return values

    # -- documents ---------------------------------------------------------------------------
    def _create_sale_orders(self, batch):
        store = self.store
        values = []
        for p in batch:
            plan = p.plan
            vals = {
                "partner_id": p.partner.id,
                "partner_invoice_id": p.invoice_address.id,
                "partner_shipping_id": p.delivery_address.id,
                "company_id": self.company.id,
                "date_order": naive_utc(plan.order_date),
                "client_order_ref": plan.shopify_name,
                "origin": plan.shopify_name,
                "shopify_order_id": p.record.id,
                "payment_term_id": self.resolver.immediate_payment_term().id,
                "order_line": [Command.create(_sale_line(v)) for v in p.lines],
            }
            if plan.name:
                vals["name"] = plan.name
            warehouse = self.resolver.warehouse(plan.location_id)
            if warehouse:
                vals["warehouse_id"] = warehouse.id
            pricelist = self.resolver.pricelist(p.currency)
            if pricelist:
                vals["pricelist_id"] = pricelist.id
            if store.include_tags and plan.tags:
                vals["tag_ids"] = [Command.set(self.resolver.tags(plan.tags).ids)]
            if store.include_note_attributes and plan.note_attributes:
                vals["shopify_note_attributes"] = _format_attributes(plan.note_attributes)
            if plan.note:
                vals["shopify_note"] = plan.note
            values.append(vals)
        orders = self.env["sale.order"].create(values)
        for p, order in zip(batch, orders):
            p.sale_order = order
        if store.sale_order_mode == "confirmed":
            orders.action_confirm()
            # Confirming stamps "now" on the orders; the order date is Shopify's.
            for p in batch:
                p.sale_order.date_order = naive_utc(p.plan.order_date)

    def _invoice_sale_orders(self, batch):
        orders = self.env["sale.order"].union(*(p.sale_order for p in batch))
        # Shopify orders are paid for what was ordered: bill the ordered quantities,
        # whatever invoicing policy a matched product carries.
        orders._force_lines_to_invoice_policy_order()
        dates = {p.sale_order.id: p.plan.invoice_date for p in batch}
        orders.with_context(synco_invoice_dates=dates)._create_invoices(grouped=True)
        for p in batch:
            p.invoice = p.sale_order.invoice_ids

    def _create_invoices(self, batch):
        if not batch:
            return
        moves = self.env["account.move"].create([{
            "move_type": "out_invoice",
            "partner_id": p.invoice_address.id,
            "company_id": self.company.id,
            "currency_id": p.currency.id,
            "invoice_date": p.plan.invoice_date,
            "ref": p.plan.shopify_name,
            "invoice_origin": p.plan.shopify_name,
            "payment_reference": p.plan.shopify_name,
            "invoice_payment_term_id": self.resolver.immediate_payment_term().id,
            "shopify_order_id": p.record.id,
            "invoice_line_ids": [Command.create(_invoice_line(v)) for v in p.lines],
        } for p in batch])
        for p, move in zip(batch, moves):
            p.invoice = move

    # -- totals --------------------------------------------------------------------------------
    def _check_totals(self, prepared):
        problems = []
        expected, currency = prepared.plan.expected, prepared.currency
        for label, record in ((_("sale order"), prepared.sale_order), (_("invoice"), prepared.invoice)):
            if not record:
                continue
            if record.currency_id != currency:
                problems.append(_("%(doc)s is in %(odoo)s, the order in %(shopify)s", doc=label,
                                  odoo=record.currency_id.name, shopify=currency.name))
                continue
            for name, odoo_amount, shopify_amount in (
                (_("untaxed"), record.amount_untaxed, expected.untaxed),
                (_("tax"), record.amount_tax, expected.tax),
                (_("total"), record.amount_total, expected.total),
            ):
                if currency.compare_amounts(odoo_amount, float(shopify_amount)) != 0:
                    problems.append(_(
                        "%(doc)s %(what)s: Shopify says %(shopify)s, Odoo has %(odoo)s",
                        doc=label, what=name, shopify=_fmt(shopify_amount, currency),
                        odoo=_fmt(Decimal(str(odoo_amount)), currency),
                    ))
        if problems:
            raise TotalsMismatch(_("Order %(name)s: totals differ from Shopify's:\n%(problems)s",
                                   name=prepared.plan.shopify_name, problems="\n".join(problems)))

    # -- payments ------------------------------------------------------------------------------
    def _register_payments(self, batch):
        """One payment per successful Shopify transaction, dated as Shopify dated it:
        money in (sale, capture) and money back (refund, change). Created and posted for
        the whole batch at once, then reconciled with the order's invoice, so that an
        order refunded after payment leaves neither invoice nor customer credit open.
        The unique index on the transaction id makes a second one impossible."""
        Payment = self.env["account.payment"]
        wanted = [(p, txn) for p in batch for txn in p.plan.payments]
        done = set(Payment.search([("shopify_transaction_gid", "in", [t.transaction_id for _p, t in wanted])])
                   .mapped("shopify_transaction_gid"))
        wanted = [(p, t) for p, t in wanted if t.transaction_id not in done]
        if not wanted:
            return
        values = []
        for p, txn in wanted:
            journal, inbound_line = self.resolver.payment_journal(txn.gateway)
            method_line = inbound_line if txn.inbound else self.resolver.refund_method(journal)
            receivable = p.invoice.line_ids.filtered(lambda l: l.account_type == "asset_receivable")[:1]
            values.append({
                "payment_type": "inbound" if txn.inbound else "outbound",
                "partner_type": "customer",
                "partner_id": p.invoice.commercial_partner_id.id,
                "amount": float(txn.amount),
                "currency_id": p.currency.id,
                "date": self._local_day(txn.date),
                "journal_id": journal.id,
                "payment_method_line_id": method_line.id,
                "destination_account_id": receivable.account_id.id,
                "memo": f"{p.plan.shopify_name} {txn.kind.lower()} {txn.gateway}".strip(),
                "company_id": self.company.id,
                "shopify_transaction_gid": txn.transaction_id,
                "shopify_order_id": p.record.id,
            })
        payments = Payment.with_context(skip_invoice_sync=True).create(values)
        payments.with_context(skip_sale_auto_invoice_send=True).action_post()
        by_order = {}
        for (p, _txn), payment in zip(wanted, payments):
            by_order.setdefault(p, Payment)
            by_order[p] |= payment
        open_lines = [("parent_state", "=", "posted"), ("reconciled", "=", False),
                      ("account_type", "in", Payment._get_valid_payment_account_types())]
        for p, order_payments in by_order.items():
            # As Odoo's payment wizard does: reconcile, then tie the payments to the invoice.
            lines = (order_payments.move_id.line_ids | p.invoice.line_ids).filtered_domain(open_lines)
            for account in lines.account_id:
                lines.filtered(lambda l: l.account_id == account and not l.reconciled).reconcile()
            p.invoice.matched_payment_ids += order_payments
            p.payments = (p.payments or Payment) | order_payments


def _per_tax(taxes):
    """Amounts per Odoo tax: two Shopify taxes a merchant mapped to one Odoo tax add up."""
    totals = {}
    for tax, amount in taxes:
        totals[tax] = totals.get(tax, Decimal(0)) + amount
    return totals


def _line_kind(line):
    # A discount on a shipping line is shipping's, not the items': the comparison
    # table puts it where Shopify does.
    if line.kind == "discount" and line.source_id and "/ShippingLine/" in line.source_id:
        return "shipping_discount"
    return line.kind


def _sale_line(values):
    values = dict(values)
    values["product_uom_qty"] = values.pop("_quantity")
    return values


def _invoice_line(values):
    values = dict(values)
    values["quantity"] = values.pop("_quantity")
    return values


def _fmt(amount, currency):
    return f"{amount:.{currency.decimal_places}f} {currency.name}"


def _format_attributes(attributes):
    return "\n".join(f"{key}: {value if value is not None else ''}" for key, value in attributes)
