"""``python -m shopify_simulator --webhook-secret``: a subscription made over HTTP gets signed webhooks
for orders POSTed to the control endpoint, as the addon sees them from a separate process."""
import subprocess
import sys
from pathlib import Path

import requests

import sim_shops
from sim_webhooks import Receiver

ROOT = Path(__file__).resolve().parents[2]
CREATE = """mutation($input: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: ORDERS_CREATE,
  webhookSubscription: $input) { webhookSubscription { id } userErrors { field message } } }"""


def test_the_cli_signs_webhooks_with_the_given_secret():
    receiver = Receiver()
    process = subprocess.Popen(
        [sys.executable, "-m", "shopify_simulator", "--orders", "3", "--token", "shpat_cli",
         "--webhook-secret", "shpss_cli", "--webhook-retry-scale", "0", "--webhook-timeout", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert "ready at http://127.0.0.1:" in line, (line, process.stderr.read() if process.poll() else "")
        url = line.rsplit(" ", 1)[1].strip()
        created = requests.post(f"{url}/admin/api/2026-10/graphql.json",
                                headers={"X-Shopify-Access-Token": "shpat_cli"}, json={"query": CREATE, "variables": {"input": {"uri": receiver.url()}}}, timeout=10)
        assert created.json()["data"]["webhookSubscriptionCreate"]["userErrors"] == []
        requests.post(f"{url}/__simulator__/orders", json=[sim_shops.order(77)], timeout=5)
        assert requests.post(f"{url}/__simulator__/webhooks/wait", json={"timeout": 5}, timeout=10).json()["idle"]
        [got] = receiver.received
        assert got.topic == "orders/create" and got.signed_with("shpss_cli")
    finally:
        process.terminate()
        process.wait(timeout=10)
        receiver.close()


def test_a_new_order_through_the_admin_endpoint(make_simulator):
    import requests

    sim = make_simulator(orders=5, seed=3)
    answer = requests.post(f"{sim.base_url}/__simulator__/orders/new", json={}, timeout=5).json()
    assert answer["id"].startswith("gid://shopify/Order/") and sim.store.node(answer["id"])["name"] == answer["name"]


def test_a_refund_through_the_admin_endpoint(make_simulator):
    import requests

    sim = make_simulator(orders=5, seed=3)
    made = requests.post(f"{sim.base_url}/__simulator__/orders/new", json={"seed": 4}, timeout=5).json()
    answer = requests.post(f"{sim.base_url}/__simulator__/orders/refund", json={"order": made["id"]}, timeout=5)
    assert answer.status_code == 200, answer.text
    assert len(sim.store.node(made["id"])["refunds"]) == 1
    missing = requests.post(f"{sim.base_url}/__simulator__/orders/refund", json={}, timeout=5)
    assert missing.status_code == 400
