"""The app in a real browser (Odoo tours in headless Chromium), signed in as real
users of each Shopify group; sync jobs run through queue_job's /queue_job/runjob.

The Orders list is built so that each filter has a known, distinct answer (the tours
check them row by row):

    20 eligible, not synced  (bulk)       1 eligible, not synced, unique email (click)
     2 synced, paid (SO + invoice)        1 synced, payment pending (SO, no invoice)
     1 failed, authorized                 1 in progress (its job retries tomorrow)
     1 test order, 1 cancelled order (ineligible)
"""
import ast
import copy
import json
import logging
import time
from datetime import timezone
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.queue_job.job import Job

from .common import SyncoCase, run_job
from .tour_job_runner import TourJobRunner, utc_in

_logger = logging.getLogger(__name__)

SHOPIFY_USER_GROUPS = ",".join([
    "synco_shopify.group_shopify_user",
    # to open the sale order and the invoice a sync made
    "sales_team.group_sale_salesman",
    "account.group_account_invoice",
])
SHOPIFY_MANAGER_GROUPS = ",".join([
    "synco_shopify.group_shopify_manager",
    "sales_team.group_sale_salesman",
    "account.group_account_invoice",
])


def shop_day(order):
    """The day Shopify processed ``order``, in the shop's time zone (its invoice day)."""
    zone = ZoneInfo(order.store_id.shop_timezone)
    return order.processed_at.replace(tzinfo=timezone.utc).astimezone(zone).date()


def _bookable(stored):
    return (not stored["test"] and not stored["cancelledAt"]
            and any(line["currentQuantity"] for line in stored["lineItems"]))


