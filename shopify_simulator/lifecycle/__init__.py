"""Shopify's side of an order's life after checkout: refunds, cancellation, edits, captures,
payments marked by hand and shipments, as GraphQL mutations that change the stored order (README
"Order mutations"). Each mutation works on a copy of the order, settles every derived figure
(settle.py) and swaps the copy in."""
from .cancel import order_cancel
from .edits import EDIT_MUTATIONS
from .fulfillments import fulfillment_create
from .payments import order_capture, order_mark_as_paid
from .refunds import refund_create
from .state import LifecycleState

LIFECYCLE_MUTATIONS = {
    ("Mutation", "refundCreate"): refund_create,
    ("Mutation", "orderCancel"): order_cancel,
    ("Mutation", "orderCapture"): order_capture,
    ("Mutation", "orderMarkAsPaid"): order_mark_as_paid,
    ("Mutation", "fulfillmentCreate"): fulfillment_create,
    **EDIT_MUTATIONS,
}

__all__ = ["LIFECYCLE_MUTATIONS", "LifecycleState"]
