"""Throughput of the webhook intake route under a burst of signed deliveries, against a
running Odoo (e.g. `make demo`): requests per second, and whether every delivery was
recorded and queued exactly once (Shopify's retries, sent again with the same webhook id,
must add nothing). Prints figures; asserts nothing.

    make demo                                  # in another terminal
    .venv/bin/python bench/webhook_intake.py --deliveries 1000 --threads 8
"""
import json
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bulk_jobs import connect, demo_arguments  # noqa: E402


def _webhooks():
    """The addon's plain-Python webhook module, loaded without the addon (which needs Odoo)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("synco_webhooks", ROOT / "synco_shopify/shopify/api/webhooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signature = _webhooks().signature


def main():
    parser = demo_arguments(__doc__)
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--retries", type=int, default=100, help="deliveries sent a second time, same id")
    args = parser.parse_args()

    odoo = connect(args)
    store = odoo.call("shopify.store", "search_read", [], ["webhook_token", "webhook_secret"], limit=1)[0]
    if not store["webhook_secret"]:
        raise SystemExit("the demo store has no webhook secret: run `make demo` (it subscribes the store)")
    orders = odoo.call("shopify.order", "search_read", [("store_id", "=", store["id"])],
                       ["shopify_gid", "shopify_updated_at"], limit=200)
    url = f"{args.url.rstrip('/')}/synco/webhook/{store['webhook_token']}"
    run = uuid.uuid4().hex[:8]
    deliveries = []
    for i in range(args.deliveries):
        order = orders[i % len(orders)]
        body = json.dumps({"id": int(order["shopify_gid"].rsplit("/", 1)[-1]),
                           "admin_graphql_api_id": order["shopify_gid"],
                           "updated_at": (order["shopify_updated_at"] or "").replace(" ", "T") + "Z"}).encode()
        headers = {"X-Shopify-Topic": "orders/updated", "X-Shopify-Webhook-Id": f"bench-{run}-{i}",
                   "X-Shopify-Hmac-Sha256": signature(store["webhook_secret"], body),
                   "Content-Type": "application/json"}
        deliveries.append((body, headers))
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=args.threads, pool_maxsize=args.threads)
    session.mount("http://", adapter)

    def send(delivery):
        body, headers = delivery
        started = time.perf_counter()
        status = session.post(url, data=body, headers=headers, timeout=30).status_code
        return status, time.perf_counter() - started

    start = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        results = list(pool.map(send, deliveries))
    elapsed = time.perf_counter() - start
    with ThreadPoolExecutor(args.threads) as pool:  # Shopify's retries: same ids
        retried = list(pool.map(send, deliveries[:args.retries]))
    latencies = sorted(seconds for _, seconds in results)
    statuses = {}
    for status, _ in results + retried:
        statuses[status] = statuses.get(status, 0) + 1
    ids = [headers["X-Shopify-Webhook-Id"] for _, headers in deliveries]
    recorded = odoo.call("shopify.webhook.delivery", "search_read", [("webhook_id", "in", ids)], ["job_id"])
    queued = sum(1 for d in recorded if d["job_id"])
    jobs = {d["job_id"][0] for d in recorded if d["job_id"]}
    print(f"{args.deliveries} deliveries with {args.threads} threads in {elapsed:.2f} s: "
          f"{args.deliveries / elapsed:.0f} requests/s; answer time p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.0f} ms; statuses {statuses}")
    print(f"recorded {len(recorded)} of {args.deliveries} deliveries once each "
          f"({args.retries} sent again with the same id added nothing: {len(recorded) == args.deliveries}); "
          f"{queued} attached to a job, {len(jobs)} jobs for {len({o['shopify_gid'] for o in orders})} orders")


if __name__ == "__main__":
    main()
