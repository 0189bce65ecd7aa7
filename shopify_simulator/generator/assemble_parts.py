"""The nested objects of an order: tax lines, discount applications, line items, shipping lines,
duties, fees, refunds and fulfillment orders, from the draft and its two priced sides."""
from .money import half_up


def tax_lines(purse, rates, shop_amounts, presentment_amounts):
    return [{"title": rate.title, "rate": float(rate.rate), "ratePercentage": float(rate.rate * 100),
             "source": "Shopify", "channelLiable": False, "priceSet": purse.bag(shop, presentment)}
            for rate, shop, presentment in zip(rates, shop_amounts, presentment_amounts)]


def discount_application(purse, index, discount):
    if discount.percentage is not None:
        # Shopify's responses carry the percentage as a positive number (10.0 for 10 % off).
        value = {"__typename": "PricingPercentageValue", "percentage": float(discount.percentage)}
    else:
        value = {"__typename": "MoneyV2", **purse.money(discount.amount[1])}
    application = {"__typename": discount.typename, "index": index, "allocationMethod": discount.method,
                   "targetSelection": discount.selection, "targetType": discount.target, "value": value}
    if discount.typename == "DiscountCodeApplication":
        application["code"] = discount.code
    else:
        application["title"] = discount.title
    if discount.typename == "ManualDiscountApplication":
        application["description"] = discount.description
    return application


def allocations(purse, applications, shop_allocations, presentment_allocations):
    return [{"allocatedAmountSet": purse.bag(shop, presentment), "discountApplication": applications[index]}
            for (index, shop), (_, presentment) in zip(shop_allocations, presentment_allocations)
            if shop or presentment]


def line_item(ctx, index, line, refunded, unfulfilled):
    purse, sides, ids = ctx.purse, ctx.sides, ctx.ids
    figures = [(s.line_total[index], s.line_level[index], s.line_net[index]) for s in sides]
    current = line.quantity - refunded
    duties = []
    if line.duty is not None:
        duties.append({
            "id": ids.gid("Duty"), "harmonizedSystemCode": line.duty.hs_code,
            "countryCodeOfOrigin": line.duty.origin,
            "price": purse.bag(sides[0].duties[index], sides[1].duties[index]),
            "taxLines": tax_lines(purse, line.duty.taxes, sides[0].duty_taxes[index], sides[1].duty_taxes[index]),
        })
    return {
        "id": ids.gid("LineItem"),
        "name": f"{line.title} - {line.variant_title}" if line.variant_title else line.title,
        "title": line.title, "variantTitle": line.variant_title, "sku": line.sku, "vendor": line.vendor,
        "quantity": line.quantity, "currentQuantity": current, "refundableQuantity": current,
        "unfulfilledQuantity": unfulfilled, "nonFulfillableQuantity": line.quantity if line.tip else refunded,
        "isGiftCard": line.gift_card, "requiresShipping": line.requires_shipping,
        "taxable": not (line.gift_card or line.tip), "variant": line.variant, "product": line.product,
        "originalUnitPriceSet": purse.bag(line.unit[0], line.unit[1]),
        "originalTotalSet": purse.bag(figures[0][0], figures[1][0]),
        "totalDiscountSet": purse.bag(figures[0][1], figures[1][1]),
        "discountedTotalSet": purse.bag(figures[0][0] - figures[0][1], figures[1][0] - figures[1][1]),
        "discountedUnitPriceSet": purse.bag(*(half_up(total - level, line.quantity) for total, level, _ in figures)),
        "discountedUnitPriceAfterAllDiscountsSet": purse.bag(*(half_up(net, line.quantity) for _, _, net in figures)),
        "taxLines": tax_lines(purse, line.taxes, sides[0].line_taxes[index], sides[1].line_taxes[index]),
        "discountAllocations": allocations(purse, ctx.applications, sides[0].line_allocations[index],
                                           sides[1].line_allocations[index]),
        "duties": duties,
        "customAttributes": line.attributes,
    }


