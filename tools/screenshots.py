"""Screenshots of the running app for README.md: the Shopify Orders list and a synced
order's form, taken with headless Chromium driven over the DevTools protocol.

Run it against the demo (``make demo`` in another terminal):

    .venv/bin/python tools/screenshots.py [--url http://127.0.0.1:8069] [--db synco_demo]

It signs in (admin/admin by default), finds a synced order, and writes
docs/screenshots/orders_list.png and docs/screenshots/synced_order.png. Only loopback
addresses are accepted: the screenshots are of this machine's demo.
"""
import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1440, 900
FORM_HEIGHT = 1240  # the order form down to its "Shopify says / Odoo has" table
PAGE_TIMEOUT = 30  # seconds for a page to show what it is waited for
ORDERS_ACTION = "synco_shopify.action_shopify_orders"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default=os.environ.get("SYNCO_DEMO_DB", "synco_demo"))
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"{args.url}: only a loopback Odoo (the demo) is photographed")

    odoo = OdooSession(args.url, args.db, args.login, args.password)
    order_id = odoo.first_synced_order()
    args.out.mkdir(parents=True, exist_ok=True)
    with Chromium(args.chromium) as browser:
        browser.set_cookie(args.url, "session_id", odoo.session_id)
        browser.open(f"{args.url}/odoo/action-{ORDERS_ACTION}",
                     ready=".o_list_view .o_data_row .o_shopify_sync_state")
        browser.save(args.out / "orders_list.png")
        browser.resize(WIDTH, FORM_HEIGHT)
        browser.open(f"{args.url}/odoo/action-{ORDERS_ACTION}/{order_id}",
                     ready=".o_form_view .o_statusbar_status .o_arrow_button_current, .o_form_view table")
        browser.save(args.out / "synced_order.png")
    for name in ("orders_list.png", "synced_order.png"):
        path = args.out / name
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size} bytes")


class OdooSession:
    """A signed-in JSON-RPC session on the demo."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.http = requests.Session()
        result = self._call("/web/session/authenticate", {"db": db, "login": login, "password": password})
        if not result.get("uid"):
            sys.exit(f"could not sign in to {url} (database {db}) as {login}")
        self.session_id = self.http.cookies["session_id"]

    def _call(self, path, params):
        response = self.http.post(f"{self.url}{path}", json={"jsonrpc": "2.0", "params": params}, timeout=30)
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            sys.exit(f"{path}: {body['error'].get('data', {}).get('message') or body['error']}")
        return body["result"]

    def first_synced_order(self):
        found = self._call("/web/dataset/call_kw", {
            "model": "shopify.order", "method": "search", "args": [[("sync_state", "=", "synced")]],
            "kwargs": {"limit": 1},
        })
        if not found:
            sys.exit("the demo has no synced order yet: sync one, then run this again")
        return found[0]


class Chromium:
    """Headless Chromium with one page, driven over its DevTools websocket."""

    def __init__(self, binary):
        self.binary = binary
        self._ids = iter(range(1, 1_000_000))

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="synco-chromium-")
        port = _free_port()
        command = [
            self.binary, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
            f"--window-size={WIDTH},{HEIGHT}", f"--user-data-dir={self.profile}",
            "--remote-debugging-address=127.0.0.1", f"--remote-debugging-port={port}", "about:blank",
        ]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to sandbox as root
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        page = self._first_page(port)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], suppress_origin=True, timeout=PAGE_TIMEOUT)
        self.send("Page.enable")
        self.resize(WIDTH, HEIGHT)
        return self

    def resize(self, width, height):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def __exit__(self, *exc):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)

    def _first_page(self, port):
        deadline = time.monotonic() + PAGE_TIMEOUT
        while time.monotonic() < deadline:
            try:
                pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                page = next((p for p in pages if p.get("type") == "page"), None)
                if page:
                    return page
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                sys.exit(f"{self.binary} exited with {self.process.returncode}")
            time.sleep(0.2)
        sys.exit(f"{self.binary} did not open its DevTools port within {PAGE_TIMEOUT} s")

    def send(self, method, **params):
        """One DevTools command; its result (events received meanwhile are skipped)."""
        message_id = next(self._ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def set_cookie(self, url, name, value):
        self.send("Network.setCookie", name=name, value=value, url=url, path="/")

    def open(self, url, ready):
        """Loads ``url`` and waits until ``ready`` (a CSS selector) is on the page and
        the web client has nothing left to load."""
        self.send("Page.navigate", url=url)
        check = (f"!!document.querySelector({json.dumps(ready)})"
                 " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
                 " && !document.querySelector('.o_login_auth, form.oe_login_form')")
        deadline = time.monotonic() + PAGE_TIMEOUT
        while time.monotonic() < deadline:
            if self.evaluate(check):
                time.sleep(0.5)  # let fonts and the last paint settle
                return
            time.sleep(0.2)
        where = self.evaluate("location.href")
        raise RuntimeError(f"{url}: {ready!r} did not show within {PAGE_TIMEOUT} s (page at {where})")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def save(self, path):
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        path.write_bytes(base64.b64decode(shot["data"]))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
