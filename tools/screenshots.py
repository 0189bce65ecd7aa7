"""Screenshots of the running app, for README.md and for the points of issue 12 that a
person compares by eye: taken with headless Chromium driven over the DevTools protocol.

Run it against the demo (``make demo`` in another terminal):

    .venv/bin/python tools/screenshots.py [--url http://127.0.0.1:8069] [--db synco_demo] [--only NAME…]

It signs in as the demo's administrator (admin/admin), adds a Shopify Manager and a Shopify
User to the demo when they are missing (the screenshots of what they see), and writes one
PNG per shot in docs/screenshots/ (see SHOTS in tools/screenshot_shots.py). Only loopback
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshot_shots import DEMO_USERS, SHOTS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1440, 900
PAGE_TIMEOUT = 30  # seconds for a page to show what it is waited for


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default=os.environ.get("SYNCO_DEMO_DB", "synco_demo"))
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"{args.url}: only a loopback Odoo (the demo) is photographed")

    admin = OdooSession(args.url, args.db, args.login, args.password)
    for login, (name, groups) in DEMO_USERS.items():
        admin.ensure_user(login, name, groups)
    sessions = {"admin": admin}
    args.out.mkdir(parents=True, exist_ok=True)
    shots = [shot for shot in SHOTS if not args.only or shot.name in args.only]
    failed = []
    with Chromium(args.chromium) as browser:
        for shot in shots:
            if shot.login not in sessions:
                sessions[shot.login] = OdooSession(args.url, args.db, shot.login, shot.login)
            odoo = sessions[shot.login]
            browser.set_cookie(args.url, "session_id", odoo.session_id)
            browser.resize(WIDTH, shot.height or HEIGHT)
            prepared = shot.setup(admin) if shot.setup else None
            try:
                shot.take(browser, odoo, args.url)
            except (RuntimeError, LookupError) as exc:
                failed.append(f"{shot.name}: {exc}")
                continue
            finally:
                if shot.teardown:
                    shot.teardown(admin, prepared)
            path = args.out / f"{shot.name}.png"
            browser.save(path)
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"{shown}: {path.stat().st_size} bytes — {shot.caption}")
    if failed:
        sys.exit("shots not taken:\n" + "\n".join(failed))


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
        response = self.http.post(f"{self.url}{path}", json={"jsonrpc": "2.0", "params": params}, timeout=60)
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(f"{path}: {body['error'].get('data', {}).get('message') or body['error']}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._call("/web/dataset/call_kw", {"model": model, "method": method, "args": list(args),
                                                   "kwargs": kwargs})

    def first(self, model, domain, order=None):
        """The id of the first record of ``domain``; LookupError when the demo has none."""
        found = self.call(model, "search", domain, limit=1, **({"order": order} if order else {}))
        if not found:
            raise LookupError(f"the demo has no {model} matching {domain}")
        return found[0]

    def xmlid(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
                         fields=["res_id"], limit=1)
        if not rows:
            raise LookupError(f"no record {xmlid}")
        return rows[0]["res_id"]

    def ensure_user(self, login, name, groups):
        """A demo user (password = login) of these groups, for the shots of what they see."""
        if self.call("res.users", "search", [("login", "=", login)], limit=1):
            return
        self.call("res.users", "create", {
            "name": name, "login": login, "password": login,
            "group_ids": [(4, self.xmlid(group)) for group in groups],
        })


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

    def click(self, selector, ready):
        """Clicks the first element of ``selector`` (waiting for it), then waits for ``ready``."""
        self.wait(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait(ready)

    def wait(self, ready):
        check = (f"!!document.querySelector({json.dumps(ready)})"
                 " && !document.querySelector('.o_loading_indicator, .o_blockUI')")
        deadline = time.monotonic() + PAGE_TIMEOUT
        while time.monotonic() < deadline:
            if self.evaluate(check):
                time.sleep(0.5)
                return
            time.sleep(0.2)
        raise RuntimeError(f"{ready!r} did not show within {PAGE_TIMEOUT} s (page at {self.evaluate('location.href')})")

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
