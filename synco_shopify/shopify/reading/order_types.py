"""A Shopify order as typed, immutable values: every amount a Decimal of one currency side.

Built by ``order.parse_order`` / ``order.parse_header``; field names follow Shopify's,
in snake case. GIDs are kept as strings (``gid://shopify/LineItem/1``).
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


class OrderDataError(ValueError):
    """The order's data cannot be booked as it is (the message names the order and the field)."""


@dataclass(frozen=True)
class TaxKey:
    """What identifies a tax for mapping: two titles with the same rate are two taxes."""

    title: str
    rate: Decimal  # 0.08875 for 8.875 %
    included: bool  # price-included (Order.taxesIncluded)
    # The sales channel remits it (TaxLine.channelLiable: a marketplace's tax): not the
    # merchant's output tax, so never the same Odoo tax as the merchant's own of that name.
    channel_liable: bool = False


@dataclass(frozen=True)
class TaxLine:
    key: TaxKey
    amount: Decimal
    source: str | None = None
    channel_liable: bool | None = None


@dataclass(frozen=True)
class DiscountApplication:
    index: int
    kind: str  # "code" | "automatic" | "manual" | "script"
    label: str  # the code, or the title of an automatic/manual/script discount
    description: str | None
    allocation_method: str  # ACROSS | EACH | ONE
    target_selection: str  # ALL | ENTITLED | EXPLICIT
    target_type: str  # LINE_ITEM | SHIPPING_LINE
    percentage: Decimal | None  # absolute value: 10 for 10 % off
    fixed_amount: Decimal | None  # as Shopify states it, in fixed_currency
    fixed_currency: str | None


@dataclass(frozen=True)
class DiscountAllocation:
    amount: Decimal
    application: DiscountApplication


@dataclass(frozen=True)
class Duty:
    id: str
    harmonized_system_code: str | None
    amount: Decimal
    tax_lines: tuple[TaxLine, ...]


@dataclass(frozen=True)
class LineItem:
    id: str
    name: str
    title: str
    variant_title: str | None
    sku: str | None  # the line's SKU, else the variant's
    barcode: str | None
    vendor: str | None
    variant_id: str | None  # None when the variant was deleted
    product_id: str | None
    quantity: int
    current_quantity: int
    is_gift_card: bool
    requires_shipping: bool
    taxable: bool
    unit_price: Decimal  # originalUnitPriceSet; tax-included when the order's taxes are
    original_total: Decimal
    tax_lines: tuple[TaxLine, ...]
    discount_allocations: tuple[DiscountAllocation, ...]
    duties: tuple[Duty, ...]
    custom_attributes: tuple[tuple[str, str | None], ...]

    @property
    def discount_total(self):
        return sum((a.amount for a in self.discount_allocations), Decimal(0))

    @property
    def is_tip(self):
        # Shopify records a tip as an unshipped line titled "Tip" with no product behind it.
        return (self.title == "Tip" and self.variant_id is None and self.product_id is None
                and not self.is_gift_card and not self.requires_shipping)


@dataclass(frozen=True)
class ShippingLine:
    id: str  # nullable in the schema: "<order gid>/ShippingLine/<index>" stands in for a missing one
    title: str
    code: str | None
    source: str | None
    carrier_identifier: str | None
    original_price: Decimal
    discounted_price: Decimal
    current_discounted_price: Decimal
    tax_lines: tuple[TaxLine, ...]
    discount_allocations: tuple[DiscountAllocation, ...]

    @property
    def discount_total(self):
        return sum((a.amount for a in self.discount_allocations), Decimal(0))


@dataclass(frozen=True)
class AdditionalFee:
    id: str
    name: str
    amount: Decimal
    tax_lines: tuple[TaxLine, ...]


@dataclass(frozen=True)
class Transaction:
    id: str
    kind: str  # OrderTransactionKind
    status: str  # OrderTransactionStatus
    gateway: str | None
    formatted_gateway: str | None
    amount: Decimal
    processed_at: datetime | None
    created_at: datetime
    test: bool
    error_code: str | None
    payment_id: str | None
    parent_id: str | None


@dataclass(frozen=True)
class RefundLineItem:
    line_item_id: str
    quantity: int
    subtotal: Decimal  # after discounts; tax-included when the order's prices are
    total_tax: Decimal
    restock_type: str | None = None  # RefundLineItemRestockType: CANCEL, NO_RESTOCK, RETURN, LEGACY_RESTOCK
    restocked: bool = False


@dataclass(frozen=True)
class RefundShippingLine:
    shipping_line_id: str | None  # None only while reading: the order's only shipping line then
    subtotal: Decimal
    tax: Decimal


@dataclass(frozen=True)
class OrderAdjustment:
    """A refund's discrepancy between the calculated and the actual refund. ``amount`` is
    Shopify's ``amountSet``: calculated − actual (negative when more was paid back than the
    refunded lines come to), as the REST documentation's examples show; GraphQL's says no sign."""

    id: str
    amount: Decimal
    tax: Decimal
    reason: str | None


@dataclass(frozen=True)
class Refund:
    id: str
    created_at: datetime
    note: str | None
    total_refunded: Decimal
    line_items: tuple[RefundLineItem, ...]
    shipping_lines: tuple[RefundShippingLine, ...]
    adjustments: tuple[OrderAdjustment, ...] = ()
    transaction_ids: tuple[str, ...] = ()

    @property
    def restocked(self):
        return any(item.restocked for item in self.line_items)


@dataclass(frozen=True)
class EditSale:
    """What an edit changed of one line, as Shopify states it (a ProductSale): negative for
    units removed, positive for units added; ``amount`` after discounts and with tax."""

    line_item_id: str
    quantity: int
    amount: Decimal | None  # None when the payload did not state it
    tax: Decimal | None
    taxes: tuple[tuple[TaxKey, Decimal], ...]  # per tax line; empty when Shopify gave none


