"""From a parsed Shopify order to the plan of what Odoo should contain (pure; the Odoo writer follows it).

Lines come in this order: product and gift card lines, shipping, duties, additional fees,
tips; a separate discount line always follows the line it discounts. ``check_plan``
(re-exported here) proves the plan reproduces Shopify's current figures to the cent.
"""
from zoneinfo import ZoneInfo

from ..money import ZERO
from ..reading.order_types import OrderDataError, TaxLine
from .plan_check import check_plan, expected_totals
from ..lifecycle.sold import refunded_line_item, refunded_shipping, sold_line_item
from .plan_current import Current
from .plan_lines import charge_lines
from .plan_types import (
    ADJUSTMENT,
    CASH_ROUNDING,
    DUTY,
    FEE,
    GIFT_CARD,
    PRODUCT,
    SHIPPING,
    TIP,
    PlanAddress,
    PlanCompany,
    PlanCustomer,
    PlanPayment,
    PlanRefund,
    PlanSettings,
    ProductKey,
    SyncPlan,
)

__all__ = ["build_plan", "check_plan", "PlanSettings", "SyncPlan"]

_INBOUND = {"SALE", "CAPTURE"}
# CHANGE is the cash a POS hands back: money leaving, like a refund.
_OUTBOUND = {"REFUND", "CHANGE"}


def build_plan(order, settings):
    if order.header.side != settings.side:
        raise ValueError(f"The order was parsed on the {order.header.side} side, the settings ask for "
                         f"the {settings.side} side: parse it with side={settings.side!r}.")
    header = order.header
    return SyncPlan(
        order_id=header.id,
        shopify_name=header.name,
        name=None if settings.name_prefix is None else f"{settings.name_prefix}{header.number}",
        order_date=header.processed_at,
        invoice_date=local_day(header.processed_at, settings),
        currency=order.currency,
        side=header.side,
        taxes_included=order.taxes_included,
        customer=_customer(order),
        billing_address=_address(order.billing_address),
        shipping_address=_address(order.shipping_address),
        lines=(*_item_lines(order), *_shipping_lines(order), *_duty_lines(order), *_fee_lines(order),
               *_tip_lines(order), *_cash_rounding_lines(order)),
        refunds=tuple(_refund(order, refund, settings) for refund in order.refunds),
        # refundSet is applied to totalRefunded as paymentSet is to totalReceived: the credit
        # notes credit what the till paid out (the lifecycle puts it on a new credit note).
        refund_rounding=-order.cash_rounding_refund,
        payments=_payments(order, settings),
        location_id=next((f.location_id for f in order.fulfillment_orders if f.location_id), None)
        or order.retail_location_id,
        tags=header.tags if settings.include_tags else (),
        note_attributes=order.custom_attributes if settings.include_note_attributes else (),
        note=order.note,
        po_number=order.po_number,
        source_name=header.source_name,
        test=header.test,
        cancelled=header.cancelled,
        expected=expected_totals(order),
    )


def _charge(order, current, **what):
    return charge_lines(current, currency=order.currency, taxes_included=order.taxes_included, **what)


def _item_lines(order):
    for line in order.line_items:
        if line.is_tip:
            continue
        sold = sold_line_item(order, line)
        if not sold.quantity:
            continue  # every unit was removed by an edit before anything was refunded
        yield from _item_charge(order, line, sold)


def _item_charge(order, line, amounts):
    kind = TIP if line.is_tip else GIFT_CARD if line.is_gift_card else PRODUCT
    return _charge(order, amounts, kind=kind, name=line.name, product=product_key(line), source_id=line.id,
                   discount_name=_discount_name(line.name, line.discount_allocations),
                   discount_label=_discount_labels(line.discount_allocations))


def product_key(line):
    if line.is_gift_card or line.is_tip:
        return None
    return ProductKey(variant_id=line.variant_id, product_id=line.product_id, sku=line.sku, barcode=line.barcode,
                      title=line.title, variant_title=line.variant_title)


