"""The only place that creates sale orders, invoices and payments from sync plans.

The plan (``shopify/plan.py``) already says, in Shopify's terms and to the cent, what
Odoo must contain; the writer resolves Shopify keys to Odoo records (partners,
products, taxes, journals, warehouses), creates the documents, and checks that Odoo's
totals are the plan's. Taxes are never left to Odoo's own rounding: every line carries
Shopify's tax amounts as Odoo's per-line manual tax amounts (``extra_tax_data``), so
the company's rounding method stays whatever the merchant chose.
"""
from decimal import Decimal

from odoo import Command, _
from odoo.exceptions import UserError

from .order_import import naive_utc
from .order_documents import OrderDocuments
from .order_payments import OrderPayments
from .order_deliveries import OrderDeliveries
from .order_resolver import OrderResolver
from ..shopify.planning import precision
from ..shopify.planning.plan_types import CASH_ROUNDING, GIFT_CARD


# Shopify financial statuses under which money was received (what "paid orders only" means
# for the order list; the lifecycle plan itself reads the transactions).
PAID_STATUSES = ("PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED")


class TotalsMismatch(UserError):
    """Odoo's figures are not Shopify's: the order fails and nothing is kept."""


class Prepared:
    """One order ready to be written: its Odoo records resolved, its values built."""

    __slots__ = ("record", "plan", "life", "currency", "partner", "invoice_address", "delivery_address",
                 "lines", "sale_order", "invoice", "payments", "documents")

    def __init__(self, record, plan, life, currency, partner, invoice_address, delivery_address, lines):
        self.record, self.plan, self.life, self.currency = record, plan, life, currency
        self.partner, self.invoice_address, self.delivery_address = partner, invoice_address, delivery_address
        self.lines = lines
        self.sale_order = self.invoice = self.payments = None
        self.documents = []  # (Document, move) of this sync


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
        self.held = {}  # shopify.order id -> Held, read by the sync before planning
        self.history = []  # values of shopify.order.update, created once per batch
        self.documents = OrderDocuments(self)
        self.payments = OrderPayments(self)
        self.deliveries = OrderDeliveries(self)

    def forget(self):
        """After a rollback: records the resolver found or made may be gone."""
        self.resolver.forget()
        self._forget_rolled_back_ranks()

    def _forget_rolled_back_ranks(self):
        """Posting an invoice has account raise its partner's customer rank after the commit
        (a post-commit hook, keyed by partner id). A partner made in a savepoint that rolled
        back is gone, and the hook would fail on it once the transaction is committed (the
        job would then fail after its work was saved): its ids are dropped from the hook."""
        postcommit = self.env.cr.postcommit.data
        for field in ("customer_rank", "supplier_rank"):
            ranks = postcommit.get(f"account.res.partner.increase_rank.{field}")
            if not ranks:
                continue
            self.env.cr.execute("SELECT id FROM res_partner WHERE id = ANY(%s)", [list(ranks)])
            alive = {row[0] for row in self.env.cr.fetchall()}
            for partner_id in [pid for pid in ranks if pid not in alive]:
                del ranks[partner_id]

    def write(self, record, plan, life):
        """One order: prepare and write. Returns what ``write_documents`` returns for it."""
        return self.write_documents([self.prepare(record, plan, life)])[0]

    # -- step 1: one order ---------------------------------------------------------------------
    def prepare(self, record, plan, life):
        currency = self.resolver.currency(plan.currency)
        # Before anything is made (partners, products): what Odoo could not hold exactly,
        # or an account the order needs and the store does not name, fails the order now.
        self._check_precision(plan, currency)
        self._check_accounts(plan, life)
        self.resolver.start_order(plan)  # the order's country, for the taxes it may create
        partner, invoice_address, delivery_address = self.resolver.partner(plan)
        lines = [self._line_values(line, currency) for line in plan.lines]
        if life.create_sale_order and plan.name and self.env["sale.order"].search_count(
                [("name", "=", plan.name), ("company_id", "=", self.company.id)]):
            raise UserError(_(
                "Odoo already has a sale order named %s: change the store's order prefix, or use "
                "Odoo's sequence.", plan.name))
        prepared = Prepared(record, plan, life, currency, partner, invoice_address, delivery_address, lines)
        held = self.held.get(record.id)
        # A first sync holds nothing: no search for what it would find.
        if held and held.sale_order:
            prepared.sale_order = self.env["sale.order"].search([("shopify_order_id", "=", record.id)], limit=1)
        if held and held.document(plan.order_id, "out_invoice"):
            prepared.invoice = self.env["account.move"].search([
                ("shopify_order_id", "=", record.id), ("move_type", "=", "out_invoice"), ("state", "!=", "cancel"),
                "|", ("shopify_document_kind", "=", "sale"), ("shopify_source_gid", "=", False)], limit=1)
        return prepared

    # -- step 2: many orders ---------------------------------------------------------------------
    def write_documents(self, batch):
        """Carries out the lifecycle plans of every prepared order; raises on the first
        problem (the caller then retries order by order). Returns one dict per order."""
        Move = self.env["account.move"]
        new_orders = [p for p in batch if p.life.create_sale_order]
        if new_orders:
            self._create_sale_orders(new_orders)
            for p in new_orders:
                self._check_totals(p, p.sale_order, _("sale order"), self.sale_order_plan_lines(p.plan))
        for p in batch:
            if p.life.sale_order_lines is not None and p.sale_order:
                self.documents.update_sale_order_lines(p)
        sales = [(p, doc) for p in batch for doc in p.life.documents if doc.kind == "sale"]
        if sales:
            self._invoice_sales(sales)
        others = [(p, doc) for p in batch for doc in p.life.documents if doc.kind != "sale"]
        if others:
            self.documents.create_moves(others)
        for p in batch:
            for doc, move in p.documents:
                self._check_cash_rounding(p, doc, move)
        moves = Move.union(*(move for p in batch for _doc, move in p.documents))
        if moves and self.store.invoice_mode == "posted":
            moves.action_post()
        for p in batch:
            for doc, move in p.documents:
                self._check_totals(p, move, doc.label, doc.lines)
            self.documents.cancel_or_flag_sale_order(p)
        # Whether payments are registered is the plan's (BookingPolicy.payments).
        self.payments.register([p for p in batch if p.life.payments])
        # Where Shopify ships: its shipments validate the (now existing) sale orders' deliveries.
        self.deliveries.apply([p for p in batch if p.life.deliveries])
        return [{
            "sale_order_id": (p.sale_order.id if p.sale_order else False),
            "moves": Move.union(*(move for _doc, move in p.documents)),
            "documents": list(p.documents),
            "payments": p.payments or self.env["account.payment"],
        } for p in batch]

    def _invoice_sales(self, sales):
        with_so = [(p, doc) for p, doc in sales if p.sale_order]
        if with_so:
            self._invoice_sale_orders(with_so)
        without = [(p, doc) for p, doc in sales if not p.sale_order]
        if without:
            self._create_invoices(without)

    def policy(self):
        """The store's settings the lifecycle plan decides with."""
        from ..shopify.lifecycle.types import BookingPolicy

        store = self.store
        return BookingPolicy(sale_order=store.sale_order_mode != "none", invoice=store.invoice_mode != "none",
                             paid_only=store.invoice_policy == "paid",
                             payments=store.register_payments and store.invoice_mode == "posted")

    # -- precision, accounts, cash rounding ------------------------------------------------------
    def _check_precision(self, plan, currency):
        """Odoo keeps amounts at the currency's rounding and unit prices at the "Product Price"
        accuracy: a figure of Shopify's that either would round is refused, naming the setting."""
        digits = self.env["decimal.precision"].precision_get("Product Price")
        problems = precision.check(plan, currency.rounding, digits)
        if not problems:
            return
        messages = []
        for problem in problems:
            if problem.setting == "price_digits":
                messages.append(_(
                    "The %(what)s, %(example)s, has %(needed)s decimals; Odoo keeps unit prices with "
                    "%(current)s (decimal accuracy \"Product Price\"): set it to %(needed)s in Settings > "
                    "Technical > Decimal Accuracy.", what=problem.what, example=problem.example,
                    needed=problem.needed, current=problem.current))
            else:
                messages.append(_(
                    "The %(what)s, %(example)s %(currency)s, is finer than Odoo's rounding of %(currency)s "
                    "(%(current)s): set the currency's rounding factor to %(needed)s in Accounting > "
                    "Configuration > Currencies.", what=problem.what, example=problem.example,
                    currency=currency.name, current=_plain(problem.current), needed=_plain(problem.needed)))
        raise UserError(_("Order %(name)s cannot be booked exactly in Odoo; nothing was written.\n%(problems)s",
                          name=plan.shopify_name, problems="\n".join(messages)))

    def _check_accounts(self, plan, life):
        """A gift card sold is owed to its holder: it is never booked without the liability."""
        lines = [*plan.lines, *(line for doc in life.documents for line in doc.lines)]
        if any(line.kind == GIFT_CARD for line in lines) and not self.store.gift_card_account_id:
            raise UserError(_(
                "Order %(name)s sells a gift card, which is owed to its holder until redeemed, not "
                "revenue: choose the gift card liability account of store %(store)s (Creation > "
                "Accounting).", name=plan.shopify_name, store=self.store.name))

    def native_cash_rounding(self):
        """Whether the sale invoice's cash rounding is Odoo's (the store names a method)."""
        return bool(self.store.cash_rounding_id)

    def sale_order_plan_lines(self, plan):
        """The plan's lines a sale order holds: a cash rounding Odoo's method makes on the
        invoice is the payment's, not the goods'."""
        if not self.native_cash_rounding():
            return plan.lines
        return tuple(line for line in plan.lines if line.kind != CASH_ROUNDING)

    def sale_order_values(self, p):
        if not self.native_cash_rounding():
            return p.lines
        return [v for v in p.lines if v["shopify_line_kind"] != CASH_ROUNDING]

    def _rounded_sale(self, doc):
        return doc.kind == "sale" and self.native_cash_rounding() and any(
            line.kind == CASH_ROUNDING for line in doc.lines)

    def _finish_sale_invoice(self, p, doc, invoice):
        """An invoice Odoo made from the sale order: each charge on the store's account for its
        kind, and Odoo's cash rounding where the till rounded. The invoice is a draft."""
        by_account = {}
        for line in invoice.invoice_line_ids:
            account = self.store._charge_account(line.shopify_line_kind)
            if account and line.account_id != account:
                by_account.setdefault(account, []).append(line.id)
        for account, ids in by_account.items():
            self.env["account.move.line"].browse(ids).account_id = account
        if self._rounded_sale(doc):
            invoice.invoice_cash_rounding_id = self.store.cash_rounding_id

    def _check_cash_rounding(self, p, doc, move):
        """Odoo's cash rounding must be the till's: a method rounding to another coin (or the
        other way) would leave a cent open; the order fails, naming the method."""
        if not self._rounded_sale(doc):
            return
        currency = p.currency
        shopify = sum((line.total for line in doc.lines if line.kind == CASH_ROUNDING), Decimal(0))
        odoo = Decimal(str(currency.round(move.amount_total - sum(move.invoice_line_ids.mapped("price_total")))))
        if currency.compare_amounts(float(odoo), float(shopify)):
            raise TotalsMismatch(_(
                "Order %(name)s: Shopify rounded the cash payment by %(shopify)s, Odoo's cash rounding "
                "method %(method)s by %(odoo)s: choose a method that rounds to the till's coin "
                "(store > Creation > Accounting).", name=p.plan.shopify_name, shopify=_fmt(shopify, currency),
                method=self.store.cash_rounding_id.sudo().display_name, odoo=_fmt(odoo, currency)))
        # The comparison table and the documents say what the line is.
        rounding = move.line_ids.filtered(lambda l: l.display_type == "rounding")
        if rounding:
            rounding.shopify_line_kind = CASH_ROUNDING

    def line_account(self, line, move_type="out_invoice"):
        """The account a plan line is booked on when the store names one (else the product's)."""
        if line.kind == CASH_ROUNDING and self.store.cash_rounding_id:
            # Odoo's own rule (account.move, add_invoice_line): what adds to the customer's
            # debt is a profit, what lowers it a loss; on a credit note the other way round.
            # sudo: the method's accounts are the store's setting, read for any user who syncs.
            method = self.store.cash_rounding_id.sudo().with_company(self.company)
            gain = (line.base > 0) == (move_type == "out_invoice")
            return method.profit_account_id if gain else method.loss_account_id
        return self.store._charge_account(line.kind)

    # -- lines -------------------------------------------------------------------------------
    def _line_values(self, line, currency, move_type="out_invoice"):
        """Odoo line values with Shopify's exact tax amounts forced per tax."""
        product = self.store._charge_product(line.kind) or self.resolver.product(line)
        taxes = [(self.resolver.tax(key), amount) for key, amount in line.taxes]
        price_unit = float(line.price_unit)
        quantity = float(line.quantity)
        discount = float(line.discount_percent)
        values = {
            "product_id": product.id,
            "name": _line_name(line, currency),
            "price_unit": price_unit,
            "discount": discount,
            "tax_ids": [Command.set([tax.id for tax, _amount in taxes])],
            "shopify_line_kind": _line_kind(line),
            "shopify_line_gid": line.source_id,
            "_quantity": quantity,
        }
        account = self.line_account(line, move_type)
        if account:
            values["_account_id"] = account.id
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
                "order_line": [Command.create(_sale_line(v)) for v in self.sale_order_values(p)],
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
        orders = self.env["sale.order"].union(*(p.sale_order for p, _doc in batch))
        # Shopify orders are paid for what was ordered: bill the ordered quantities,
        # whatever invoicing policy a matched product carries.
        orders._force_lines_to_invoice_policy_order()
        dates = {p.sale_order.id: doc.date for p, doc in batch}
        invoices = orders.with_context(synco_invoice_dates=dates)._create_invoices(grouped=True)
        for p, doc in batch:
            p.invoice = p.sale_order.invoice_ids.filtered(lambda m: m in invoices)
            self._finish_sale_invoice(p, doc, p.invoice)
            p.documents.append((doc, p.invoice))

    def _create_invoices(self, batch):
        values = []
        for p, doc in batch:
            header = self.documents.move_header(p, doc)
            lines = p.lines
            if self._rounded_sale(doc):
                # Odoo's cash rounding makes the rounding line from the method.
                header["invoice_cash_rounding_id"] = self.store.cash_rounding_id.id
                lines = [v for v in lines if v["shopify_line_kind"] != CASH_ROUNDING]
            values.append({**header, "invoice_line_ids": [Command.create(_invoice_line(v)) for v in lines]})
        moves = self.env["account.move"].create(values)
        for (p, doc), move in zip(batch, moves):
            p.invoice = move
            p.documents.append((doc, move))

    # -- totals --------------------------------------------------------------------------------
    def _check_totals(self, prepared, record, label, lines):
        """Odoo's figures of a document it just made are the plan's, to the cent."""
        currency = prepared.currency
        untaxed = sum((line.base for line in lines), Decimal(0))
        tax = sum((line.tax for line in lines), Decimal(0))
        problems = []
        if record.currency_id != currency:
            problems.append(_("%(doc)s is in %(odoo)s, the order in %(shopify)s", doc=label,
                              odoo=record.currency_id.name, shopify=currency.name))
        else:
            for name, odoo_amount, shopify_amount in (
                (_("untaxed"), record.amount_untaxed, untaxed),
                (_("tax"), record.amount_tax, tax),
                (_("total"), record.amount_total, untaxed + tax),
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


def _per_tax(taxes):
    """Amounts per Odoo tax: two Shopify taxes a merchant mapped to one Odoo tax add up."""
    totals = {}
    for tax, amount in taxes:
        totals[tax] = totals.get(tax, Decimal(0)) + amount
    return totals


def _line_name(line, currency):
    """The line's description; a discount folded into the line's percentage is said under it,
    as Shopify's receipt says it ("Discount (SUMMER10): -$ 10.00"): Odoo shows its discount
    column only to companies that use discounts on lines (and as a percentage Shopify never
    showed), so without this the line would read 2 x 26.99 = 43.98."""
    if not line.folded_discount:
        return line.name
    # "-$ 10.00", as Shopify writes a discount (Odoo's own negative format hides a
    # zero-width character after the sign, which a stored description should not keep).
    amount = "-" + currency.format(float(line.folded_discount))
    env = currency.env
    if line.discount_label:
        return env._("%(name)s\nDiscount (%(label)s): %(amount)s", name=line.name, label=line.discount_label,
                     amount=amount)
    return env._("%(name)s\nDiscount: %(amount)s", name=line.name, amount=amount)


def _line_kind(line):
    # A discount on a shipping line is shipping's, not the items': the comparison
    # table puts it where Shopify does.
    if line.kind == "discount" and line.source_id and "/ShippingLine/" in line.source_id:
        return "shipping_discount"
    return line.kind


def _sale_line(values):
    values = dict(values)
    values["product_uom_qty"] = values.pop("_quantity")
    # A sale order line has no account: its invoice's line takes it (_finish_sale_invoice).
    values.pop("_account_id", None)
    return values


def _invoice_line(values):
    values = dict(values)
    values["quantity"] = values.pop("_quantity")
    account = values.pop("_account_id", None)
    if account:
        values["account_id"] = account
    return values


def _plain(number):
    """0.010 as 0.01, 1.00 as 1: a rounding factor as the merchant types it."""
    return format(Decimal(str(number)).normalize(), "f")


def _fmt(amount, currency):
    return f"{amount:.{currency.decimal_places}f} {currency.name}"


def _format_attributes(attributes):
    return "\n".join(f"{key}: {value if value is not None else ''}" for key, value in attributes)
