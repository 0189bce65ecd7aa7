"""Times a bulk sync through the real job runner of a running Odoo (e.g. `make demo`):
from the "Sync to Odoo" action on N orders to the last one Synced. Prints figures.

    SYNCO_SIM_ORDERS=1200 make demo        # in another terminal
    .venv/bin/python bench/bulk_jobs.py --url http://127.0.0.1:8069 --db synco_demo --orders 500
"""
import argparse
import time

import requests


class Odoo:
    def __init__(self, url, db, login, password):
        self.url, self.session = url.rstrip("/"), requests.Session()
        self._post("/web/session/authenticate", {"db": db, "login": login, "password": password})

    def _post(self, path, params):
        answer = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params},
                                   timeout=120).json()
        if answer.get("error"):
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post("/web/dataset/call_kw", {"model": model, "method": method, "args": list(args),
                                                   "kwargs": kwargs})


def demo_arguments(doc):
    """A parser with the running demo's address and login (the benches against `make demo`)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="synco_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    return parser


def connect(args):
    return Odoo(args.url, args.db, args.login, args.password)


def main():
    parser = demo_arguments(__doc__)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    odoo = connect(args)
    ids = odoo.call("shopify.order", "search", [("eligible", "=", True), ("sync_state", "=", "not_synced")],
                    limit=args.orders)
    if len(ids) < args.orders:
        raise SystemExit(f"only {len(ids)} eligible unsynced orders; start the demo with more orders")
    start = time.monotonic()
    result = odoo.call("shopify.order", "action_enqueue_sync", ids)
    clicked = time.monotonic() - start
    print(f"queued {len(ids)} orders in {clicked:.1f} s: {result['params']['message']}")
    while time.monotonic() - start < args.timeout:
        groups = odoo.call("shopify.order", "formatted_read_group", [("id", "in", ids)],
                           groupby=["sync_state"], aggregates=["__count"])
        counts = {g["sync_state"]: g["__count"] for g in groups}
        if not counts.get("in_progress"):
            elapsed = time.monotonic() - start
            print(f"all done in {elapsed:.1f} s: {counts}; {len(ids) / elapsed:.1f} orders/s through the jobs")
            return
        time.sleep(2)
    raise SystemExit(f"not finished after {args.timeout} s: {counts}")


if __name__ == "__main__":
    main()
