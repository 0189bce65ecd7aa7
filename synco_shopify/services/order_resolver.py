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
        self._prefetched = None  # (field, value) -> product: prefetch_products, for previews
        self._order_country = None  # res.country of the order being resolved (``start_order``)

    def forget(self):
        self._cache.clear()
        self._prefetched = None

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
    # How a customer was found (``match_partner``), in the preview's words.
    LINK, EMAIL, GUEST, COMPANY_LINK, BUYER_LINK, NEW, NOBODY = (
        "Shopify customer link", "email", "store's guest customer", "Shopify company link",
        "buyer's link (booked before company links)", "new", "nobody")

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
        partner, link, how = self._find_customer(plan)
        if how == self.NOBODY:
            raise self._nobody()
        if not partner:
            partner = self.env["res.partner"].create(self._partner_values(plan))
        if customer.kind == "customer" and not link:
            self.env["shopify.customer.link"].create(
                {"store_id": self.store.id, "customer_gid": customer.key, "partner_id": partner.id})
        invoice = self._address(partner, plan.billing_address, "invoice")
        delivery = self._address(partner, plan.shipping_address, "delivery")
        return partner, invoice, delivery

    def _nobody(self):
        return UserError(_("The order names neither a customer nor an email: set a guest customer on the "
                           "store to book such orders."))

    def match_partner(self, plan):
        """(partner or an empty recordset, how): whom ``partner`` would book the order on,
        and found by what (one of the constants above), without making anything. NEW: it
        would be created; NOBODY: the order names nobody and the store has no guest."""
        if plan.customer.company:
            company, _company_link, _buyer_link, how = self._find_company(plan)
            return company, how
        partner, _link, how = self._find_customer(plan)
        return partner, how

    def match_address(self, partner, address, kind):
        """The partner (or child) ``partner`` would put on the document for ``address``; an
        empty recordset when a new child would be made."""
        if not address:
            return partner
        return self._find_address(partner, self._address_values(address), kind)

    def _find_customer(self, plan):
        """(partner, link, how) of a person's order: by the Shopify customer's link, then by
        email; an order naming nobody takes the store's guest customer."""
        customer = plan.customer
        Partner = self.env["res.partner"]
        link = self.env["shopify.customer.link"]
        if customer.kind == "customer":
            link = link.search([("store_id", "=", self.store.id), ("customer_gid", "=", customer.key)], limit=1)
            if link.partner_id:
                return link.partner_id, link, self.LINK
        if customer.email:
            partner = Partner.search([
                ("email_normalized", "=", customer.email.strip().lower()),
                ("parent_id", "=", False),
                ("company_id", "in", (False, self.company.id)),
            ], limit=1)
            if partner:
                return partner, link, self.EMAIL
        if customer.kind == "anonymous":
            partner = self.store.guest_partner_id
            return partner, link, (self.GUEST if partner else self.NOBODY)
        return Partner, link, self.NEW

    def _company_partner(self, plan):
        """A B2B order: the customer is the company (Shopify's company id, linked like a
        customer's), and its buyer a contact of it. Every buyer of one company shares the
        company partner; each buyer is found again by their own link (or email)."""
        customer = plan.customer
        Link = self.env["shopify.customer.link"]
        company, company_link, buyer_link, _how = self._find_company(plan)
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

    def _find_company(self, plan):
        """(company partner or empty, company link, buyer link, how) of a B2B order."""
        customer = plan.customer
        Link = self.env["shopify.customer.link"]
        company_link = Link.search([("store_id", "=", self.store.id), ("customer_gid", "=", customer.company.key)],
                                   limit=1)
        buyer_link = Link
        if customer.kind == "customer":
            buyer_link = Link.search([("store_id", "=", self.store.id), ("customer_gid", "=", customer.key)],
                                     limit=1)
        company = company_link.partner_id
        how = self.COMPANY_LINK if company else self.NEW
        legacy = buyer_link.partner_id
        if not company and legacy.is_company and legacy.name == customer.company.name and not Link.search_count(
                [("store_id", "=", self.store.id), ("partner_id", "=", legacy.id),
                 ("customer_gid", "=like", "gid://shopify/Company/%")]):
            # Booked before companies had links: the buyer's link led to this company (a
            # buyer may buy for several companies: only the one of the same name, unlinked).
            company, how = legacy, self.BUYER_LINK
        return company, company_link, buyer_link, how

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
        return self._find_address(partner, values, kind) or self.env["res.partner"].create({
            **values,
            "parent_id": partner.id,
            "type": kind,
            "name": address.name or partner.name,
        })

    def _find_address(self, partner, values, kind):
        """The partner itself when its own address is ``values``, else its child of that kind
        and address (empty when there is none)."""
        if all((partner[f].id if hasattr(partner[f], "id") else partner[f]) == v for f, v in values.items()):
            return partner
        return partner.child_ids.filtered(lambda c: c.type == kind and all(
            (c[f].id if hasattr(c[f], "id") else c[f]) == v for f, v in values.items()))[:1]

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

    # How a product was found (``match_product``), in the preview's words.
    SHIPPING_MAPPING, SERVICE, VARIANT, SKU, BARCODE, CUSTOM_PRODUCT, CUSTOM_LINK, UNIDENTIFIED = (
        "shipping mapping", "Synco service product", "variant link", "SKU", "barcode",
        "store's custom item product", "custom item title", "nothing identifies it")

    def product(self, line):
        if line.kind == "shipping":
            mapped = self._shipping_product(line)
            if mapped:
                return mapped
        if line.kind != "product":
            return self._service_product(line)
        key = line.product
        return self._cached(("product", key.variant_id, key.sku, key.barcode, key.title),
                            lambda: self._match_or_create_product(key))

    def match_product(self, line):
        """(product or an empty recordset, how): the product ``product`` would put on the
        line, and found by what (one of the constants above; NEW: it would be created),
        without making anything."""
        if line.kind == "shipping":
            mapped = self._shipping_product(line)
            if mapped:
                return mapped, self.SHIPPING_MAPPING
        if line.kind != "product":
            return self._service_product(line), self.SERVICE
        key = line.product
        return self._cached(("match_product", key.variant_id, key.sku, key.barcode, key.title),
                            lambda: self._find_product(key))

    def _service_product(self, line):
        return self._cached(("service", line.kind), lambda: self.env.ref(self.SERVICE_PRODUCTS[line.kind]))

    def _shipping_product(self, line):
        mappings = self.store.shipping_mapping_ids
        for mapping in mappings:
            if not mapping.shipping_code or mapping.shipping_code == line.name:
                return mapping.product_id
        return None

    def _match_or_create_product(self, key):
        """Variant link, then SKU, then barcode; else a new product, linked."""
        if not (key.variant_id or key.sku or key.barcode):
            return self._custom_item_product(key)
        product, how = self._find_product(key)
        if not product:
            if how == self.UNIDENTIFIED:
                raise self._unidentified()
            product = self.env["product.product"].create(self._product_values(key))
        if key.variant_id and how != self.VARIANT and not self.env["shopify.variant.link"].search_count([
                ("store_id", "=", self.store.id), ("variant_gid", "=", key.variant_id)]):
            self.env["shopify.variant.link"].create({
                "store_id": self.store.id, "variant_gid": key.variant_id, "product_id": product.id})
        return product

    def _find_product(self, key):
        """(product or empty, how): variant link, then SKU, then barcode; a custom item (none
        of them) by the store's product or its title's link."""
        Product = self.env["product.product"].with_context(active_test=False)
        if not (key.variant_id or key.sku or key.barcode):
            return self._find_custom_item(key)[:2]
        for field, value, how in (("variant", key.variant_id, self.VARIANT), ("default_code", key.sku, self.SKU),
                                  ("barcode", key.barcode, self.BARCODE)):
            product = value and self._product_by(field, value)
            if product:
                return product, how
        return Product.browse(), (self.NEW if (key.title or "").strip() else self.UNIDENTIFIED)

    def _product_by(self, field, value):
        """The product a variant link ("variant"), SKU ("default_code") or barcode leads to.
        Never cached: a product the sync made for one line is found by the next one."""
        if self._prefetched is not None and (field, value) in self._prefetched:
            return self._prefetched[field, value]
        if field == "variant":
            return self.env["shopify.variant.link"].search([
                ("store_id", "=", self.store.id), ("variant_gid", "=", value)], limit=1).product_id
        return self.env["product.product"].with_context(active_test=False).search(
            [(field, "=", value), ("company_id", "in", (False, self.company.id))], limit=1)

    def prefetch_products(self, keys):
        """For a preview (nothing made meanwhile): what ``_product_by`` would find for the
        variant links, SKUs and barcodes of many product keys, in three queries instead of
        three per line. Each value leads to the first product a search by it alone returns
        (the same order, so the same product)."""
        Product = self.env["product.product"].with_context(active_test=False)
        found = {}
        wanted = {"variant": {k.variant_id for k in keys if k.variant_id},
                  "default_code": {k.sku for k in keys if k.sku}, "barcode": {k.barcode for k in keys if k.barcode}}
        for link in self.env["shopify.variant.link"].search([
                ("store_id", "=", self.store.id), ("variant_gid", "in", list(wanted["variant"]))]):
            found.setdefault(("variant", link.variant_gid), link.product_id)
        for field in ("default_code", "barcode"):
            for product in Product.search([(field, "in", list(wanted[field])),
                                           ("company_id", "in", (False, self.company.id))]):
                found.setdefault((field, product[field]), product)
        self._prefetched = {(field, value): found.get((field, value), Product.browse())
                            for field, values in wanted.items() for value in values}

    def _unidentified(self):
        return UserError(_("A line has no title, no SKU and no variant (deleted in Shopify): nothing "
                           "identifies its product, so none can be matched or created."))

    def _custom_item_product(self, key):
        """A custom item (no variant, SKU or barcode: a custom sale of a draft order or the
        POS): the store's product for them, else one product per title, linked under a key
        of the title so that later orders (and parallel jobs, by the link's unique index)
        find the same one instead of making another."""
        product, how, custom_key = self._find_custom_item(key)
        if how == self.UNIDENTIFIED:
            raise self._unidentified()
        if not product:
            product = self.env["product.product"].create(self._product_values(key))
            self.env["shopify.variant.link"].create(
                {"store_id": self.store.id, "variant_gid": custom_key, "product_id": product.id})
        return product

    def _find_custom_item(self, key):
        """(product or empty, how, the title's link key) of a custom item."""
        if self.store.custom_item_product_id:
            return self.store.custom_item_product_id, self.CUSTOM_PRODUCT, None
        title = " ".join((key.title or "").split())
        if not title:
            return self.env["product.product"], self.UNIDENTIFIED, None
        custom_key = f"{CUSTOM_ITEM_KEY}{title.casefold()}"
        product = self.env["shopify.variant.link"].search(
            [("store_id", "=", self.store.id), ("variant_gid", "=", custom_key)], limit=1).product_id
        return product, (self.CUSTOM_LINK if product else self.NEW), custom_key

    def product_name(self, key):
        """The name of a product made for ``key``."""
        # Variants without a SKU would otherwise all bear their product's name.
        return f"{key.title} ({key.variant_title})" if key.variant_title and key.variant_title != "Default Title" \
            else key.title

    def _product_values(self, key):
        values = {
            "name": self.product_name(key),
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
    def start_order(self, plan):
        """Notes the country of the order whose keys come next, for the taxes it may create.

        A Shopify tax line names no country; Shopify taxes where the goods go, so the order's
        shipping country (else its billing country: a sale with nothing shipped) says which
        country's tax a new rate is likely to be. The mapping keeps it; the tax is another
        country's only when the company charges no tax of that rate at home
        (``shopify.tax.mapping._tax_country``)."""
        address = plan.shipping_address if plan.shipping_address and plan.shipping_address.country_code \
            else plan.billing_address
        code = address.country_code if address else None
        self._order_country = self._cached(("country", code), lambda: self.env["res.country"].search(
            [("code", "=", code.upper())], limit=1) if code else self.env["res.country"])

    def tax(self, key):
        return self._cached(("tax", key), lambda: self._find_tax(key))

    # A tax's mapping state (``match_tax``).
    MAPPED, TO_CREATE, UNMAPPED = "mapped", "to create", "unmapped"

    def match_tax(self, key):
        """(Odoo tax or an empty recordset, state): MAPPED, TO_CREATE (no Odoo tax yet, and
        the store creates missing taxes) or UNMAPPED (the sync fails the order on it)."""
        def find():
            tax = self._tax_mapping(key).tax_id
            if tax:
                return tax, self.MAPPED
            return tax, (self.TO_CREATE if self.store.auto_create_taxes else self.UNMAPPED)
        return self._cached(("match_tax", key), find)

    def _unmapped_tax(self, label):
        return UserError(_("Shopify tax %s has no Odoo tax: map it in the store's tax mappings "
                           "(or use 'Create missing taxes').", label))

    def _tax_mapping(self, key):
        # The mapping keeps 6 decimals of the rate (8.8751% is 0.088751): compare at that.
        rate = float(key.rate)
        return self.env["shopify.tax.mapping"].search([
            ("store_id", "=", self.store.id), ("title", "=", key.title),
            ("price_include", "=", key.included), ("channel_liable", "=", key.channel_liable),
        ]).filtered(lambda m: float_compare(m.rate, rate, precision_digits=6) == 0)[:1]

    def _find_tax(self, key):
        mapping = self._tax_mapping(key)
        if not mapping:
            mapping = self.env["shopify.tax.mapping"].create({
                "store_id": self.store.id, "title": key.title, "rate": float(key.rate),
                "price_include": key.included, "channel_liable": key.channel_liable,
                "country_id": self._order_country.id if self._order_country else False,
            })
        if not mapping.tax_id:
            if not self.store.auto_create_taxes:
                raise self._unmapped_tax(mapping.display_name)
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
            elif not gateway:
                # Transaction.gateway is nullable: nothing to map it by.
                raise UserError(_(
                    "A payment of this order names no gateway (Shopify's Transaction.gateway is empty), "
                    "so it has no journal: have the store book payments of unmapped gateways on an "
                    "outstanding account (store > Creation)."))
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