def _shipping_lines(order):
    for shipping in order.shipping_lines:
        net = shipping.original_price - shipping.discount_total
        if net != shipping.discounted_price:
            raise OrderDataError(f"Shopify order {order.label}: shipping line {shipping.title!r}: "
                                 f"discountedPriceSet is {shipping.discounted_price}, but "
                                 f"{shipping.original_price} less its discounts is {net}.")
        if net < 0:
            raise OrderDataError(f"Shopify order {order.label}: shipping line {shipping.title!r}: its "
                                 f"discounts exceed its price {shipping.original_price}.")
        sold = Current(quantity=1, price_unit=shipping.original_price, discount=shipping.discount_total,
                       net=net, taxes=tuple((tax.key, tax.amount) for tax in shipping.tax_lines), refunded=False)
        yield from _charge(order, sold, kind=SHIPPING, name=shipping.title, product=None,
                           source_id=shipping.id,
                           discount_name=_discount_name(shipping.title, shipping.discount_allocations),
                           discount_label=_discount_labels(shipping.discount_allocations))


def _cash_rounding_lines(order):
    """A POS cash payment rounded to the coin: the invoice bills what the till took, so no
    stray cent stays open. ``paymentSet`` is what "can be applied to totalReceived" to give
    the amount due (schema), i.e. due − received: the invoice's rounding line is its negative."""
    if order.cash_rounding_payment:
        yield cash_rounding_line(order.currency, order.taxes_included, -order.cash_rounding_payment)


def _refund(order, refund, settings):
    """One refund's credit note: its lines, its shipping and its adjustments, as the refund states them."""
    lines = []
    by_id = {line.id: line for line in order.line_items}
    for item in refund.line_items:
        line = by_id[item.line_item_id]
        lines += _item_charge(order, line, refunded_line_item(order, line, refund, item))
    shipping_by_id = {s.id: s for s in order.shipping_lines}
    for item in refund.shipping_lines:
        shipping = shipping_by_id[item.shipping_line_id]
        lines += _charge(order, refunded_shipping(order, shipping, refund, item), kind=SHIPPING,
                         name=shipping.title, product=None, source_id=shipping.id, discount_name="")
    for adjustment in refund.adjustments:
        # amountSet is calculated − actual: a negative one paid back more than the lines.
        lines += _charge(order, _flat(-adjustment.amount, _adjustment_taxes(order, adjustment)),
                         kind=ADJUSTMENT, name=_adjustment_name(adjustment), product=None,
                         source_id=adjustment.id, discount_name="")
    # Refund.createdAt is nullable in the schema: the order's last update stands in for it.
    moment = refund.created_at or order.header.updated_at
    return PlanRefund(
        refund_id=refund.id, date=local_day(moment, settings), created_at=moment,
        lines=tuple(lines), restocked=refund.restocked, note=refund.note, transaction_ids=refund.transaction_ids,
    )


def _adjustment_taxes(order, adjustment):
    """An adjustment's tax has no tax line of its own: the order's largest tax takes it."""
    if not adjustment.tax:
        return ()
    taxes = [t for t in order.totals.tax_lines if t.amount]
    if not taxes:
        raise OrderDataError(f"Shopify order {order.label}: refund adjustment {adjustment.id} carries tax "
                             f"{adjustment.tax}, but the order has no tax to book it on.")
    largest = max(taxes, key=lambda t: t.amount)
    return (TaxLine(key=largest.key, amount=-adjustment.tax),)


def _adjustment_name(adjustment):
    reason = (adjustment.reason or "REFUND_DISCREPANCY").replace("_", " ").lower()
    return f"Refund adjustment ({reason})"


def cash_rounding_line(currency, taxes_included, amount):
    """A "Cash rounding" line of ``amount`` (no tax)."""
    return charge_lines(_flat(amount, ()), kind=CASH_ROUNDING, name="Cash rounding", product=None, source_id=None,
                        discount_name="", currency=currency, taxes_included=taxes_included)[0]


