"""Issue 11: the holes found by probing the demo as an attacker would, closed, and the
tracebacks turned into messages. Each test is the probe itself, made as a real user over
JSON-RPC (/web/dataset/call_kw, /web/dataset/call_button, /json/2 with an API key), against
real PostgreSQL, the Shopify simulator over HTTP, and small HTTP servers on 127.0.0.1.

Users: a Shopify User of company A; a Shopify User of companies A and B; a Shopify
Manager of company A; an administrator (also a Shopify Manager) of A and B; an internal
user with neither Shopify group. Store A is connected to one simulator, store B (company
B) to another, so that any request made for store B is counted.
"""
import configparser
import json
import os
import socket
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.job import Job

from shopify_simulator import Simulator

from .common import TOKEN, SyncoCase, run_write_backs

USER = "synco_shopify.group_shopify_user"
MANAGER = "synco_shopify.group_shopify_manager"
TOKEN_B = "shpat_company_b_hardening"
REPO = Path(__file__).resolve().parents[2]
ACCESS_ERROR = "odoo.exceptions.AccessError"
VALIDATION_ERROR = "odoo.exceptions.ValidationError"
USER_ERROR = "odoo.exceptions.UserError"


class Recorder(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that records every request (path, headers, body) and
    answers with ``answer(handler)``: (status, headers, body)."""

    daemon_threads = True

    def __init__(self, answer):
        self.answer = answer
        self.requests = []
        super().__init__(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self):
        self.shutdown()
        self.server_close()

    def saw(self, secret):
        return any(secret in json.dumps(headers) or secret in body for _path, headers, body in self.requests)


class _Handler(BaseHTTPRequestHandler):
    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self.server.requests.append((self.path, dict(self.headers), body))
        status, headers, payload = self.server.answer(self)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _any

    def log_message(self, *args):
        pass


def _hostile_success(handler):
    # What a hostile target answers: a plausible shop and a plausible token.
    return 200, {"Content-Type": "application/json"}, json.dumps({
        "data": {"shop": {"name": "evil", "currencyCode": "USD", "taxesIncluded": False,
                          "ianaTimezone": "UTC", "myshopifyDomain": "evil.myshopify.com"}},
        "access_token": "shpat_evil", "expires_in": 86400}).encode()


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@tagged("post_install", "-at_install")
class TestSecurityHardening(HttpCase, SyncoCase):
    shop_orders = 120

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Hardening Company B"})
        both = [(6, 0, [company_a.id, cls.company_b.id])]
        cls.user_a = new_test_user(cls.env, login="hard_user_a", groups=USER)
        cls.user_ab = new_test_user(cls.env, login="hard_user_ab", groups=USER, company_ids=both,
                                    company_id=company_a.id)
        cls.manager = new_test_user(cls.env, login="hard_manager", groups=MANAGER)
        cls.admin = new_test_user(cls.env, login="hard_admin", groups=f"{MANAGER},base.group_system",
                                  company_ids=both, company_id=company_a.id)
        cls.outsider = new_test_user(cls.env, login="hard_outsider", groups="base.group_user")
        cls.api_keys = {
            user.login: cls.env["res.users.apikeys"].with_user(user).sudo()._generate(
                None, "hardening probe", fields.Datetime.now() + timedelta(days=1))
            for user in (cls.user_a, cls.manager)
        }

        cls.sim_b = Simulator(orders=20, seed=5, token=TOKEN_B, plan="plus", shop="hardening-b.myshopify.com")
        cls.sim_b.start()
        cls.addClassCleanup(cls.sim_b.stop)
        cls.store_b = cls.env["shopify.store"].create({
            "name": "Store of company B", "shop_domain": "hardening-b.myshopify.com",
            "api_base_url": cls.sim_b.base_url, "access_token": TOKEN_B, "company_id": cls.company_b.id,
        })

        # Two synced orders (each with its sale order), two eligible ones not synced yet.
        cls.synced = cls.list_orders(cls.pick("source_web", 2))
        cls.synced._sync_now()
        cls.waiting = cls.list_orders(cls.pick("source_web", 2))

    def setUp(self):
        super().setUp()
        self.sim.reset_stats()
        self.sim_b.reset_stats()
        self.assertEqual(set(self.synced.mapped("sync_state")), {"synced"}, self.synced.mapped("sync_error"))
        self.assertTrue(all(self.synced.mapped("sale_order_id")))
        self.assertTrue(all(self.waiting.mapped("eligible")))

    # -- the attacker's tools ------------------------------------------------------------------
    def rpc(self, user, model, method, *args, route="call_kw", context=None, timeout=60, **kwargs):
        """``model.method(*args, **kwargs)`` as the web client calls it, signed in as
        ``user``: (result, error), error being the server's ``{name, message}``."""
        self.authenticate(user.login, user.login)
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "model": model, "method": method, "args": list(args),
            "kwargs": {**kwargs, "context": {"lang": "en_US", **(context or {})}}}}
        response = self.url_open(f"/web/dataset/{route}", data=json.dumps(payload),
                                 headers={"Content-Type": "application/json"}, timeout=timeout)
        self.assertEqual(response.status_code, 200, response.text[:500])
        answer = response.json()
        self.env.invalidate_all()
        error = answer.get("error")
        return answer.get("result"), error and error["data"]

    def json2(self, user, model, method, **body):
        """``/json/2/<model>/<method>`` with the user's API key (no session): (status, answer)."""
        self.authenticate(None, None)
        response = self.url_open(f"/json/2/{model}/{method}", data=json.dumps(body), timeout=60, headers={
            "Authorization": f"bearer {self.api_keys[user.login]}", "Content-Type": "application/json"})
        self.env.invalidate_all()
        return response.status_code, response.json()

    def assertRefused(self, error, name=ACCESS_ERROR, contains=None):
        self.assertTrue(error, "the call was accepted")
        self.assertEqual(error["name"], name, error.get("message"))
        if contains:
            self.assertIn(contains, error["message"])

    # -- 1. the token never follows a redirect ----------------------------------------------------
    def test_hole1_test_connection_never_sends_the_token_after_a_redirect(self):
        target = Recorder(_hostile_success)
        self.addCleanup(target.close)
        for status in (301, 302, 307, 308):
            with self.subTest(status=status):
                redirector = Recorder(lambda h, s=status: (s, {"Location": f"{target.url}{h.path}"}, b""))
                self.addCleanup(redirector.close)
                _result, error = self.rpc(self.admin, "shopify.store", "write", [self.store.id],
                                          {"api_base_url": redirector.url})
                self.assertFalse(error)
                _result, error = self.rpc(self.admin, "shopify.store", "action_test_connection", [self.store.id],
                                          route="call_button")
                self.assertFalse(error, error and error["message"])
                self.assertEqual(target.requests, [], "the token went to the redirect's target")
                self.assertEqual(len(redirector.requests), 1, "a redirect is not retried")
                self.assertEqual(self.store.connection_state, "error")
                self.assertIn(f"{target.url}/admin/api/", self.store.connection_message)
                self.assertIn(f"HTTP {status}", self.store.connection_message)
                self.assertNotIn(TOKEN, self.store.connection_message)

    def test_hole1_the_client_credentials_grant_never_sends_the_secret_after_a_redirect(self):
        secret = "client_secret_redirect_hardening_77"
        target = Recorder(_hostile_success)
        self.addCleanup(target.close)
        for status in (301, 307, 308):
            with self.subTest(status=status):
                redirector = Recorder(lambda h, s=status: (s, {"Location": f"{target.url}{h.path}"}, b""))
                self.addCleanup(redirector.close)
                _result, error = self.rpc(self.admin, "shopify.store", "write", [self.store.id], {
                    "api_base_url": redirector.url, "auth_method": "client_credentials",
                    "client_id": "synco-app", "client_secret": secret})
                self.assertFalse(error)
                _result, error = self.rpc(self.admin, "shopify.store", "action_test_connection", [self.store.id],
                                          route="call_button")
                self.assertFalse(error, error and error["message"])
                self.assertFalse(target.saw(secret), "the client secret went to the redirect's target")
                self.assertEqual(target.requests, [])
                self.assertEqual([path for path, _h, _b in redirector.requests], ["/admin/oauth/access_token"])
                self.assertEqual(self.store.connection_state, "error")
                self.assertIn(f"{target.url}/admin/oauth/access_token", self.store.connection_message)
                self.assertNotIn(secret, self.store.connection_message)

    # -- 2. the shop domain is a *.myshopify.com host name --------------------------------------
    def test_hole2_only_a_myshopify_host_name_is_accepted_on_create_and_write(self):
        bad = ["", "   ", "evil.com?", "evil.com", "my shop.myshopify.com", "shop\\evil.myshopify.com",
               "x" * 100_000, "synco-demo.myshopify.com@127.0.0.1:18082", "shop.myshopify.com:443",
               "https://shop.myshopify.com/", "shop.myshopify.com.evil.com"]
        Store = self.env["shopify.store"].with_context(active_test=False)
        for domain in bad:
            with self.subTest(domain=domain[:40]):
                _result, error = self.rpc(self.admin, "shopify.store", "create",
                                          {"name": "Probe", "shop_domain": domain, "company_id": self.company.id})
                self.assertRefused(error, VALIDATION_ERROR, "host name")
                self.assertLess(len(error["message"]), 1000, "a 100 kB domain is not echoed whole")
                _result, error = self.rpc(self.admin, "shopify.store", "write", [self.store.id],
                                          {"shop_domain": domain})
                self.assertRefused(error, VALIDATION_ERROR, "host name")
        self.assertFalse(Store.search([("name", "=", "Probe")]))
        self.assertEqual(self.store.shop_domain, self.sim.data.shop["myshopifyDomain"])
        # lowercased and stripped
        created, error = self.rpc(self.admin, "shopify.store", "create",
                                  {"name": "Probe", "shop_domain": "  Second-Shop.MyShopify.com \n"})
        self.assertFalse(error)
        self.assertEqual(Store.browse(created).shop_domain, "second-shop.myshopify.com")

    def test_hole2_the_userinfo_trick_never_reaches_the_host_after_the_at_sign(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        listener.settimeout(0.5)
        self.addCleanup(listener.close)
        port = listener.getsockname()[1]
        created, error = self.rpc(self.admin, "shopify.store", "create", {
            "name": "Userinfo", "shop_domain": f"synco-demo.myshopify.com@127.0.0.1:{port}"})
        self.assertRefused(error, VALIDATION_ERROR, "host name")
        self.assertFalse(created)
        with self.assertRaises(TimeoutError):
            listener.accept()

    # -- 3. no Shopify call for a store the caller may not act on -----------------------------
    def test_hole3_users_never_make_shopify_calls_for_another_companys_store(self):
        probes = [
            (self.user_a, {}),
            (self.user_ab, {"allowed_company_ids": [self.company.id]}),
            (self.user_ab, {"allowed_company_ids": [self.company.id, self.company_b.id]}),
            (self.manager, {}),
        ]
        for user, context in probes:
            for method in ("action_test_connection", "action_catch_up"):
                with self.subTest(user=user.login, method=method, context=context):
                    _result, error = self.rpc(user, "shopify.store", method, [self.store_b.id],
                                              route="call_button", context=context)
                    self.assertRefused(error)
                    self.assertEqual(self.sim_b.stats["requests"], 0, self.sim_b.stats["by_operation"])
        status, answer = self.json2(self.user_a, "shopify.store", "action_test_connection", ids=[self.store_b.id])
        self.assertEqual((status, answer.get("name")), (403, ACCESS_ERROR))
        self.assertEqual(self.sim_b.stats["requests"], 0)
        self.assertEqual(self.store_b.connection_state, "unknown")
        # A Shopify User tests no connection, not even their own company's store's.
        _result, error = self.rpc(self.user_a, "shopify.store", "action_test_connection", [self.store.id],
                                  route="call_button")
        self.assertRefused(error)
        self.assertEqual(self.sim.stats["requests"], 0)

    def test_hole3_a_manager_cannot_import_the_orders_of_another_companys_store(self):
        wizard, error = self.rpc(self.manager, "shopify.order.import.wizard", "create", {
            "store_id": self.store_b.id, "date_from": "2020-01-01", "date_to": "2030-01-01"})
        if not error:
            _result, error = self.rpc(self.manager, "shopify.order.import.wizard", "action_import", [wizard],
                                      route="call_button")
        self.assertRefused(error)
        self.assertEqual(self.sim_b.stats["requests"], 0, self.sim_b.stats["by_operation"])
        self.assertFalse(self.env["shopify.order"].search([("store_id", "=", self.store_b.id)]))

    # -- 4. a store stays in its company, with its company's journals ---------------------------
    def test_hole4_a_manager_cannot_move_a_store_to_a_company_they_are_not_in(self):
        _result, error = self.rpc(self.manager, "shopify.store", "write", [self.store.id],
                                  {"company_id": self.company_b.id})
        self.assertRefused(error)
        self.assertEqual(self.store.company_id, self.company)
        self.assertEqual(set(self.synced.mapped("company_id")), {self.company})
        # nor create one there
        _result, error = self.rpc(self.manager, "shopify.store", "create", {
            "name": "Elsewhere", "shop_domain": "elsewhere.myshopify.com", "company_id": self.company_b.id})
        self.assertRefused(error)
        self.assertFalse(self.env["shopify.store"].search([("name", "=", "Elsewhere")]))

    def test_hole4_a_store_never_holds_another_companys_journal(self):
        # A store with orders keeps its company: its orders and their documents are that company's.
        _result, error = self.rpc(self.admin, "shopify.store", "write", [self.store.id],
                                  {"company_id": self.company_b.id})
        self.assertRefused(error, USER_ERROR, "cannot move")
        self.assertEqual(self.store.company_id, self.company)
        # An empty store moves, but not with company A's journal.
        empty = self.env["shopify.store"].create({
            "name": "Empty", "shop_domain": "empty-hardening.myshopify.com", "company_id": self.company.id,
            "default_payment_journal_id": self.bank.id})
        _result, error = self.rpc(self.admin, "shopify.store", "write", [empty.id], {"company_id": self.company_b.id})
        self.assertRefused(error, USER_ERROR, "Default payment journal")
        self.assertEqual(empty.company_id, self.company)
        _result, error = self.rpc(self.admin, "shopify.store", "write", [empty.id],
                                  {"company_id": self.company_b.id, "default_payment_journal_id": False})
        self.assertFalse(error, error and error["message"])
        self.assertEqual(empty.company_id, self.company_b)
        # Nor may its mappings point to company A's journal, warehouse or tax.
        warehouse_a = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        tax_a = self.env["account.tax"].search([("company_id", "=", self.company.id), ("type_tax_use", "=", "sale")],
                                               limit=1)
        for field, values in [
            ("gateway_mapping_ids", {"gateway": "manual", "journal_id": self.bank.id}),
            ("location_mapping_ids", {"location_gid": "gid://shopify/Location/1", "warehouse_id": warehouse_a.id}),
            ("tax_mapping_ids", {"title": "Tax", "rate": 0.1, "tax_id": tax_a.id}),
        ]:
            with self.subTest(field=field):
                _result, error = self.rpc(self.admin, "shopify.store", "write", [empty.id],
                                          {field: [(0, 0, values)]})
                self.assertRefused(error, USER_ERROR, "company")
                self.assertFalse(empty[field])

    # -- 5. only administrators point a new store's API URL anywhere ----------------------------
    def test_hole5_only_administrators_set_the_api_url_even_on_create(self):
        _result, error = self.rpc(self.manager, "shopify.store", "create", {
            "name": "Trap", "shop_domain": "trap.myshopify.com", "api_base_url": "http://127.0.0.1:9"})
        self.assertRefused(error, contains="administrators")
        self.assertFalse(self.env["shopify.store"].search([("name", "=", "Trap")]))
        # What the manager may: a store on its shop's domain, without an API URL.
        created, error = self.rpc(self.manager, "shopify.store", "create", {
            "name": "Trap", "shop_domain": "Trap.myshopify.com"})
        self.assertFalse(error, error and error["message"])
        store = self.env["shopify.store"].browse(created)
        self.assertEqual((store.shop_domain, store.api_base_url), ("trap.myshopify.com", False))
        _result, error = self.rpc(self.manager, "shopify.store", "write", [created], {"api_base_url": "http://127.0.0.1:9"})
        self.assertRefused(error, contains="administrators")
        created, error = self.rpc(self.admin, "shopify.store", "create", {
            "name": "Simulator", "shop_domain": "simulated.myshopify.com", "api_base_url": "http://127.0.0.1:9"})
        self.assertFalse(error, error and error["message"])

    # -- 6. the integration's bookkeeping is not the users' to write ----------------------------
    def test_hole6_a_manager_cannot_rewrite_the_order_bookkeeping(self):
        order, other = self.waiting[0], self.synced[1]
        kept = ["sync_state", "sale_order_id", "amount_total", "eligible", "writeback_state", "store_id", "invoice_ids"]
        before = order.read(kept)[0]
        forged = [
            {"sync_state": "synced"},
            {"sale_order_id": other.sale_order_id.id},
            {"amount_total": 1.0},
            {"eligible": False},
            {"writeback_state": "done", "shopify_odoo_ref": "S00001"},
            {"invoice_ids": [(4, other.invoice_ids[:1].id)]},
            {"store_id": self.store_b.id},
        ]
        for values in forged:
            for context in ({}, {"synco_integration": True}):
                with self.subTest(values=values, context=context):
                    _result, error = self.rpc(self.manager, "shopify.order", "write", [order.id], values,
                                              context=context)
                    self.assertRefused(error, contains="integration's")
        status, answer = self.json2(self.manager, "shopify.order", "write", ids=[order.id],
                                    vals={"sync_state": "synced"})
        self.assertEqual((status, answer.get("name")), (403, ACCESS_ERROR))
        self.assertEqual(order.read(kept)[0], before)
        self.assertEqual(other.sale_order_id.shopify_order_id, other)
        # A made-up order
        _result, error = self.rpc(self.manager, "shopify.order", "create", {
            "store_id": self.store.id, "shopify_gid": "gid://shopify/Order/999999999", "name": "#FAKE",
            "amount_total": 1e9, "sync_state": "synced"})
        self.assertRefused(error, contains="come from Shopify")
        _result, error = self.rpc(self.manager, "shopify.order", "copy", [other.id])
        self.assertRefused(error)
        self.assertFalse(self.env["shopify.order"].search([("name", "=", "#FAKE")]))
        # What stays theirs: the chatter.
        message, error = self.rpc(self.manager, "shopify.order", "message_post", [order.id], body="Checked by hand")
        self.assertFalse(error, error and error["message"])
        self.assertTrue(message)

    def test_hole6_the_integration_still_writes_it_through_the_queue(self):
        order = self.waiting[:1]
        result, error = self.rpc(self.user_a, "shopify.order", "action_enqueue_sync", [order.id], route="call_button")
        self.assertFalse(error, error and error["message"])
        self.assertEqual(order.sync_state, "in_progress")
        self.assertEqual(order.job_id.user_id, self.user_a)
        Job.load(self.env, order.job_id.uuid).perform()
        self.assertEqual(order.sync_state, "synced", order.sync_error)
        # The write-back job the sync queued (as the integration) writes custom.odoo_id.
        self.assertTrue(run_write_backs(self.env))
        self.assertTrue(order.sale_order_id and order.writeback_state == "done")

    # -- 7. no synchronous sync over RPC -----------------------------------------------------
    def test_hole7_users_sync_through_the_queue_only(self):
        order = self.waiting[1:]
        for method in ("action_sync", "_sync_now"):
            for route in ("call_kw", "call_button"):
                with self.subTest(method=method, route=route):
                    _result, error = self.rpc(self.user_a, "shopify.order", method, [order.id], route=route)
                    self.assertRefused(error, contains="cannot be called remotely")
            status, answer = self.json2(self.user_a, "shopify.order", method, ids=[order.id])
            self.assertEqual((status, answer.get("name")), (403, ACCESS_ERROR))
        self.assertEqual(self.sim.stats["by_operation"].get("OrdersFull", 0), 0)
        self.assertEqual(order.sync_state, "not_synced")
        self.assertFalse(order.sale_order_id)
        # The queue is the users' way in, and code keeps its synchronous path.
        _result, error = self.rpc(self.user_a, "shopify.order", "action_enqueue_sync", [order.id], route="call_button")
        self.assertFalse(error, error and error["message"])
        self.assertEqual((order.sync_state, order.job_id.state), ("in_progress", "wait_dependencies"))
        self.assertEqual(order.job_id.dependency_ids.state, "pending", "its prefetch, queued")
        order.job_id.state = "cancelled"
        order.sudo().write({"sync_state": "not_synced"})
        order.with_user(self.user_a)._sync_now()
        self.assertEqual(order.sync_state, "synced", order.sync_error)

    # -- 8. /queue_job/runjob stays on loopback in the demo ----------------------------------
    def test_hole8_the_demo_keeps_odoo_and_the_job_runner_on_loopback(self):
        # Ports in use (this test's Odoo, its simulator): if the flag were ignored, the demo
        # would refuse to start rather than start.
        env = {**os.environ, "SYNCO_DEMO_PORT": str(self.http_port()), "SYNCO_SIM_PORT": str(self.sim.port)}
        done = subprocess.run(["bash", "tools/demo.sh", "--print-config"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        conf = configparser.ConfigParser(interpolation=None)
        conf.read_string(done.stdout)
        options, runner = conf["options"], conf["queue_job"]
        self.assertEqual(options["http_interface"], "127.0.0.1", "Odoo (and /queue_job/runjob) on loopback only")
        self.assertIn("queue_job", options["server_wide_modules"].split(","))
        self.assertEqual(runner["host"], "127.0.0.1", "the runner calls /queue_job/runjob on loopback")
        self.assertEqual(runner["port"], options["http_port"])
        self.assertEqual(runner["scheme"], "http")
        readme = (REPO / "README.md").read_text()
        production = readme[readme.index("## Production"):]
        self.assertIn("/queue_job/", production)

    # -- tracebacks that became messages ----------------------------------------------------------
    def test_orders_from_after_orders_until_is_refused_with_a_message(self):
        dates = {"rule_date_from": "2026-03-01", "rule_date_to": "2026-01-01"}
        # a store with orders
        _result, error = self.rpc(self.manager, "shopify.store", "write", [self.store.id], dates)
        self.assertRefused(error, VALIDATION_ERROR, "Orders from")
        self.assertFalse(self.store.rule_date_from or self.store.rule_date_to)
        self.assertTrue(all(self.waiting.mapped("eligible")))
        # an empty store: refused at once, not when its first order comes
        created, error = self.rpc(self.manager, "shopify.store", "create",
                                  {"name": "Dated", "shop_domain": "dated.myshopify.com", **dates})
        self.assertRefused(error, VALIDATION_ERROR, "Orders from")
        self.assertFalse(self.env["shopify.store"].search([("name", "=", "Dated")]))

    def test_a_revoked_token_on_catch_up_and_import_says_what_to_do_on_the_store(self):
        self.store.access_token = "shpat_revoked_by_the_merchant_51"
        headers_until = self.store.headers_synced_until
        count = self.env["shopify.order"].search_count([("store_id", "=", self.store.id)])
        result, error = self.rpc(self.manager, "shopify.store", "action_catch_up", [self.store.id], route="call_button")
        self.assertFalse(error, error and f"{error['name']}: {error['message']}")
        self.assertEqual((result["tag"], result["params"]["type"]), ("display_notification", "danger"))
        self.assertIn("401", result["params"]["message"])
        self.assertEqual(self.store.connection_state, "error")
        for expected in ("401", "administrator", "Test connection"):
            self.assertIn(expected, self.store.connection_message)
        self.assertNotIn("shpat_revoked", self.store.connection_message)
        self.assertEqual(self.store.headers_synced_until, headers_until)
        # The import wizard says the same.
        self.store.write({"connection_state": "ok", "connection_message": False})
        wizard, error = self.rpc(self.manager, "shopify.order.import.wizard", "create", {
            "store_id": self.store.id, "date_from": "2020-01-01", "date_to": "2030-01-01"})
        self.assertFalse(error)
        result, error = self.rpc(self.manager, "shopify.order.import.wizard", "action_import", [wizard],
                                 route="call_button")
        self.assertFalse(error, error and f"{error['name']}: {error['message']}")
        self.assertEqual(result["params"]["type"], "danger")
        self.assertEqual(self.store.connection_state, "error")
        self.assertIn("Test connection", self.store.connection_message)
        self.assertEqual(self.env["shopify.order"].search_count([("store_id", "=", self.store.id)]), count)

    def test_a_catch_up_failing_half_way_leaves_nothing_and_says_so(self):
        # Two pages of headers (250 + 50): the first is served, the second fails for good.
        with Simulator(orders=300, seed=9, token=TOKEN, plan="plus", shop="two-pages.myshopify.com") as sim:
            store = self.env["shopify.store"].create({
                "name": "Two pages", "shop_domain": "two-pages.myshopify.com", "api_base_url": sim.base_url,
                "access_token": TOKEN, "company_id": self.company.id})
            self.env["ir.config_parameter"].sudo().set_param("synco_shopify.max_retry_seconds", "1")
            # The count of a first catch-up (OrdersCount) and the first page pass.
            sim.faults.inject("http_5xx", count=10_000, status=503, skip=2)
            result, error = self.rpc(self.manager, "shopify.store", "action_catch_up", [store.id],
                                     route="call_button")
            stats = sim.stats
        self.assertFalse(error, error and f"{error['name']}: {error['message']}")
        self.assertGreaterEqual(stats["by_operation"].get("OrderHeaders", 0), 1, "the first page was read")
        self.assertGreaterEqual(stats["faults_served"], 1, "the second failed")
        self.assertEqual(result["params"]["type"], "danger")
        self.assertFalse(self.env["shopify.order"].search([("store_id", "=", store.id)]), "nothing half-imported")
        self.assertFalse(store.headers_synced_until)
        self.assertEqual(store.connection_state, "error")
        self.assertIn("OrderHeaders", store.connection_message)

    def test_test_connection_to_an_unreachable_address_answers_fast_naming_it(self):
        port = _closed_port()
        self.rpc(self.admin, "shopify.store", "write", [self.store.id], {"api_base_url": f"http://127.0.0.1:{port}"})
        started = time.monotonic()
        _result, error = self.rpc(self.admin, "shopify.store", "action_test_connection", [self.store.id],
                                  route="call_button")
        spent = time.monotonic() - started
        self.assertFalse(error, error and error["message"])
        self.assertLess(spent, 8, "a refused connection is said within seconds")
        self.assertEqual(self.store.connection_state, "error")
        self.assertIn(f"127.0.0.1:{port}", self.store.connection_message)
        self.assertIn("connection refused", self.store.connection_message)
        self.assertNotIn("shopifystatus", self.store.connection_message)

    def test_test_connection_to_an_address_that_never_answers_gives_up_on_the_connect_timeout(self):
        # A full accept queue: the connection is never accepted (a firewalled address).
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        self.addCleanup(server.close)
        port = server.getsockname()[1]
        filler = socket.create_connection(("127.0.0.1", port))
        self.addCleanup(filler.close)
        self.rpc(self.admin, "shopify.store", "write", [self.store.id], {"api_base_url": f"http://127.0.0.1:{port}"})
        started = time.monotonic()
        _result, error = self.rpc(self.admin, "shopify.store", "action_test_connection", [self.store.id],
                                  route="call_button", timeout=120)
        spent = time.monotonic() - started
        self.assertFalse(error, error and error["message"])
        # Odoo's test harness raises every timeout to 10 s; in production it is the same 10 s.
        self.assertLess(spent, 20, "the page waits for a connect timeout, not for a minute of retries")
        self.assertIn(f"127.0.0.1:{port}", self.store.connection_message)
        self.assertIn("no answer", self.store.connection_message)
        self.assertNotIn("shopifystatus", self.store.connection_message)

    def test_an_empty_shop_domain_is_a_message_not_a_traceback(self):
        _result, error = self.rpc(self.admin, "shopify.store", "create", {"name": "Empty domain", "shop_domain": ""})
        self.assertRefused(error, VALIDATION_ERROR, "host name")
        # A store saved before the check, with an empty domain: Test connection says why.
        self.env.cr.execute("UPDATE shopify_store SET shop_domain = '', api_base_url = NULL WHERE id = %s",
                            [self.store.id])
        self.env.invalidate_all()
        _result, error = self.rpc(self.admin, "shopify.store", "action_test_connection", [self.store.id],
                                  route="call_button")
        self.assertFalse(error, error and f"{error['name']}: {error['message']}")
        self.assertEqual(self.store.connection_state, "error")
        self.assertIn("host name", self.store.connection_message)

    def test_every_attachment_of_this_database_has_its_file(self):
        # This database was copied from the template by tools/common.sh (fresh_db): its
        # attachments (web assets, images) point to files of the template's filestore.
        self.env.cr.execute("SELECT store_fname FROM ir_attachment WHERE store_fname IS NOT NULL")
        names = [name for (name,) in self.env.cr.fetchall()]
        self.assertTrue(names)
        Attachment = self.env["ir.attachment"]
        missing = [name for name in names if not os.path.isfile(Attachment._full_path(name))]
        self.assertFalse(missing, f"{len(missing)} of {len(names)} attachment files missing, e.g. {missing[:3]}")

    def test_a_huge_search_text_is_refused_at_once(self):
        huge = "x" * 1_000_000
        started = time.monotonic()
        _result, error = self.rpc(self.user_a, "shopify.order", "name_search", name=huge, timeout=60)
        self.assertRefused(error, USER_ERROR, "limited to 256 characters")
        _result, error = self.rpc(self.user_a, "shopify.order", "web_search_read",
                                  [("email", "ilike", "y" * 10_000)], specification={"name": {}})
        self.assertRefused(error, USER_ERROR, "limited to 256 characters")
        _result, error = self.rpc(self.user_a, "shopify.order", "search_count", [("name", "ilike", huge)])
        self.assertRefused(error, USER_ERROR)
        self.assertLess(time.monotonic() - started, 5)
        # An ordinary search still finds the order.
        order = self.synced[0]
        found, error = self.rpc(self.user_a, "shopify.order", "name_search", name=order.name)
        self.assertFalse(error)
        self.assertIn(order.id, [row[0] for row in found])


@tagged("post_install", "-at_install", "synco")
class TestDocumentLinks(HttpCase, SyncoCase):
    """The links from invoices, credit notes, payments and sale orders to Shopify are the
    integration's: an accountant over RPC can post and pay documents, not relink them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(cls.env, login="links_accountant",
                                       groups="account.group_account_manager,sales_team.group_sale_manager")

    def rpc(self, user, model, method, *args, **kwargs):
        return TestSecurityHardening.rpc(self, user, model, method, *args, **kwargs)

    def test_an_accountant_cannot_relink_documents_to_shopify(self):
        self.store.invoice_policy = "all"
        first, second = self.list_orders(self.pick("source_web", 2))
        self.env["shopify.order.sync"]._sync_orders(first | second)
        invoice = first.invoice_ids[:1]
        self.assertTrue(invoice)
        for model, record, values in (
            ("account.move", invoice, {"shopify_order_id": second.id}),
            ("account.move", invoice, {"shopify_source_gid": "gid://shopify/Refund/1"}),
            ("sale.order", first.sale_order_id, {"shopify_order_id": second.id}),
            ("account.payment", first.payment_ids[:1], {"shopify_transaction_gid": "gid://shopify/OrderTransaction/1"}),
        ):
            if not record:
                continue
            _result, error = self.rpc(self.accountant, model, "write", record.ids, values)
            self.assertTrue(error and error["name"] == "odoo.exceptions.AccessError", (model, values, error))
        self.assertEqual(invoice.shopify_order_id, first, "nothing was relinked")
        # what an accountant does with these documents still works
        _result, error = self.rpc(self.accountant, "account.move", "write", invoice.ids, {"narration": "checked"})
        self.assertFalse(error, error)
