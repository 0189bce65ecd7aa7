"""Taxes a sales channel remits (Shopify's TaxLine.channelLiable): read into the tax's key, so
that they never share an Odoo tax with the merchant's own of the same title and rate, and
counted apart in the plan (in the total the buyer paid, not the merchant's output tax)."""
import copy
from decimal import Decimal

from shopify_simulator.generator import generate
from synco_shopify.shopify.reading.order import parse_order
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan
from test_plan_generated import as_order_full


def _marketplace_orders():
    return generate(7, 6, scenarios=["channel_liable", "shipping_tax", "refund"]).orders


def test_a_marketplace_order_reads_every_tax_as_the_channels_and_still_reconciles():
    for stored in _marketplace_orders():
        order = parse_order(as_order_full(stored), side="shop")
        plan = build_plan(order, PlanSettings())
        assert check_plan(plan, order) == [], stored["name"]
        keys = {key for line in plan.lines for key, _ in line.taxes}
        assert keys and all(key.channel_liable for key in keys)
        assert plan.tax > 0 and plan.channel_tax == plan.tax
        assert plan.expected.taxes and all(key.channel_liable for key, _ in plan.expected.taxes)


def test_the_channels_tax_and_the_merchants_of_one_title_stay_two_taxes():
    stored = copy.deepcopy(_marketplace_orders()[0])
    line = stored["lineItems"][0]
    # The merchant's own tax line of that title and rate (the same order sold by two parties is
    # not Shopify's data; only the keys are looked at here).
    line["taxLines"] = [line["taxLines"][0], {**line["taxLines"][0], "channelLiable": False}]
    order = parse_order(as_order_full(stored), side="shop")
    first, second = (tax.key for tax in order.line_items[0].tax_lines)
    assert (first.title, first.rate) == (second.title, second.rate)
    assert first != second and first.channel_liable and not second.channel_liable


def test_unknown_liability_is_the_merchants():
    """channelLiable null means "unknown" (schema); Shopify's changelog: false is assumed."""
    stored = copy.deepcopy(generate(7, 1, scenarios=["tax_exclusive"]).orders[0])
    for line in stored["lineItems"]:
        for tax in line["taxLines"]:
            tax["channelLiable"] = None
    for tax in stored["taxLines"] + stored["currentTaxLines"]:
        tax["channelLiable"] = None
    order = parse_order(as_order_full(stored), side="shop")
    plan = build_plan(order, PlanSettings())
    assert check_plan(plan, order) == []
    assert plan.channel_tax == Decimal(0)
    assert not any(key.channel_liable for line in plan.lines for key, _ in line.taxes)
