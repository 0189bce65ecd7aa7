"""Shopify's leaky bucket as the client last saw it, to wait before being throttled.

Shopify checks the *requested* cost of a query against the points currently
available before running it, then refunds the difference with the actual cost.
Every response reports ``extensions.cost.throttleStatus``; between responses the
bucket refills at ``restoreRate`` points per second up to ``maximumAvailable``.
The bucket size is never assumed: until a response has been seen nothing waits.
"""
import threading


class CostBucket:
    def __init__(self, clock):
        self._clock = clock
        self._lock = threading.Lock()
        self._maximum = None
        self._available = None
        self._rate = None
        self._seen_at = None
        self._requested = {}

    def observe(self, throttle_status):
        """Record ``throttleStatus`` from a response."""
        with self._lock:
            self._maximum = float(throttle_status["maximumAvailable"])
            self._available = float(throttle_status["currentlyAvailable"])
            self._rate = float(throttle_status["restoreRate"])
            self._seen_at = self._clock()

    def remember_cost(self, key, requested):
        with self._lock:
            self._requested[key] = requested

    def expected_cost(self, key):
        with self._lock:
            return self._requested.get(key)

    def wait_before(self, key):
        """Seconds to wait so the bucket holds the cost this query asked for last time."""
        with self._lock:
            cost = self._requested.get(key)
            if cost is None or self._rate is None or self._rate <= 0:
                return 0.0
            available = min(
                self._maximum, self._available + self._rate * (self._clock() - self._seen_at)
            )
            missing = min(cost, self._maximum) - available
            return max(0.0, missing / self._rate)

    def wait_after_throttle(self, requested):
        """Seconds before a throttled query of ``requested`` points can run (at least 1 s)."""
        with self._lock:
            if self._rate is None or self._rate <= 0:
                return 1.0
            return max(1.0, (requested - self._available) / self._rate)

    def spend(self, cost):
        """Account locally for a request just sent, so parallel callers see it before the answer."""
        with self._lock:
            if self._available is not None and cost:
                self._available -= cost
