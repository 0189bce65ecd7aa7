"""Sending webhooks: a queue and one worker thread per simulator, so a delivery never runs inside
the request (or mutation) that caused it; retries with backoff; the webhook faults.

Shopify publishes: a delivery fails without a 2xx answer within 5 seconds; it is retried 8 times
over 4 hours with exponential backoff, with the original payload, to the address the subscription
had when it was triggered; after that the subscription is deleted when it was made through the
Admin API (every simulator subscription is). It does not publish the schedule; the simulator
chooses delays doubling from 56.5 s (56.5, 113, 226, 452, 904, 1807, 3614, 7228 s: 4 hours in all),
multiplied by ``retry_scale``. It does not guarantee order; the simulator's one worker sends in
the order the changes happened (faults aside).
"""
import heapq
import itertools
import json
import threading
import time

from .sender import headers, post

SCHEDULE = tuple(4 * 3600 * 2 ** k / 255 for k in range(8))
# Shopify does not publish how long an out-of-order delivery waits; the simulator holds it until
# the next delivery was sent, or this many seconds when none comes.
OUT_OF_ORDER_HOLD = 0.5


class Content:
    """The body of one webhook, built once (in the worker) and shared by its retries and twins."""

    def __init__(self, build):
        self._build, self._body, self._lock = build, None, threading.Lock()

    def body(self):
        with self._lock:
            if self._body is None:
                self._body = json.dumps(self._build(), separators=(",", ":")).encode()
            return self._body


class Delivery:
    def __init__(self, webhook_id, event_id, topic, subscription, triggered_at, content, order_id):
        self.webhook_id, self.event_id, self.topic = webhook_id, event_id, topic
        self.url, self.subscription_id = subscription["uri"], subscription["id"]
        self.api_version, self.name = subscription["apiVersion"]["handle"], subscription.get("name")
        self.triggered_at, self.content, self.order_id = triggered_at, content, order_id
        self.statuses = []  # per attempt: the HTTP status, or None for no (timely) answer
        self.state = "pending"  # delivered | failed | dropped | error
        self.faults = []
        self.held = False

    def record(self):
        return {"topic": self.topic, "url": self.url, "webhook_id": self.webhook_id, "event_id": self.event_id,
                "subscription_id": self.subscription_id, "order_id": self.order_id, "state": self.state,
                "attempts": len(self.statuses), "statuses": list(self.statuses),
                "status": self.statuses[-1] if self.statuses else None, "faults": list(self.faults),
                "triggered_at": self.triggered_at}


class Dispatcher:
    def __init__(self, secret, shop_domain, faults, retry_scale, timeout, give_up):
        self.secret, self.shop_domain, self.faults = secret, shop_domain, faults
        self.retry_scale, self.timeout, self.give_up = retry_scale, timeout, give_up
        self._cond = threading.Condition()
        self._queue = []  # (due, seq, delivery), due in monotonic seconds
        self._held = []  # (deadline, delivery): webhook_out_of_order
        self._busy = False
        self._seq = itertools.count()
        self._log = []  # every delivery, in the order queued
        self._thread = None
        self._stopped = False

    # -- queueing --------------------------------------------------------------------------------
    def submit(self, delivery):
        """Queues a delivery (the store calls this inside its swap: it only draws faults and
        appends). Faults are drawn per delivery, in the order deliveries are made."""
        twin = None
        if self.faults.draw("webhook_drop"):
            delivery.faults.append("webhook_drop")
            delivery.state = "dropped"
        if self.faults.draw("webhook_bad_signature"):
            delivery.faults.append("webhook_bad_signature")
        if self.faults.draw("webhook_out_of_order"):
            delivery.faults.append("webhook_out_of_order")
            delivery.held = True
        if self.faults.draw("webhook_duplicate"):
            delivery.faults.append("webhook_duplicate")
            twin = Delivery(delivery.webhook_id, delivery.event_id, delivery.topic,
                            {"uri": delivery.url, "id": delivery.subscription_id,
                             "apiVersion": {"handle": delivery.api_version}, "name": delivery.name},
                            delivery.triggered_at, delivery.content, delivery.order_id)
            twin.faults = [f for f in delivery.faults if f != "webhook_out_of_order"] + ["duplicate"]
        with self._cond:
            self._log.append(delivery)
            if delivery.state != "dropped":
                self._push(delivery, 0.0)
                if twin is not None:
                    self._log.append(twin)
                    self._push(twin, 0.0)
            self._start()
            self._cond.notify_all()

    def _push(self, delivery, delay):
        heapq.heappush(self._queue, (time.monotonic() + delay, next(self._seq), delivery))

    def _start(self):
        if self._thread is None and not self._stopped:
            self._thread = threading.Thread(target=self._run, name="shopify-simulator-webhooks", daemon=True)
            self._thread.start()

    def deliveries(self):
        with self._cond:
            return [d.record() for d in self._log]

    def wait_idle(self, timeout):
        """True once nothing is queued, held, retrying or being sent; False after ``timeout`` s."""
        with self._cond:
            return self._cond.wait_for(lambda: not (self._queue or self._held or self._busy), timeout)

    def start(self):
        """Sends again after ``stop`` (a restarted simulator); what was queued meanwhile goes out."""
        with self._cond:
            self._stopped = False
            if self._queue or self._held:
                self._start()

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
            worker, self._thread = self._thread, None
        if worker is not None:
            worker.join(timeout=self.timeout + 1)

    # -- the worker ------------------------------------------------------------------------------
    def _next(self):
        """The next delivery due (waiting for it), or None once stopped. Holds the condition."""
        # A worker left behind by stop() (still in a slow POST) ends instead of doubling a new one.
        while not self._stopped and self._thread is threading.current_thread():
            now = time.monotonic()
            for entry in [h for h in self._held if h[0] <= now]:
                self._release(entry)
            if self._queue and self._queue[0][0] <= now:
                self._busy = True
                return heapq.heappop(self._queue)[2]
            waits = [entry[0] for entry in self._queue[:1] + self._held]
            self._cond.wait(min(waits) - now if waits else None)
        return None

    def _release(self, entry):
        self._held.remove(entry)
        self._push(entry[1], 0.0)

    def _run(self):
        while True:
            with self._cond:
                delivery = self._next()
                if delivery is None:
                    return
                if delivery.held:
                    delivery.held = False
                    self._held.append((time.monotonic() + OUT_OF_ORDER_HOLD, delivery))
                    self._busy = False
                    continue
            first = not delivery.statuses
            try:
                self._attempt(delivery)
            except Exception as failed:  # a payload the simulator cannot build must not stop the worker
                delivery.state = "error"
                delivery.faults.append(f"error: {failed!r}")
            with self._cond:
                if first:
                    for entry in list(self._held):  # "send it after the next one"
                        self._release(entry)
                self._busy = False
                self._cond.notify_all()

    def _attempt(self, delivery):
        body = delivery.content.body()
        bad = "webhook_bad_signature" in delivery.faults
        status = post(delivery.url, body, headers(delivery, body, self.secret, self.shop_domain, bad), self.timeout)
        delivery.statuses.append(status)
        if status is not None and 200 <= status < 300:
            delivery.state = "delivered"
        elif len(delivery.statuses) <= len(SCHEDULE):
            with self._cond:
                self._push(delivery, SCHEDULE[len(delivery.statuses) - 1] * self.retry_scale)
        else:
            delivery.state = "failed"
            self.give_up(delivery.subscription_id)
