"""Shopify-looking global ids, deterministic: each resource type counts up from its own base."""

_BASES = {
    "Shop": 68_000_000_000, "Order": 5_900_000_000_000, "LineItem": 14_800_000_000_000,
    "Customer": 7_800_000_000_000, "Product": 8_300_000_000_000, "ProductVariant": 45_100_000_000_000,
    "Location": 71_000_000_000, "OrderTransaction": 6_600_000_000_000, "Refund": 930_000_000_000,
    "RefundLineItem": 540_000_000_000, "RefundShippingLine": 61_000_000_000,
    "ShippingLine": 4_700_000_000_000, "FulfillmentOrder": 6_900_000_000_000,
    "FulfillmentOrderLineItem": 14_500_000_000_000, "Duty": 2_300_000_000_000,
    "AdditionalFee": 1_100_000_000_000, "Company": 1_800_000_000, "CompanyLocation": 2_100_000_000,
    "CompanyContact": 3_300_000_000, "SalesAgreement": 79_000_000_000, "Sale": 77_000_000_000,
    "SaleTax": 78_000_000_000, "Fulfillment": 5_300_000_000_000, "FulfillmentLineItem": 12_600_000_000_000,
}


class Ids:
    def __init__(self):
        self._next = dict(_BASES)

    def new(self, kind):
        """(gid, legacyResourceId) of the next object of this kind."""
        number = self._next[kind] = self._next[kind] + 1
        return f"gid://shopify/{kind}/{number}", str(number)

    def gid(self, kind):
        return self.new(kind)[0]
