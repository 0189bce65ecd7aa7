"""Sales agreements and their sales (``Order.agreements``), shaped once for the generator and the
order mutations.

Shopify creates an OrderAgreement at checkout, a RefundAgreement per refund and an
OrderEditAgreement per committed edit, each with one sale per order line it concerns.
Shopify does not publish every sign and amount; the simulator chooses (README "Agreements"):
- every amount of a sale is the change it brings to what the customer owes, so returned or
  removed units carry negative quantities and amounts, and the sales of one agreement add up to
  the change of ``currentTotalPriceSet`` it caused (at checkout: to ``totalPriceSet``);
- ``totalAmount`` is after discounts and with tax (the line's net, plus its tax when prices
  exclude tax); ``totalDiscountAmountAfterTaxes`` = ``totalDiscountAmountBeforeTaxes``, because
  discounts apply to prices before tax is computed on what is left.
"""


def sale(gid, bag, typename, line_type, action, quantity, total, tax, discount, taxes, **target):
    """One Sale. ``bag`` formats a (shop, presentment) pair; ``taxes`` pairs each tax line with
    its share of this sale; ``target`` is lineItem / shippingLine / duty / additionalFee."""
    return {
        "__typename": typename, "id": gid("Sale"), "actionType": action, "lineType": line_type,
        "quantity": quantity, "totalAmount": bag(total), "totalTaxAmount": bag(tax),
        "totalDiscountAmountBeforeTaxes": bag(discount), "totalDiscountAmountAfterTaxes": bag(discount),
        "taxes": [{"id": gid("SaleTax"), "amount": bag(amount), "taxLine": tax_line} for tax_line, amount in taxes],
        **target,
    }


def line_sale_kind(line):
    """(Sale type, SaleLineType) of a line item: tips and gift cards have their own."""
    if line.get("title") == "Tip" and line.get("variant") is None and not line.get("taxable"):
        return "TipSale", "TIP"
    if line.get("isGiftCard"):
        return "GiftCardSale", "GIFT_CARD"
    return "ProductSale", "PRODUCT"


def agreement(gid, typename, reason, happened_at, sales, **extra):
    return {"__typename": typename, "id": gid("SalesAgreement"), "happenedAt": happened_at, "reason": reason,
            "app": None, "user": None, "sales": sales, **extra}