def local_day(moment, settings):
    return moment.astimezone(ZoneInfo(settings.timezone)).date()


def _duty_lines(order):
    if order.duties_included:
        return  # the line prices already hold the duties
    for line in order.line_items:
        for duty in line.duties:
            code = f" (HS {duty.harmonized_system_code})" if duty.harmonized_system_code else ""
            yield from _charge(order, _flat(duty.amount, duty.tax_lines), kind=DUTY,
                               name=f"Duty: {line.name}{code}", product=None, source_id=duty.id,
                               discount_name="")


def _fee_lines(order):
    for fee in order.additional_fees:
        yield from _charge(order, _flat(fee.amount, fee.tax_lines), kind=FEE, name=fee.name,
                           product=None, source_id=fee.id, discount_name="")


def _tip_lines(order):
    tips = [line for line in order.line_items if line.is_tip]
    for line in tips:
        current = sold_line_item(order, line)
        if current.quantity:
            yield from _charge(order, current, kind=TIP, name=line.name, product=None, source_id=line.id,
                               discount_name=_discount_name(line.name, line.discount_allocations))
    if not tips and order.totals.total_tip:
        # Only the order's total says there was a tip: one line for it, tied to no Shopify line.
        yield from _charge(order, _flat(order.totals.total_tip, ()), kind=TIP, name="Tip", product=None,
                           source_id=None, discount_name="")


def _flat(amount, tax_lines):
    """A charge Shopify never discounts nor refunds by line (duty, fee, tip)."""
    return Current(quantity=1, price_unit=amount, discount=ZERO, net=amount,
                   taxes=tuple((tax.key, tax.amount) for tax in tax_lines), refunded=False)


def _discount_name(name, allocations):
    labels = _discount_labels(allocations)
    return f"Discount on {name}" + (f" ({labels})" if labels else "")


def _discount_labels(allocations):
    return ", ".join(dict.fromkeys(a.application.label for a in allocations))


def _payments(order, settings):
    payments = []
    for t in order.transactions:
        if t.status != "SUCCESS" or t.kind not in _INBOUND | _OUTBOUND or not t.amount:
            continue
        if t.test and not order.header.test:
            continue
        # Transaction.gateway is nullable: no gateway is "", which no mapping matches, and
        # the resolver says which field is missing.
        payments.append(PlanPayment(
            transaction_id=t.id, kind=t.kind, inbound=t.kind in _INBOUND, gateway=t.gateway or "",
            amount=abs(t.amount), date=t.processed_at or t.created_at, payment_id=t.payment_id,
            day=local_day(t.processed_at or t.created_at, settings),
        ))
    return tuple(payments)


def _customer(order):
    customer, header, billing = order.customer, order.header, order.billing_address
    email = (customer and customer.email) or header.email
    phone = (customer and customer.phone) or order.phone or (billing and billing.phone)
    if customer:
        key, kind = customer.id, "customer"
        first, last = customer.first_name, customer.last_name
    elif email:
        key, kind = email.strip().lower(), "guest"
        first, last = (billing.first_name, billing.last_name) if billing else (None, None)
    else:
        key, kind = None, "anonymous"
        first, last = (billing.first_name, billing.last_name) if billing else (None, None)
    name = ((customer and customer.display_name) or _join(first, last) or (billing and billing.name)
            or email or "Shopify customer")
    company = order.company
    return PlanCustomer(
        key=key, kind=kind, name=name, first_name=first, last_name=last, email=email, phone=phone,
        company=company and PlanCompany(key=company.company_id, name=company.company_name,
                                        location_key=company.location_id,
                                        location_name=company.location_name),
    )


def _address(address):
    if address is None:
        return None
    return PlanAddress(
        name=address.name or _join(address.first_name, address.last_name), company=address.company,
        street=address.address1, street2=address.address2, city=address.city, zip=address.zip,
        province_code=address.province_code, province=address.province,
        country_code=address.country_code, country=address.country, phone=address.phone,
    )


def _join(*parts):
    return " ".join(p for p in parts if p) or None
