"""The benchmark's store: connected to the simulator, confirmed orders, posted invoices,
payments, like the bench's target mode."""


def prepare_store(env, sim):
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
        store = env["shopify.store"].create({
            "name": "Bench store",
            "shop_domain": sim.data.shop["myshopifyDomain"],
            "company_id": env.company.id,
            "default_payment_journal_id": bank.id,
            **values,
        })
    store.action_test_connection()
    return store
