"""Faults injected at run time into GraphQL requests.

A fault fires for the next ``count`` requests, or for a ``fraction`` of them
(drawn from an RNG seeded like the shop, so a run can be replayed), or both
(a fraction of requests, at most ``count`` times). With neither, it fires once.
``skip`` lets that many requests through first: a test can fail the second request of a
sync (the refunds' details, say) after the first one (the orders) succeeded.

At most one fault that replaces the answer (5xx, 429, drop, throttle) fires per
request; ``slow`` delays the answer and combines with any of them.
``metafield_user_errors`` is drawn only by requests that run ``metafieldsSet``,
``bulk_slow`` (a bulk operation stays RUNNING ``delay`` seconds longer) only by
``bulkOperationRunQuery``. The ``webhook_*`` kinds are drawn once per webhook delivery (one topic
to one subscription), never by requests (webhooks/delivery.py).
"""
import random
import threading

KINDS = {
    "http_5xx": {"status": 503},
    "http_429": {"retry_after": 2},
    "slow": {"delay": 1.0},
    "drop": {},
    "throttle": {},
    "metafield_user_errors": {"code": "INTERNAL_ERROR", "message": "Internal error. Please try again."},
    "bulk_slow": {"delay": 1.0},
    "webhook_drop": {},  # never sent
    "webhook_duplicate": {},  # sent twice, same webhook id
    "webhook_out_of_order": {},  # held until the next delivery was sent
    "webhook_bad_signature": {},  # X-Shopify-Hmac-Sha256 made with another key
}
ANSWERING = ("http_5xx", "http_429", "drop", "throttle")
MAX_DELAY = 60.0


class Fault:
    def __init__(self, kind, count, fraction, params, skip=0):
        self.kind, self.remaining, self.fraction, self.params = kind, count, fraction, params
        self.skip = skip

    def describe(self):
        return {"kind": self.kind, "remaining": self.remaining, "fraction": self.fraction, "skip": self.skip,
                **self.params}


def _check(kind, count, fraction, params):
    if kind not in KINDS:
        raise ValueError(f"Unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
    unknown = set(params) - set(KINDS[kind])
    if unknown:
        raise ValueError(f"Fault {kind} takes no parameter {', '.join(sorted(unknown))}")
    if count is not None and (not isinstance(count, int) or count < 1):
        raise ValueError("count must be a positive integer")
    if fraction is not None and not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    merged = {**KINDS[kind], **params}
    if kind == "http_5xx" and not (isinstance(merged["status"], int) and 500 <= merged["status"] <= 599):
        raise ValueError("http_5xx needs a status between 500 and 599")
    if kind in ("slow", "bulk_slow") and not 0 <= merged["delay"] <= MAX_DELAY:
        raise ValueError(f"{kind} needs a delay between 0 and {MAX_DELAY} seconds")
    if kind == "http_429" and merged["retry_after"] < 0:
        raise ValueError("retry_after must not be negative")
    return merged


class Faults:
    def __init__(self, seed, stats):
        self._rng = random.Random(seed)
        self._stats = stats
        self._lock = threading.Lock()
        self._active = []

    def inject(self, kind, count=None, fraction=None, skip=0, **params):
        merged = _check(kind, count, fraction, params)
        if not isinstance(skip, int) or skip < 0:
            raise ValueError("skip must be a whole number, 0 or more")
        if count is None and fraction is None:
            count = 1
        fault = Fault(kind, count, fraction, merged, skip)
        with self._lock:
            self._active.append(fault)
        return fault.describe()

    def clear(self):
        with self._lock:
            self._active = []

    def active(self):
        with self._lock:
            return [fault.describe() for fault in self._active]

    def _fires(self, fault):
        if fault.skip:
            fault.skip -= 1
            return False
        if fault.fraction is not None and self._rng.random() >= fault.fraction:
            return False
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                self._active.remove(fault)
        self._stats.fault(fault.kind)
        return True

    def draw_request(self):
        """(delay in seconds, the fault that answers instead of the API or None)."""
        delay, answer = 0.0, None
        with self._lock:
            for fault in list(self._active):
                if fault.kind == "slow" and self._fires(fault):
                    delay += fault.params["delay"]
                elif fault.kind in ANSWERING and answer is None and self._fires(fault):
                    answer = fault
        return delay, answer

    def draw(self, kind):
        """The fault of ``kind`` that fires for this operation, or None."""
        with self._lock:
            for fault in list(self._active):
                if fault.kind == kind and self._fires(fault):
                    return fault
        return None
