"""Who sees and does what, checked as real users of each group (never as superuser):
menus, model access, the store's secrets, company walls, and secrets kept out of
logs and error messages."""
import logging

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.queue_job.job import Job

from .common import TOKEN, SyncoCase

USER = "synco_shopify.group_shopify_user"
MANAGER = "synco_shopify.group_shopify_manager"
SECRETS = ["access_token", "client_id", "client_secret", "oauth_token"]


def web_client_spec(env, model, arch):
    """What the web client asks web_read for when it opens ``arch``: its fields (those
    of embedded lists nested), many2one as display names."""
    fields = env[model].fields_get()
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        field = fields[node.get("name")]
        if field["type"] == "many2one":
            spec[node.get("name")] = {"fields": {"display_name": {}}}
        elif field["type"] in ("one2many", "many2many"):
            columns = node.findall("./list/field")
            spec[node.get("name")] = {"fields": {c.get("name"): {} for c in columns} or {"display_name": {}}}
        else:
            spec[node.get("name")] = {}
    return spec


class CapturedLogs(logging.Handler):
    """Every record Odoo and the addon emit, down to DEBUG (whatever --log-level
    says), formatted as it would be written."""

    LOGGERS = ("", "odoo", "requests", "urllib3")

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)

    def __enter__(self):
        self._levels = {name: logging.getLogger(name).level for name in self.LOGGERS}
        for name in self.LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)


