"""A tiny webhook receiver on 127.0.0.1 for the webhook tests (test_sim_webhooks_*.py)."""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple

SECRET = "shpss_test_webhooks"


class Received(NamedTuple):
    path: str
    headers: dict  # header names lower-cased
    raw: bytes
    at: float  # time.monotonic() when it arrived

    @property
    def body(self):
        return json.loads(self.raw)

    @property
    def topic(self):
        return self.headers["x-shopify-topic"]

    @property
    def webhook_id(self):
        return self.headers["x-shopify-webhook-id"]

    def signed_with(self, secret=SECRET):
        expected = base64.b64encode(hmac.new(secret.encode(), self.raw, hashlib.sha256).digest()).decode()
        return hmac.compare_digest(expected, self.headers["x-shopify-hmac-sha256"])


class Receiver:
    """Records every POST; answers the statuses in ``answers`` one after the other, then 200.
    ``delay`` seconds pass before each answer."""

    def __init__(self, answers=(), delay=0.0):
        self.answers, self.delay = list(answers), delay
        self.received = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                      raw, time.monotonic()))
                    status = receiver.answers.pop(0) if receiver.answers else 200
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def url(self, path="/webhooks"):
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def topics(self):
        return [r.topic for r in self.received]

    def of(self, topic):
        return [r for r in self.received if r.topic == topic]

    def close(self):
        self._server.shutdown()
        self._server.server_close()


ORDER_TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_CANCELLED", "ORDERS_PAID", "ORDERS_EDITED",
                "REFUNDS_CREATE")


def subscribe_all(sim, receiver, topics=ORDER_TOPICS, **options):
    return [sim.webhooks.subscribe(topic, receiver.url(), **options) for topic in topics]
