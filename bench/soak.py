"""The soak: N orders synced through queue_job's real runner while a fifth of Shopify's
answers are faulted and one Odoo worker is killed with SIGKILL half-way. Prints figures.

Run by `make soak` (tools/soak.sh starts the simulator, a prefork Odoo and its runner).
What it prints, and what each figure must be:
  duplicates (0): Odoo documents made twice for one Shopify source
  lost (0): orders neither synced nor failed with a message once the runner settled
  stuck In Progress (0), metafields written / synced (100%)
  orders re-queued for clashes, job re-runs (retries and dead-job requeues), wall time
  Shopify during the sync: requests and THROTTLED answers (their share), cost points per
  order, and orders/s against the budget's ceiling (restore rate / actual cost per order)
"""
import os
import re
import signal
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bulk_jobs import connect, demo_arguments  # noqa: E402

# The faults a flaky network and a busy Shopify give, each a share of every request;
# together they answer `--fault-rate` of the requests (slow answers come on top).
FAULT_MIX = {"http_5xx": 0.25, "http_429": 0.2, "drop": 0.2, "throttle": 0.15, "slow": 0.2}
JOB = re.compile(r"shopify\.order\((?P<ids>[\d, ]*)\)\._job_sync\((?:attempt=)?(?P<attempt>\d*)\)")


def main():
    parser = demo_arguments(__doc__)
    parser.add_argument("--sim-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--odoo-pid", type=int, help="the prefork Odoo's main process (a worker of it is killed)")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share of orders settled when a worker dies")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--enqueue-chunk", type=int, default=0,
                        help="queue the orders this many at a time (several bulk actions), e.g. 200: each "
                             "below the bulk threshold, so every batch reads its orders by pages and the "
                             "shared rate limit is what is measured; 0: all at once")
    args = parser.parse_args()

    odoo = connect(args)
    sim = Simulator(args.sim_url, args.token)
    ids = odoo.call("shopify.order", "search", [("eligible", "=", True), ("sync_state", "=", "not_synced")],
                    limit=args.orders, order="processed_at, id")
    if len(ids) < args.orders:
        raise SystemExit(f"only {len(ids)} eligible orders; the shop needs more")
    sim.faults(args.fault_rate)
    # The figures are the sync's: the store setup's import is not counted.
    sim.reset_stats()
    start = time.monotonic()
    chunk = args.enqueue_chunk or len(ids)
    for index in range(0, len(ids), chunk):
        odoo.call("shopify.order", "action_enqueue_sync", ids[index:index + chunk])
    killed = None
    while time.monotonic() - start < args.timeout:
        states = _states(odoo, ids)
        settled = states.get("synced", 0) + states.get("failed", 0)
        if killed is None and args.odoo_pid and settled >= args.kill_at * len(ids):
            killed = _kill_a_busy_worker(args.odoo_pid, odoo)
            print(f"{time.monotonic() - start:6.1f} s: SIGKILL to worker {killed} ({settled} orders settled)")
        if not states.get("in_progress") and not _jobs_left(odoo):
            break
        time.sleep(2)
    wall = time.monotonic() - start
    sync_stats = sim.stats()
    # What a merchant's scheduler does next: the catch-up retries the write-backs that
    # Shopify refused (faults off: the soak measures the sync, not the last retry).
    sim.clear_faults()
    _run_catch_up(odoo)
    _report(odoo, sim, ids, wall, killed, sync_stats)


