import logging
import time
from datetime import timezone

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..shopify.api.errors import ShopifyError
from ..shopify.api.versions import DEFAULT_API_VERSION, SUPPORTED_API_VERSIONS

_logger = logging.getLogger(__name__)

ADMIN = "base.group_system"
REQUEST_TIMEOUT = 30.0
# Calls a user waits for on the page (Test connection, the import wizard's count):
# an unreachable or mistyped address answers within seconds, naming the host. One
# number for connecting and reading: Odoo's test harness compares it with 10.
INTERACTIVE_TIMEOUT = 10.0
INTERACTIVE_RETRY_SECONDS = 3
# How long one call may spend retrying passing trouble (throttling, 5xx) before it
# gives up; a job then retries later (system parameter synco_shopify.max_retry_seconds).
DEFAULT_RETRY_SECONDS = 60


class ShopifyStore(models.Model):
    """One connected Shopify store: its connection, its company, and every setting
    that decides what a synced order becomes in Odoo."""

    _name = "shopify.store"
    _description = "Shopify store"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    # The journal, partner and pricelists of a store are its company's (and its mappings'
    # journals, warehouses, taxes and products: _check_mapping_companies).
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, tracking=True,
        help="Orders of this store become documents of this company.",
    )

    # -- connection --------------------------------------------------------------------
    shop_domain = fields.Char(
        required=True, tracking=True, help="The shop's myshopify domain, e.g. my-shop.myshopify.com",
    )
    api_version = fields.Selection(
        [(v, v) for v in SUPPORTED_API_VERSIONS], default=DEFAULT_API_VERSION, required=True, tracking=True,
    )
    api_base_url = fields.Char(
        string="API base URL",
        help="Leave empty for https://<shop domain>. Plain http is accepted for loopback "
        "addresses only (the Shopify simulator).",
    )
    auth_method = fields.Selection(
        [("token", "Admin API access token"), ("client_credentials", "Client ID and secret")],
        default="token", required=True,
    )
    # Secrets: readable by administrators only (field groups), never logged.
    access_token = fields.Char(groups=ADMIN, copy=False)
    client_id = fields.Char(string="Client ID", groups=ADMIN, copy=False)
    client_secret = fields.Char(groups=ADMIN, copy=False)
    oauth_token = fields.Char(groups=ADMIN, copy=False, readonly=True)
    oauth_token_expires_at = fields.Datetime(groups=ADMIN, copy=False, readonly=True)

    # -- what "Test connection" reads from Shopify --------------------------------------
    shop_name = fields.Char(readonly=True)
    shop_currency_id = fields.Many2one("res.currency", readonly=True)
    shop_taxes_included = fields.Boolean(string="Prices include tax", readonly=True)
    shop_timezone = fields.Char(readonly=True, help="IANA time zone of the shop")
    shop_plan = fields.Char(string="Shopify plan", readonly=True,
                            help="The shop's plan as Shopify names it (its rate limit depends on it).")
    connection_state = fields.Selection(
        [("unknown", "Not tested"), ("ok", "Connected"), ("error", "Error")],
        default="unknown", readonly=True, copy=False,
    )
    connection_message = fields.Char(readonly=True, copy=False)
    # The connection (domain, API address) is where the credentials go: administrators
    # change it (write() refuses the others); the form shows it read-only to them.
    can_edit_connection = fields.Boolean(compute="_compute_can_edit_connection")

    # -- creation mode ------------------------------------------------------------------
    sale_order_mode = fields.Selection(
        [("none", "No sale order"), ("draft", "Quotation"), ("confirmed", "Confirmed sale order")],
        default="confirmed", required=True, tracking=True,
    )
    invoice_mode = fields.Selection(
        [("none", "No invoice"), ("draft", "Draft invoice"), ("posted", "Posted invoice")],
        default="posted", required=True, tracking=True,
    )
    invoice_policy = fields.Selection(
        [("all", "All orders"), ("paid", "Paid orders only")],
        default="paid", required=True, tracking=True,
        help="Paid orders only: an invoice is created when Shopify says the order is paid "
        "(or partially paid, partially refunded).",
    )
    register_payments = fields.Boolean(
        default=True, tracking=True,
        help="Register Shopify's successful transactions as payments on posted invoices.",
    )
    order_name_policy = fields.Selection(
        [("prefix", "Prefix + Shopify number"), ("sequence", "Odoo sequence")],
        default="prefix", required=True,
        help="Odoo sequence keeps the Shopify name as the customer reference.",
    )
    order_prefix = fields.Char(default="SH")
    currency_policy = fields.Selection(
        [("shop", "Shop currency"), ("presentment", "Customer's currency (pricelist)")],
        default="shop", required=True,
    )
    include_tags = fields.Boolean(default=True, string="Copy tags")
    include_note_attributes = fields.Boolean(default=True, string="Copy note attributes")
    default_payment_journal_id = fields.Many2one(
        "account.journal", string="Default payment journal", check_company=True,
        domain="[('type', 'in', ('bank', 'cash', 'credit'))]",
        help="With unmapped gateways booked on an outstanding account: the journal of their "
        "payments (the money waits on the store's outstanding account, not on this journal's). "
        "Also the journal suggested for new gateway mappings.",
    )
    auto_create_taxes = fields.Boolean(
        default=True, help="Create a mapping and an Odoo tax (a copy of the company's sale tax, "
        "with Shopify's rate) the first time an order brings a tax that has no mapping.",
    )
    guest_partner_id = fields.Many2one(
        "res.partner", check_company=True,
        help="Used only for orders that carry neither a customer nor an email.",
    )
    pricelist_ids = fields.Many2many("product.pricelist", string="Pricelists per currency", check_company=True)
    custom_item_product_id = fields.Many2one(
        "product.product", string="Product for custom items", check_company=True,
        help="Custom items (a draft order's or a POS sale's custom line: no variant, SKU or barcode) "
        "are booked on this product. Empty: one product per title, made the first time and found "
        "again on later orders.",
    )

    # -- deliveries ----------------------------------------------------------------------
    shipping_by_since = fields.Datetime(
        readonly=True, copy=False,
        help="When the store switched to Shopify ships: orders booked before keep their earlier "
        "shipments for the warehouse (it may have validated them by hand).",
    )
    # Odoo's warehouse by default: that is what a store did before this setting existed, so an
    # upgrade leaves every delivery where it was; validating deliveries moves stock (and books
    # its valuation), which a merchant chooses, never an update.
    shipping_by = fields.Selection(
        [("warehouse", "Odoo's warehouse ships"),
         ("shopify", "Shopify ships (validate Odoo deliveries on Shopify fulfilment)")],
        string="Who ships", default="warehouse", required=True, tracking=True,
        help="Odoo's warehouse ships: the deliveries of confirmed sale orders wait for the warehouse "
        "to validate them. Shopify ships: each shipment Shopify records validates the delivery of "
        "the quantities it shipped, dated on the shipment, from the warehouse its Shopify location "
        "is mapped to; what is not shipped yet stays in a backorder.",
    )

    # -- order rules ---------------------------------------------------------------------
    rule_financial_status_ids = fields.Many2many(
        "shopify.financial.status", string="Payment statuses",
        help="Only orders with one of these payment statuses are eligible. Empty: any.",
    )
    rule_fulfillment_status_ids = fields.Many2many(
        "shopify.fulfillment.status", string="Fulfillment statuses",
        help="Only orders with one of these fulfillment statuses are eligible. Empty: any.",
    )
    rule_source_ids = fields.Many2many(
        "shopify.order.source", string="Order sources",
        help="Only orders from these sources are eligible. Empty: any.",
    )
    rule_date_from = fields.Date(string="Orders from")
    rule_date_to = fields.Date(string="Orders until")
    rule_exclude_test = fields.Boolean(string="Exclude test orders", default=True)
    rule_exclude_cancelled = fields.Boolean(string="Exclude cancelled orders", default=True)

    # -- catch-up ------------------------------------------------------------------------
    auto_sync = fields.Boolean(
        string="Sync eligible orders automatically",
        help="The scheduled catch-up also syncs the eligible orders that are not synced yet.",
    )
    auto_apply_changes = fields.Boolean(
        string="Apply Shopify changes automatically", tracking=True,
        help="The scheduled catch-up also updates the synced orders that changed in Shopify "
        "(refunds, edits, payments), through the same jobs as the Update button.",
    )
    headers_synced_until = fields.Datetime(
        readonly=True, copy=False,
        help="Shopify updated_at up to which order headers have been imported.",
    )
    catchup_overlap_minutes = fields.Integer(
        default=10, help="Each catch-up re-reads this many minutes before the last one: "
        "Shopify's search index can lag behind writes.",
    )

    # -- mappings ------------------------------------------------------------------------
    gateway_mapping_ids = fields.One2many("shopify.gateway.mapping", "store_id")
    location_mapping_ids = fields.One2many("shopify.location.mapping", "store_id")
    tax_mapping_ids = fields.One2many("shopify.tax.mapping", "store_id")
    shipping_mapping_ids = fields.One2many("shopify.shipping.mapping", "store_id")

    order_ids = fields.One2many("shopify.order", "store_id")
    order_count = fields.Integer(compute="_compute_order_count")

    _domain_unique = models.UniqueIndex(
        "(shop_domain, company_id)", "This Shopify store is already connected for this company.",
    )

    @api.depends_context("uid")
    def _compute_can_edit_connection(self):
        self.can_edit_connection = self.env.is_system()

    def _compute_order_count(self):
        counts = dict(self.env["shopify.order"]._read_group(
            [("store_id", "in", self.ids)], ["store_id"], ["__count"],
        ))
        for store in self:
            store.order_count = counts.get(store, 0)

    @api.model_create_multi
    def create(self, vals_list):
        # The credentials an administrator enters later go wherever the API URL points:
        # only those who may read the credentials may set it, on a new store too. A
        # shop domain is a *.myshopify.com host name (checked), so it may be set by the
        # Managers who create stores.
        if any(vals.get("api_base_url") for vals in vals_list) and not self.env.is_system():
            raise AccessError(_("Only administrators can set a store's API address."))
        vals_list = [self._normalized(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("company_id"):
                self._check_users_company(vals["company_id"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("shipping_by") == "shopify":
            switching = self.filtered(lambda store: store.shipping_by != "shopify")
            if switching:
                super(ShopifyStore, switching).write({"shipping_by_since": fields.Datetime.now()})
        # The credentials go wherever these point: only those who may read the
        # credentials may redirect them.
        if {"shop_domain", "api_base_url"} & vals.keys() and not self.env.is_system():
            raise AccessError(_("Only administrators can change a store's domain or API address."))
        vals = self._normalized(vals)
        if vals.get("company_id"):
            self._check_users_company(vals["company_id"])
            self._check_company_move(vals["company_id"])
        return super().write(vals)

    def copy_data(self, default=None):
        # A copy for another company takes none of this company's journal, pricelists or
        # guest customer: they would cross companies (_check_company_auto refuses that).
        vals_list = super().copy_data(default=default)
        company_id = (default or {}).get("company_id")
        for store, vals in zip(self, vals_list):
            if company_id and company_id != store.company_id.id:
                company = self.env["res.company"].browse(company_id)
                if store.default_payment_journal_id.company_id not in (company, self.env["res.company"]):
                    vals["default_payment_journal_id"] = False
                if store.guest_partner_id.company_id not in (company, self.env["res.company"]):
                    vals["guest_partner_id"] = False
                if store.custom_item_product_id.company_id not in (company, self.env["res.company"]):
                    vals["custom_item_product_id"] = False
                vals["pricelist_ids"] = [Command.set(store.pricelist_ids.filtered(
                    lambda p: not p.company_id or p.company_id == company).ids)]
        return vals_list

    @api.model
    def _normalized(self, vals):
        if isinstance(vals.get("shop_domain"), str):
            vals = {**vals, "shop_domain": vals["shop_domain"].strip().lower()}
        if isinstance(vals.get("api_base_url"), str):
            vals = {**vals, "api_base_url": vals["api_base_url"].strip() or False}
        return vals

    @api.model
    def _check_users_company(self, company_id):
        """A store is put in one of the companies its user works in (the record rule
        checks this on create; a write moves the store after the rule was checked)."""
        if self.env.su:
            return
        company = self.env["res.company"].browse(company_id)
        if company not in self.env.user.company_ids:
            raise AccessError(_(
                "You can only put a store in one of your companies; %s is not one of them.",
                company.sudo().display_name,
            ))

    def _check_company_move(self, company_id):
        """A store whose orders were imported stays in its company: its orders, and the
        sale orders, invoices and payments made from them, belong to that company."""
        moving = self.filtered(lambda store: store.company_id.id != company_id)
        if not moving:
            return
        with_orders = self.env["shopify.order"].sudo()._read_group(
            [("store_id", "in", moving.ids)], ["store_id"], ["__count"])
        if with_orders:
            store, count = with_orders[0]
            raise UserError(_(
                "Store %(store)s has %(count)s orders in company %(company)s, with the documents "
                "made from them: it cannot move to another company. Create a store for the other "
                "company instead (and archive this one).",
                store=store.sudo().display_name, count=count, company=store.sudo().company_id.display_name,
            ))

    @api.constrains("sale_order_mode", "invoice_mode")
    def _check_creation_mode(self):
        for store in self:
            if store.sale_order_mode == "none" and store.invoice_mode == "none":
                raise ValidationError(_("A store must create a sale order, an invoice, or both."))
            if store.sale_order_mode == "draft" and store.invoice_mode != "none":
                raise ValidationError(_(
                    "A quotation cannot be invoiced: confirm the sale orders, or create invoices "
                    "without a sale order."
                ))

    @api.constrains("api_base_url")
    def _check_api_base_url(self):
        from ..shopify.api.client import checked_url
        from ..shopify.api.errors import ConfigurationError

        for store in self.filtered("api_base_url"):
            try:
                checked_url(store.api_base_url)  # the client's own rule, enforced at save time
            except ConfigurationError as exc:
                raise ValidationError(_(
                    "The API base URL must use https (plain http is allowed for loopback addresses "
                    "only), with no user name, query or fragment. %s", exc,
                )) from None

    @api.constrains("shop_domain")
    def _check_shop_domain(self):
        from ..shopify.api.client import checked_shop_domain
        from ..shopify.api.errors import ConfigurationError

        for store in self:
            try:
                checked_shop_domain(store.shop_domain or "")  # the client's own rule
            except ConfigurationError as exc:
                raise ValidationError(str(exc)) from None

    @api.constrains("rule_date_from", "rule_date_to")
    def _check_rule_dates(self):
        for store in self:
            if store.rule_date_from and store.rule_date_to and store.rule_date_from > store.rule_date_to:
                raise ValidationError(_(
                    "Store %(store)s: the \"Orders from\" date (%(start)s) is after the \"Orders until\" "
                    "date (%(end)s), so no order could ever be eligible. Swap them, or clear one.",
                    store=store.name, start=store.rule_date_from, end=store.rule_date_to,
                ))

    @api.constrains("company_id", "gateway_mapping_ids", "location_mapping_ids", "tax_mapping_ids",
                    "shipping_mapping_ids")
    def _check_mapping_companies(self):
        """The journals, payment methods, warehouses, taxes and products the mappings point
        to are the store's company's (checked on the store: its company and its inline
        mappings are written through it)."""
        for store in self:
            for mappings in (store.gateway_mapping_ids, store.location_mapping_ids,
                             store.tax_mapping_ids, store.shipping_mapping_ids):
                mappings._check_company()

    @api.onchange("shop_domain")
    def _onchange_shop_domain(self):
        if self.shop_domain:
            # A pasted address becomes the host name the store keeps.
            domain = self.shop_domain.strip().lower()
            domain = domain.removeprefix("https://").removeprefix("http://").split("/")[0]
            self.shop_domain = domain

    # -- client ----------------------------------------------------------------------------
    def _shopify_client(self, interactive=False):
        """A client for this store. Credentials are read with sudo: a Shopify User
        syncs orders without being able to read the secrets; so the caller's access to
        the store (its company included) is checked first, before anything is sent.

        ``interactive``: someone waits on the page; a short timeout and retry budget,
        so an unreachable address is said within seconds."""
        self.ensure_one()
        from ..shopify.api.client import ClientCredentials, ShopifyClient, StaticToken

        self.check_access("read")  # the record rules too: another company's store is refused
        store = self.sudo()
        if store.auth_method == "token":
            if not store.access_token:
                raise UserError(_("Store %s has no Admin API access token.", store.name))
            credentials = StaticToken(store.access_token)
        else:
            if not (store.client_id and store.client_secret):
                raise UserError(_("Store %s needs a client ID and a client secret.", store.name))
            credentials = ClientCredentials(
                store.client_id, store.client_secret,
                token=store.oauth_token or None,
                expires_at=store.oauth_token_expires_at and fields.Datetime.to_datetime(
                    store.oauth_token_expires_at).timestamp(),
                on_token=store._remember_oauth_token,
            )
        # One number, not a (connect, read) pair: Odoo's test harness wraps requests
        # and compares the timeout with a number.
        retry_budget = float(self.env["ir.config_parameter"].sudo().get_param(
            "synco_shopify.max_retry_seconds", DEFAULT_RETRY_SECONDS))
        # Every worker and server of the database books its requests in one ledger per
        # store: Shopify's rate limit is one bucket per app and shop.
        from ..services.store_budget import StoreBudgetLedger
        from ..shopify.api.throttle import SharedCostBucket

        bucket = SharedCostBucket(time.monotonic, StoreBudgetLedger(self.env.registry, store.id),
                                  scope=store.shop_domain)
        return ShopifyClient(
            store.shop_domain, store.api_version, credentials,
            base_url=store.api_base_url or None, logger=_logger, bucket=bucket,
            timeout=INTERACTIVE_TIMEOUT if interactive else REQUEST_TIMEOUT,
            max_retry_seconds=min(retry_budget, INTERACTIVE_RETRY_SECONDS) if interactive else retry_budget,
        )

    # -- what the pure Shopify layer needs from the settings ---------------------------------
    def _currency_side(self):
        return "presentment" if self.currency_policy == "presentment" else "shop"

    def _order_rules(self):
        from ..shopify.rules import OrderRules

        self.ensure_one()
        try:
            return OrderRules(
                financial_statuses=frozenset(self.rule_financial_status_ids.mapped("code")),
                fulfillment_statuses=frozenset(self.rule_fulfillment_status_ids.mapped("code")),
                sources=frozenset(self.rule_source_ids.mapped("code")),
                date_from=self.rule_date_from or None,
                date_to=self.rule_date_to or None,
                timezone=self.shop_timezone or "UTC",
                exclude_test=self.rule_exclude_test,
                exclude_cancelled=self.rule_exclude_cancelled,
            )
        except ValueError as exc:  # settings saved before the constraints that refuse them
            raise UserError(_("Store %(store)s: its order rules are inconsistent: %(error)s",
                              store=self.name, error=exc)) from None

    def _rules_refuse(self, shopify_order):
        """The reasons the store's rules refuse a freshly fetched order (empty: eligible)."""
        from ..shopify.rules import evaluate

        return evaluate(self._order_rules(), shopify_order.header).reasons

    def _plan_settings(self):
        from ..shopify.planning.plan_types import PlanSettings

        self.ensure_one()
        return PlanSettings(
            side=self._currency_side(),
            include_tags=self.include_tags,
            include_note_attributes=self.include_note_attributes,
            name_prefix=(self.order_prefix or "") if self.order_name_policy == "prefix" else None,
            timezone=self.shop_timezone or "UTC",
            shopify_ships=self.shipping_by == "shopify" and self.sale_order_mode == "confirmed",
            ships_since=self.shipping_by_since and self.shipping_by_since.replace(tzinfo=timezone.utc),
        )

    # -- actions ----------------------------------------------------------------------------
    def action_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("synco_shopify.action_shopify_orders")
        action["domain"] = [("store_id", "=", self.id)]
        return action

    def action_catch_up(self):
        """Import the headers updated since the last catch-up, now. A Shopify error (a
        revoked token, a wrong address) imports nothing, shows on the store and is said
        in a notification, with what to do."""
        self.check_access("write")  # a Manager's, in one of their companies
        failed = []
        for store in self:
            try:
                with self.env.cr.savepoint():  # nothing half-imported
                    self.env["shopify.order.import"]._catch_up(store)
            except ShopifyError as exc:
                store._record_connection_error(exc)
                failed.append((store, exc))
        if failed:
            return self._shopify_error_notification(_("Catch-up failed"), failed)
        return True

    def _record_connection_error(self, error):
        """What Shopify (or the address) answered, on the store's form, where the
        administrator who can fix it looks."""
        self.sudo().write({"connection_state": "error", "connection_message": str(error)})
        self._notify_store_errors()

    def _clear_connection_error(self):
        """A call Shopify answered: the error recorded on the store (and its banner above
        the orders list) is over. Written only when there is one, so that a catch-up
        does not rewrite every store at every run."""
        failing = self.sudo().filtered(lambda s: s.connection_state == "error")
        if failing:
            failing.write({"connection_state": "ok", "connection_message": _(
                "Shopify answered again on %s.", fields.Datetime.to_string(fields.Datetime.now()))})
            failing._notify_store_errors()

    @api.model
    def connection_errors(self):
        """For the banner above the Shopify Orders list: the stores (of the user's
        companies) whose last call to Shopify failed, with what Shopify answered."""
        stores = self.search([("connection_state", "=", "error")])
        return [{"id": s.id, "name": s.name, "message": s.sudo().connection_message} for s in stores]

    def _notify_store_errors(self):
        """Open orders lists show or drop the banner without a reload (Odoo's bus)."""
        self.env.ref("synco_shopify.group_shopify_user").sudo()._bus_send(
            "synco_shopify/orders_changed", {"store_ids": self.ids})

    def _shopify_error_notification(self, title, failed, next_action=None):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": "\n".join(f"{store.name}: {error}" for store, error in failed),
                "type": "danger",
                "sticky": True,
                "next": next_action or {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_import_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "shopify.order.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_store_id": self.id},
        }

    def action_create_missing_taxes(self):
        self.tax_mapping_ids.action_create_missing_taxes()
        return True

    def _remember_oauth_token(self, token, expires_at):
        from datetime import datetime, timezone

        self.sudo().write({
            "oauth_token": token,
            "oauth_token_expires_at": datetime.fromtimestamp(expires_at, timezone.utc).replace(tzinfo=None),
        })

    def action_test_connection(self):
        """Reads `shop` and keeps what the sync needs: currency, tax mode, time zone; and
        says what it found (shop, currency, time zone, plan), so that a success is seen
        and the merchant can check it is the shop they meant. A configuration action: the
        caller must be able to change the store (a Manager, in one of their companies),
        checked before anything is sent to Shopify."""
        self.check_access("write")
        connected, failed = [], []
        for store in self:
            try:
                client = store._shopify_client(interactive=True)
                shop = client.execute("Shop")["shop"]
            except ShopifyError as exc:
                store.write({"connection_state": "error", "connection_message": str(exc)})
                failed.append((store, exc))
                continue
            currency = self.env["res.currency"].with_context(active_test=False).search(
                [("name", "=", shop["currencyCode"])], limit=1)
            # The metafield the sync writes gets a definition, so merchants see "Odoo ID"
            # on the order in Shopify's admin (created once; a second time is a no-op).
            from ..shopify.api import orders_api

            try:
                orders_api.ensure_odoo_id_definition(client)
            except ShopifyError as exc:
                _logger.warning("Store %s: the custom.odoo_id metafield definition was not created: %s",
                                store.name, exc)
            plan = store._plan_name(shop.get("plan"))
            store.write({
                "shop_name": shop["name"],
                "shop_currency_id": currency.id,
                "shop_taxes_included": shop["taxesIncluded"],
                "shop_timezone": shop["ianaTimezone"],
                "shop_plan": plan,
                "connection_state": "ok",
                "connection_message": _(
                    "Connected to %(shop)s (%(domain)s): currency %(currency)s, time zone %(timezone)s, "
                    "plan %(plan)s.", shop=shop["name"], domain=shop["myshopifyDomain"],
                    currency=shop["currencyCode"], timezone=shop["ianaTimezone"], plan=plan or _("unknown")),
            })
            connected.append(store)
        if failed:
            return self._shopify_error_notification(_("Connection failed"), failed)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Connected to Shopify"),
                "message": "\n".join(store.connection_message for store in connected),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _plan_name(self, plan):
        """Shopify's public name of the plan, and whether it is Plus or a development store
        (both change the rate limit the store gets) where the name does not say so."""
        if not plan:
            return False
        name = plan.get("publicDisplayName") or ""
        if plan.get("shopifyPlus") and "plus" not in name.lower():
            name = _("%s (Shopify Plus)", name) if name else _("Shopify Plus")
        elif plan.get("partnerDevelopment") and "develop" not in name.lower():
            name = _("%s (development store)", name) if name else _("Development store")
        return name or False
