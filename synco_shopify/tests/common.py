"""Odoo tests run against a real Shopify simulator over HTTP (no mocks).

Each test class starts its own simulator on a free loopback port, seeded with the
orders the class needs, and connects a store of the test company to it.
"""
import threading
import traceback

from odoo import Command, api
from odoo.orm.utils import SUPERUSER_ID
from odoo.tests import TransactionCase

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from shopify_simulator import Simulator

TOKEN = "shpat_synco_tests"
# Every gateway the simulated shops pay through. The test store maps each to the bank
# journal, as a merchant maps theirs: an unmapped gateway fails its order.
SHOP_GATEWAYS = ("shopify_payments", "paypal", "manual", "bogus", "cash", "gift_card", "shopify_store_credit",
                 "Cash on Delivery (COD)", "Bank Deposit")


class SyncoCase(TransactionCase):
    """A store connected to a running simulator; helpers to load orders into both."""

    taxes_included = False
    seed = 1
    shop_orders = 300  # what the simulated shop holds; tests pick from them by scenario
    shop_currency = "USD"
    forced_scenarios = None  # e.g. ["pending_payment"]: every order of the shop carries them

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        data = None
        if cls.forced_scenarios:
            # Scenarios a mixed shop never shows (unpaid, authorized-only, cash-rounded) are forced.
            from shopify_simulator.generator import generate

            data = generate(cls.seed, cls.shop_orders, taxes_included=cls.taxes_included,
                            shop_currency=cls.shop_currency, scenarios=cls.forced_scenarios)
        cls.sim = Simulator(orders=cls.shop_orders, seed=cls.seed, token=TOKEN, plan="plus",
                            taxes_included=cls.taxes_included, currency=cls.shop_currency, scenario=data)
        cls.sim.start()
        cls.addClassCleanup(cls.sim.stop)
        cls.company = cls.env.company
        # Every currency a generated shop sells in is active, as a merchant would have it.
        cls.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", ["USD", "EUR", "GBP", "CAD", "AUD", "JPY"])]).active = True
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)
        cls.store = cls.env["shopify.store"].create({
            "name": "Test store",
            "shop_domain": cls.sim.data.shop["myshopifyDomain"],
            "api_base_url": cls.sim.base_url,
            "access_token": TOKEN,
            "company_id": cls.company.id,
            "gateway_mapping_ids": [Command.create({"gateway": gateway, "journal_id": cls.bank.id})
                                    for gateway in SHOP_GATEWAYS],
            "rule_exclude_test": False,
            "rule_exclude_cancelled": False,
        })
        cls.store.action_test_connection()

    @classmethod
    def pick(cls, scenario, count=1, exclude=(), bookable=True):
        """Stored (Shopify-side) orders of the simulated shop that carry a scenario, each
        handed out once per class (the simulator outlives a test's rollback). Bookable
        orders have something left to book (not cancelled, not fully refunded)."""
        if "_picked" not in cls.__dict__:
            cls._picked = set()
        used = cls._picked
        found = [o for o in cls.sim.data.orders
                 if scenario in o.get("_scenarios", ()) and o["id"] not in exclude and o["id"] not in used
                 and (not bookable or (any(line["currentQuantity"] for line in o["lineItems"])
                                       and scenario != "cancelled" and "cancelled" not in o["_scenarios"]))]
        assert len(found) >= count, f"the shop has {len(found)} unused orders with {scenario}, {count} wanted"
        used.update(o["id"] for o in found[:count])
        return found[:count]

    @classmethod
    def list_orders(cls, stored_orders):
        """Imports the headers of these orders into the Shopify Orders list."""
        cls.env["shopify.order.import"]._upsert_page(cls.store, cls._headers(stored_orders))
        return cls.env["shopify.order"].search(
            [("store_id", "=", cls.store.id), ("shopify_gid", "in", [o["id"] for o in stored_orders])])

    @classmethod
    def _headers(cls, orders):
        from odoo.addons.synco_shopify.shopify.api import orders_api

        client = cls.store._shopify_client()
        search = " OR ".join(f"id:{orders_api.legacy_id(o['id'])}" for o in orders)
        return list(orders_api.iter_order_headers(client, search))

    def run_write_backs(self):
        """Run the queued write-back jobs of the test's store: the sync no longer writes
        custom.odoo_id itself."""
        return run_write_backs(self.env, self.store)


def run_job(env, job_record):
    """Perform a stored job as queue_job's controller does (minus HTTP and commits)."""
    job = Job.load(env, job_record.uuid)
    job.set_started()
    job.store()
    with env.cr.savepoint():
        job.perform()
    job.set_done()
    job.store()
    env.flush_all()
    job.enqueue_waiting()  # the jobs chained after it may run now
    env.flush_all()
    return job


def run_job_to_outcome(env, job_record):
    """Perform a stored job as queue_job's controller (RunJobController._runjob) does,
    its failures included, minus HTTP and commits: the job's work is rolled back (a
    savepoint here, the transaction there), then the job is postponed (RetryableJobError)
    or stored failed with the exception's message, as the controller stores it."""
    job = Job.load(env, job_record.uuid)
    job.set_started()
    job.store()
    try:
        with env.cr.savepoint():
            job.perform()
    except RetryableJobError as err:
        env.invalidate_all()
        job.postpone(result=str(err), seconds=err.seconds)
        job.set_pending(reset_retry=False)
        job.store()
    except Exception as exc:  # noqa: BLE001 - what the controller catches
        env.invalidate_all()
        job.set_failed(**RunJobController._get_failure_values(job, traceback.format_exc(), exc))
        job.store()
    else:
        job.set_done()
        job.store()
        env.flush_all()
        job.enqueue_waiting()
    env.flush_all()
    env.invalidate_all()
    return job


def run_write_backs(env, store=None):
    """Run the write-back jobs queued (custom.odoo_id), of ``store`` when given, whatever
    their eta, as the runner would (a job Shopify made wait is postponed, pending);
    returns them."""
    jobs = env["queue.job"].search([("method_name", "=", "_job_write_back"), ("state", "=", "pending")],
                                   order="id")
    if store:
        jobs = jobs.filtered(lambda job: job.records.exists().store_id == store)
    for job in jobs:
        run_job_to_outcome(env, job)
    return jobs


def import_headers(store, stored_orders):
    """The headers of these orders of the simulated shop, imported into ``store`` (in its own
    environment: a test on committed data passes a store of its own cursor): their
    shopify.order records, in the given order."""
    from odoo.addons.synco_shopify.shopify.api import orders_api

    search = " OR ".join(f"id:{orders_api.legacy_id(o['id'])}" for o in stored_orders)
    headers = list(orders_api.iter_order_headers(store._shopify_client(), search))
    orders = store.env["shopify.order.import"]._upsert_page(store, headers)
    by_gid = {o.shopify_gid: o.id for o in orders}
    return orders.browse([by_gid[o["id"]] for o in stored_orders])


def sync_concurrently(registry, order_id, workers=2):
    """``_sync_orders`` of one committed order in ``workers`` real transactions that start
    together, as parallel jobs would: (summaries, errors)."""
    barrier = threading.Barrier(workers)
    summaries, errors = [], []

    def worker():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait(timeout=10)
                summaries.append(env["shopify.order.sync"]._sync_orders(env["shopify.order"].browse(order_id)))
        except Exception as exc:  # noqa: BLE001 - returned to the test, which fails on it
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return summaries, errors
