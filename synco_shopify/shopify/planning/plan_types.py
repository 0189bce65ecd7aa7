"""What Odoo should contain for one Shopify order, in Shopify's keys (the writer maps them to ids)."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..reading.order import SIDES, TaxKey

# PlanLine.kind values. Only PRODUCT lines carry a product key; the others map to service products.
PRODUCT = "product"
DISCOUNT = "discount"
SHIPPING = "shipping"
TIP = "tip"
DUTY = "duty"
FEE = "fee"
GIFT_CARD = "gift_card"
# A refund's discrepancy (OrderAdjustment) and a POS cash payment's rounding.
ADJUSTMENT = "adjustment"
CASH_ROUNDING = "cash_rounding"
LINE_KINDS = (PRODUCT, DISCOUNT, SHIPPING, TIP, DUTY, FEE, GIFT_CARD, ADJUSTMENT, CASH_ROUNDING)


@dataclass(frozen=True)
class PlanSettings:
    side: str = "shop"  # the MoneyBag side the order was parsed with: "shop" | "presentment"
    include_tags: bool = True
    include_note_attributes: bool = True
    name_prefix: str | None = None  # "SHOP-" names the order SHOP-1001; None leaves Odoo's sequence
    timezone: str = "UTC"  # the shop's IANA zone: the invoice date is processedAt's day there
    shopify_ships: bool = False  # Shopify's shipments validate the confirmed sale order's deliveries
    # When the store switched to Shopify ships (aware UTC): an order booked before then had its
    # deliveries in the warehouse's hands, so its earlier shipments are not validated again.
    ships_since: datetime | None = None

    def __post_init__(self):
        if self.side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, not {self.side!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone: {self.timezone!r} is not an IANA time zone name") from None


@dataclass(frozen=True)
class ProductKey:
    """Everything that can find or create the Odoo product, best key first."""

    variant_id: str | None  # None when the variant was deleted in Shopify
    product_id: str | None
    sku: str | None
    barcode: str | None
    title: str
    variant_title: str | None


@dataclass(frozen=True)
class PlanLine:
    kind: str  # one of LINE_KINDS
    product: ProductKey | None  # PRODUCT lines only
    name: str
    quantity: int  # current quantity: refunded units are gone
    price_unit: Decimal  # at the currency's digits; tax-included when the taxes are
    discount_percent: Decimal  # 0..100, at most 2 decimals; reproduces ``base`` under Odoo's formula
    base: Decimal  # exact untaxed amount of the line
    taxes: tuple[tuple[TaxKey, Decimal], ...]  # exact amount per Shopify tax; Odoo must not recompute
    source_id: str | None  # the Shopify line (LineItem, ShippingLine, Duty, AdditionalFee) it comes from
    # Shopify's discount that ``discount_percent`` stands for (in price_unit's tax mode), and the
    # codes or titles of its discounts: documents say it in Shopify's words, whether or not
    # the company shows Odoo's discount column.
    folded_discount: Decimal = Decimal(0)
    discount_label: str = ""

    @property
    def tax(self):
        return sum((amount for _, amount in self.taxes), Decimal(0))

    @property
    def channel_tax(self):
        """The part of ``tax`` the sales channel remits (channelLiable): in the total the buyer
        paid, not the merchant's output tax (its Odoo tax books it apart, with no grid)."""
        return sum((amount for key, amount in self.taxes if key.channel_liable), Decimal(0))

    @property
    def total(self):
        return self.base + self.tax


@dataclass(frozen=True)
class PlanRefund:
    """One Shopify refund as its own credit note: what it takes back, on its own day."""

    refund_id: str  # Refund GID: the credit note's key
    date: date  # the refund's day in the shop's time zone
    created_at: datetime
    lines: tuple[PlanLine, ...]  # positive amounts: what is credited
    restocked: bool
    note: str | None
    transaction_ids: tuple[str, ...]

    @property
    def untaxed(self):
        return sum((line.base for line in self.lines), Decimal(0))

    @property
    def tax(self):
        return sum((line.tax for line in self.lines), Decimal(0))

    @property
    def total(self):
        return self.untaxed + self.tax


