from types import SimpleNamespace

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

SYNC_STATES = [
    ("not_synced", "Not Synced"),
    ("in_progress", "In Progress"),
    ("synced", "Synced"),
    # Synced, then Shopify's updatedAt moved past the payload last applied: the Odoo
    # documents may lag behind (a refund, an edit, a capture). Update applies it.
    ("changed", "Changed in Shopify"),
    ("failed", "Failed"),
]
WRITEBACK_STATES = [
    ("none", "Not needed yet"),
    ("pending", "Pending"),
    ("done", "Written"),
]
# The longest text a user may search orders with (an order name, an email, a customer
# name are far shorter): a 1 MB ilike pattern otherwise holds a worker for seconds.
MAX_SEARCH_LENGTH = 256


class ShopifyOrder(models.Model):
    """One Shopify order of one store: its header as Shopify reports it, whether the
    store's rules make it eligible, and what the sync made of it in Odoo."""

    _name = "shopify.order"
    _description = "Shopify order"
    _inherit = ["mail.thread"]
    _order = "created_at desc, id desc"
    _rec_name = "name"

    store_id = fields.Many2one("shopify.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    shopify_gid = fields.Char(string="Shopify ID", required=True, readonly=True)
    legacy_id = fields.Char(readonly=True)

    # -- header ----------------------------------------------------------------------------
    name = fields.Char(string="Order Name", readonly=True)
    number = fields.Integer(readonly=True)
    created_at = fields.Datetime(string="Date", readonly=True, index=True)
    processed_at = fields.Datetime(readonly=True)
    shopify_updated_at = fields.Datetime(readonly=True)
    email = fields.Char(string="Customer Email", readonly=True, index="trigram")
    customer_name = fields.Char(string="Customer", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    financial_status = fields.Char(readonly=True, help="Shopify displayFinancialStatus")
    fulfillment_status = fields.Char(readonly=True, help="Shopify displayFulfillmentStatus")
    financial_status_label = fields.Char(string="Payment", compute="_compute_status_labels")
    fulfillment_status_label = fields.Char(string="Fulfillment", compute="_compute_status_labels")
    source_name = fields.Char(string="Source", readonly=True)
    tags = fields.Char(readonly=True)
    test = fields.Boolean(readonly=True)
    cancelled = fields.Boolean(readonly=True)
    # Shopify's paymentGatewayNames, comma-separated: a few distinct values per store, so
    # the store finds the gateways its orders used with one grouped read (no extra table).
    payment_gateway_names = fields.Char(string="Payment gateways", readonly=True)
    shopify_odoo_ref = fields.Char(
        string="Metafield custom.odoo_id", readonly=True,
        help="What Shopify's order metafield custom.odoo_id said when the header was last read.",
    )

    # -- eligibility -------------------------------------------------------------------------
    eligible = fields.Boolean(compute="_compute_eligibility", store=True, index=True)
    ineligible_reason = fields.Text(compute="_compute_eligibility", store=True)

    # -- sync ----------------------------------------------------------------------------------
    sync_state = fields.Selection(SYNC_STATES, default="not_synced", required=True, index=True, readonly=True)
    sync_error = fields.Text(readonly=True)
    last_sync_at = fields.Datetime(readonly=True)
    synced_updated_at = fields.Datetime(
        string="Shopify version synced", readonly=True, copy=False,
        help="Shopify's updatedAt of the payload last applied to the Odoo documents: a header "
        "updated later marks the order Changed in Shopify.",
    )
    payload_digest = fields.Char(readonly=True, help="Digest of the Shopify payload last synced")
    sale_order_id = fields.Many2one("sale.order", readonly=True, index="btree_not_null", copy=False)
    sale_order_state = fields.Selection(related="sale_order_id.state", string="Sale Order Status")
    invoice_ids = fields.One2many("account.move", "shopify_order_id", readonly=True)
    payment_ids = fields.One2many("account.payment", "shopify_order_id", string="Payments", readonly=True)
    writeback_state = fields.Selection(WRITEBACK_STATES, default="none", required=True, readonly=True, index=True)
    writeback_error = fields.Char(readonly=True)
    odoo_record_ref = fields.Char(
        string="Odoo ID", compute="_compute_odoo_record", store=True,
        help="What custom.odoo_id carries: the sale order's name, or the invoice's.",
    )
    has_invoice = fields.Boolean(compute="_compute_odoo_record", store=True)
    invoice_ref = fields.Char(string="Invoice ID", compute="_compute_odoo_record", store=True)
    update_ids = fields.One2many("shopify.order.update", "order_id", string="History", readonly=True)
    job_id = fields.Many2one("queue.job", string="Job", readonly=True, copy=False, index="btree_not_null")
    job_state = fields.Selection(related="job_id.state", string="Queue Job State")
    # Customer personal data (names, addresses, emails): for those who configure the store.
    payload_json = fields.Text(string="Payload", readonly=True, copy=False, groups="synco_shopify.group_shopify_manager",
                               help="The Shopify order as last fetched for a sync")
    shopify_totals_json = fields.Json(readonly=True, copy=False)
    # Read as the integration: a Shopify User compares the figures of the documents the
    # sync made without rights on sale orders or invoices.
    comparison_html = fields.Html(compute="_compute_comparison_html", sanitize=False, compute_sudo=True)

    _gid_unique = models.UniqueIndex(
        "(store_id, shopify_gid)", "A Shopify order can be listed only once per store.",
    )

    # -- the integration's records -----------------------------------------------------------
    # An order is what Shopify says (its header) and what the sync did with it (state,
    # links, write-back): users read them, the integration writes them. The integration
    # writes as superuser (sudo), after its own access checks: the sync service and its
    # jobs, the header import, Reset. A context key would not do: the context of an RPC
    # call is the caller's to set.
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(_(
                "Shopify orders come from Shopify: the integration imports them (Import orders, "
                "Catch up now); none is created by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            refused = sorted(vals.keys() & self._integration_fields())
            if refused:
                raise AccessError(_(
                    "These fields of a Shopify order are the integration's (what Shopify says and what "
                    "the sync made of it), not editable: %s. Use Sync, Update or Reset.",
                    ", ".join(refused)))
        return super().write(vals)

    @api.model
    def _integration_fields(self):
        """Every field of the order but mail.thread's (followers, messages): a field added
        later is the integration's unless it is meant for users and listed here."""
        return set(self._fields) - set(self.env["mail.thread"]._fields) - self._user_fields()

    @api.model
    def _user_fields(self):
        return set()

    def _search(self, domain, offset=0, limit=None, order=None, *, active_test=True, bypass_access=False):
        # Every search of orders comes here (search, name_search, web_search_read,
        # read_group, search_count): one place to refuse a search text no order has.
        if not self.env.su:
            self._check_search_lengths(domain)
        return super()._search(domain, offset, limit, order, active_test=active_test,
                               bypass_access=bypass_access)

    @api.model
    def _check_search_lengths(self, domain):
        for condition in Domain(domain).iter_conditions():
            value = condition.value
            values = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
            if any(isinstance(v, str) and len(v) > MAX_SEARCH_LENGTH for v in values):
                raise UserError(_(
                    "A search of Shopify orders is limited to %(limit)s characters per value; this one "
                    "has %(length)s. Search for part of the order name, email or customer instead.",
                    limit=MAX_SEARCH_LENGTH,
                    length=max(len(v) for v in values if isinstance(v, str))))

    @api.depends("financial_status", "fulfillment_status")
    def _compute_status_labels(self):
        from ..shopify.rules import FINANCIAL_STATUS_LABELS, FULFILLMENT_STATUS_LABELS

        for order in self:
            order.financial_status_label = FINANCIAL_STATUS_LABELS.get(order.financial_status or "", order.financial_status)
            order.fulfillment_status_label = FULFILLMENT_STATUS_LABELS.get(
                order.fulfillment_status or "", order.fulfillment_status)

    @api.depends("sale_order_id.name", "invoice_ids.name", "invoice_ids.state", "invoice_ids.display_name")
    def _compute_odoo_record(self):
        for order in self:
            invoices = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
            order.has_invoice = bool(invoices)
            named = invoices.filtered(lambda m: m.name and m.name != "/")
            order.invoice_ref = ", ".join(named.mapped("name")) or False
            if order.sale_order_id:
                order.odoo_record_ref = order.sale_order_id.name
            elif invoices:
                # An unposted invoice has no number yet: Odoo calls it "Draft Invoice (* 42)",
                # and posting it later sends its number to Shopify (account_move.py).
                invoice = invoices[:1]
                order.odoo_record_ref = invoice.name if invoice.name and invoice.name != "/" else invoice.display_name
            else:
                order.odoo_record_ref = False

    @api.depends(
        "financial_status", "fulfillment_status", "source_name", "processed_at", "test", "cancelled",
        "store_id.rule_financial_status_ids", "store_id.rule_fulfillment_status_ids",
        "store_id.rule_source_ids", "store_id.rule_date_from", "store_id.rule_date_to",
        "store_id.rule_exclude_test", "store_id.rule_exclude_cancelled", "store_id.shop_timezone",
    )
    def _compute_eligibility(self):
        from ..shopify.rules import evaluate

        rules_by_store = {}
        for order in self:
            store = order.store_id
            if store not in rules_by_store:
                rules_by_store[store] = store._order_rules()
            verdict = evaluate(rules_by_store[store], order._rule_facts())
            order.eligible = verdict.eligible
            order.ineligible_reason = "\n".join(verdict.reasons) or False

    def _rule_facts(self):
        self.ensure_one()
        return SimpleNamespace(
            financial_status=self.financial_status or None,
            fulfillment_status=self.fulfillment_status or None,
            source_name=self.source_name or None,
            processed_at=self.processed_at and fields.Datetime.to_datetime(self.processed_at),
            test=self.test,
            cancelled=self.cancelled,
        )

    # -- actions -----------------------------------------------------------------------------
    @api.private
    def action_sync(self):
        """Kept for the code that calls it (scripts, tests): ``_sync_now``. Not callable
        over RPC: users sync through the queue (``action_enqueue_sync``)."""
        return self._sync_now()

    def _sync_now(self):
        """Sync the orders in self now, in this transaction, each in its own savepoint;
        for code (scripts, the demo, tests). Users go through the queue
        (``action_enqueue_sync``): a synchronous sync of many orders would hold an HTTP
        worker for minutes. Ineligible orders are refused with their reasons; synced
        ones are left as they are."""
        # A changed order was eligible when first synced: its update is not refused.
        refused = self.filtered(lambda o: not o.eligible and o.sync_state not in ("synced", "changed"))
        if refused and len(self) == 1:
            raise UserError(_("Order %(name)s cannot be synced: %(reason)s",
                              name=refused.name, reason=refused.ineligible_reason))
        # Shopify users may sync the orders they see; the documents are made with the
        # integration's rights (a user may sync without being an accountant).
        self.check_access("read")
        summary = self.env["shopify.order.sync"].sudo()._sync_orders((self - refused).sudo())
        if summary["deferred"] and len(self) == 1:
            raise UserError(_("Another sync is creating the same customer, product or tax right now: "
                              "try again in a moment."))
        return {**summary, "deferred": summary["deferred"].ids}

    def _mark_failed(self, message):
        # The integration's bookkeeping (callers checked their access to the orders).
        self.sudo().write({
            "sync_state": "failed",
            "sync_error": message,
            "last_sync_at": fields.Datetime.now(),
        })

    def _has_documents(self):
        """Whether the sync already made Odoo documents for this order: what decides
        between a first sync and an update."""
        self.ensure_one()
        # Asked for Shopify users too, who may not read invoices: it is the order's fact.
        order = self.sudo()
        return bool(order.sale_order_id or order.invoice_ids)

    @api.depends("shopify_totals_json", "sale_order_id.amount_total", "invoice_ids.amount_total",
                 "invoice_ids.amount_residual", "invoice_ids.state", "invoice_ids.move_type")
    def _compute_comparison_html(self):
        from .comparison import comparison_table

        for order in self:
            order.comparison_html = comparison_table(order)

    def action_open_sale_order(self):
        return self.sale_order_id._get_records_action() if self.sale_order_id else False

    def action_open_invoices(self):
        return self.invoice_ids._get_records_action(name=_("Invoices"))

    def action_open_payments(self):
        return self.payment_ids._get_records_action(name=_("Payments"))

    def action_retry_writeback(self):
        """Send the pending Odoo IDs now, while the user waits (a few metafieldsSet calls);
        what Shopify refuses, or why it could not be reached, stays on each order."""
        from ..shopify.api.errors import ShopifyError

        self.check_access("read")
        self = self.sudo()
        for store in self.store_id:
            try:
                self.env["shopify.order.writeback"]._write_back(
                    store, self.filtered(lambda o: o.store_id == store and o.writeback_state == "pending"))
            except ShopifyError:
                continue  # recorded on the orders by the write-back
        return True

    def action_open_odoo_record(self):
        """The Odoo ID's link: the sale order (else the invoice) for those who may read it;
        for the others, a read-only summary of what the sync made, never an access error."""
        self.ensure_one()
        # Which documents exist is the order's fact; whether the user may open them, theirs.
        order = self.sudo()
        invoice = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")[:1]
        documents = [record for record in (order.sale_order_id, invoice) if record]
        if not documents:
            raise UserError(_("Order %s has no Odoo record yet.", self.name))
        for record in documents:
            record = record.with_env(self.env)
            if record.has_access("read"):
                return {
                    "type": "ir.actions.act_window",
                    "res_model": record._name,
                    "res_id": record.id,
                    "views": [(False, "form")],
                    "view_mode": "form",
                }
        return {
            "type": "ir.actions.act_window",
            "name": _("%(order)s in Odoo: %(ref)s", order=self.name, ref=self.odoo_record_ref),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(self.env.ref("synco_shopify.shopify_order_view_form_summary").id, "form")],
            "view_mode": "form",
            "target": "new",
        }

    # -- reset -----------------------------------------------------------------------------
    def action_reset(self):
        """For an order whose Odoo documents were cancelled or deleted by hand: detach the
        cancelled ones and make the order Not Synced, so that the next sync makes what is
        missing. Documents still alive stay linked: the sync reads them and never makes
        them twice. Refused when nothing was cancelled or removed (a Reset would only
        invite a duplicate)."""
        if not self.env.user.has_group("synco_shopify.group_shopify_manager"):
            raise AccessError(_("Only a Shopify Manager can reset an order."))
        self.check_access("write")
        for order in self:
            order._reset_one()
        return True

    def _reset_one(self):
        self.ensure_one()
        if self.sync_state == "in_progress":
            raise UserError(_("Order %s is being synced right now: reset it once the job is done.", self.name))
        # The documents' link fields are the integration's (readonly), and a Manager need
        # not be an accountant: read and detach them as the integration.
        order = self.sudo()
        cancelled_sale_orders = self.env["sale.order"].sudo().search(
            [("shopify_order_id", "=", order.id), ("state", "=", "cancel")])
        if order.sale_order_id.state == "cancel":
            cancelled_sale_orders |= order.sale_order_id
        cancelled_moves = order.invoice_ids.filtered(lambda m: m.state == "cancel")
        cancelled_payments = order.payment_ids.filtered(lambda p: p.state == "canceled")
        missing = order._missing_documents()
        if not (cancelled_sale_orders or cancelled_moves or cancelled_payments or missing):
            raise UserError(_(
                "Order %s has nothing to reset: none of its Odoo documents was cancelled or deleted. "
                "A reset would only risk a second copy of what exists.", self.name))
        # The unique indexes on the links (one sale order, one invoice per Shopify order)
        # count cancelled documents too: detached, they no longer block the new ones.
        cancelled_sale_orders.write({"shopify_order_id": False})
        cancelled_moves.write({"shopify_order_id": False})
        cancelled_payments.write({"shopify_order_id": False})
        values = {"sync_state": "not_synced", "sync_error": False, "writeback_state": "none",
                  "writeback_error": False}
        if order.sale_order_id and order.sale_order_id in cancelled_sale_orders:
            values["sale_order_id"] = False
        order.write(values)
        move_types = dict(self.env["account.move"]._fields["move_type"]._description_selection(self.env))
        tr = self.env._  # comprehensions have a frame of their own, without self for _()
        lines = [tr("Sale order %s (cancelled)", so.display_name) for so in cancelled_sale_orders]
        lines += [tr("%(kind)s %(name)s (cancelled)", kind=move_types.get(move.move_type, move.move_type),
                     name=move.display_name) for move in cancelled_moves]
        lines += [tr("Payment %s (cancelled)", payment.display_name) for payment in cancelled_payments]
        lines += missing
        kept = [*order.sale_order_id, *order.invoice_ids, *order.payment_ids]
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            _("Reset: the next sync starts over and makes only what is missing. Detached or missing:"),
            Markup("").join(Markup("<li>%s</li>") % line for line in lines),
        )
        if kept:
            body += Markup("<p>%s</p>") % _("Kept (still valid): %s",
                                             ", ".join(record.display_name for record in kept))
        order.message_post(body=body)

    def _missing_documents(self):
        """What the store would have made for this order and is gone (deleted by hand).
        Deleted records leave no trace on the order, so this reads what should be there."""
        from ..services.order_writer import PAID_STATUSES

        self.ensure_one()
        store = self.store_id
        live_so = self.sale_order_id if self.sale_order_id.state != "cancel" else self.sale_order_id.browse()
        live_moves = self.invoice_ids.filtered(lambda m: m.state != "cancel")
        # payload_digest is written by successful syncs only: the order was booked once.
        synced_before = self.sync_state in ("synced", "changed") or bool(self.payload_digest)
        missing = []
        if not synced_before:
            return missing
        if store.sale_order_mode != "none" and not self.sale_order_id:
            missing.append(_("the sale order (deleted)"))
        if not (live_so or live_moves) and not missing:
            missing.append(_("every document (deleted)"))
        # The same test as the writer's (order_writer._wants_invoice): an unpaid order of a
        # store that invoices paid orders only has no invoice to miss.
        wants_invoice = store.invoice_mode != "none" and (
            store.invoice_policy == "all" or self.financial_status in PAID_STATUSES)
        if (live_so and wants_invoice and live_so.invoice_status == "to invoice"
                and not live_moves.filtered(lambda m: m.move_type == "out_invoice")):
            missing.append(_("the invoice (deleted)"))
        return missing
