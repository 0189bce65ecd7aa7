"""What Odoo holds for one Shopify order, and the actions that bring it up to date.

Every document is keyed by its Shopify source: the sale invoice by the Order GID, a
refund's credit note by the Refund GID, an edit's further invoice or credit note by the
OrderEditAgreement GID, a payment by the transaction GID, a validated delivery by the
Fulfillment GID. An action whose key Odoo already holds is simply absent from the next plan,
so applying a plan twice does nothing.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

# Document kinds (the moves' ``shopify_document_kind``).
SALE, REFUND, EDIT = "sale", "refund", "edit"
INVOICE, CREDIT_NOTE = "out_invoice", "out_refund"


@dataclass(frozen=True)
class HeldDocument:
    key: str
    kind: str  # SALE | REFUND | EDIT
    move_type: str  # INVOICE | CREDIT_NOTE
    state: str  # draft | posted (cancelled documents are not held)
    quantities: tuple[tuple[str, int], ...]  # (LineItem GID, units) of its item lines
    total: Decimal  # its amount_total, in the order's currency
    rounding: Decimal = Decimal(0)  # what its "Cash rounding" lines come to


@dataclass(frozen=True)
class HeldSaleOrder:
    state: str  # draft | sent | sale | cancel
    quantities: tuple[tuple[str, int], ...]  # (LineItem GID, units) of its item lines
    created_at: datetime | None = None  # when Odoo made it (aware UTC)


@dataclass(frozen=True)
class Held:
    sale_order: HeldSaleOrder | None = None
    documents: tuple[HeldDocument, ...] = ()
    payments: frozenset = frozenset()  # transaction GIDs
    # Documents cancelled in Odoo, (key, move type): they block their own replacement until
    # Reset detaches them, so that a cancel by hand is never silently undone.
    cancelled: frozenset = frozenset()
    # An invoice made before documents were keyed by their source (Synco < 19.0.1.1) booked
    # the order net of the refunds Shopify listed then: those refunds are in it already.
    folded_refunds: frozenset = frozenset()
    fulfillments: frozenset = frozenset()  # Fulfillment GIDs whose delivery Odoo validated

    def document(self, key, move_type):
        return next((d for d in self.documents if d.key == key and d.move_type == move_type), None)


@dataclass(frozen=True)
class BookingPolicy:
    """The store's settings that decide what is booked."""

    sale_order: bool  # the store makes sale orders
    invoice: bool  # the store makes invoices (drafts or posted)
    paid_only: bool  # "paid orders only": the sale is invoiced once money came in
    payments: bool  # register Shopify's transactions as payments


@dataclass(frozen=True)
class Document:
    """An invoice or credit note to create."""

    key: str
    kind: str
    move_type: str
    date: date
    lines: tuple  # PlanLine: positive amounts
    label: str  # what the history and messages call it
    note: str | None = None
    restocked: bool | None = None  # a refund's: whether Shopify restocked what it took back

    @property
    def total(self):
        return sum((line.total for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Delivery:
    """A Shopify shipment Odoo's delivery carries out: these units leave on that day. Keyed by
    the Fulfillment GID; ``problem`` says why it cannot be validated automatically (it is then
    left to the warehouse, with the reason on the order)."""

    fulfillment_id: str
    name: str  # Shopify's name of the shipment (#1001.1)
    shipped_at: datetime  # Fulfillment.createdAt, UTC: the delivery's date done
    day: date  # shipped_at's day in the shop's time zone: the stock moves' accounting date
    location_id: str | None  # the Shopify location it left from (None: Shopify does not say)
    location_name: str | None
    lines: tuple[tuple[str, int], ...]  # (LineItem GID, units shipped) of goods lines
    problem: str | None = None


@dataclass(frozen=True)
class LifecyclePlan:
    create_sale_order: bool = False
    sale_order_lines: tuple | None = None  # new item lines of a sale order not invoiced yet (None: unchanged)
    cancel_sale_order: bool = False
    flag_cancelled: bool = False  # cancelled in Shopify after invoicing: the sale order says so
    documents: tuple[Document, ...] = ()
    payments: tuple = ()  # PlanPayment not registered yet
    waiting: str | None = None  # why the sale is not invoiced yet
    deliveries: tuple[Delivery, ...] = ()  # Shopify shipments whose Odoo delivery is to validate

    @property
    def empty(self):
        return not (self.create_sale_order or self.sale_order_lines is not None or self.cancel_sale_order
                    or self.documents or self.payments or self.deliveries)
