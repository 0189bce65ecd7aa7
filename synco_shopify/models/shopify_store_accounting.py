"""Where a store books what an order carries besides goods, and whom an order naming nobody
is booked on.

A gift card sold is not revenue: it is owed to its holder until redeemed, so its line goes
to a liability account, and a payment through the gift card gateway (a redemption) clears
that same account. Tips, duties and additional fees are not the goods' revenue either: each
has its own product and, when set, its own account. A POS cash payment rounded to the coin
uses Odoo's cash rounding method. None of this changes a company setting: the store names
the accounts, proposed from the chart of accounts, and an order that needs one that is not
set fails with a message saying which.
"""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Account types a charge's line may be booked on: anything but what Odoo keeps for
# receivables and payables (the invoice's own counterpart) and off-balance accounts.
# The store's products for charges, which may belong to one company.
_COMPANY_PRODUCTS = ("gift_card_product_id", "tip_product_id", "duty_product_id", "fee_product_id")
_LINE_ACCOUNT_DOMAIN = "[('account_type', 'not in', ('asset_receivable', 'liability_payable', 'off_balance'))]"


class ShopifyStore(models.Model):
    _inherit = "shopify.store"

    gift_card_account_id = fields.Many2one(
        "account.account", string="Gift card liability", check_company=True, tracking=True,
        domain="[('account_type', 'in', ('liability_current', 'liability_non_current'))]",
        help="Gift cards sold are booked here (owed to their holders, not revenue); payments "
        "through the gift_card gateway (redemptions) clear it. Proposed from the chart of accounts.",
    )
    gift_card_product_id = fields.Many2one(
        "product.product", string="Gift card product", check_company=True,
        help="The product of gift card lines. Empty: Synco's 'Shopify gift card'.")
    tip_product_id = fields.Many2one(
        "product.product", string="Tip product", check_company=True,
        help="The product of tips. Empty: Synco's 'Shopify tip'.")
    tip_account_id = fields.Many2one(
        "account.account", string="Tip account", check_company=True, tracking=True, domain=_LINE_ACCOUNT_DOMAIN,
        help="Tips are not the goods' revenue. Empty: the tip product's income account.")
    duty_product_id = fields.Many2one(
        "product.product", string="Duty product", check_company=True,
        help="The product of duties. Empty: Synco's 'Shopify duties'.")
    duty_account_id = fields.Many2one(
        "account.account", string="Duty account", check_company=True, tracking=True, domain=_LINE_ACCOUNT_DOMAIN,
        help="Empty: the duty product's income account.")
    fee_product_id = fields.Many2one(
        "product.product", string="Additional fee product", check_company=True,
        help="The product of additional fees. Empty: Synco's 'Shopify additional fee'.")
    fee_account_id = fields.Many2one(
        "account.account", string="Additional fee account", check_company=True, tracking=True,
        domain=_LINE_ACCOUNT_DOMAIN, help="Empty: the fee product's income account.")
    cash_rounding_id = fields.Many2one(
        "account.cash.rounding", string="Cash rounding", tracking=True,
        domain="[('strategy', '=', 'add_invoice_line')]",
        help="POS cash payments rounded to the coin: the invoice takes this cash rounding method, "
        "whose rounding must be the till's (e.g. 0.05). Empty: the rounding is a 'Shopify cash "
        "rounding' line on the product's income account.",
    )

    @api.constrains("gift_card_account_id", "tip_account_id", "duty_account_id", "fee_account_id")
    def _check_charge_accounts(self):
        # The form's domains say it; this holds for imports and code too.
        for store in self:
            if store.gift_card_account_id and store.gift_card_account_id.account_type not in (
                    "liability_current", "liability_non_current"):
                raise ValidationError(_("Store %(store)s: the gift card account %(account)s is not a liability.",
                                        store=store.name, account=store.gift_card_account_id.display_name))
            for account in store.tip_account_id | store.duty_account_id | store.fee_account_id:
                if account.account_type in ("asset_receivable", "liability_payable", "off_balance"):
                    raise ValidationError(_(
                        "Store %(store)s: %(account)s is a receivable, payable or off-balance account; "
                        "a charge's line cannot be booked on it.", store=store.name, account=account.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        # Proposals, made once, that the merchant sees and may change on the store's form.
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id") or self.env.company.id)
            if "gift_card_account_id" not in vals:
                vals["gift_card_account_id"] = self._proposed_gift_card_account(company).id
            if "tip_account_id" not in vals:
                vals["tip_account_id"] = self._proposed_tip_account(company).id
            if "cash_rounding_id" not in vals:
                vals["cash_rounding_id"] = self._proposed_cash_rounding(company).id
            if not vals.get("guest_partner_id") and vals.get("name"):
                vals["guest_partner_id"] = self._walk_in_customer(vals["name"], company).id
        return super().create(vals_list)

    def write(self, vals):
        # A store (without orders yet: shopify_store.py refuses the others) that moves to
        # another company cannot keep this company's accounts, products or walk-in
        # customer: the new company's are proposed, as at creation. What the same write
        # sets itself is kept.
        company_id = vals.get("company_id")
        moving = self.filtered(lambda store: company_id and store.company_id.id != company_id)
        if not moving:
            return super().write(vals)
        company = self.env["res.company"].browse(company_id)
        for store in moving:
            own = dict(vals)
            for field in _COMPANY_PRODUCTS:
                if field not in own and store[field].company_id not in (company, self.env["res.company"]):
                    own[field] = False
            for field in ("duty_account_id", "fee_account_id"):
                own.setdefault(field, False)
            own.setdefault("gift_card_account_id", self._proposed_gift_card_account(company).id)
            own.setdefault("tip_account_id", self._proposed_tip_account(company).id)
            own.setdefault("cash_rounding_id", self._proposed_cash_rounding(company).id)
            if "guest_partner_id" not in own and store.guest_partner_id.company_id not in (
                    company, self.env["res.company"]):
                own["guest_partner_id"] = self._walk_in_customer(own.get("name") or store.name, company).id
            super(ShopifyStore, store).write(own)
        return super(ShopifyStore, self - moving).write(vals) if self - moving else True

    def copy_data(self, default=None):
        # A copy for another company cannot keep this company's accounts, products or walk-in
        # customer (the parent clears the latter): create proposes its own again.
        vals_list = super().copy_data(default=default)
        company_id = (default or {}).get("company_id")
        for store, vals in zip(self, vals_list):
            if company_id and company_id != store.company_id.id:
                for field in ("gift_card_account_id", "tip_account_id", "duty_account_id", "fee_account_id",
                              "gift_card_product_id", "tip_product_id", "duty_product_id", "fee_product_id"):
                    vals.pop(field, None)
        return vals_list

    @api.model
    def _walk_in_customer(self, store_name, company):
        """The customer of orders that name nobody (POS sales, draft orders, other apps'):
        one per store, of the store's company; the merchant may choose another."""
        # sudo: a store manager may not create contacts, and this one is the store's own.
        return self.env["res.partner"].sudo().create({
            "name": _("%s — walk-in customer", store_name),
            "company_id": company.id,
            "type": "contact",
        })

    @api.model
    def _company_accounts(self, company, domain):
        Account = self.env["account.account"]
        return Account.search([*Account._check_company_domain(company), ("active", "=", True), *domain])

    @api.model
    def _proposed_gift_card_account(self, company):
        """A liability named after gift cards, else one for deferred (unearned) revenue, which
        a sold gift card is; none when the chart has neither (orders with a gift card then
        ask for it)."""
        liabilities = [("account_type", "in", ("liability_current", "liability_non_current"))]
        for words in (("gift card",), ("gift",), ("voucher",), ("deferred revenue", "unearned")):
            for word in words:
                found = self._company_accounts(company, [*liabilities, ("name", "ilike", word)])[:1]
                if found:
                    return found
        return self.env["account.account"]

    @api.model
    def _proposed_tip_account(self, company):
        """Tips are other income than the goods' (Odoo's 'Other Income' type)."""
        return self._company_accounts(company, [("account_type", "=", "income_other")])[:1]

    @api.model
    def _proposed_cash_rounding(self, company):
        """A cash rounding method of the database that adds a rounding line and has its
        accounts in the company; none otherwise (Synco never creates one)."""
        # sudo: a store manager without accounting rights may create a store; the method is
        # only proposed (the form shows it to accountants).
        roundings = self.env["account.cash.rounding"].sudo().with_company(company).search(
            [("strategy", "=", "add_invoice_line")])
        return roundings.filtered(lambda r: r.profit_account_id and r.loss_account_id)[:1]

    # -- what the writer asks ------------------------------------------------------------
    def _charge_product(self, kind):
        """The store's product for a line kind (gift card, tip, duty, fee), or an empty recordset."""
        field = {"gift_card": "gift_card_product_id", "tip": "tip_product_id", "duty": "duty_product_id",
                 "fee": "fee_product_id"}.get(kind)
        return self[field] if field else self.env["product.product"]

    def _charge_account(self, kind):
        """The store's account for a line kind, or an empty recordset (the product's own)."""
        field = {"gift_card": "gift_card_account_id", "tip": "tip_account_id", "duty": "duty_account_id",
                 "fee": "fee_account_id"}.get(kind)
        return self[field] if field else self.env["account.account"]
