"""An order before its money is computed: what was bought, which discounts and taxes apply, how it
was paid, refunded and fulfilled. Money inputs are pairs (shop, presentment) of minor units; every
total is computed later, separately on each side (pricing.py)."""
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(slots=True)
class LineDraft:
    title: str
    variant_title: str | None
    sku: str | None
    vendor: str | None
    variant: dict | None
    product: dict | None
    quantity: int
    unit: tuple                      # (shop, presentment) unit price before discounts
    taxes: tuple = ()                # TaxRate, in the order Shopify lists them
    gift_card: bool = False
    tip: bool = False                # Shopify's tip: a line titled "Tip", untaxed, never shipped
    requires_shipping: bool = True
    grams: int = 0
    duty: "DutyDraft | None" = None
    attributes: list = field(default_factory=list)


@dataclass(slots=True)
class DutyDraft:
    hs_code: str
    origin: str
    rate: Decimal                    # of the line's net price
    taxes: tuple = ()                # import tax charged on the duty itself


@dataclass(slots=True)
class DiscountDraft:
    """A discount application. Line-level ones select EXPLICIT lines; the order-level ones
    (code, automatic, manual on the cart) select ALL or ENTITLED lines or shipping lines."""
    typename: str                    # DiscountCodeApplication, AutomaticDiscountApplication, ...
    method: str                      # ACROSS or EACH
    selection: str                   # ALL, ENTITLED or EXPLICIT
    target: str                      # LINE_ITEM or SHIPPING_LINE
    entitled: tuple                  # indexes into lines or shipping lines
    percentage: Decimal | None = None
    amount: tuple | None = None      # fixed (shop, presentment); per unit when EACH
    code: str | None = None
    title: str | None = None
    description: str | None = None

    @property
    def line_level(self):
        return self.selection == "EXPLICIT"


@dataclass(slots=True)
class ShippingDraft:
    title: str
    code: str
    source: str
    carrier: str | None
    price: tuple
    taxes: tuple = ()


@dataclass(slots=True)
class FeeDraft:
    name: str
    price: tuple
    taxes: tuple = ()


@dataclass(slots=True)
class Tender:
    gateway: str
    formatted: str
    share: Decimal | None = None     # of the amount paid; None for the last tender, which takes the rest
    manual: bool = False


@dataclass(slots=True)
class PaymentDraft:
    tenders: list
    flow: str = "sale"               # sale, auth_capture, auth_only or pending
    failed_first: bool = False       # a declined attempt before the payment that went through
    paid_share: Decimal | None = None  # partially paid orders: the share of the total received
    pending_rest: bool = False       # ... with the rest awaiting a manual payment
    captured_at: int = 0
    cash_rounding: bool = False      # cash paid in nickels; the difference is the rounding adjustment


@dataclass(slots=True)
class RefundDraft:
    at: int
    lines: tuple                     # (line index, quantity); a line is refunded at most once
    shipping: tuple = ()             # shipping line indexes, refunded in full
    note: str | None = None
    restock: str = "NO_RESTOCK"


@dataclass(slots=True)
class CancelDraft:
    reason: str
    at: int


@dataclass(slots=True)
class FulfillmentDraft:
    location: dict
    status: str                      # FulfillmentOrderStatus
    lines: tuple                     # line indexes
    at: int


@dataclass(slots=True)
class OrderDraft:
    number: int
    created_at: int
    processed_at: int
    shop_currency: str
    currency: str                    # presentment
    rate: Decimal | None             # presentment per shop unit; None when both are the same
    taxes_included: bool
    lines: list
    payment: PaymentDraft
    duties_included: bool = False
    discounts: list = field(default_factory=list)
    shipping: list = field(default_factory=list)
    fees: list = field(default_factory=list)
    refunds: list = field(default_factory=list)
    cancel: CancelDraft | None = None
    fulfillments: list = field(default_factory=list)
    test: bool = False
    source_name: str = "web"
    source_identifier: str | None = None
    app: dict | None = None
    retail_location: dict | None = None
    customer: dict | None = None
    company: dict | None = None      # PurchasingCompany
    email: str | None = None
    phone: str | None = None
    po_number: str | None = None
    billing: dict | None = None
    shipping_address: dict | None = None
    confirmation: str | None = None
    note: str | None = None
    tags: list = field(default_factory=list)
    attributes: list = field(default_factory=list)
    scenarios: list = field(default_factory=list)
