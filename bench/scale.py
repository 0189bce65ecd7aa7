"""The scale-out: the same N orders synced by one Odoo server, then by two servers on one
database (queue_job elects one master runner; jobs spread over both servers' workers).

Run by `make scale` (tools/scale.sh starts a fresh simulator and database per run, the
servers, and tools/rr_proxy.py, which every runner asks to run a job). Two commands:
  run      syncs the orders on the running servers, prints one run's figures, saves them
  compare  prints the runs saved side by side, and two servers' throughput against one's
Figures per run: wall time, orders/s, duplicates (0), lost (0), THROTTLED answers and their
share of requests, requests and cost points per order, orders/s against restore rate / cost
per order, and how many jobs each server ran (the job's worker_pid, a child of which
server's main process) next to the requests the proxy sent each server.
"""
import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bulk_jobs import Odoo  # noqa: E402
from soak import (Simulator, _jobs_left, _states, budget_figures, budget_lines, count_duplicates,  # noqa: E402
                  job_figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run")
    run.add_argument("--label", required=True)
    run.add_argument("--url", required=True, help="one of the servers, for the bench's own calls")
    run.add_argument("--db", required=True)
    run.add_argument("--sim-url", required=True)
    run.add_argument("--token", required=True)
    run.add_argument("--proxy-url", required=True)
    run.add_argument("--server", action="append", required=True, metavar="NAME=PID",
                     help="a server's name and its main process id, once per server")
    run.add_argument("--orders", type=int, default=1000)
    run.add_argument("--timeout", type=float, default=3600)
    run.add_argument("--save", required=True, help="JSON file the figures are saved to")
    compare = commands.add_parser("compare")
    compare.add_argument("saved", nargs="+")
    args = parser.parse_args()
    if args.command == "run":
        _run(args)
    else:
        _compare([json.loads(Path(path).read_text()) for path in args.saved])


def _run(args):
    odoo = Odoo(args.url, args.db, "admin", "admin")
    sim = Simulator(args.sim_url, args.token)
    servers = dict(item.split("=", 1) for item in args.server)
    workers = {name: set() for name in servers}
    ids = odoo.call("shopify.order", "search", [("eligible", "=", True), ("sync_state", "=", "not_synced")],
                    limit=args.orders, order="processed_at, id")
    if len(ids) < args.orders:
        raise SystemExit(f"only {len(ids)} eligible orders; the shop needs more")
    sim.reset_stats()
    start = time.monotonic()
    odoo.call("shopify.order", "action_enqueue_sync", ids)
    while time.monotonic() - start < args.timeout:
        # A worker that dies is replaced: every pid a server had is remembered.
        for name, pid in servers.items():
            workers[name] |= _children(pid)
        states = _states(odoo, ids)
        if not states.get("in_progress") and not _jobs_left(odoo):
            break
        time.sleep(2)
    wall = time.monotonic() - start
    stats = sim.stats()
    states = _states(odoo, ids)
    requeued, reruns, sync_jobs = job_figures(odoo)
    figures = {
        "label": args.label, "servers": len(servers), "orders": len(ids), "wall": wall,
        "synced": states.get("synced", 0) + states.get("changed", 0), "failed": states.get("failed", 0),
        "lost": states.get("not_synced", 0) + states.get("in_progress", 0),
        "duplicates": count_duplicates(odoo, ids),
        "requeued_clashes": requeued, "reruns": reruns, "sync_jobs": sync_jobs,
        "budget": budget_figures(stats, sim.throttle_status(), len(ids), wall),
        "jobs_by_server": _jobs_by_server(odoo, workers),
        "peak_jobs": _peak_jobs(odoo),
        "proxy": requests.get(f"{args.proxy_url.rstrip('/')}/__rr_proxy__/stats", timeout=10).json(),
    }
    _print_run(figures)
    Path(args.save).write_text(json.dumps(figures, indent=1))


def _children(pid):
    return {int(child) for child in os.popen(f"pgrep -P {int(pid)}").read().split()}


def _jobs_by_server(odoo, workers):
    """Jobs of the sync channel done, by the server whose worker ran them last."""
    jobs = odoo.call("queue.job", "search_read", [("channel", "=", "root.synco"), ("state", "=", "done")],
                     fields=["worker_pid"])
    server_of = {pid: name for name, pids in workers.items() for pid in pids}
    return dict(Counter(server_of.get(job["worker_pid"], "unknown") for job in jobs))


def _peak_jobs(odoo):
    """The most jobs of the sync channel that ran at the same time, sync batches apart
    (a store that posts invoices chains its batches: one at a time, whatever the capacity)."""
    jobs = odoo.call("queue.job", "search_read", [("channel", "=", "root.synco"), ("state", "=", "done")],
                     fields=["method_name", "date_started", "date_done"])
    peaks = {}
    for name, scope in (("all", jobs), ("sync", [j for j in jobs if j["method_name"] == "_job_sync"])):
        # Datetimes as Odoo writes them ("YYYY-MM-DD HH:MM:SS"): sorted as strings, ends first on ties.
        events = sorted([(j["date_started"], 1) for j in scope] + [(j["date_done"], -1) for j in scope])
        running = peak = 0
        for _at, step in events:
            running += step
            peak = max(peak, running)
        peaks[name] = peak
    return peaks


def _print_run(f):
    print(f"[{f['label']}] {f['servers']} server(s): {f['orders']} orders, synced {f['synced']}, "
          f"failed {f['failed']}, wall time {f['wall']:.1f} s ({f['orders'] / f['wall']:.2f} orders/s)")
    print(f"[{f['label']}] duplicates: {f['duplicates']}   lost: {f['lost']}   orders re-queued for clashes: "
          f"{f['requeued_clashes']}   sync jobs: {f['sync_jobs']} ({f['reruns']} re-runs)")
    for line in budget_lines(f["budget"]):
        print(f"[{f['label']}] {line}")
    proxy = ", ".join(f"{url}: {c['runjob']} runjob requests ({c['errors']} failed)" for url, c in f["proxy"].items())
    print(f"[{f['label']}] jobs run by server: {f['jobs_by_server']}; the proxy sent {proxy}")
    print(f"[{f['label']}] most jobs at once: {f['peak_jobs']['all']} (sync batches: {f['peak_jobs']['sync']})")


def _compare(runs):
    print(f"{'':22}" + "".join(f"{run['label']:>18}" for run in runs))
    rows = [
        ("servers", lambda r: f"{r['servers']}"),
        ("wall time (s)", lambda r: f"{r['wall']:.1f}"),
        ("orders/s", lambda r: f"{r['orders'] / r['wall']:.2f}"),
        ("duplicates", lambda r: f"{r['duplicates']}"),
        ("lost / failed", lambda r: f"{r['lost']} / {r['failed']}"),
        ("re-queued (clashes)", lambda r: f"{r['requeued_clashes']}"),
        ("sync jobs", lambda r: f"{r['sync_jobs']}"),
        ("THROTTLED", lambda r: f"{r['budget']['throttled']}"),
        ("THROTTLED share", lambda r: f"{100 * r['budget']['throttled_share']:.2f}%"),
        ("requests per order", lambda r: f"{r['budget']['requests_per_order']:.1f}"),
        ("cost per order", lambda r: f"{r['budget']['cost_per_order']:.1f}"),
        ("restore/cost (o/s)", lambda r: f"{r['budget']['ceiling'] or 0:.2f}"),
        ("most jobs at once", lambda r: f"{r['peak_jobs']['all']} (sync {r['peak_jobs']['sync']})"),
        ("jobs by server", lambda r: " ".join(f"{k}:{v}" for k, v in sorted(r["jobs_by_server"].items()))),
    ]
    for name, cell in rows:
        print(f"{name:22}" + "".join(f"{cell(run):>18}" for run in runs))
    if len(runs) == 2:
        one, two = (run["orders"] / run["wall"] for run in runs)
        print(f"throughput, {runs[1]['label']} against {runs[0]['label']}: {two / one:.2f}x")


if __name__ == "__main__":
    main()
