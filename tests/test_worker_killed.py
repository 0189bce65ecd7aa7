"""A real Odoo worker killed with SIGKILL while it runs a sync job.

Real processes, no shortcut: a prefork Odoo (2 workers) with queue_job's runner, on a copy
of the test database (``make test`` installs the addon in $SYNCO_TEST_DB, default
synco_test, before the plain tests run; copied with createdb -T, so it must have no open
connection then), a store connected to a Shopify simulator running in this process. The
batch's prefetch job runs; then its sync job, writing the documents, is held at its first
sale order (the test holds the table), and the worker running it is killed there, its
documents half-written in a transaction that dies with it. queue_job's runner finds the job dead (its queue_job_lock row is no longer
locked FOR NO KEY UPDATE by a live transaction), requeues it, the job runs again, and
every order of the batch ends synced exactly once, its Odoo ID written back.

Lives with the plain tests because it needs a database of its own that real processes
share (an Odoo test's transaction is invisible to them). It fails, never skips, when it
cannot run.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

from shopify_simulator import Simulator

ROOT = Path(__file__).resolve().parent.parent
ODOO = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
QJ_ADDONS = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / \
    "site-packages" / "odoo" / "addons"
ADDONS_PATH = f"{ODOO / 'addons'},{QJ_ADDONS},{ROOT}"
TEMPLATE = os.environ.get("SYNCO_TEST_DB", "synco_test")
TOKEN = "shpat_kill_test"
ORDERS = 12


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_shell(db, code, env=None):
    """Runs ``code`` in ``odoo-bin shell`` on ``db``; returns its output, fails on error."""
    done = subprocess.run(
        [sys.executable, str(ODOO / "odoo-bin"), "shell", "-d", db, f"--addons-path={ADDONS_PATH}",
         "--no-http", "--log-level=warn"],
        input=code, text=True, capture_output=True, timeout=120, env={**os.environ, **(env or {})})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    return done.stdout


class Db:
    def __init__(self, name):
        self.conn = psycopg2.connect(dbname=name)
        self.conn.autocommit = True

    def all(self, query, args=()):
        with self.conn.cursor() as cr:
            cr.execute(query, args)
            return cr.fetchall() if cr.description else None

    def one(self, query, args=()):
        rows = self.all(query, args)
        return rows[0] if rows else None


def wait_for(what, test, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def database():
    """A copy of the test database, dropped afterwards."""
    probe = subprocess.run(["psql", "-d", "postgres", "-Atc",
                            f"select count(*) from pg_database where datname = '{TEMPLATE}'"],
                           capture_output=True, text=True)
    assert probe.stdout.strip() == "1", (
        f"database {TEMPLATE} (synco_shopify installed) is missing: run `make test`, or set SYNCO_TEST_DB "
        f"to a database with the addon installed. {probe.stderr}")
    name = f"synco_kill_{os.getpid()}"
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    made = subprocess.run(["createdb", "-T", TEMPLATE, name], capture_output=True, text=True)
    assert made.returncode == 0, f"createdb -T {TEMPLATE} failed (is something connected to it?): {made.stderr}"
    yield name
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=False)


@pytest.fixture
def simulator():
    sim = Simulator(orders=ORDERS * 3, seed=5, token=TOKEN, plan="plus")
    sim.start()
    yield sim
    sim.stop()


def test_a_worker_killed_mid_job_leaves_every_order_synced_once(database, simulator):
    # The store, its headers, and a batch of eligible orders queued (one job).
    # One shell (each costs an Odoo start): tools/soak_setup.py, then the queuing.
    out = odoo_shell(database, (ROOT / "tools" / "soak_setup.py").read_text() + f"""
