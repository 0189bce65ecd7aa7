# Run by `make soak` through `odoo-bin shell`: a store connected to the simulator, every
# gateway booked (an outstanding account where the store asks for one), and the order
# headers imported. Nothing is synced here: the soak syncs through the job runner.
import os

env = env  # noqa: F821 (provided by odoo-bin shell)
company = env.company
bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
values = {
    "name": "Soak store",
    "shop_domain": "synco-demo.myshopify.com",
    "api_base_url": os.environ["SYNCO_SIM_URL"],
    "access_token": os.environ["SYNCO_SIM_TOKEN"],
    "company_id": company.id,
    "default_payment_journal_id": bank.id,
    "rule_exclude_test": True,
    "rule_exclude_cancelled": True,
}
Store = env["shopify.store"]
if "unmapped_gateway_policy" in Store._fields:
    # Every gateway of the simulated shop is booked; the figures are about the sync.
    outstanding = company.account_journal_payment_debit_account_id
    values.update({"unmapped_gateway_policy": "account", "unmapped_gateway_account_id": outstanding.id})
store = Store.create(values)
store.action_test_connection()
print("store:", store.connection_state, store.connection_message)
print("orders imported:", env["shopify.order.import"]._catch_up(store))
env.cr.commit()
