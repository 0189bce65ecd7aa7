"""``Order.agreements`` of a generated order: the OrderAgreement of the checkout and one
RefundAgreement per refund, from the priced sides (README "Agreements" of the simulator)."""
from ..sales import agreement, line_sale_kind, sale
from .money import half_up, to_minor


def _neg(pair):
    return (-pair[0], -pair[1])


def build(ctx, data):
    sides, order, included = ctx.sides, ctx.order, ctx.order.taxes_included
    gid, bag = ctx.ids.gid, lambda pair: ctx.purse.bag(pair[0], pair[1])
    sales = []
    for index, (line, item) in enumerate(zip(order.lines, data["lineItems"])):
        net = tuple(s.line_net[index] for s in sides)
        taxes = list(zip(sides[0].line_taxes[index], sides[1].line_taxes[index]))
        tax = (sum(t[0] for t in taxes), sum(t[1] for t in taxes))
        discount = tuple(sum(a for _, a in s.line_allocations[index]) for s in sides)
        typename, line_type = line_sale_kind(item)
        sales.append(sale(gid, bag, typename, line_type, "ORDER", line.quantity,
                          net if included else (net[0] + tax[0], net[1] + tax[1]), tax, discount,
                          list(zip(item["taxLines"], taxes)), lineItem=item))
        for duty in item["duties"] if not order.duties_included else ():
            # Duties inside the prices (dutiesIncluded) are already in the product's sale.
            duty_taxes = list(zip(sides[0].duty_taxes[index], sides[1].duty_taxes[index]))
            duty_tax = (sum(t[0] for t in duty_taxes), sum(t[1] for t in duty_taxes))
            price = (sides[0].duties[index], sides[1].duties[index])
            sales.append(sale(gid, bag, "DutySale", "DUTY", "ORDER", None,
                              price if included else (price[0] + duty_tax[0], price[1] + duty_tax[1]), duty_tax,
                              (0, 0), list(zip(duty["taxLines"], duty_taxes)), duty=duty))
    for index, item in enumerate(data["shippingLines"]):
        net = tuple(s.ship_net[index] for s in sides)
        taxes = list(zip(sides[0].ship_taxes[index], sides[1].ship_taxes[index]))
        tax = (sum(t[0] for t in taxes), sum(t[1] for t in taxes))
        discount = tuple(sum(a for _, a in s.ship_allocations[index]) for s in sides)
        sales.append(sale(gid, bag, "ShippingLineSale", "SHIPPING", "ORDER", 1,
                          net if included else (net[0] + tax[0], net[1] + tax[1]), tax, discount,
                          list(zip(item["taxLines"], taxes)), shippingLine=item))
    for index, (fee, item) in enumerate(zip(order.fees, data["additionalFees"])):
        taxes = list(zip(sides[0].fee_taxes[index], sides[1].fee_taxes[index]))
        tax = (sum(t[0] for t in taxes), sum(t[1] for t in taxes))
        sales.append(sale(gid, bag, "AdditionalFeeSale", "ADDITIONAL_FEE", "ORDER", None,
                          fee.price if included else (fee.price[0] + tax[0], fee.price[1] + tax[1]), tax, (0, 0),
                          list(zip(item["taxLines"], taxes)), additionalFee=item))
    found = [agreement(gid, "OrderAgreement", "ORDER", data["processedAt"], sales, order={"id": data["id"]})]
    for refund in data["refunds"]:
        found.append(agreement(gid, "RefundAgreement", "REFUND", refund["createdAt"],
                               _refund_sales(ctx, data, refund, gid, bag), refund=refund))
    return found


def _refund_sales(ctx, data, refund, gid, bag):
    """RETURN sales: minus each refunded line's (and shipping line's) refunded amounts."""
    included, purse = ctx.order.taxes_included, ctx.purse
    positions = {item["id"]: i for i, item in enumerate(data["lineItems"])}
    sales = []
    for item in refund["refundLineItems"]:
        index, quantity = positions[item["lineItem"]["id"]], item["quantity"]
        ordered = ctx.order.lines[index].quantity
        taxes = [(half_up(t0 * quantity, ordered), half_up(t1 * quantity, ordered))
                 for t0, t1 in zip(ctx.sides[0].line_taxes[index], ctx.sides[1].line_taxes[index])]
        tax = (sum(t[0] for t in taxes), sum(t[1] for t in taxes))
        unit = ctx.order.lines[index].unit
        subtotal = _pair(purse, item["subtotalSet"])
        discount = (unit[0] * quantity - subtotal[0], unit[1] * quantity - subtotal[1])
        money = subtotal if included else (subtotal[0] + tax[0], subtotal[1] + tax[1])
        typename, line_type = line_sale_kind(item["lineItem"])
        sales.append(sale(gid, bag, typename, line_type, "RETURN", -quantity, _neg(money), _neg(tax), _neg(discount),
                          [(t, _neg(a)) for t, a in zip(item["lineItem"]["taxLines"], taxes)],
                          lineItem=item["lineItem"]))
    for item in refund["refundShippingLines"]:
        subtotal, tax = _pair(purse, item["subtotalAmountSet"]), _pair(purse, item["taxAmountSet"])
        money = subtotal if included else (subtotal[0] + tax[0], subtotal[1] + tax[1])
        # The generator refunds shipping in full: all of each tax line goes back.
        taxes = [(t, _neg(_pair(purse, t["priceSet"]))) for t in item["shippingLine"]["taxLines"]]
        sales.append(sale(gid, bag, "ShippingLineSale", "SHIPPING", "RETURN", -1, _neg(money), _neg(tax), (0, 0),
                          taxes, shippingLine=None))
    return sales


def _pair(purse, bag):
    return (to_minor(bag["shopMoney"]["amount"], purse.shop),
            to_minor(bag["presentmentMoney"]["amount"], purse.presentment))