orders = env["shopify.order"].search([("eligible", "=", True), ("sync_state", "=", "not_synced")], limit={ORDERS})
orders._enqueue_batches(1)
env.cr.commit()
print("queued", sorted(orders.ids))
""", env={"SYNCO_SIM_URL": simulator.base_url, "SYNCO_SIM_TOKEN": TOKEN})
    assert "store: ok" in out, out
    ids = eval(out.split("queued", 1)[1].strip())  # noqa: S307 - our own print of a list of ints
    assert len(ids) == ORDERS
    db = Db(database)
    (job_id,) = db.one("select distinct job_id from shopify_order where id = any(%s)", (ids,))
    simulator.reset_stats()
    # Sale orders can be read but not written while this transaction lives.
    holder = psycopg2.connect(dbname=database)
    holder.cursor().execute("LOCK TABLE sale_order IN EXCLUSIVE MODE")

    # Odoo with its runner, started only now: the job runs at once.
    server = _start_server(database)
    try:
        started = wait_for("the job to start", lambda: db.one(
            "select worker_pid, date_enqueued from queue_job where id = %s and state = 'started'", (job_id,)), 60)
        worker_pid, enqueued = started
        wait_for("the job to write its first sale order", lambda: db.one(
            "select 1 from pg_locks l join pg_class c on c.oid = l.relation "
            "where not l.granted and c.relname = 'sale_order'"), 60)
        os.kill(worker_pid, signal.SIGKILL)  # mid-write: its documents die with its transaction
        time.sleep(1)
        # Its database session notices its worker is gone once it may go on (then rolls back).
        holder.rollback()
        holder.close()
        assert db.one("select state, worker_pid from queue_job where id = %s", (job_id,)) == ("started", worker_pid)
        assert {row[0] for row in db.all("select sync_state from shopify_order where id = any(%s)", (ids,))} == {
            "in_progress"}
        # The runner requeues a dead job enqueued more than 10 s ago, on its next loop. It
        # loops on a notification or every 60 s: a NOTIFY on its channel only wakes it sooner.
        time.sleep(max(0.0, 11 - (time.time() - enqueued.timestamp())))
        db.all("NOTIFY queue_job, %s", (str(job_id),))
        wait_for("the job to be run again, to its end", lambda: db.one(
            "select 1 from queue_job where id = %s and state = 'done'", (job_id,)), 90)
        retry, pid = db.one("select retry, worker_pid from queue_job where id = %s", (job_id,))
        assert retry >= 2 and pid != worker_pid, "run twice, by another worker"
        wait_for("the write-back job", lambda: not db.one(
            "select 1 from queue_job where method_name = '_job_write_back' and state != 'done'"), 60)
    finally:
        _stop_server(server)

    states = dict(db.all("select id, sync_state from shopify_order where id = any(%s)", (ids,)))
    assert set(states.values()) == {"synced"}, db.all(
        "select name, sync_state, sync_error from shopify_order where id = any(%s)", (ids,))
    # Exactly once: one sale order each, at most one invoice each, one payment per transaction.
    assert db.all("select count(*) from sale_order where shopify_order_id = any(%s) group by shopify_order_id",
                  (ids,)) == [(1,)] * ORDERS
    assert not db.all("select shopify_order_id from account_move where shopify_order_id = any(%s) "
                      "and move_type = 'out_invoice' group by shopify_order_id having count(*) > 1", (ids,))
    assert not db.all("select shopify_transaction_gid from account_payment where shopify_order_id = any(%s) "
                      "group by shopify_transaction_gid having count(*) > 1", (ids,))
    for gid, ref in db.all("select shopify_gid, odoo_record_ref from shopify_order where id = any(%s)", (ids,)):
        assert simulator.metafield(gid, "custom", "odoo_id")["value"] == ref
    db.conn.close()


def _start_server(database):
    """A prefork Odoo (2 workers) with queue_job's runner on ``database``."""
    tmp = Path(f"/tmp/synco_kill_{os.getpid()}")
    tmp.mkdir(exist_ok=True)
    port, gevent = free_port(), free_port()
    conf = tmp / "odoo.conf"
    conf.write_text(f"""[options]
addons_path = {ADDONS_PATH}
db_name = {database}
dbfilter = ^{database}$
http_port = {port}
gevent_port = {gevent}
http_interface = 127.0.0.1
server_wide_modules = base,web,queue_job
workers = 2
max_cron_threads = 0
limit_time_real = 300
log_level = warn
logfile = {tmp / 'odoo.log'}

[queue_job]
channels = root:2,root.synco:1
scheme = http
host = 127.0.0.1
port = {port}
""")
    return subprocess.Popen([sys.executable, str(ODOO / "odoo-bin"), "-c", str(conf)], start_new_session=True)


def _stop_server(proc):
    """The server and every worker of it (its own process group), and its files."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)
    shutil.rmtree(f"/tmp/synco_kill_{os.getpid()}", ignore_errors=True)
