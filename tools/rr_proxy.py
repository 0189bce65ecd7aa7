"""A small HTTP balancer in front of several Odoo servers, for `make scale` (stdlib only).

queue_job's runner asks ONE host:port to run each job (GET /queue_job/runjob); pointed at
this proxy, the jobs spread over every server behind it. Each request goes to the server
with the fewest requests in flight (a job holds its request until it is done), ties taken
in turn: plain alternation would send a job to a server whose workers are all busy while
the other one has a free worker, because jobs do not end in the order they started.

    python tools/rr_proxy.py --port 8091 http://127.0.0.1:8089 http://127.0.0.1:8090

GET /__rr_proxy__/stats answers, per server, the requests sent, the runjob requests among
them, the requests that failed to reach it, and those in flight now.
"""
import argparse
import http.client
import itertools
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Hop-by-hop headers (RFC 9110 7.6.1) are the proxy's own business, not forwarded.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}


class Backends:
    def __init__(self, urls):
        self.urls = urls
        self._lock = threading.Lock()
        self._turn = itertools.count()
        self.counts = {url: {"requests": 0, "runjob": 0, "errors": 0, "active": 0} for url in urls}

    def pick(self, path):
        with self._lock:
            fewest = min(self.counts[url]["active"] for url in self.urls)
            idle = [url for url in self.urls if self.counts[url]["active"] == fewest]
            url = idle[next(self._turn) % len(idle)]
            count = self.counts[url]
            count["active"] += 1
            count["requests"] += 1
            if path.startswith("/queue_job/runjob"):
                count["runjob"] += 1
            return url

    def done(self, url, failed=False):
        with self._lock:
            self.counts[url]["active"] -= 1
            if failed:
                self.counts[url]["errors"] += 1

    def snapshot(self):
        with self._lock:
            return json.loads(json.dumps(self.counts))


def handler_for(backends, timeout):
    class Handler(BaseHTTPRequestHandler):
        # One request per connection: the runner opens one per job and drops it after a second.
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def _forward(self):
            if self.path == "/__rr_proxy__/stats":
                return self._answer(200, json.dumps(backends.snapshot()).encode(), "application/json")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            url = backends.pick(self.path)
            target = urlsplit(url)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["Connection"] = "close"
            try:
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=timeout)
                upstream.request(self.command, self.path, body=body, headers=headers)
                reply = upstream.getresponse()
                data = reply.read()
                upstream.close()
            except OSError as failed:
                backends.done(url, failed=True)
                return self._answer(502, f"{url}: {failed}".encode(), "text/plain")
            backends.done(url)
            # The runner has usually hung up long ago (it waits one second): nobody to tell.
            try:
                self.send_response(reply.status, reply.reason)
                for key, value in reply.getheaders():
                    if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass

        def _answer(self, status, data, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_HEAD = _forward

    return Handler


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a server has to answer (a job's length)")
    parser.add_argument("backends", nargs="+", help="base URLs of the servers, e.g. http://127.0.0.1:8089")
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), handler_for(Backends(args.backends), args.timeout))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"balancing http://{args.host}:{args.port} over {', '.join(args.backends)}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
