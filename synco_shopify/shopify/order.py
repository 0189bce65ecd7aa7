"""Parse one ``OrderFull`` / ``OrderHeader`` payload into the typed values of ``order_types``.

Every amount is read from one side of its MoneyBag ("shop" or "presentment") and must be in
that side's currency, at that currency's digits. Anything the sync cannot book as it is
raises ``OrderDataError`` naming the order and the field; nothing is defaulted silently.
The value types are importable from here too (``from .order import ShopifyOrder``).
"""
from datetime import datetime, timezone

from .money import ZERO, UnknownCurrency, currency_digits, is_rounded, to_decimal
from .order_types import (
    AdditionalFee,
    Address,
    Customer,
    DiscountAllocation,
    DiscountApplication,
    Duty,
    FulfillmentOrder,
    LineItem,
    OrderDataError,
    OrderHeader,
    OrderTotals,
    PurchasingCompany,
    Refund,
    RefundLineItem,
    RefundShippingLine,
    ShippingLine,
    ShopifyOrder,
    TaxKey,
    TaxLine,
    Transaction,
)

SIDES = ("shop", "presentment")
_DISCOUNT_KINDS = {
    "DiscountCodeApplication": ("code", "code"),
    "AutomaticDiscountApplication": ("automatic", "title"),
    "ManualDiscountApplication": ("manual", "title"),
    "ScriptDiscountApplication": ("script", "title"),
}


def parse_header(payload, *, side="shop"):
    """An ``OrderHeader`` from a payload selecting at least fragment OrderHeader."""
    return _Reader(payload, side).header()


def parse_order(payload, *, side="shop"):
    """A ``ShopifyOrder`` from a payload of fragment OrderFull, amounts from ``side``."""
    return _Reader(payload, side).order()