@dataclass(frozen=True)
class PlanPayment:
    transaction_id: str
    kind: str  # SALE | CAPTURE (inbound), REFUND | CHANGE (outbound)
    inbound: bool
    gateway: str  # Shopify's machine name, e.g. "shopify_payments", "gift_card", "manual"
    amount: Decimal  # positive, in the plan's currency
    date: datetime  # processedAt (createdAt when Shopify has none), UTC
    payment_id: str | None
    day: date | None = None  # the payment's date: ``date``'s day in the shop's time zone


@dataclass(frozen=True)
class PlanAddress:
    name: str | None
    company: str | None
    street: str | None
    street2: str | None
    city: str | None
    zip: str | None
    province_code: str | None
    province: str | None
    country_code: str | None
    country: str | None
    phone: str | None


@dataclass(frozen=True)
class PlanCompany:
    key: str  # Company GID
    name: str
    location_key: str | None  # CompanyLocation GID
    location_name: str | None


@dataclass(frozen=True)
class PlanCustomer:
    """``key`` is the Customer GID; for a guest checkout the lower-cased email; None when the
    order names nobody (the writer then uses the store's guest partner)."""

    key: str | None
    kind: str  # "customer" | "guest" | "anonymous"
    name: str
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    company: PlanCompany | None


@dataclass(frozen=True)
class ExpectedTotals:
    """Shopify's current figures (after refunds) the Odoo documents must reproduce."""

    untaxed: Decimal
    tax: Decimal
    total: Decimal
    taxes: tuple[tuple[TaxKey, Decimal], ...]  # Order.currentTaxLines, by title and rate


@dataclass(frozen=True)
class SyncPlan:
    order_id: str  # Order GID
    shopify_name: str  # "#1001": the customer reference
    name: str | None  # Odoo order name when a prefix is set, else None (Odoo's sequence)
    order_date: datetime  # processedAt, UTC
    invoice_date: date  # processedAt's day in the shop's time zone
    currency: str
    side: str
    taxes_included: bool
    customer: PlanCustomer
    billing_address: PlanAddress | None
    shipping_address: PlanAddress | None
    lines: tuple[PlanLine, ...]  # as sold: refunded units stay, units removed by an edit do not
    refunds: tuple[PlanRefund, ...]  # oldest first
    payments: tuple[PlanPayment, ...]
    refund_rounding: Decimal  # cash rounding of what was paid out, credited once (−refundSet)
    location_id: str | None  # Location GID the goods leave from
    tags: tuple[str, ...]  # empty unless settings.include_tags
    note_attributes: tuple[tuple[str, str | None], ...]  # empty unless include_note_attributes
    note: str | None
    po_number: str | None
    source_name: str | None
    test: bool
    cancelled: bool
    expected: ExpectedTotals

    @property
    def untaxed(self):
        """Net of refunds: the sale less every refund's credit note."""
        return (sum((line.base for line in self.lines), Decimal(0))
                - sum((refund.untaxed for refund in self.refunds), Decimal(0)))

    @property
    def tax(self):
        return (sum((line.tax for line in self.lines), Decimal(0))
                - sum((refund.tax for refund in self.refunds), Decimal(0)))

    @property
    def total(self):
        return self.untaxed + self.tax

    @property
    def channel_tax(self):
        """Net of refunds: tax the sales channel remits, not the merchant's (PlanLine.channel_tax)."""
        return (sum((line.channel_tax for line in self.lines), Decimal(0))
                - sum((line.channel_tax for refund in self.refunds for line in refund.lines), Decimal(0)))

    @property
    def sale_total(self):
        return sum((line.total for line in self.lines), Decimal(0))
