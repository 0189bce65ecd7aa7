"""What Shopify's order metafield custom.odoo_id would say after a sync (``odoo_record_ref``:
the sale order's name, else the sale invoice's number, else its draft name), said before the
documents exist. A name Odoo gives only on creation is predicted from its sequence as it is
now, and said so: another document made first takes that number."""
from ..shopify.lifecycle.types import INVOICE, SALE


def metafield(order, plan, life, held):
    """{"value": what custom.odoo_id would say (False: nothing is written), "exact": whether
    that value is certain, "explain": in words, "written": whether the sync queues it}."""
    env = order.env
    first = not (held.sale_order or held.documents)
    sale_invoice = next((d for d in life.documents if d.kind == SALE and d.move_type == INVOICE), None)
    exact = True
    if life.create_sale_order:
        if plan.name:
            value, explain = plan.name, env._("the sale order's name (the store's order prefix)")
        else:
            value = _next_sale_order_name(env, order.store_id.company_id, plan)
            exact = False
            explain = (env._("the sale order's name once created: %s is next in the sale order sequence now, "
                         "unless another sale order takes it first", value) if value else
                       env._("the sale order's name once created (Odoo has no sale order sequence)"))
    elif held.sale_order:
        value = order.sale_order_id.name or env["sale.order"].search(
            [("shopify_order_id", "=", order.id)], limit=1).name
        explain = env._("the sale order's name")
    elif sale_invoice:
        value, exact = False, False
        explain = (env._("the invoice's number, given when the sync posts it") if order.store_id.invoice_mode == "posted"
                   else env._("the draft invoice's name (Draft Invoice (* its id)) until it is posted, then its number"))
    else:
        value = order.odoo_record_ref
        explain = env._("what it says now") if value else env._("nothing: this sync makes no sale order and no invoice")
    # A first sync always queues it; an update only when the Odoo ID changed (order_sync._mark_synced).
    written = bool(value or not exact) and (first or order.shopify_odoo_ref != value)
    return {"value": value, "exact": exact, "explain": explain, "written": written,
            "now": order.shopify_odoo_ref or False}


def _next_sale_order_name(env, company, plan):
    """The number ``next_by_code("sale.order")`` would draw for this order now, read without
    drawing it (``number_next_actual`` reads the PostgreSQL sequence's last value)."""
    Sequence = env["ir.sequence"].with_company(company)
    sequence = Sequence.search([("code", "=", "sale.order"), ("company_id", "in", [company.id, False])],
                               order="company_id", limit=1)
    if not sequence:
        return False
    if not sequence.use_date_range:
        return sequence.get_next_char(sequence.number_next_actual)
    day = plan.order_date.date()
    current = env["ir.sequence.date_range"].search(
        [("sequence_id", "=", sequence.id), ("date_from", "<=", day), ("date_to", ">=", day)], limit=1)
    # A range Odoo would create on the way starts at 1.
    return sequence.with_context(ir_sequence_date=day, ir_sequence_date_range=current.date_from or day) \
        .get_next_char(current.number_next_actual if current else 1)