@tagged("post_install", "-at_install")
class TestShopifySecurity(SyncoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls.list_orders(cls.pick("source_web", 2))
        cls.outsider = new_test_user(cls.env, login="sales_only", groups="sales_team.group_sale_salesman")
        cls.user = new_test_user(cls.env, login="shop_user", groups=USER)
        cls.manager = new_test_user(cls.env, login="shop_manager", groups=MANAGER)
        cls.manager_admin = new_test_user(cls.env, login="shop_admin", groups=f"{MANAGER},base.group_system")

        cls.company_b = cls.env["res.company"].create({"name": "Synco Company B"})
        cls.store_b = cls.env["shopify.store"].create({
            "name": "Store of company B", "shop_domain": "company-b.myshopify.com",
            "access_token": "shpat_company_b", "company_id": cls.company_b.id,
        })
        cls.order_b = cls.env["shopify.order"].create({
            "store_id": cls.store_b.id, "shopify_gid": "gid://shopify/Order/990001", "name": "#B1",
        })
        # Works in both companies, with B not selected: the rules follow the selection.
        cls.user_ab = new_test_user(cls.env, login="shop_user_ab", groups=USER,
                                    company_ids=[(6, 0, [cls.company.id, cls.company_b.id])],
                                    company_id=cls.company.id)

    def mapping_values(self):
        return {
            "shopify.gateway.mapping": {"gateway": "manual", "journal_id": self.bank.id},
            "shopify.location.mapping": {
                "location_gid": "gid://shopify/Location/1", "location_name": "Shop",
                "warehouse_id": self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1).id,
            },
            "shopify.shipping.mapping": {
                "shipping_code": "Standard",
                "product_id": self.env.ref("synco_shopify.product_shipping").id,
            },
        }

    def visible_menus(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        return {menu["xmlid"] for key, menu in menus.items() if key != "root"}

    # -- menus ----------------------------------------------------------------------------
    def test_users_outside_both_groups_see_no_shopify_menu(self):
        self.assertIn("sale.sale_menu_root", self.visible_menus(self.outsider))
        self.assertFalse({x for x in self.visible_menus(self.outsider) if x.startswith("synco_shopify.")})

    def test_shopify_user_sees_orders_but_not_configuration(self):
        menus = self.visible_menus(self.user)
        self.assertLessEqual({"synco_shopify.menu_shopify_root", "synco_shopify.menu_shopify_orders"}, menus)
        self.assertNotIn("synco_shopify.menu_shopify_config", menus)
        self.assertNotIn("synco_shopify.menu_shopify_stores", menus)

    def test_shopify_manager_sees_configuration(self):
        self.assertLessEqual({
            "synco_shopify.menu_shopify_config", "synco_shopify.menu_shopify_stores",
            "synco_shopify.menu_shopify_gateway_mappings", "synco_shopify.menu_shopify_tax_mappings",
            "synco_shopify.menu_shopify_location_mappings", "synco_shopify.menu_shopify_shipping_mappings",
        }, self.visible_menus(self.manager))

    # -- orders ---------------------------------------------------------------------------
    def test_users_outside_both_groups_cannot_read_orders(self):
        with self.assertRaises(AccessError):
            self.env["shopify.order"].with_user(self.outsider).search([])
        with self.assertRaises(AccessError):
            self.orders.with_user(self.outsider).read(["name"])
        with self.assertRaises(AccessError):
            self.orders.with_user(self.outsider).action_enqueue_sync()

    def test_shopify_user_reads_orders_and_queues_a_sync_as_themself(self):
        orders = self.env["shopify.order"].with_user(self.user).search([("store_id", "=", self.store.id)])
        self.assertEqual(orders, self.orders)
        self.assertTrue(all(orders.read(["name", "email", "amount_total", "sync_state", "ineligible_reason"])))
        orders.action_enqueue_sync()
        self.assertEqual(set(orders.mapped("sync_state")), {"in_progress"})
        job = orders.job_id
        self.assertEqual(len(job), 1)
        # The sync job waits for its prefetch, queued as the user too.
        self.assertEqual((job.user_id, job.channel, job.state), (self.user, "root.synco", "wait_dependencies"))
        prefetch = job.sudo().dependency_ids
        self.assertEqual((prefetch.user_id, prefetch.state), (self.user, "pending"))

    def test_shopify_user_job_syncs_what_the_user_could_not_create_by_hand(self):
        # The user may not create products or customers; the job makes them anyway.
        self.assertFalse(self.env["product.product"].with_user(self.user).has_access("create"))
        self.assertFalse(self.env["shopify.customer.link"].with_user(self.user).has_access("create"))
        order = self.orders[:1].with_user(self.user)
        order.action_enqueue_sync()
        Job.load(self.env, order.job_id.uuid).perform()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        self.assertEqual(order.sale_order_id.create_uid, self.user)

    def test_shopify_user_without_sales_or_invoicing_rights_opens_a_synced_order(self):
        order = self.orders[:1]
        order.action_sync()
        self.assertTrue(order.sale_order_id and order.invoice_ids, order.sync_error)
        Order = self.env["shopify.order"].with_user(self.user)
        self.assertFalse(self.env["account.move"].with_user(self.user).has_access("read"))
        views = Order.get_views([(False, "list"), (False, "form")])["views"]
        rows = Order.web_search_read([("id", "=", order.id)], web_client_spec(self.env, Order._name, views["list"]["arch"]))
        self.assertEqual(rows["records"][0]["odoo_record_ref"], order.sale_order_id.name)
        form = Order.browse(order.id).web_read(web_client_spec(self.env, Order._name, views["form"]["arch"]))[0]
        self.assertEqual(form["odoo_record_ref"], order.sale_order_id.name)
        self.assertIn("Shopify says", form["comparison_html"])
        # The documents themselves stay closed to them: no link they could not follow.
        self.assertNotIn("invoice_ids", form)
        self.assertNotIn('name="action_open_invoices"', views["form"]["arch"])

    def test_shopify_user_cannot_create_or_change_stores_and_mappings(self):
        Store = self.env["shopify.store"].with_user(self.user)
        self.assertEqual(Store.search([]), self.store)
        with self.assertRaises(AccessError):
            Store.create({"name": "Mine", "shop_domain": "mine.myshopify.com"})
        with self.assertRaises(AccessError):
            self.store.with_user(self.user).write({"rule_exclude_test": False})
        with self.assertRaises(AccessError):
            self.store.with_user(self.user).unlink()
        for model, values in self.mapping_values().items():
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.user).create({"store_id": self.store.id, **values})

    def test_shopify_user_cannot_read_or_see_the_secrets(self):
        store = self.store.with_user(self.user)
        for field in SECRETS:
            with self.subTest(field=field), self.assertRaises(AccessError):
                store.read([field])
        self.assertFalse(set(SECRETS) & set(store.fields_get()))
        arch = store.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="shop_domain"', arch)
        for field in SECRETS:
            self.assertNotIn(f'name="{field}"', arch)

    # -- configuration --------------------------------------------------------------------
    def test_shopify_manager_configures_stores_and_mappings(self):
        Store = self.env["shopify.store"].with_user(self.manager)
        store = Store.create({"name": "Second shop", "shop_domain": "second.myshopify.com"})
        paid = self.env["shopify.financial.status"].search([("code", "=", "PAID")])
        store.write({"rule_financial_status_ids": [(6, 0, paid.ids)], "rule_exclude_test": False,
                     "order_prefix": "S2-"})
        self.assertEqual(store.rule_financial_status_ids, paid)
        for model, values in self.mapping_values().items():
            with self.subTest(model=model):
                mapping = self.env[model].with_user(self.manager).create({"store_id": store.id, **values})
                self.assertEqual(mapping.store_id, store)
        store.unlink()

    def test_shopify_manager_cannot_read_or_set_secrets_unless_administrator(self):
        store = self.store.with_user(self.manager)
        for field in SECRETS:
            with self.subTest(field=field), self.assertRaises(AccessError):
                store.read([field])
        with self.assertRaises(AccessError):
            store.write({"access_token": "shpat_chosen_by_manager"})
        self.assertEqual(self.store.with_user(self.manager_admin).access_token, TOKEN)
        self.assertIn("access_token", self.store.with_user(self.manager_admin).fields_get())

    # -- companies ------------------------------------------------------------------------
    def test_another_companys_store_and_orders_are_hidden(self):
        for user in (self.user, self.manager):
            with self.subTest(user=user.login):
                self.assertNotIn(self.store_b, self.env["shopify.store"].with_user(user).search([]))
                self.assertNotIn(self.order_b, self.env["shopify.order"].with_user(user).search([]))
                with self.assertRaises(AccessError):
                    self.order_b.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.store_b.with_user(user).read(["name"])

    def test_company_selection_decides_which_orders_show(self):
        Order = self.env["shopify.order"].with_user(self.user_ab)
        only_a = Order.with_context(allowed_company_ids=[self.company.id]).search([])
        self.assertIn(self.orders[0], only_a)
        self.assertNotIn(self.order_b, only_a)
        both = Order.with_context(allowed_company_ids=[self.company.id, self.company_b.id]).search([])
        self.assertIn(self.order_b, both)

    # -- secrets stay secret --------------------------------------------------------------
    def test_a_wrong_token_fails_without_showing_it(self):
        wrong = "shpat_wrong_but_secret_7f3a9c"
        self.store.access_token = wrong
        with CapturedLogs() as logs:
            self.store.with_user(self.manager).action_test_connection()
        self.assertEqual(self.store.connection_state, "error")
        self.assertIn("401", self.store.connection_message)
        self.assertNotIn(wrong, self.store.connection_message)
        self.assertTrue(logs.lines, "the failed request is logged")
        self.assertFalse([line for line in logs.lines if wrong in line])

    def test_a_wrong_client_secret_fails_without_showing_it(self):
        secret = "client_secret_never_shown_41b2"
        self.store.write({"auth_method": "client_credentials", "client_id": "synco-app", "client_secret": secret})
        with CapturedLogs() as logs:
            self.store.with_user(self.manager).action_test_connection()
        self.assertEqual(self.store.connection_state, "error")
        self.assertTrue(self.store.connection_message)
        self.assertNotIn(secret, self.store.connection_message)
        self.assertFalse([line for line in logs.lines if secret in line])

    def test_a_sync_job_refused_by_shopify_keeps_the_token_out_of_the_order(self):
        order = self.orders[-1:].with_user(self.user)
        order.action_enqueue_sync()
        wrong = "shpat_revoked_secret_2d8e"
        self.store.access_token = wrong
        with CapturedLogs() as logs:
            Job.load(self.env, order.job_id.uuid).perform()
        self.assertEqual(order.sync_state, "failed")
        self.assertIn("401", order.sync_error)
        self.assertNotIn(wrong, order.sync_error)
        self.assertFalse([line for line in logs.lines if wrong in line])
