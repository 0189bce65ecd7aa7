"""End-to-end latency of the webhook intake in a running demo (`make demo`, which subscribes
its store): from a new order made in the simulator to the order Synced in Odoo, through
Shopify's delivery, the intake route and queue_job's runner. No catch-up runs meanwhile
(the cron's interval is minutes). Prints figures.

    make demo                                  # in another terminal
    .venv/bin/python bench/webhook_latency.py --orders 5
"""
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.bulk_jobs import connect, demo_arguments  # noqa: E402


def main():
    parser = demo_arguments(__doc__)
    parser.add_argument("--simulator", default="http://127.0.0.1:8765")
    parser.add_argument("--orders", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    odoo = connect(args)
    timings, seed = [], 1000
    while len(timings) < args.orders:
        seed += 1
        started = time.monotonic()
        made = requests.post(f"{args.simulator}/__simulator__/orders/new", json={"seed": seed}, timeout=10).json()
        state = None
        while time.monotonic() - started < args.timeout:
            found = odoo.call("shopify.order", "search_read", [("shopify_gid", "=", made["id"])],
                              ["sync_state", "eligible"])
            if found and not found[0]["eligible"]:
                state = "not eligible"
                break
            if found and found[0]["sync_state"] in ("synced", "failed"):
                state = found[0]["sync_state"]
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        if state == "not eligible":
            print(f"{made['name']}: arrived in {elapsed:.2f} s, not eligible under the demo's rules (skipped)")
            continue
        print(f"{made['name']}: {state or 'not synced'} {elapsed:.2f} s after the order was made")
        if state == "synced":
            timings.append(elapsed)
        elif state is None:
            raise SystemExit(f"{made['name']} was not synced within {args.timeout} s")
    print(f"mutation to Synced over {len(timings)} orders: median {statistics.median(timings):.2f} s, "
          f"max {max(timings):.2f} s")


if __name__ == "__main__":
    main()