class _Reader:
    def __init__(self, payload, side):
        if side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, not {side!r}")
        if not isinstance(payload, dict):
            raise OrderDataError(f"An order payload must be an object, not {type(payload).__name__}.")
        self.payload = payload
        self.side = side
        self.label = f"{payload.get('name') or '(no name)'} ({payload.get('id') or 'no id'})"
        self.currency = self._currency("currencyCode" if side == "shop" else "presentmentCurrencyCode")
        self.taxes_included = False

    # -- primitives -------------------------------------------------------------------------

    def fail(self, path, problem):
        raise OrderDataError(f"Shopify order {self.label}: {path} {problem}.")

    def req(self, obj, key, path):
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            self.fail(f"{path}.{key}" if path else key, "is missing")
        return value

    def text(self, obj, key):
        value = obj.get(key)
        return value if value not in ("", None) else None

    def money(self, obj, key, path, *, optional=False):
        bag = obj.get(key)
        where = f"{path}.{key}" if path else key
        if bag is None:
            if optional:
                return ZERO
            self.fail(where, "is missing")
        side = self.req(bag, f"{self.side}Money", where)
        try:
            amount = to_decimal(side.get("amount"))
        except ValueError as exc:
            self.fail(f"{where}.{self.side}Money.amount", f"does not parse: {exc}")
        code = side.get("currencyCode")
        if code != self.currency:
            self.fail(f"{where}.{self.side}Money",
                      f"is in {code}, but the order's {self.side} currency is {self.currency}")
        if not is_rounded(amount, self.currency):
            digits = currency_digits(self.currency)
            self.fail(where, f"is {amount}, finer than the {digits} decimals of {self.currency}")
        return amount

    def when(self, obj, key, path="", *, optional=False):
        raw = obj.get(key)
        where = f"{path}.{key}" if path else key
        if raw is None:
            if optional:
                return None
            self.fail(where, "is missing")
        try:
            moment = datetime.fromisoformat(raw)
        except (TypeError, ValueError):
            self.fail(where, f"is {raw!r}, not an ISO 8601 date-time")
        if moment.tzinfo is None:
            self.fail(where, f"is {raw!r}, which has no time zone")
        return moment.astimezone(timezone.utc)

    def count(self, obj, key, path):
        value = self.req(obj, key, path)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", f"is {value!r}, not a whole number")
        if value < 0:
            self.fail(f"{path}.{key}", f"is {value}; a quantity cannot be negative")
        return value

    def nodes(self, obj, key, path=""):
        connection = obj.get(key)
        where = f"{path}.{key}" if path else key
        if connection is None:
            self.fail(where, "is missing")
        if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
            self.fail(where, "is not a connection with nodes")
        return connection["nodes"]

    def items(self, obj, key, path=""):
        value = obj.get(key)
        if not isinstance(value, list):
            self.fail(f"{path}.{key}" if path else key, "is missing or not a list")
        return value

    def _currency(self, key):
        code = self.payload.get(key)
        if not code:
            self.fail(key, "is missing: amounts cannot be booked without a currency")
        try:
            currency_digits(code)
        except UnknownCurrency as exc:
            self.fail(key, f"is {code!r}: {exc}")
        return code

    # -- parts ------------------------------------------------------------------------------

    def header(self):
        p = self.payload
        customer = p.get("customer") or {}
        metafield = p.get("odooId") or {}
        return OrderHeader(
            id=self.req(p, "id", ""),
            legacy_id=p.get("legacyResourceId"),
            name=self.req(p, "name", ""),
            number=self.req(p, "number", ""),
            created_at=self.when(p, "createdAt"),
            processed_at=self.when(p, "processedAt"),
            updated_at=self.when(p, "updatedAt"),
            cancelled_at=self.when(p, "cancelledAt", optional=True),
            closed_at=self.when(p, "closedAt", optional=True),
            test=bool(p.get("test")),
            source_name=self.text(p, "sourceName"),
            email=self.text(p, "email"),
            tags=tuple(p.get("tags") or ()),
            side=self.side,
            currency=self.currency,
            shop_currency=self._currency("currencyCode"),
            presentment_currency=self._currency("presentmentCurrencyCode"),
            financial_status=p.get("displayFinancialStatus"),
            fulfillment_status=self.req(p, "displayFulfillmentStatus", ""),
            customer_id=customer.get("id"),
            customer_name=customer.get("displayName"),
            total_price=self.money(p, "totalPriceSet", ""),
            current_total_price=self.money(p, "currentTotalPriceSet", ""),
            odoo_id=metafield.get("value"),
        )

    def order(self):
        p = self.payload
        header = self.header()
        self.taxes_included = bool(self.req(p, "taxesIncluded", ""))
        applications = self.discount_applications()
        lines = tuple(
            self.line_item(node, f"lineItems.nodes[{i}]", applications)
            for i, node in enumerate(self.nodes(p, "lineItems"))
        )
        shipping = tuple(
            self.shipping_line(node, f"shippingLines.nodes[{i}]", applications)
            for i, node in enumerate(self.nodes(p, "shippingLines"))
            if not node.get("isRemoved")
        )
        refunds = tuple(self.refund(r, f"refunds[{i}]") for i, r in enumerate(self.items(p, "refunds")))
        self.check_refund_targets(refunds, lines, shipping)
        return ShopifyOrder(
            header=header,
            confirmation_number=p.get("confirmationNumber"),
            source_identifier=p.get("sourceIdentifier"),
            app_name=(p.get("app") or {}).get("name"),
            retail_location_id=(p.get("retailLocation") or {}).get("id"),
            taxes_included=self.taxes_included,
            tax_exempt=bool(p.get("taxExempt")),
            duties_included=bool(p.get("dutiesIncluded")),
            estimated_taxes=bool(p.get("estimatedTaxes")),
            phone=self.text(p, "phone"),
            note=self.text(p, "note"),
            po_number=self.text(p, "poNumber"),
            discount_codes=tuple(p.get("discountCodes") or ()),
            payment_gateway_names=tuple(p.get("paymentGatewayNames") or ()),
            custom_attributes=self.attributes(p),
            customer=self.customer(p.get("customer")),
            company=self.company(p.get("purchasingEntity")),
            billing_address=self.address(p.get("billingAddress")),
            shipping_address=self.address(p.get("shippingAddress")),
            line_items=lines,
            discount_applications=tuple(applications.values()),
            shipping_lines=shipping,
            additional_fees=tuple(
                AdditionalFee(
                    id=self.req(fee, "id", f"additionalFees[{i}]"),
                    name=self.req(fee, "name", f"additionalFees[{i}]"),
                    amount=self.money(fee, "price", f"additionalFees[{i}]"),
                    tax_lines=self.tax_lines(fee, f"additionalFees[{i}]"),
                )
                for i, fee in enumerate(self.items(p, "additionalFees"))
            ),
            transactions=tuple(
                self.transaction(t, f"transactions[{i}]") for i, t in enumerate(self.items(p, "transactions"))
            ),
            fulfillment_orders=tuple(self.fulfillment_order(f) for f in self.nodes(p, "fulfillmentOrders")),
            refunds=refunds,
            totals=self.totals(),
        )

    def tax_lines(self, obj, path, key="taxLines"):
        return tuple(self.tax_line(t, f"{path}.{key}[{i}]" if path else f"{key}[{i}]")
                     for i, t in enumerate(self.items(obj, key, path)))

    def tax_line(self, tax, path):
        rate = tax.get("rate")
        try:
            if rate is not None:
                rate = to_decimal(rate)
            elif tax.get("ratePercentage") is not None:
                rate = to_decimal(tax["ratePercentage"]) / 100
            else:
                self.fail(path, "has neither rate nor ratePercentage; its tax cannot be mapped")
        except ValueError as exc:
            self.fail(f"{path}.rate", f"does not parse: {exc}")
        return TaxLine(
            key=TaxKey(title=self.req(tax, "title", path), rate=rate.normalize(), included=self.taxes_included),
            amount=self.money(tax, "priceSet", path),
            source=tax.get("source"),
            channel_liable=tax.get("channelLiable"),
        )

    def discount_applications(self):
        found = {}
        for i, node in enumerate(self.nodes(self.payload, "discountApplications")):
            path = f"discountApplications.nodes[{i}]"
            kind, label_key = _DISCOUNT_KINDS.get(node.get("__typename"), ("other", "title"))
            value = self.req(node, "value", path)
            percentage = fixed = fixed_currency = None
            try:
                if value.get("__typename") == "PricingPercentageValue" or "percentage" in value:
                    # The schema documents -100..0; some payloads say 10 for 10 % off.
                    percentage = abs(to_decimal(value.get("percentage")))
                else:
                    fixed, fixed_currency = to_decimal(value.get("amount")), value.get("currencyCode")
            except ValueError as exc:
                self.fail(f"{path}.value", f"does not parse: {exc}")
            index = self.req(node, "index", path)
            found[index] = DiscountApplication(
                index=index,
                kind=kind,
                label=node.get(label_key) or node.get("title") or node.get("code") or "Discount",
                description=node.get("description"),
                allocation_method=node.get("allocationMethod"),
                target_selection=node.get("targetSelection"),
                target_type=node.get("targetType"),
                percentage=percentage,
                fixed_amount=fixed,
                fixed_currency=fixed_currency,
            )
        return found

    def allocations(self, obj, path, applications):
        result = []
        for i, alloc in enumerate(self.items(obj, "discountAllocations", path)):
            where = f"{path}.discountAllocations[{i}]"
            index = self.req(self.req(alloc, "discountApplication", where), "index", f"{where}.discountApplication")
            if index not in applications:
                self.fail(where, f"refers to discount application {index}, which the order does not list")
            result.append(DiscountAllocation(self.money(alloc, "allocatedAmountSet", where), applications[index]))
        return tuple(result)

    def line_item(self, node, path, applications):
        variant = node.get("variant") or {}
        product = node.get("product") or {}
        quantity = self.count(node, "quantity", path)
        current = self.count(node, "currentQuantity", path)
        if current > quantity:
            self.fail(f"{path}.currentQuantity", f"is {current}, more than the ordered quantity {quantity}")
        return LineItem(
            id=self.req(node, "id", path),
            name=self.req(node, "name", path),
            title=self.req(node, "title", path),
            variant_title=self.text(node, "variantTitle"),
            sku=self.text(node, "sku") or self.text(variant, "sku"),
            barcode=self.text(variant, "barcode"),
            vendor=self.text(node, "vendor"),
            variant_id=variant.get("id"),
            product_id=product.get("id"),
            quantity=quantity,
            current_quantity=current,
            is_gift_card=bool(node.get("isGiftCard")),
            requires_shipping=bool(node.get("requiresShipping")),
            taxable=bool(node.get("taxable")),
            unit_price=self.money(node, "originalUnitPriceSet", path),
            original_total=self.money(node, "originalTotalSet", path),
            tax_lines=self.tax_lines(node, path),
            discount_allocations=self.allocations(node, path, applications),
            duties=tuple(
                Duty(
                    id=self.req(duty, "id", f"{path}.duties[{i}]"),
                    harmonized_system_code=duty.get("harmonizedSystemCode"),
                    amount=self.money(duty, "price", f"{path}.duties[{i}]"),
                    tax_lines=self.tax_lines(duty, f"{path}.duties[{i}]"),
                )
                for i, duty in enumerate(self.items(node, "duties", path))
            ),
            custom_attributes=self.attributes(node),
        )

    def shipping_line(self, node, path, applications):
        return ShippingLine(
            id=self.req(node, "id", path),
            title=self.req(node, "title", path),
            code=self.text(node, "code"),
            source=self.text(node, "source"),
            carrier_identifier=self.text(node, "carrierIdentifier"),
            original_price=self.money(node, "originalPriceSet", path),
            discounted_price=self.money(node, "discountedPriceSet", path),
            current_discounted_price=self.money(node, "currentDiscountedPriceSet", path),
            tax_lines=self.tax_lines(node, path),
            discount_allocations=self.allocations(node, path, applications),
        )

    def refund(self, node, path):
        return Refund(
            id=self.req(node, "id", path),
            created_at=self.when(node, "createdAt", path, optional=True),
            note=self.text(node, "note"),
            total_refunded=self.money(node, "totalRefundedSet", path),
            line_items=tuple(
                RefundLineItem(
                    line_item_id=self.req(self.req(item, "lineItem", where), "id", f"{where}.lineItem"),
                    quantity=self.count(item, "quantity", where),
                    subtotal=self.money(item, "subtotalSet", where),
                    total_tax=self.money(item, "totalTaxSet", where),
                )
                for i, item in enumerate(self.nodes(node, "refundLineItems", path))
                for where in [f"{path}.refundLineItems.nodes[{i}]"]
            ),
            shipping_lines=tuple(
                RefundShippingLine(
                    shipping_line_id=self.req(self.req(item, "shippingLine", where), "id", f"{where}.shippingLine"),
                    subtotal=self.money(item, "subtotalAmountSet", where),
                    tax=self.money(item, "taxAmountSet", where),
                )
                for i, item in enumerate(self.nodes(node, "refundShippingLines", path))
                for where in [f"{path}.refundShippingLines.nodes[{i}]"]
            ),
        )

    def check_refund_targets(self, refunds, lines, shipping):
        line_ids = {line.id for line in lines}
        shipping_ids = {s.id for s in shipping}
        for i, refund in enumerate(refunds):
            for j, item in enumerate(refund.line_items):
                if item.line_item_id not in line_ids:
                    self.fail(f"refunds[{i}].refundLineItems.nodes[{j}]",
                              f"refunds line {item.line_item_id}, which the order does not have")
            for j, item in enumerate(refund.shipping_lines):
                if item.shipping_line_id not in shipping_ids:
                    self.fail(f"refunds[{i}].refundShippingLines.nodes[{j}]",
                              f"refunds shipping line {item.shipping_line_id}, which the order does not have")

    def transaction(self, node, path):
        return Transaction(
            id=self.req(node, "id", path),
            kind=self.req(node, "kind", path),
            status=self.req(node, "status", path),
            gateway=self.text(node, "gateway"),
            formatted_gateway=self.text(node, "formattedGateway"),
            amount=self.money(node, "amountSet", path),
            processed_at=self.when(node, "processedAt", path, optional=True),
            created_at=self.when(node, "createdAt", path),
            test=bool(node.get("test")),
            error_code=node.get("errorCode"),
            payment_id=node.get("paymentId"),
            parent_id=(node.get("parentTransaction") or {}).get("id"),
        )

    def fulfillment_order(self, node):
        location = (node.get("assignedLocation") or {}).get("location") or {}
        return FulfillmentOrder(
            id=node.get("id"),
            status=node.get("status"),
            location_id=location.get("id"),
            location_name=location.get("name") or (node.get("assignedLocation") or {}).get("name"),
        )

    def totals(self):
        p = self.payload
        return OrderTotals(
            subtotal=self.money(p, "subtotalPriceSet", "", optional=True),
            current_subtotal=self.money(p, "currentSubtotalPriceSet", ""),
            total_discounts=self.money(p, "totalDiscountsSet", "", optional=True),
            current_total_discounts=self.money(p, "currentTotalDiscountsSet", ""),
            current_shipping=self.money(p, "currentShippingPriceSet", ""),
            total_tax=self.money(p, "totalTaxSet", "", optional=True),
            current_total_tax=self.money(p, "currentTotalTaxSet", ""),
            total_tip=self.money(p, "totalTipReceivedSet", ""),
            original_duties=self.money(p, "originalTotalDutiesSet", "", optional=True),
            current_duties=self.money(p, "currentTotalDutiesSet", "", optional=True),
            current_additional_fees=self.money(p, "currentTotalAdditionalFeesSet", "", optional=True),
            total_received=self.money(p, "totalReceivedSet", ""),
            total_refunded=self.money(p, "totalRefundedSet", ""),
            total_outstanding=self.money(p, "totalOutstandingSet", ""),
            tax_lines=self.tax_lines(p, ""),
            current_tax_lines=self.tax_lines(p, "", key="currentTaxLines"),
        )

    def attributes(self, obj):
        return tuple((a.get("key"), a.get("value")) for a in obj.get("customAttributes") or ())

    def customer(self, node):
        if not node:
            return None
        return Customer(
            id=self.req(node, "id", "customer"),
            legacy_id=node.get("legacyResourceId"),
            first_name=self.text(node, "firstName"),
            last_name=self.text(node, "lastName"),
            display_name=self.text(node, "displayName"),
            email=self.text(node.get("defaultEmailAddress") or {}, "emailAddress"),
            phone=self.text(node.get("defaultPhoneNumber") or {}, "phoneNumber"),
        )

    def company(self, node):
        if not node or node.get("__typename") != "PurchasingCompany":
            return None
        company = self.req(node, "company", "purchasingEntity")
        location = node.get("location") or {}
        return PurchasingCompany(
            company_id=self.req(company, "id", "purchasingEntity.company"),
            company_name=company.get("name") or "",
            location_id=location.get("id"),
            location_name=location.get("name"),
        )

    def address(self, node):
        if not node:
            return None
        return Address(
            first_name=self.text(node, "firstName"),
            last_name=self.text(node, "lastName"),
            name=self.text(node, "name"),
            company=self.text(node, "company"),
            address1=self.text(node, "address1"),
            address2=self.text(node, "address2"),
            city=self.text(node, "city"),
            province=self.text(node, "province"),
            province_code=self.text(node, "provinceCode"),
            zip=self.text(node, "zip"),
            country=self.text(node, "country"),
            country_code=self.text(node, "countryCodeV2"),
            phone=self.text(node, "phone"),
        )