@tagged("post_install", "-at_install")
class TestShopifyTours(HttpCase, SyncoCase):
    # A bulk job syncs 20 orders while every browser request waits for the test cursor.
    test_cursor_lock_timeout = 90

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store.write({"rule_exclude_test": True, "rule_exclude_cancelled": True})
        cls.shopify_user = new_test_user(cls.env, login="shopify_user", groups=SHOPIFY_USER_GROUPS,
                                         name="Shopify User")
        cls.shopify_manager = new_test_user(cls.env, login="shopify_manager", groups=SHOPIFY_MANAGER_GROUPS,
                                            name="Shopify Manager")
        orders = cls.sim.data.orders
        by_status = {}
        for stored in sorted(orders, key=lambda o: o["createdAt"], reverse=True):
            if _bookable(stored) and stored["sourceName"] == "web":
                by_status.setdefault(stored["displayFinancialStatus"], []).append(stored)
        emails = [o["email"] for o in orders]
        paid = by_status["PAID"]
        click = next(o for o in paid if o["email"] and emails.count(o["email"]) == 1)
        paid = [o for o in paid if o is not click]
        picked = {
            "bulk": paid[:20], "click": [click], "synced_paid": paid[20:22], "in_progress": paid[22:23],
            "synced_pending": by_status["PENDING"][:1], "failed": by_status["AUTHORIZED"][:1],
            "test": [o for o in orders if o["test"]][:1],
            "cancelled": [o for o in orders if o["cancelledAt"]][:1],
        }
        # The failed order: Shopify's total no longer matches its lines, which the
        # sync refuses with the difference (data that is wrong fails, readable).
        broken = copy.deepcopy(picked["failed"][0])
        for side in ("shopMoney", "presentmentMoney"):
            money = broken["currentTotalPriceSet"][side]
            money["amount"] = str(Decimal(money["amount"]) + 1)
        cls.sim.upsert_orders([broken])

        listed = cls.list_orders([o for group in picked.values() for o in group])
        cls.listed = {name: listed.filtered(lambda r, ids=[o["id"] for o in group]: r.shopify_gid in ids)
                      for name, group in picked.items()}
        (cls.listed["synced_paid"] | cls.listed["synced_pending"]).action_sync()
        # The failed order went through a job, as users sync: the job is done, the order failed.
        failed = cls.listed["failed"]
        failed.action_enqueue_sync()
        run_job(cls.env, failed.job_id.dependency_ids)  # its prefetch
        job = Job.load(cls.env, failed.job_id.uuid)
        job.set_started()
        job.perform()
        job.set_done()
        job.store()
        cls.listed["in_progress"].with_user(cls.shopify_user).action_enqueue_sync()
        run_job(cls.env, cls.listed["in_progress"].job_id.dependency_ids)  # its prefetch: the sync waits
        # As a job Shopify throttled: it waits for its retry, the order stays In Progress.
        cls.listed["in_progress"].job_id.write({"eta": utc_in(days=1), "retry": 1})
        cls.click_email = click["email"]
        # The bulk orders processed before the clicked one: once the click has posted its
        # invoice, theirs would be dated before it (the warning of the bulk sync).
        bulk = cls.listed["bulk"]
        cls.early_order = min(bulk, key=lambda o: o.processed_at)
        assert shop_day(cls.early_order) < shop_day(cls.listed["click"])
        cls.shopify_viewer = new_test_user(cls.env, login="shopify_viewer", groups="synco_shopify.group_shopify_user",
                                           name="Shopify Viewer")

    def setUp(self):
        super().setUp()
        self.job_runner = None

    def _wait_remaining_requests(self, timeout=10):
        # The browser is done: stop asking Odoo to run jobs before waiting for the
        # requests in flight, one of which may be a job.
        if self.job_runner:
            self.job_runner.stop()
        super()._wait_remaining_requests(timeout)

    def run_tour(self, tour, login, expected):
        """Runs ``tour`` as ``login`` with the job runner on; ``expected`` (the counts
        the dataset gives) is handed to the tour. Returns the seconds it took."""
        runner = self.job_runner = TourJobRunner(self)
        navigate = ChromeBrowser.navigate_to

        def navigate_then_run_jobs(browser, url, wait_stop=False):
            # Until the page is asked for, the test thread still signs in and flushes
            # on the shared cursor, without the test lock: the runner waits for that.
            navigate(browser, url, wait_stop=wait_stop)
            runner.start()

        code = (f"odoo.syncoExpected = {json.dumps(expected)};"
                f"odoo.startTour({tour!r}, {{stepDelay: 0, keepWatchBrowser: false, debug: false,"
                f" startUrl: '/odoo', delayToCheckUndeterminisms: 0}})")
        start = time.monotonic()
        with patch.object(ChromeBrowser, "navigate_to", navigate_then_run_jobs):
            self.start_tour("/odoo", tour, login=login, code=code, timeout=180)
        elapsed = time.monotonic() - start
        self.assertEqual(self.job_runner.errors, [])
        return elapsed

    def assertFilterCounts(self, user, counts):
        """What the tour will see, read the way the list reads it (as the user)."""
        Order = self.env["shopify.order"].with_user(user)
        arch = etree.fromstring(self.env.ref("synco_shopify.shopify_order_view_search").arch)
        for label, count in counts.items():
            domain = ast.literal_eval(arch.find(f".//filter[@string='{label}']").get("domain"))
            self.assertEqual(Order.search_count(domain), count, f"filter {label}")

    def test_shopify_user_filters_searches_syncs_one_and_twenty_orders(self):
        expected = {
            "all": 28, "synced": 3, "not_synced": 23, "in_progress": 1, "failed": 1,
            "eligible": 22, "sale_order": 3, "invoice": 2, "bulk": 20, "email": self.click_email,
            "early_order": self.early_order.name,
        }
        self.assertFilterCounts(self.shopify_user, {
            "All": 28, "Synced": 3, "Not Synced": 23, "In Progress": 1, "Failed": 1,
            "Eligible": 22, "Sale Order": 3, "Invoice": 2,
        })
        self.assertIn("does not reconcile", self.listed["failed"].sync_error)
        self.assertEqual(self.listed["failed"].job_id.state, "done")
        seconds = self.run_tour("synco_shopify_user_tour", "shopify_user", expected)

        # What the browser showed is what the database holds: every sync went
        # through a queue job, run as the user who clicked.
        synced = self.listed["click"] | self.listed["bulk"]
        self.env.invalidate_all()
        self.assertEqual(set(synced.mapped("sync_state")), {"synced"})
        self.assertEqual(set(synced.job_id.mapped("state")), {"done"})
        self.assertEqual(synced.job_id.user_id, self.shopify_user)
        self.assertEqual(len(synced.job_id), 2, "one job for the click, one batch for the bulk action")
        # Each batch ran as its prefetch and its sync (then the write-back of the Odoo IDs).
        ran = self.env["queue.job"].search([("uuid", "in", self.job_runner.ran)])
        self.assertEqual(ran.filtered(lambda job: job.method_name == "_job_sync"), synced.job_id)
        self.assertEqual(ran.filtered(lambda job: job.method_name == "_job_prefetch"), synced.job_id.dependency_ids)
        self.assertLessEqual(set(ran.mapped("method_name")), {"_job_prefetch", "_job_sync", "_job_write_back"})
        # The warning was given, and taken: the bulk invoices are dated before the click's.
        click_invoice = self.listed["click"].invoice_ids
        self.assertLess(self.early_order.invoice_ids.invoice_date, click_invoice.invoice_date)
        self.assertEqual(self.listed["in_progress"].job_id.state, "pending")
        self.assertTrue(all(synced.mapped("sale_order_id")))
        _logger.info("Shopify User tour: %.1f s", seconds)

    def test_shopify_manager_changes_a_rule_and_the_eligible_filter_follows(self):
        pending = self.listed["synced_pending"]
        expected = {"all": 28, "eligible_before": 22, "eligible_after": 21, "synced": 3,
                    "pending_order": pending.name}
        self.assertFilterCounts(self.shopify_manager, {"Eligible": 22, "Synced": 3})
        seconds = self.run_tour("synco_shopify_manager_tour", "shopify_manager", expected)
        self.env.invalidate_all()
        self.assertEqual(self.store.rule_financial_status_ids.mapped("code"), ["PAID"])
        self.assertFilterCounts(self.shopify_manager, {"Eligible": 21})
        # The synced order the new rule leaves out: still synced, no longer eligible.
        self.assertEqual((pending.sync_state, pending.eligible), ("synced", False))
        _logger.info("Shopify Manager tour: %.1f s", seconds)

    def test_shopify_user_without_sales_rights_opens_a_summary_from_the_odoo_id(self):
        order = self.listed["synced_paid"][:1]
        self.assertFalse(order.sale_order_id.with_user(self.shopify_viewer).has_access("read"))
        expected = {"all": 28, "synced": 3, "order": order.name, "odoo_ref": order.odoo_record_ref}
        seconds = self.run_tour("synco_shopify_viewer_tour", "shopify_viewer", expected)
        _logger.info("Shopify Viewer tour: %.1f s", seconds)
