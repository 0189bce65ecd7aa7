# Run by `make demo` through `odoo-bin shell`: connects a store to the simulator,
# maps what the demo needs, imports the order headers, syncs a few orders, and subscribes
# the store to the simulator's webhooks (new and changed orders then arrive by themselves).
import os

env = env  # noqa: F821 (provided by odoo-bin shell)
company = env.company
bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
cash = env["account.journal"].search([("type", "=", "cash"), ("company_id", "=", company.id)], limit=1) or bank
# Gift cards and store credit never reach a bank: what customers pay with them is booked on
# an account of its own (the store's outstanding account for gateways it does not map).
prepaid = env["account.account"].create({
    "code": "209900", "name": "Shopify gift cards and store credit",
    "account_type": "liability_current", "reconcile": True,
})
# The gateways the simulated shop pays through; any other would fail its order, naming it.
GATEWAYS = {"shopify_payments": bank, "paypal": bank, "manual": bank, "bogus": bank, "Bank Deposit": bank,
            "Cash on Delivery (COD)": bank, "cash": cash}
store = env["shopify.store"].create({
    "name": "Synco demo store",
    "shop_domain": "synco-demo.myshopify.com",
    "api_base_url": os.environ["SYNCO_SIM_URL"],
    "access_token": os.environ["SYNCO_SIM_TOKEN"],
    "company_id": company.id,
    "gateway_mapping_ids": [(0, 0, {"gateway": gateway, "journal_id": journal.id})
                            for gateway, journal in GATEWAYS.items()],
    "unmapped_gateway_policy": "account",
    "unmapped_gateway_account_id": prepaid.id,
    "default_payment_journal_id": bank.id,
    "rule_financial_status_ids": [(6, 0, env["shopify.financial.status"].search(
        [("code", "in", ("PAID", "PARTIALLY_PAID"))]).ids)],
    "auto_sync": True,
    "auto_apply_changes": True,
    # As most Shopify merchants do: Shopify's shipments validate the Odoo deliveries.
    "shipping_by": "shopify",
    "webhook_secret": os.environ["SYNCO_SIM_WEBHOOK_SECRET"],
})
store.action_test_connection()
print("store:", store.connection_state, store.connection_message)
count = env["shopify.order.import"]._catch_up(store)
print("orders imported:", count)
# Oldest first, as the sync books them: the catch-up then books the newer ones after these,
# and the invoice numbers follow the invoice dates (issue 12).
eligible = env["shopify.order"].search([("store_id", "=", store.id), ("eligible", "=", True)],
                                       order="processed_at, id")
eligible[:10]._sync_now()  # synchronous, for scripts; users queue syncs (action_enqueue_sync)
print("synced:", eligible[:10].filtered(lambda o: o.sync_state == "synced").mapped("name"))
print("gateways booked on", prepaid.display_name, ":", store.unmapped_gateways or "none")


# A few more, until the demo shows what documents read like (issue 12): an invoice with
# several Shopify taxes, a discount said on its line, a gift card payment on its account.
def _shown():
    invoices = env["account.move"].search([("shopify_order_id.store_id", "=", store.id),
                                           ("move_type", "=", "out_invoice")])
    return {
        "taxes": any(len(move.line_ids.tax_group_id) >= 3 for move in invoices),
        "discount": any("\nDiscount" in (line.name or "") for line in invoices.invoice_line_ids),
        "gift card": bool(env["account.payment"].search_count([("outstanding_account_id", "=", prepaid.id)])),
    }


for start in range(10, 90, 10):
    if all(_shown().values()):
        break
    eligible[start:start + 10]._sync_now()
print("showing:", _shown())
env["ir.config_parameter"].set_param("web.base.url", os.environ["SYNCO_DEMO_URL"])
store.action_webhooks_subscribe()
print("webhooks:", store.webhook_message)
env.cr.commit()
