# Run by `make demo` through `odoo-bin shell`: connects a store to the simulator,
# maps what the demo needs, imports the order headers, syncs a few orders, and subscribes
# the store to the simulator's webhooks (new and changed orders then arrive by themselves).
import os

env = env  # noqa: F821 (provided by odoo-bin shell)
company = env.company
bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
store = env["shopify.store"].create({
    "name": "Synco demo store",
    "shop_domain": "synco-demo.myshopify.com",
    "api_base_url": os.environ["SYNCO_SIM_URL"],
    "access_token": os.environ["SYNCO_SIM_TOKEN"],
    "company_id": company.id,
    "default_payment_journal_id": bank.id,
    "rule_financial_status_ids": [(6, 0, env["shopify.financial.status"].search(
        [("code", "in", ("PAID", "PARTIALLY_PAID"))]).ids)],
    "auto_sync": True,
    "auto_apply_changes": True,
    "webhook_secret": os.environ["SYNCO_SIM_WEBHOOK_SECRET"],
})
store.action_test_connection()
print("store:", store.connection_state, store.connection_message)
count = env["shopify.order.import"]._catch_up(store)
print("orders imported:", count)
eligible = env["shopify.order"].search([("store_id", "=", store.id), ("eligible", "=", True)], limit=10)
eligible._sync_now()  # synchronous, for scripts; users queue syncs (action_enqueue_sync)
print("synced:", eligible.filtered(lambda o: o.sync_state == "synced").mapped("name"))
env["ir.config_parameter"].set_param("web.base.url", os.environ["SYNCO_DEMO_URL"])
store.action_webhooks_subscribe()
print("webhooks:", store.webhook_message)
env.cr.commit()
