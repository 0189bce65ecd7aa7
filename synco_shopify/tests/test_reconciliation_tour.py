"""The reconciliation report in a real browser, as an accountant without any Shopify group."""
import json

from odoo.tests import HttpCase, tagged

from .test_reconciliation import ReconciliationCase, money


@tagged("post_install", "-at_install", "synco")
class TestReconciliationTour(HttpCase, ReconciliationCase):

    def test_an_accountant_opens_the_reconciliation_report(self):
        # Created by the test, computed by the accountant in the browser (Compute).
        rec = self.env["shopify.reconciliation"].create(
            {"store_id": self.store.id, "date_from": self.date_from, "date_to": self.date_to})
        changed = self.order_of("changed")
        refund = self.synced_total - money(self.changed_now["currentTotalPriceSet"])
        expected = {
            "different": 1,
            "failed": 1,
            # every order of the period but the matched, failed and changed ones (the
            # generated orders of the same day included), once the headers are read
            "missing": None,
            "changed": changed.name,
            "changed_difference": "%.2f" % refund,
        }
        # The shop's other orders of the period are read by Compute: counted the same way.
        rec.action_refresh()
        expected["missing"] = rec.missing_count
        rec.write({"refreshed_at": False})
        rec.order_ids.sudo().unlink()
        self.env.flush_all()
        tour = "synco_shopify_reconciliation_tour"
        # The test's code replaces start_tour's own: it sets the figures, then starts the tour.
        code = (f"odoo.syncoExpected = {json.dumps(expected)};"
                f"odoo.startTour({tour!r}, {{stepDelay: 0, keepWatchBrowser: false, debug: false,"
                f" startUrl: '/odoo', delayToCheckUndeterminisms: 0}})")
        self.start_tour("/odoo", tour, login="recon_accountant", code=code,
                        timeout=90)
        self.assertTrue(rec.refreshed_at, "the accountant computed it")
        self.assertEqual(rec.different_count, 1)
