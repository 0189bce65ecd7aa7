"""One Shopify budget per store, shared through PostgreSQL by every worker (issue 9,
point 4): workers on their own database connections book their requests in the
store's ledger and wait for each other instead of being throttled by Shopify."""
import threading
import time

from odoo.tests import TransactionCase, tagged

from shopify_simulator import Simulator, schema

from ..services.store_budget import StoreBudgetLedger
from ..shopify.api.auth import StaticToken
from ..shopify.api.client import ShopifyClient
from ..shopify.api.throttle import SharedCostBucket
from .common import TOKEN, SyncoCase

# 2 + floor(2 ln 100) * (1 + 20) = 191 points a request, requested and charged.
COSTLY = "query Costly { orders(first: 100) { nodes { id %s } } }" % " ".join(
    f"c{i}: customer {{ id }}" for i in range(20))
WORKERS, REQUESTS = 4, 4  # 3,056 points: more than a Standard bucket's 2,000
FREE_STORE_ID = 2_000_000_000  # the ledger's key; no store row needed (see the model)


@tagged("post_install", "-at_install")
class TestStoreBudget(TransactionCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(self._forget_ledger)

    def _forget_ledger(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM shopify_store_budget WHERE store_id = %s", [FREE_STORE_ID])

    def _ledger_row(self):
        # The ledger commits on cursors of its own: read it on one too (the test's
        # snapshot predates it).
        with self.registry.cursor() as cr:
            cr.execute("SELECT maximum, available, restore_rate FROM shopify_store_budget WHERE store_id = %s",
                       [FREE_STORE_ID])
            return cr.fetchone()

    def test_four_workers_on_a_standard_store_are_not_throttled(self):
        with Simulator(orders=100, seed=3, token=TOKEN, plan="standard") as sim:
            errors, clients = [], []
            schema_version = schema.latest()

            def worker():
                ledger = StoreBudgetLedger(self.registry, FREE_STORE_ID)
                client = ShopifyClient(sim.data.shop["myshopifyDomain"], schema_version, StaticToken(TOKEN),
                                       base_url=sim.base_url, timeout=10, max_retry_seconds=60,
                                       bucket=SharedCostBucket(time.monotonic, ledger, scope=sim.base_url))
                clients.append(client)
                try:
                    for _ in range(REQUESTS):
                        client.execute(COSTLY)
                except Exception as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)
                finally:
                    client.close()

            threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertGreater(sim.stats["cost_actual"], 2000, "more than the bucket holds: someone waited")
            # Without the ledger, this load gets several THROTTLED answers (tests/shopify/
            # test_shared_budget.py); with it none, or on a loaded machine now and then one.
            self.assertLessEqual(sim.stats["throttled"], 1)
            self.assertGreaterEqual(sum(c.counters.throttle_waits for c in clients), 1)
            maximum, available, rate = self._ledger_row()
            self.assertEqual((maximum, rate), (2000, 100))
            self.assertLessEqual(available, maximum)


@tagged("post_install", "-at_install")
class TestStoreClientBudget(SyncoCase):
    shop_orders = 5

    def test_a_store_client_books_in_the_store_ledger(self):
        client = self.store._shopify_client()
        self.assertIsInstance(client.bucket, SharedCostBucket)
        self.assertEqual(client.bucket.ledger.store_id, self.store.id)
