"""Reading an order's charges: line items, shipping lines, and the discounts allocated to them."""
from ..money import to_decimal
from .order_fields import FieldReader
from .order_types import DiscountAllocation, DiscountApplication, Duty, LineItem, ShippingLine

_DISCOUNT_KINDS = {
    "DiscountCodeApplication": ("code", "code"),
    "AutomaticDiscountApplication": ("automatic", "title"),
    "ManualDiscountApplication": ("manual", "title"),
    "ScriptDiscountApplication": ("script", "title"),
}


class LineReader(FieldReader):
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

    def shipping_line(self, node, path, applications, fallback_id=None):
        # ShippingLine.id is nullable in the schema: such a line gets a stand-in id, stable for
        # the order (its place among the order's shipping lines), so that it is booked.
        return ShippingLine(
            id=node.get("id") or fallback_id or self.req(node, "id", path),
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
