"""Resolves the Shopify keys of a plan to Odoo records, creating what may be created
(customers, products, taxes) and refusing with a clear message what may not.

One resolver serves a whole batch: what it found once (taxes, journals, products,
partners) it keeps, so a batch of orders asks the database once per distinct key.
"""
from odoo import Command, _
from odoo.tools import float_compare
from odoo.exceptions import UserError


# The variant link of a custom item: not a Shopify ID (custom items have none), the title.
CUSTOM_ITEM_KEY = "synco:custom-item/"


class OrderResolver:
    def __init__(self, env, store):
        self.env = env
        self.store = store
        self.company = store.company_id
        self._cache = {}

    def forget(self):
        self._cache.clear()

    def _cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # -- currency, pricelist, terms ------------------------------------------------------
    def currency(self, code):
        def find():
            currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", code)], limit=1)
            if not currency:
                raise UserError(_("Currency %s is not known to Odoo.", code))
            if not currency.active:
                raise UserError(_(
                    "Currency %s is not active in Odoo: activate it (Accounting > Currencies) "
                    "so that orders in it can be booked.", code))
            return currency
        return self._cached(("currency", code), find)

    def pricelist(self, currency):
        """A pricelist in the order's currency, always: a sale order's currency follows
        its pricelist, and left empty Odoo would take the partner's own (or its country
        group's), possibly in another currency. Shopify's prices are kept as they are
        (synced lines are never repriced), so any pricelist in that currency will do."""

        def find():
            pricelist = self.store.pricelist_ids.filtered(lambda p: p.currency_id == currency)[:1]
            if not pricelist:
                pricelist = self.env["product.pricelist"].search([
                    ("currency_id", "=", currency.id),
                    ("company_id", "in", (False, self.company.id)),
                ], limit=1)
            if not pricelist:
                pricelist = self.env["product.pricelist"].create({
                    "name": _("Shopify %s", currency.name),
                    "currency_id": currency.id,
                    "company_id": self.company.id,
                })
            return pricelist
        return self._cached(("pricelist", currency.id), find)

    def immediate_payment_term(self):
        """Shopify orders are prepaid: a partner's terms (early-payment discounts
        included) must not change the invoice's figures."""
        return self._cached(("term",), lambda: self.env.ref(
            "account.account_payment_term_immediate", raise_if_not_found=False) or self.env["account.payment.term"])

    # -- partners ------------------------------------------------------------------------
    def partner(self, plan):
        """(commercial partner, invoice address, delivery address).

        Matched by Shopify customer id (per store), then by email; else created.
        Invoice and delivery children are added only where an address differs from
        the partner's own, and reused when the same address comes again."""
        customer = plan.customer
        if customer.company:
            partner = self._company_partner(plan)
            return (partner, self._address(partner, plan.billing_address, "invoice"),
                    self._address(partner, plan.shipping_address, "delivery"))
        Partner = self.env["res.partner"]
        Link = self.env["shopify.customer.link"]
        partner = Partner
        link = Link
        if customer.kind == "customer":
            link = Link.search([("store_id", "=", self.store.id), ("customer_gid", "=", customer.key)], limit=1)
            partner = link.partner_id
        if not partner and customer.email:
            partner = Partner.search([
                ("email_normalized", "=", customer.email.strip().lower()),
                ("parent_id", "=", False),
                ("company_id", "in", (False, self.company.id)),
            ], limit=1)
        if not partner and customer.kind == "anonymous":
            partner = self.store.guest_partner_id
            if not partner:
                raise UserError(_(
                    "The order names neither a customer nor an email: set a guest customer on the "
                    "store to book such orders."))
        if not partner:
            partner = Partner.create(self._partner_values(plan))
        if customer.kind == "customer" and not link:
            Link.create({"store_id": self.store.id, "customer_gid": customer.key, "partner_id": partner.id})
        invoice = self._address(partner, plan.billing_address, "invoice")
        delivery = self._address(partner, plan.shipping_address, "delivery")
        return partner, invoice, delivery

    def _company_partner(self, plan):
        """A B2B order: the customer is the company (Shopify's company id, linked like a
        customer's), and its buyer a contact of it. Every buyer of one company shares the
        company partner; each buyer is found again by their own link (or email)."""
        customer = plan.customer
        Link = self.env["shopify.customer.link"]
        company_link = Link.search([("store_id", "=", self.store.id), ("customer_gid", "=", customer.company.key)],
                                   limit=1)
        buyer_link = Link
        if customer.kind == "customer":
            buyer_link = Link.search([("store_id", "=", self.store.id), ("customer_gid", "=", customer.key)],
                                     limit=1)
        company = company_link.partner_id
        legacy = buyer_link.partner_id
        if not company and legacy.is_company and legacy.name == customer.company.name and not Link.search_count(
                [("store_id", "=", self.store.id), ("partner_id", "=", legacy.id),
                 ("customer_gid", "=like", "gid://shopify/Company/%")]):
            # Booked before companies had links: the buyer's link led to this company (a
            # buyer may buy for several companies: only the one of the same name, unlinked).
            company = legacy
        if not company:
            values = self._partner_values(plan)
            values.pop("child_ids", None)
            company = self.env["res.partner"].create(values)
        if not company_link:
            Link.create({"store_id": self.store.id, "customer_gid": customer.company.key, "partner_id": company.id})
        buyer = buyer_link.partner_id if buyer_link.partner_id.commercial_partner_id == company else None
        if not buyer:
            buyer = company.child_ids.filtered(
                lambda c: c.type == "contact" and ((customer.email and c.email_normalized == customer.email.strip().lower())
                                                   or (not customer.email and c.name == customer.name)))[:1]
        if not buyer:
            buyer = self.env["res.partner"].create({
                "parent_id": company.id, "type": "contact", "name": customer.name,
                "email": customer.email or False, "phone": customer.phone or False,
            })
        if customer.kind == "customer" and not buyer_link:
            Link.create({"store_id": self.store.id, "customer_gid": customer.key, "partner_id": buyer.id})
        return company

    def _partner_values(self, plan):
        customer = plan.customer
        values = {
            "name": customer.name or customer.email or _("Shopify customer"),
            "email": customer.email or False,
            "phone": customer.phone or False,
            "customer_rank": 1,
        }
        if customer.company:
            # A B2B order: the company is the customer; the buyer is its contact.
            values.update(is_company=True, name=customer.company.name,
                          child_ids=[Command.create({"name": customer.name, "email": customer.email or False,
                                                     "phone": customer.phone or False, "type": "contact"})])
        address = plan.billing_address or plan.shipping_address
        if address:
            values.update(self._address_values(address))
        return values

    def _address(self, partner, address, kind):
        if not address:
            return partner
        values = self._address_values(address)
        if all((partner[f].id if hasattr(partner[f], "id") else partner[f]) == v for f, v in values.items()):
            return partner
        existing = partner.child_ids.filtered(lambda c: c.type == kind and all(
            (c[f].id if hasattr(c[f], "id") else c[f]) == v for f, v in values.items()))
        if existing:
            return existing[:1]
        return self.env["res.partner"].create({
            **values,
            "parent_id": partner.id,
            "type": kind,
            "name": address.name or partner.name,
        })

    def _address_values(self, address):
        country = self._country(address.country_code)
        state = self._state(country, address.province_code)
        return {
            "street": address.street or False,
            "street2": address.street2 or False,
            "city": address.city or False,
            "zip": address.zip or False,
            "country_id": country.id or False,
            "state_id": state.id or False,
        }

    def _country(self, code):
        if not code:
            return self.env["res.country"]
        return self._cached(("country", code), lambda: self.env["res.country"].search(
            [("code", "=", code.upper())], limit=1))

    def _state(self, country, code):
        if not (country and code):
            return self.env["res.country.state"]
        return self._cached(("state", country.id, code), lambda: self.env["res.country.state"].search(
            [("country_id", "=", country.id), ("code", "=", code.upper())], limit=1))

    # -- products ------------------------------------------------------------------------
    SERVICE_PRODUCTS = {
        "shipping": "synco_shopify.product_shipping",
        "discount": "synco_shopify.product_discount",
        "tip": "synco_shopify.product_tip",
        "duty": "synco_shopify.product_duty",
        "fee": "synco_shopify.product_fee",
        "gift_card": "synco_shopify.product_gift_card",
        "adjustment": "synco_shopify.product_refund_adjustment",
        "cash_rounding": "synco_shopify.product_cash_rounding",
    }

    def product(self, line):
        if line.kind == "shipping":
            mapped = self._shipping_product(line)
            if mapped:
                return mapped
        if line.kind != "product":
            return self._cached(("service", line.kind), lambda: self.env.ref(self.SERVICE_PRODUCTS[line.kind]))
        key = line.product
        return self._cached(("product", key.variant_id, key.sku, key.barcode, key.title),
                            lambda: self._match_or_create_product(key))

    def _shipping_product(self, line):
        mappings = self.store.shipping_mapping_ids
        for mapping in mappings:
            if not mapping.shipping_code or mapping.shipping_code == line.name:
                return mapping.product_id
        return None

    def _match_or_create_product(self, key):
        """Variant link, then SKU, then barcode; else a new product, linked."""
        Product = self.env["product.product"].with_context(active_test=False)
        company_domain = [("company_id", "in", (False, self.company.id))]
        product = Product
        if not (key.variant_id or key.sku or key.barcode):
            return self._custom_item_product(key)
        if key.variant_id:
            product = self.env["shopify.variant.link"].search([
                ("store_id", "=", self.store.id), ("variant_gid", "=", key.variant_id)], limit=1).product_id
        if not product and key.sku:
            product = Product.search([("default_code", "=", key.sku), *company_domain], limit=1)
        if not product and key.barcode:
            product = Product.search([("barcode", "=", key.barcode), *company_domain], limit=1)
        if not product:
            if not (key.title or "").strip():
                raise UserError(_(
                    "A line has no title, no SKU and no variant (deleted in Shopify): nothing "
                    "identifies its product, so none can be matched or created."))
            product = Product.create(self._product_values(key))
        if key.variant_id and not self.env["shopify.variant.link"].search_count([
                ("store_id", "=", self.store.id), ("variant_gid", "=", key.variant_id)]):
            self.env["shopify.variant.link"].create({
                "store_id": self.store.id, "variant_gid": key.variant_id, "product_id": product.id})
        return product

    def _custom_item_product(self, key):
        """A custom item (no variant, SKU or barcode: a custom sale of a draft order or the
        POS): the store's product for them, else one product per title, linked under a key
        of the title so that later orders (and parallel jobs, by the link's unique index)
        find the same one instead of making another."""
        if self.store.custom_item_product_id:
            return self.store.custom_item_product_id
        title = " ".join((key.title or "").split())
        if not title:
            raise UserError(_(
                "A line has no title, no SKU and no variant (deleted in Shopify): nothing "
                "identifies its product, so none can be matched or created."))
        Link = self.env["shopify.variant.link"]
        custom_key = f"{CUSTOM_ITEM_KEY}{title.casefold()}"
        product = Link.search([("store_id", "=", self.store.id), ("variant_gid", "=", custom_key)],
                              limit=1).product_id
        if not product:
            product = self.env["product.product"].create(self._product_values(key))
            Link.create({"store_id": self.store.id, "variant_gid": custom_key, "product_id": product.id})
        return product

    def _product_values(self, key):
        values = {
            # Variants without a SKU would otherwise all bear their product's name.
            "name": (f"{key.title} ({key.variant_title})"
                     if key.variant_title and key.variant_title != "Default Title" else key.title),
            "type": "consu",
            "invoice_policy": "order",
            "default_code": key.sku or False,
            # The line carries Shopify's taxes; the product's own would differ per company.
            "taxes_id": [Command.clear()],
        }
        barcode_free = key.barcode and not self.env["product.product"].with_context(active_test=False).search_count(
            [("barcode", "=", key.barcode)])
        if barcode_free:
            values["barcode"] = key.barcode
        return values

    # -- taxes ---------------------------------------------------------------------------
    def tax(self, key):
        return self._cached(("tax", key), lambda: self._find_tax(key))

    def _find_tax(self, key):
        Mapping = self.env["shopify.tax.mapping"]
        rate = float(key.rate)
        # The mapping keeps 6 decimals of the rate (8.8751% is 0.088751): compare at that.
        mapping = Mapping.search([
            ("store_id", "=", self.store.id), ("title", "=", key.title),
            ("price_include", "=", key.included),
        ]).filtered(lambda m: float_compare(m.rate, rate, precision_digits=6) == 0)[:1]
        if not mapping:
            mapping = Mapping.create({
                "store_id": self.store.id, "title": key.title, "rate": rate, "price_include": key.included,
            })
        if not mapping.tax_id:
            if not self.store.auto_create_taxes:
                raise UserError(_(
                    "Shopify tax %s has no Odoo tax: map it in the store's tax mappings "
                    "(or use 'Create missing taxes').", mapping.display_name))
            mapping.action_create_missing_taxes()
        return mapping.tax_id

    # -- payments, warehouses, tags -------------------------------------------------------
    def payment_journal(self, gateway):
        """(journal, incoming method line, outstanding account) of a gateway's payments.

        The outstanding account is empty for a mapped gateway (the method line's or the
        journal's own applies); an unmapped one fails the order, naming the gateway, unless
        the store books such payments on an outstanding account of its own, so that nothing
        lands silently on the bank's."""
        def find():
            mapping = self.store.gateway_mapping_ids.filtered(lambda m: m.gateway == gateway)[:1]
            outstanding = self.env["account.account"]
            if mapping:
                journal = mapping.journal_id
            elif self.store.unmapped_gateway_policy == "account":
                journal = self.store.default_payment_journal_id
                outstanding = self.store.unmapped_gateway_account_id
                if not (journal and outstanding):
                    raise UserError(_(
                        "Payment gateway “%s” has no mapping, and the store's journal or outstanding "
                        "account for unmapped gateways is not set.", gateway))
            else:
                raise UserError(_(
                    "Payment gateway “%(gateway)s” has no mapping on store %(store)s: map it (store > "
                    "Mappings > Payment gateways), or have the store book unmapped gateways on an "
                    "outstanding account (store > Creation).", gateway=gateway, store=self.store.name))
            method_line = mapping.payment_method_line_id or journal.inbound_payment_method_line_ids[:1]
            if not method_line:
                raise UserError(_("Journal %s has no incoming payment method.", journal.display_name))
            return journal, method_line, outstanding
        return self._cached(("journal", gateway), find)

    def refund_method(self, journal):
        def find():
            method_line = journal.outbound_payment_method_line_ids[:1]
            if not method_line:
                raise UserError(_("Journal %s has no outgoing payment method for Shopify refunds.",
                                  journal.display_name))
            return method_line
        return self._cached(("refund_method", journal.id), find)

    def warehouse(self, location_gid):
        def find():
            if location_gid:
                mapping = self.store.location_mapping_ids.filtered(lambda m: m.location_gid == location_gid)[:1]
                if mapping:
                    return mapping.warehouse_id
            return self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        return self._cached(("warehouse", location_gid), find)

    def tags(self, names):
        Tag = self.env["crm.tag"]
        found = Tag.search([("name", "in", list(names))])
        missing = [n for n in names if n not in found.mapped("name")]
        return found | Tag.create([{"name": n} for n in missing])