@dataclass(frozen=True)
class OrderEdit:
    """One committed order edit (an OrderEditAgreement): when, and what it changed."""

    id: str
    happened_at: datetime
    line_item_ids: tuple[str, ...]
    sales: tuple[EditSale, ...] = ()


@dataclass(frozen=True)
class Address:
    first_name: str | None
    last_name: str | None
    name: str | None
    company: str | None
    address1: str | None
    address2: str | None
    city: str | None
    province: str | None
    province_code: str | None
    zip: str | None
    country: str | None
    country_code: str | None  # ISO 3166-1 alpha-2 (countryCodeV2)
    phone: str | None


@dataclass(frozen=True)
class Customer:
    id: str
    legacy_id: str | None
    first_name: str | None
    last_name: str | None
    display_name: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class PurchasingCompany:
    company_id: str
    company_name: str
    location_id: str | None
    location_name: str | None


@dataclass(frozen=True)
class FulfillmentOrder:
    id: str
    status: str
    location_id: str | None
    location_name: str | None


@dataclass(frozen=True)
class FulfillmentLine:
    line_item_id: str
    quantity: int | None  # FulfillmentLineItem.quantity is nullable in the schema


@dataclass(frozen=True)
class Fulfillment:
    """A shipment Shopify made (Order.fulfillments): which units left, when and from where."""

    id: str
    name: str | None
    status: str  # FulfillmentStatus: SUCCESS is shipped; CANCELLED, ERROR, FAILURE are not
    created_at: datetime
    location_id: str | None  # Location is nullable in the schema
    location_name: str | None
    lines: tuple[FulfillmentLine, ...]
    all_lines_read: bool = True  # False when Shopify has more fulfillment line items than one page


@dataclass(frozen=True)
class OrderHeader:
    """What the order list shows and the eligibility rules read (fragment OrderHeader)."""

    id: str
    legacy_id: str | None
    name: str
    number: int
    created_at: datetime
    processed_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None
    closed_at: datetime | None
    test: bool
    source_name: str | None
    email: str | None
    tags: tuple[str, ...]
    side: str  # "shop" | "presentment": the side every amount of this object comes from
    currency: str  # of that side
    shop_currency: str
    presentment_currency: str
    financial_status: str | None  # OrderDisplayFinancialStatus name
    fulfillment_status: str  # OrderDisplayFulfillmentStatus name
    customer_id: str | None
    customer_name: str | None
    total_price: Decimal
    current_total_price: Decimal
    odoo_id: str | None  # metafield custom.odoo_id
    # Shopify's figures now (None when a payload predates them in the header fragment)
    taxes_included: bool | None = None
    current_subtotal: Decimal | None = None
    current_total_discounts: Decimal | None = None
    current_shipping: Decimal | None = None
    current_total_tax: Decimal | None = None
    total_outstanding: Decimal | None = None
    # paymentGatewayNames: the gateways the order was paid through (None: not asked for)
    payment_gateway_names: tuple[str, ...] | None = None

    @property
    def cancelled(self):
        return self.cancelled_at is not None


@dataclass(frozen=True)
class OrderTotals:
    """Shopify's own figures; "current" is after refunds, edits and cancellation."""

    subtotal: Decimal
    current_subtotal: Decimal
    total_discounts: Decimal
    current_total_discounts: Decimal
    current_shipping: Decimal
    total_tax: Decimal
    current_total_tax: Decimal
    total_tip: Decimal
    original_duties: Decimal
    current_duties: Decimal | None  # None: Shopify states no total (the field is nullable)
    current_additional_fees: Decimal | None
    total_received: Decimal
    total_refunded: Decimal
    total_outstanding: Decimal
    tax_lines: tuple[TaxLine, ...]
    current_tax_lines: tuple[TaxLine, ...]


@dataclass(frozen=True)
class ShopifyOrder:
    header: OrderHeader
    confirmation_number: str | None
    source_identifier: str | None
    app_name: str | None
    retail_location_id: str | None
    taxes_included: bool
    tax_exempt: bool
    duties_included: bool
    estimated_taxes: bool
    phone: str | None
    note: str | None
    po_number: str | None
    discount_codes: tuple[str, ...]
    payment_gateway_names: tuple[str, ...]
    custom_attributes: tuple[tuple[str, str | None], ...]
    customer: Customer | None
    company: PurchasingCompany | None
    billing_address: Address | None
    shipping_address: Address | None
    line_items: tuple[LineItem, ...]
    discount_applications: tuple[DiscountApplication, ...]
    shipping_lines: tuple[ShippingLine, ...]  # removed ones left out
    additional_fees: tuple[AdditionalFee, ...]
    transactions: tuple[Transaction, ...]
    fulfillment_orders: tuple[FulfillmentOrder, ...]
    refunds: tuple[Refund, ...]  # oldest first
    totals: OrderTotals
    edited: bool = False
    edits: tuple[OrderEdit, ...] = ()  # read separately (OrderEdits) for edited orders, oldest first
    cash_rounding_payment: Decimal = Decimal(0)  # totalCashRoundingAdjustment.paymentSet
    cash_rounding_refund: Decimal = Decimal(0)  # totalCashRoundingAdjustment.refundSet
    fulfillments: tuple[Fulfillment, ...] = ()  # oldest first; none in payloads from before they were read

    @property
    def currency(self):
        return self.header.currency

    @property
    def label(self):
        """How messages name the order: ``#1001 (gid://shopify/Order/1)``."""
        return f"{self.header.name} ({self.header.id})"
