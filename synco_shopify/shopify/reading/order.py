"""Parse one ``OrderFull`` / ``OrderHeader`` payload into the typed values of ``order_types``.

Anything the sync cannot book as it is raises ``OrderDataError`` naming the order and the
field; nothing is defaulted silently. The value types are importable from here too
(``from .order import ShopifyOrder``).
"""
from datetime import datetime, timezone

from .order_fields import SIDES
from .order_fulfillments import read_fulfillments
from .order_lines import LineReader
from .order_types import (
    AdditionalFee,
    Address,
    Customer,
    DiscountAllocation,
    DiscountApplication,
    Duty,
    EditSale,
    Fulfillment,
    FulfillmentLine,
    FulfillmentOrder,
    LineItem,
    OrderAdjustment,
    OrderDataError,
    OrderEdit,
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

__all__ = [
    "SIDES", "parse_header", "parse_order", "AdditionalFee", "Address", "Customer", "DiscountAllocation",
    "DiscountApplication", "Duty", "Fulfillment", "FulfillmentLine", "FulfillmentOrder", "LineItem",
    "OrderAdjustment", "OrderDataError", "EditSale", "OrderEdit", "OrderHeader",
    "OrderTotals", "PurchasingCompany", "Refund", "RefundLineItem", "RefundShippingLine", "ShippingLine",
    "ShopifyOrder", "TaxKey", "TaxLine", "Transaction",
]


def parse_header(payload, *, side="shop"):
    """An ``OrderHeader`` from a payload selecting at least fragment OrderHeader."""
    return _OrderReader(payload, side).header()


def parse_order(payload, *, side="shop"):
    """A ``ShopifyOrder`` from a payload of fragment OrderFull, amounts from ``side``.
    An ``agreements`` connection in the payload (document OrderEdits, fetched for edited
    orders only) gives the order's edits."""
    return _OrderReader(payload, side).order()


def _nodes_of(connection):
    """A connection's nodes; a plain list as it is (JSONL and stored shapes); else none."""
    if isinstance(connection, dict):
        return connection.get("nodes") or ()
    return connection if isinstance(connection, list) else ()


class _OrderReader(LineReader):
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
            taxes_included=p.get("taxesIncluded"),
            current_subtotal=self._optional_money(p, "currentSubtotalPriceSet"),
            current_total_discounts=self._optional_money(p, "currentTotalDiscountsSet"),
            current_shipping=self._optional_money(p, "currentShippingPriceSet"),
            current_total_tax=self._optional_money(p, "currentTotalTaxSet"),
            total_outstanding=self._optional_money(p, "totalOutstandingSet"),
            payment_gateway_names=(tuple(p["paymentGatewayNames"]) if p.get("paymentGatewayNames") is not None
                                   else None),
        )

    def _optional_money(self, p, key, path=""):
        return self.money(p, key, path) if p.get(key) is not None else None

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
            self.shipping_line(node, f"shippingLines.nodes[{i}]", applications,
                               fallback_id=f"{header.id}/ShippingLine/{i}")
            for i, node in enumerate(self.nodes(p, "shippingLines"))
            if not node.get("isRemoved")
        )
        refunds = tuple(self.refund(r, f"refunds[{i}]") for i, r in enumerate(self.items(p, "refunds")))
        rounding = p.get("totalCashRoundingAdjustment") or {}
        refunds = self.name_unnamed_shipping(refunds, shipping)
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
            edited=bool(p.get("edited")),
            edits=self.edits(_nodes_of(p.get("agreements"))),
            cash_rounding_payment=self.money(rounding, "paymentSet", "totalCashRoundingAdjustment", optional=True),
            cash_rounding_refund=self.money(rounding, "refundSet", "totalCashRoundingAdjustment", optional=True),
            fulfillments=read_fulfillments(self, p),
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
                    restock_type=item.get("restockType"),
                    restocked=bool(item.get("restocked")),
                )
                for i, item in enumerate(self.nodes(node, "refundLineItems", path))
                for where in [f"{path}.refundLineItems.nodes[{i}]"]
            ),
            shipping_lines=tuple(
                RefundShippingLine(
                    shipping_line_id=(item.get("shippingLine") or {}).get("id"),
                    subtotal=self.money(item, "subtotalAmountSet", where),
                    tax=self.money(item, "taxAmountSet", where),
                )
                for i, item in enumerate(self.nodes(node, "refundShippingLines", path))
                for where in [f"{path}.refundShippingLines.nodes[{i}]"]
            ),
            adjustments=tuple(
                OrderAdjustment(
                    id=self.req(item, "id", where),
                    amount=self.money(item, "amountSet", where),
                    tax=self.money(item, "taxAmountSet", where, optional=True),
                    reason=item.get("reason"),
                )
                for i, item in enumerate(self._optional_nodes(node, "orderAdjustments"))
                for where in [f"{path}.orderAdjustments.nodes[{i}]"]
            ),
            transaction_ids=tuple(t["id"] for t in self._optional_nodes(node, "transactions") if t.get("id")),
        )

    def edits(self, agreements):
        """The committed edits (OrderEditAgreement) among the order's sales agreements, oldest
        first. One that cannot be read whole is left out: its change is then booked on the
        order's update, with the proportional rule (see lifecycle/sold.py)."""
        edits = []
        for i, node in enumerate(agreements):
            if not isinstance(node, dict) or node.get("__typename") != "OrderEditAgreement":
                continue
            try:
                where = f"agreements[{i}]"
                sales = tuple(self.edit_sale(sale, f"{where}.sales[{j}]")
                              for j, sale in enumerate(_nodes_of(node.get("sales")))
                              if isinstance(sale, dict) and (sale.get("lineItem") or {}).get("id"))
                edits.append(OrderEdit(id=self.req(node, "id", where), happened_at=self.when(node, "happenedAt", where),
                                       line_item_ids=tuple(dict.fromkeys(s.line_item_id for s in sales)),
                                       sales=sales))
            except OrderDataError:
                continue
        return tuple(sorted(edits, key=lambda e: (e.happened_at, e.id)))

    def edit_sale(self, sale, path):
        taxes = []
        for k, tax in enumerate(sale.get("taxes") or ()):
            line = self.tax_line({**(tax.get("taxLine") or {}), "priceSet": tax.get("amount")}, f"{path}.taxes[{k}]")
            taxes.append((line.key, line.amount))
        return EditSale(
            line_item_id=sale["lineItem"]["id"], quantity=int(sale.get("quantity") or 0),
            amount=self._optional_money(sale, "totalAmount", path),
            tax=self._optional_money(sale, "totalTaxAmount", path),
            taxes=tuple(taxes))

    def _optional_nodes(self, node, key):
        # Selected by the current documents; a payload from before (a stored one) has none.
        return _nodes_of(node.get(key))

    def name_unnamed_shipping(self, refunds, shipping):
        """ShippingLine.id is nullable in the schema: a line without one has a stand-in id (see
        LineReader.shipping_line), and a refund of "the shipping line" with no id is of the
        order's only shipping line; with several, which one cannot be told."""
        from dataclasses import replace

        out = []
        for i, refund in enumerate(refunds):
            items = []
            for j, item in enumerate(refund.shipping_lines):
                if item.shipping_line_id is None:
                    if len(shipping) != 1:
                        self.fail(f"refunds[{i}].refundShippingLines.nodes[{j}].shippingLine.id",
                                  f"is missing, and the order has {len(shipping)} shipping lines to refund from")
                    item = replace(item, shipping_line_id=shipping[0].id)
                items.append(item)
            out.append(replace(refund, shipping_lines=tuple(items)))
        return tuple(out)

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
            # Nullable in the schema, with no word on when: null is "Shopify states no total",
            # not zero (an order listing fees may come without it). check_plan then checks these
            # charges through the order's untaxed amount, tax and total only.
            current_duties=self._optional_money(p, "currentTotalDutiesSet"),
            current_additional_fees=self._optional_money(p, "currentTotalAdditionalFeesSet"),
            total_received=self.money(p, "totalReceivedSet", ""),
            total_refunded=self.money(p, "totalRefundedSet", ""),
            total_outstanding=self.money(p, "totalOutstandingSet", ""),
            tax_lines=self.tax_lines(p, ""),
            current_tax_lines=self.tax_lines(p, "", key="currentTaxLines"),
        )

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
