"""The HTTP face of the simulator: a threaded stdlib server on loopback only."""
import ipaddress
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import admin
from .gateway import Reply

_GRAPHQL = re.compile(r"^/admin/api/([^/]+)/graphql\.json$")


def require_loopback(host):
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"The Shopify simulator serves loopback only, not {host!r}")


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, simulator):
        require_loopback(address[0])
        self.simulator = simulator
        self._open = set()
        self._open_lock = threading.Lock()
        super().__init__(address, Handler)

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """Ends kept-alive connections, so a stopped shop answers nobody."""
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the client closed it meanwhile


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse one connection
    server_version = "ShopifySimulator/1.0"
    disable_nagle_algorithm = True  # headers and body go out in two writes; no 40 ms delayed-ACK stall
    timeout = 120  # an idle kept-alive connection frees its thread after this

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method):
        sim = self.server.simulator
        sim.counters.add("requests")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        graphql = _GRAPHQL.match(path)
        if graphql and method == "POST":
            reply = sim.gateway.graphql(graphql.group(1), self.headers.get("X-Shopify-Access-Token"), raw)
        elif path == "/admin/oauth/access_token" and method == "POST":
            reply = admin.access_token(sim, raw, self.headers.get("Content-Type"))
        elif path.startswith("/__simulator__/") and ipaddress.ip_address(self.client_address[0]).is_loopback:
            reply = admin.control(sim, method, path, raw)
        else:
            reply = Reply(404, {"errors": "Not Found"})
        self._send(reply)

    def _send(self, reply):
        if reply.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