def shipping_line(ctx, index, shipping, refunded):
    purse, sides = ctx.purse, ctx.sides
    net = [s.ship_net[index] for s in sides]
    return {
        "id": ctx.ids.gid("ShippingLine"), "title": shipping.title, "code": shipping.code,
        "source": shipping.source, "carrierIdentifier": shipping.carrier,
        "deliveryCategory": "local" if shipping.code == "LOCAL" else "shipping", "custom": False,
        "isRemoved": False, "phone": None, "shippingRateHandle": None,
        "originalPriceSet": purse.bag(shipping.price[0], shipping.price[1]),
        "discountedPriceSet": purse.bag(*net),
        "currentDiscountedPriceSet": purse.bag(*(0, 0) if refunded else net),
        "taxLines": tax_lines(purse, shipping.taxes, sides[0].ship_taxes[index], sides[1].ship_taxes[index]),
        "discountAllocations": allocations(purse, ctx.applications, sides[0].ship_allocations[index],
                                           sides[1].ship_allocations[index]),
    }


def additional_fee(ctx, index, fee):
    purse, sides = ctx.purse, ctx.sides
    return {"id": ctx.ids.gid("AdditionalFee"), "name": fee.name, "price": purse.bag(*fee.price),
            "taxLines": tax_lines(purse, fee.taxes, sides[0].fee_taxes[index], sides[1].fee_taxes[index])}


def refund(ctx, position, draft, line_items, shipping_lines, transactions, refunded):
    purse, sides, iso = ctx.purse, ctx.sides, ctx.iso
    gid, legacy = ctx.ids.new("Refund")
    shop_lines, shop_shipping, _ = sides[0].refunds[position]
    presentment_lines, presentment_shipping, _ = sides[1].refunds[position]
    return {
        "id": gid, "legacyResourceId": legacy, "createdAt": iso(draft.at), "processedAt": iso(draft.at),
        "updatedAt": iso(draft.at), "note": draft.note, "totalRefundedSet": purse.bag(*refunded),
        "refundLineItems": [{
            "id": ctx.ids.gid("RefundLineItem"), "lineItem": line_items[shop.line], "quantity": shop.quantity,
            "restockType": draft.restock, "restocked": draft.restock in ("RETURN", "CANCEL"), "location": None,
            "priceSet": purse.bag(*ctx.order.lines[shop.line].unit),
            "subtotalSet": purse.bag(shop.subtotal, presentment.subtotal),
            "totalTaxSet": purse.bag(shop.tax, presentment.tax),
        } for shop, presentment in zip(shop_lines, presentment_lines)],
        "refundShippingLines": [{
            "id": ctx.ids.gid("RefundShippingLine"), "shippingLine": shipping_lines[index],
            "subtotalAmountSet": purse.bag(shop[0], presentment[0]),
            "taxAmountSet": purse.bag(shop[1], presentment[1]),
        } for index, shop, presentment in zip(draft.shipping, shop_shipping, presentment_shipping)],
        "transactions": transactions, "orderAdjustments": [], "duties": [], "return": None,
        "staffMember": None,
    }


def fulfillment_order(ctx, order_dict, draft, line_items):
    location, iso = draft.location, ctx.iso
    address = location["address"]
    done = draft.status == "CLOSED"
    return {
        "id": ctx.ids.gid("FulfillmentOrder"), "status": draft.status, "requestStatus": "UNSUBMITTED",
        "createdAt": order_dict["createdAt"], "updatedAt": iso(draft.at) if done else order_dict["createdAt"],
        "orderId": order_dict["id"], "orderName": order_dict["name"],
        "orderProcessedAt": order_dict["processedAt"],
        "assignedLocation": {
            "name": location["name"], "address1": address["address1"], "address2": address["address2"],
            "city": address["city"], "province": address["province"], "zip": address["zip"],
            "countryCode": address["countryCode"], "phone": address["phone"], "location": location,
        },
        "lineItems": [{
            "id": ctx.ids.gid("FulfillmentOrderLineItem"), "lineItem": line_items[i],
            "totalQuantity": line_items[i]["quantity"],
            "remainingQuantity": 0 if done else line_items[i]["currentQuantity"],
        } for i in draft.lines],
    }


def fulfillment_status(statuses, shipped=False):
    """displayFulfillmentStatus from the fulfillment orders (nothing to ship counts as fulfilled);
    ``shipped``: some units were fulfilled (a fulfillment order partly fulfilled is IN_PROGRESS,
    and "some of the items in the order have been fulfilled" is PARTIALLY_FULFILLED)."""
    if all(status == "CANCELLED" for status in statuses):
        return "UNFULFILLED" if statuses else "FULFILLED"
    closed = statuses.count("CLOSED")
    if closed == len(statuses):
        return "FULFILLED"
    if closed or shipped:
        return "PARTIALLY_FULFILLED"
    return "IN_PROGRESS" if "IN_PROGRESS" in statuses else "UNFULFILLED"
