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
    # Every gateway of the simulated shop is booked (on an outstanding account of its own,
    # as make demo does): the figures are about the sync, not about mapping gateways.
    outstanding = env["account.account"].create({
        "code": "209900", "name": "Shopify payments without a mapping",
        "account_type": "liability_current", "reconcile": True,
    })
    values.update({"unmapped_gateway_policy": "account", "unmapped_gateway_account_id": outstanding.id})
# A store that posts invoices syncs one batch at a time (the batches are chained so that
# invoice numbers follow the orders); "draft" or "none" lets batches run side by side.
if os.environ.get("SYNCO_SETUP_INVOICE_MODE"):
    values["invoice_mode"] = os.environ["SYNCO_SETUP_INVOICE_MODE"]
store = Store.create(values)
store.action_test_connection()
print("store:", store.connection_state, store.connection_message, "- invoices:", store.invoice_mode)
print("orders imported:", env["shopify.order.import"]._catch_up(store))
env.cr.commit()
