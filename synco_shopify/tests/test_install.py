from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_statuses_match_shopify_enums(self):
        self.assertEqual(self.env["shopify.financial.status"].search_count([]), 8)
        self.assertEqual(self.env["shopify.fulfillment.status"].search_count([]), 11)

    def test_groups_chain_manager_to_user(self):
        manager = self.env.ref("synco_shopify.group_shopify_manager")
        self.assertIn(self.env.ref("synco_shopify.group_shopify_user"), manager.all_implied_ids)