class Simulator:
    def __init__(self, url, token):
        self.url, self.token = url.rstrip("/"), token

    def faults(self, rate):
        requests.delete(f"{self.url}/__simulator__/faults", timeout=10).raise_for_status()
        if not rate:
            return
        for kind, share in FAULT_MIX.items():
            params = {"retry_after": 1} if kind == "http_429" else {"delay": 0.5} if kind == "slow" else {}
            requests.post(f"{self.url}/__simulator__/faults", timeout=10,
                          json={"kind": kind, "fraction": rate * share, **params}).raise_for_status()
        # Shopify refusing a metafield write now and then (a userError, not an HTTP error).
        requests.post(f"{self.url}/__simulator__/faults", timeout=10,
                      json={"kind": "metafield_user_errors", "fraction": rate}).raise_for_status()

    def clear_faults(self):
        requests.delete(f"{self.url}/__simulator__/faults", timeout=10).raise_for_status()

    def stats(self):
        return requests.get(f"{self.url}/__simulator__/stats", timeout=10).json()

    def reset_stats(self):
        requests.post(f"{self.url}/__simulator__/stats/reset", timeout=10).raise_for_status()

    def throttle_status(self):
        """The bucket as Shopify reports it (maximumAvailable, restoreRate): asked, not assumed."""
        answer = requests.post(f"{self.url}/admin/api/2026-10/graphql.json", timeout=30,
                               headers={"X-Shopify-Access-Token": self.token},
                               json={"query": "{ shop { id } }"}).json()
        return answer["extensions"]["cost"]["throttleStatus"]

    def odoo_ids(self, gids):
        """custom.odoo_id of each order, read from Shopify's side."""
        found = {}
        query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id
                   metafield(namespace: "custom", key: "odoo_id") { value } } } }"""
        for start in range(0, len(gids), 250):
            answer = requests.post(f"{self.url}/admin/api/2026-10/graphql.json", timeout=60,
                                   headers={"X-Shopify-Access-Token": self.token},
                                   json={"query": query, "variables": {"ids": gids[start:start + 250]}}).json()
            for node in answer["data"]["nodes"]:
                if node:
                    found[node["id"]] = (node.get("metafield") or {}).get("value")
        return found


def _states(odoo, ids):
    groups = odoo.call("shopify.order", "formatted_read_group", [("id", "in", ids)],
                       groupby=["sync_state"], aggregates=["__count"])
    return {g["sync_state"]: g["__count"] for g in groups}


def _jobs_left(odoo):
    return odoo.call("queue.job", "search_count", [("channel", "=", "root.synco"),
                                                   ("state", "in", ("pending", "enqueued", "started",
                                                                    "wait_dependencies"))])


def _kill_a_busy_worker(main_pid, odoo=None):
    """SIGKILL to a worker of the prefork server that is running a sync job now (queue_job
    keeps the worker's pid on the started job); without one, the worker with the most CPU
    time in the last half second."""
    workers = [int(pid) for pid in os.popen(f"pgrep -P {main_pid}").read().split()]
    if odoo is not None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            running = odoo.call("queue.job", "search_read", [("state", "=", "started"), ("method_name", "=", "_job_sync")],
                                fields=["worker_pid"])
            pids = [job["worker_pid"] for job in running if job["worker_pid"] in workers]
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                return pids[0]
            time.sleep(0.2)
    before = {pid: _cpu(pid) for pid in workers}
    time.sleep(0.5)
    busy = max(workers, key=lambda pid: _cpu(pid) - before[pid])
    os.kill(busy, signal.SIGKILL)
    return busy


def _cpu(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError):
        return 0


def _run_catch_up(odoo):
    cron = odoo.call("ir.model.data", "search_read", [("module", "=", "synco_shopify"),
                                                      ("name", "=", "ir_cron_catch_up")], fields=["res_id"])
    odoo.call("ir.cron", "method_direct_trigger", [cron[0]["res_id"]])
    deadline = time.monotonic() + 300
    while _jobs_left(odoo) and time.monotonic() < deadline:
        time.sleep(2)


def _duplicates(odoo, model, groupby, domain):
    groups = odoo.call(model, "formatted_read_group", domain, groupby=groupby, aggregates=["__count"],
                       having=[("__count", ">", 1)])
    return sum(g["__count"] - 1 for g in groups)


def count_duplicates(odoo, ids):
    """Odoo documents made twice for one Shopify source: orders, invoices and credit notes, payments."""
    scope = [("shopify_order_id", "in", ids)]
    return (_duplicates(odoo, "sale.order", ["shopify_order_id"], scope)
            + _duplicates(odoo, "account.move", ["shopify_order_id", "shopify_source_gid", "move_type"],
                          [*scope, ("state", "!=", "cancel")])
            + _duplicates(odoo, "account.payment", ["shopify_order_id", "shopify_transaction_gid"],
                          [*scope, ("state", "!=", "canceled")]))


def job_figures(odoo):
    """Orders re-queued for clashes with a parallel job, re-runs of sync jobs, sync jobs."""
    jobs = odoo.call("queue.job", "search_read", [("channel", "=", "root.synco"), ("method_name", "=", "_job_sync")],
                     fields=["func_string", "retry", "state"])
    # "shopify.order(1, 2, 3)._job_sync(1)": the orders of the job, and its attempt (a
    # clash with a parallel job re-queues the orders with the next attempt).
    requeued = 0
    for job in jobs:
        found = JOB.search(job["func_string"] or "")
        if found and found["attempt"] and int(found["attempt"]) > 0:
            requeued += len([i for i in found["ids"].split(",") if i.strip()])
    # queue_job counts every run in `retry` (1 for a job that ran once); a dead job's requeue
    # adds one more for the run that never finished.
    reruns = sum(max(0, (j["retry"] or 0) - 1) for j in jobs)
    return requeued, reruns, len(jobs)


def budget_figures(stats, status, orders, wall):
    """What the sync asked of Shopify's bucket, and the throughput the bucket allows."""
    calls = stats.get("graphql_requests") or 0
    throttled = stats.get("throttled") or 0
    cost = (stats.get("cost_actual") or 0) / max(1, orders)
    restore, maximum = float(status["restoreRate"]), float(status["maximumAvailable"])
    return {
        "requests": calls, "throttled": throttled, "throttled_share": throttled / max(1, calls),
        "requests_per_order": calls / max(1, orders), "cost_per_order": cost,
        "requested_cost_per_order": (stats.get("cost_requested") or 0) / max(1, orders),
        "orders_per_s": orders / wall, "restore_rate": restore,
        # In the long run the bucket gives restoreRate points a second; a short run also
        # spends the full bucket it started with, so its own ceiling is higher.
        "ceiling": restore / cost if cost else None,
        "ceiling_this_run": (maximum + restore * wall) / cost / wall if cost else None,
    }


def budget_lines(figures):
    f = figures
    lines = [f"Shopify during the sync: {f['requests']} requests ({f['requests_per_order']:.1f} per order), "
             f"{f['throttled']} THROTTLED ({100 * f['throttled_share']:.2f}% of requests), "
             f"{f['cost_per_order']:.1f} cost points per order (requested {f['requested_cost_per_order']:.1f})"]
    if f["ceiling"]:
        lines.append(f"throughput: {f['orders_per_s']:.2f} orders/s against restore rate / cost per order = "
                     f"{f['restore_rate']:.0f}/{f['cost_per_order']:.1f} = {f['ceiling']:.2f} orders/s "
                     f"({100 * f['orders_per_s'] / f['ceiling']:.0f}%); with the full bucket it started with, "
                     f"this run's ceiling was {f['ceiling_this_run']:.2f} orders/s")
    return lines


def _report(odoo, sim, ids, wall, killed, sync_stats):
    orders = odoo.call("shopify.order", "read", ids, ["shopify_gid", "sync_state", "sync_error",
                                                        "odoo_record_ref", "writeback_state"])
    states = _states(odoo, ids)
    synced = [o for o in orders if o["sync_state"] in ("synced", "changed")]
    on_shopify = sim.odoo_ids([o["shopify_gid"] for o in synced])
    written = sum(1 for o in synced if on_shopify.get(o["shopify_gid"]) == o["odoo_record_ref"])
    duplicates = count_duplicates(odoo, ids)
    requeued, reruns, jobs = job_figures(odoo)
    stats = sim.stats()
    lost = states.get("not_synced", 0) + states.get("in_progress", 0)
    failed = [o for o in orders if o["sync_state"] == "failed"]
    print(f"orders: {len(ids)}   synced: {len(synced)}   failed: {len(failed)}   wall time: {wall:.1f} s "
          f"({len(ids) / wall:.2f} orders/s)")
    print(f"duplicates: {duplicates}")
    print(f"lost: {lost}")
    print(f"stuck In Progress: {states.get('in_progress', 0)}")
    print(f"metafields written / synced: {written}/{len(synced)} "
          f"({100 * written / max(1, len(synced)):.1f}%)")
    print(f"orders re-queued for clashes: {requeued} ({100 * requeued / len(ids):.1f}%)")
    print(f"job re-runs (retries and dead-job requeues): {reruns} over {jobs} sync jobs")
    print(f"worker killed: {killed or 'none'}")
    print(f"Shopify: {stats.get('requests')} requests, {stats.get('throttled')} THROTTLED, "
          f"faults fired {stats.get('faults_by_kind')} (the catch-up's included)")
    for line in budget_lines(budget_figures(sync_stats, sim.throttle_status(), len(ids), wall)):
        print(line)
    for order in failed[:10]:
        print(f"  failed: {order['sync_error']}")


if __name__ == "__main__":
    main()
