"""The benchmark's store: connected to the simulator, confirmed orders, posted invoices,
payments, like the bench's target mode."""


def prepare_store(env, sim):
    from odoo import Command

    store = env["shopify.store"].search([("shop_domain", "=", sim.data.shop["myshopifyDomain"])], limit=1)
    values = {
        "api_base_url": sim.base_url,
        "access_token": "shpat_bench",
        "sale_order_mode": "confirmed",
        "invoice_mode": "posted",
        "invoice_policy": "all",
        "register_payments": True,
        "rule_exclude_test": True,
        "rule_exclude_cancelled": True,
    }
    if store:
        store.write(values)
    else:
        bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
        # Every gateway the shop's orders use is mapped, as a merchant maps theirs (an
        # unmapped gateway fails its order).
        gateways = sorted({name for order in sim.data.orders for name in order.get("paymentGatewayNames") or ()})
        store = env["shopify.store"].create({
            "name": "Bench store",
            "shop_domain": sim.data.shop["myshopifyDomain"],
            "company_id": env.company.id,
            "default_payment_journal_id": bank.id,
            "gateway_mapping_ids": [Command.create({"gateway": name, "journal_id": bank.id}) for name in gateways],
            **values,
        })
    store.action_test_connection()
    return store


def ensure_catalog(env, sim):
    from odoo import Command

    Product = env["product.product"].with_context(active_test=False)
    variants = [v for product in sim.data.products for v in product["variants"] if v.get("sku")]
    known = set(Product.search([("default_code", "in", [v["sku"] for v in variants])]).mapped("default_code"))
    Product.create([{
        "name": f"{product['title']} {v['title']}".strip(),
        "default_code": v["sku"],
        "type": "consu",
        "invoice_policy": "order",
        "taxes_id": [Command.clear()],
    } for product in sim.data.products for v in product["variants"] if v.get("sku") and v["sku"] not in known])
