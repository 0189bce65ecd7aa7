from odoo import fields, models


class ShopifyFinancialStatus(models.Model):
    """Shopify's OrderDisplayFinancialStatus values, as records so that order rules
    can pick several of them with a tags widget."""

    _name = "shopify.financial.status"
    _description = "Shopify payment status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Shopify enum value, e.g. PAID")
    sequence = fields.Integer(default=10)

    _code_unique = models.UniqueIndex("(code)")


class ShopifyFulfillmentStatus(models.Model):
    """Shopify's OrderDisplayFulfillmentStatus values."""

    _name = "shopify.fulfillment.status"
    _description = "Shopify fulfillment status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Shopify enum value, e.g. UNFULFILLED")
    sequence = fields.Integer(default=10)

    _code_unique = models.UniqueIndex("(code)")


class ShopifyOrderSource(models.Model):
    """An order source (Shopify's sourceName): web, pos, shopify_draft_order, or the
    name of a custom app or sales channel, which merchants add themselves."""

    _name = "shopify.order.source"
    _description = "Shopify order source"
    _order = "sequence, name"

    name = fields.Char(required=True)
    code = fields.Char(required=True, help="Shopify sourceName, e.g. web, pos, shopify_draft_order")
    sequence = fields.Integer(default=10)

    _code_unique = models.UniqueIndex("(code)")
