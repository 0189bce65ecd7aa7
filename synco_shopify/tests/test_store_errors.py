"""Three stores caught up by the scheduled action, one of them with a revoked token: the
cron only queues, each store's catch-up is a job of its own, the broken store says why
on its form and above the orders list, and the other two catch up all the same."""
from odoo import Command
from odoo.tests import tagged

from shopify_simulator import Simulator

from .common import TOKEN, SyncoCase, run_job


@tagged("post_install", "-at_install")
class TestStoreErrors(SyncoCase):
    shop_orders = 20

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_sims = []
        for shop in ("synco-second", "synco-broken"):
            sim = Simulator(orders=6, seed=7, token=TOKEN, plan="plus", shop=f"{shop}.myshopify.com")
            sim.start()
            cls.addClassCleanup(sim.stop)
            cls.other_sims.append(sim)
        cls.second, cls.broken = (cls.env["shopify.store"].create({
            "name": name, "shop_domain": sim.data.shop["myshopifyDomain"], "api_base_url": sim.base_url,
            "access_token": TOKEN, "company_id": cls.company.id,
            "gateway_mapping_ids": [Command.create({"gateway": "manual", "journal_id": cls.bank.id})],
        }) for name, sim in zip(("Second store", "Broken store"), cls.other_sims))
        (cls.second | cls.broken).action_test_connection()

    def catch_up_jobs(self):
        return self.env["queue.job"].search([("method_name", "=", "_job_catch_up"), ("state", "=", "pending")])

    def orders_of(self, store):
        return self.env["shopify.order"].search_count([("store_id", "=", store.id)])

    def test_a_store_with_a_revoked_token_fails_alone_and_says_so(self):
        stores = self.store | self.second | self.broken
        self.assertEqual(set(stores.mapped("connection_state")), {"ok"})
        self.broken.access_token = "shpat_revoked_by_the_merchant"
        broken_sim = self.other_sims[1]
        broken_sim.reset_stats()
        self.env["shopify.order"]._cron_catch_up()
        jobs = self.catch_up_jobs()
        self.assertEqual(sorted(job.records.id for job in jobs), sorted(stores.ids), "one job per store")
        self.assertFalse(broken_sim.stats["by_operation"], "the cron itself calls no store")
        for job in jobs:
            run_job(self.env, job)
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        # The two good stores caught up.
        self.assertEqual(self.orders_of(self.store), len(self.sim.data.orders))
        self.assertEqual(self.orders_of(self.second), len(self.other_sims[0].data.orders))
        self.assertEqual(self.orders_of(self.broken), 0)
        # The broken one says why, on its form and for the banner above the orders list.
        self.assertEqual((self.store | self.second).mapped("connection_state"), ["ok", "ok"])
        self.assertEqual(self.broken.connection_state, "error")
        self.assertIn("401", self.broken.connection_message)
        self.assertNotIn("shpat_revoked", self.broken.connection_message)
        user = self.env["res.users"].create({
            "name": "Shopify user", "login": "synco_banner_user",
            "group_ids": [Command.link(self.env.ref("synco_shopify.group_shopify_user").id)]})
        banner = self.env["shopify.store"].with_user(user).connection_errors()
        self.assertEqual([(s["id"], s["name"]) for s in banner], [(self.broken.id, "Broken store")])
        self.assertIn("401", banner[0]["message"])
        notices = self.env["bus.bus"].search([("message", "like", "synco_shopify/orders_changed")])
        self.assertTrue(notices.filtered(lambda n: str(self.broken.id) in n.message), "open lists are told")

        # The merchant fixes the token: the next catch-up clears the error, and the banner.
        self.broken.access_token = TOKEN
        self.env["shopify.order"]._cron_catch_up()
        for job in self.catch_up_jobs():
            run_job(self.env, job)
        self.assertEqual(self.broken.connection_state, "ok")
        self.assertEqual(self.orders_of(self.broken), len(broken_sim.data.orders))
        self.assertFalse(self.env["shopify.store"].with_user(user).connection_errors())
