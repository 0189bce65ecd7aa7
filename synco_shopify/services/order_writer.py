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

from odoo import Command, _, fields
from odoo.exceptions import UserError

from .order_resolver import OrderResolver


# Shopify financial statuses under which money was received: "paid orders only"
# invoices these, so that every received payment has an invoice to settle.
PAID_STATUSES = ("PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED")


class TotalsMismatch(UserError):
    """Odoo's figures are not Shopify's: the order fails and nothing is kept."""


class OrderWriter:
    def __init__(self, env, store):
        self.env = env
        self.store = store
        self.company = store.company_id
        self.resolver = OrderResolver(env, store)

    # -- one order ---------------------------------------------------------------------------
    def write(self, shopify_order, plan):
        """Creates what the store's settings ask for; returns the values to store on
        the shopify.order record. Raises on anything that must fail the order."""
        store = self.store
        if not plan.lines:
            raise UserError(_(
                "Nothing to book: every line of Shopify order %(name)s was cancelled or refunded "
                "(Shopify's current total is %(total)s %(currency)s). Exclude such orders with the "
                "store's rules, or leave them unsynced.",
                name=plan.shopify_name, total=plan.expected.total, currency=plan.currency))
        currency = self.resolver.currency(plan.currency)
        partner, invoice_address, delivery_address = self.resolver.partner(plan)
        lines = [self._line_values(line, currency) for line in plan.lines]

        sale_order = invoice = self.env["account.move"]
        sale_order = self.env["sale.order"]
        if store.sale_order_mode != "none":
            sale_order = self._create_sale_order(shopify_order, plan, currency, partner,
                                                 invoice_address, delivery_address, lines)
        if self._wants_invoice(shopify_order):
            invoice = (self._invoice_from_sale_order(sale_order, plan) if sale_order
                       else self._create_invoice(shopify_order, plan, currency, invoice_address, lines))
            invoice.shopify_order_id = shopify_order
            if store.invoice_mode == "posted":
                invoice.action_post()
        self._check_totals(plan, currency, sale_order, invoice)
        payments = self.env["account.payment"]
        if invoice and invoice.state == "posted" and store.register_payments:
            payments = self._register_payments(shopify_order, plan, invoice)
        return {"sale_order_id": sale_order.id or False, "invoice": invoice, "payments": payments}

    def _local_day(self, moment):
        """The day of a Shopify moment in the shop's time zone, as its invoice date is."""
        return moment.astimezone(ZoneInfo(self.store.shop_timezone or "UTC")).date()

    def _wants_invoice(self, shopify_order):
        if self.store.invoice_mode == "none":
            return False
        return self.store.invoice_policy == "all" or shopify_order.financial_status in PAID_STATUSES

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
    def _create_sale_order(self, shopify_order, plan, currency, partner, invoice_address,
                           delivery_address, lines):
        store = self.store
        date = _naive(plan.order_date)
        values = {
            "partner_id": partner.id,
            "partner_invoice_id": invoice_address.id,
            "partner_shipping_id": delivery_address.id,
            "company_id": self.company.id,
            "date_order": date,
            "client_order_ref": plan.shopify_name,
            "origin": plan.shopify_name,
            "shopify_order_id": shopify_order.id,
            "payment_term_id": self.resolver.immediate_payment_term().id,
            "order_line": [Command.create(_sale_line(v)) for v in lines],
        }
        if plan.name:
            values["name"] = plan.name
        warehouse = self.resolver.warehouse(plan.location_id)
        if warehouse:
            values["warehouse_id"] = warehouse.id
        pricelist = self.resolver.pricelist(currency)
        if pricelist:
            values["pricelist_id"] = pricelist.id
        if store.include_tags and plan.tags:
            values["tag_ids"] = [Command.set(self.resolver.tags(plan.tags).ids)]
        if store.include_note_attributes and plan.note_attributes:
            values["shopify_note_attributes"] = _format_attributes(plan.note_attributes)
        order = self.env["sale.order"].create(values)
        if store.sale_order_mode == "confirmed":
            order.action_confirm()
            # Confirming stamps "now" on the order; the order date is Shopify's.
            order.date_order = date
        return order

    def _invoice_from_sale_order(self, sale_order, plan):
        if sale_order.state != "sale":
            raise UserError(_("A quotation cannot be invoiced; confirm the sale order first."))
        # Shopify orders are paid for what was ordered: bill the ordered quantities,
        # whatever invoicing policy a matched product carries.
        sale_order._force_lines_to_invoice_policy_order()
        invoice = sale_order._create_invoices()
        invoice.invoice_date = plan.invoice_date
        return invoice

    def _create_invoice(self, shopify_order, plan, currency, invoice_address, lines):
        values = {
            "move_type": "out_invoice",
            "partner_id": invoice_address.id,
            "company_id": self.company.id,
            "currency_id": currency.id,
            "invoice_date": plan.invoice_date,
            "ref": plan.shopify_name,
            "invoice_origin": plan.shopify_name,
            "payment_reference": plan.shopify_name,
            "invoice_payment_term_id": self.resolver.immediate_payment_term().id,
            "shopify_order_id": shopify_order.id,
            "invoice_line_ids": [Command.create(_invoice_line(v)) for v in lines],
        }
        return self.env["account.move"].create(values)

    # -- totals --------------------------------------------------------------------------------
    def _check_totals(self, plan, currency, sale_order, invoice):
        problems = []
        expected = plan.expected
        for label, record in ((_("sale order"), sale_order), (_("invoice"), invoice)):
            if not record:
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
            raise TotalsMismatch(_("Totals differ from Shopify's:\n%s", "\n".join(problems)))

    # -- payments ------------------------------------------------------------------------------
    def _register_payments(self, shopify_order, plan, invoice):
        """One payment per successful Shopify transaction, dated as Shopify dated it.
        The unique index on the transaction id makes a second one impossible."""
        Payment = self.env["account.payment"]
        done = set(Payment.search([("shopify_transaction_gid", "in", [p.transaction_id for p in plan.payments])])
                   .mapped("shopify_transaction_gid"))
        payments = Payment
        for payment in plan.payments:
            if payment.transaction_id in done or not payment.inbound:
                continue
            journal, method_line = self.resolver.payment_journal(payment.gateway)
            wizard = self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids,
            ).create({
                "journal_id": journal.id,
                "payment_method_line_id": method_line.id,
                "amount": float(payment.amount),
                "payment_date": self._local_day(payment.date),
                "communication": f"{plan.shopify_name} {payment.gateway}".strip(),
                "payment_difference_handling": "open",
            })
            created = wizard._create_payments()
            created.write({
                "shopify_transaction_gid": payment.transaction_id,
                "shopify_order_id": shopify_order.id,
            })
            payments |= created
        return payments


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


def _naive(moment):
    return moment.replace(tzinfo=None) if moment and moment.tzinfo else moment


def _fmt(amount, currency):
    return f"{amount:.{currency.decimal_places}f} {currency.name}"


def _format_attributes(attributes):
    return "\n".join(f"{key}: {value if value is not None else ''}" for key, value in attributes)
