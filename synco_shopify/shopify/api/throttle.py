"""Shopify's leaky bucket as the client last saw it, to wait before being throttled.

Shopify checks the *requested* cost of a query against the points currently
available before running it, then refunds the difference with the actual cost.
Every response reports ``extensions.cost.throttleStatus``; between responses the
bucket refills at ``restoreRate`` points per second up to ``maximumAvailable``.
The bucket size is never assumed: until a response has been seen nothing waits.

Shopify keeps one bucket per app and shop: every worker and server syncing the same
store spends from it. ``CostBucket`` is one client's view of it; ``SharedCostBucket``
books each request's points in a ledger shared by every client of the shop (the Odoo
side keeps it in PostgreSQL), so that parallel workers wait for each other instead of
being throttled by Shopify.

The client's side of the protocol, per request: ``book(key)`` before sending (seconds to
wait, and the points booked), ``sending(booked)`` once it sends, ``settle(cost, booked)``
with the response's ``extensions.cost`` (None when the request was not charged).
"""
import threading

DEBT_MARGIN_SECONDS = 0.25
# What a request of a shape no client of this process has sent yet books in a shared
# ledger: Shopify's single-query maximum (no query may ask for more). Booking nothing
# let each new worker's first requests (one per query shape) spend points the others
# did not know of, and be throttled; the points not charged are given back at once.
UNKNOWN_COST = 1000
IDLE_SECONDS = 60  # a ledger idle this long has nothing in flight (requests time out in 30 s)


class CostBucket:
    def __init__(self, clock):
        self._clock = clock
        self._lock = threading.Lock()
        self._maximum = None
        self._available = None
        self._rate = None
        self._seen_at = None
        self._requested = {}

    # -- the client's protocol -------------------------------------------------------------
    def book(self, key):
        return self.wait_before(key), self.expected_cost(key) or 0

    def sending(self, booked):
        self.spend(booked)

    def settle(self, key, cost, booked):
        cost = cost or {}
        if cost.get("throttleStatus"):
            self.observe(cost["throttleStatus"])
        if cost.get("requestedQueryCost") is not None:
            self.remember_cost(key, cost["requestedQueryCost"])

    # -- one client's view -------------------------------------------------------------------
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


class SharedCostBucket(CostBucket):
    """Books every request's expected points in ``ledger``, shared by all the clients of
    one shop (workers, servers). ``ledger.reserve(points)`` takes the points now, even
    into debt, and says how long the caller waits for the bucket to refill to them (None
    when it booked nothing);
    ``ledger.settle(throttle_status, booked, refund)`` gives back what was booked and not
    charged, and takes Shopify's own figure where it is lower than the ledger's, less the
    points booked by requests still in flight (Shopify may not have counted them yet)."""

    # The requested cost of a query shape, learnt by any client of this process: a new
    # client (one per job) books its first request at the right cost.
    _known_costs = {}
    _known_lock = threading.Lock()

    def __init__(self, clock, ledger, scope):
        super().__init__(clock)
        self.ledger = ledger
        self.scope = scope  # the shop: query costs are the same for every store, but kept apart

    def remember_cost(self, key, requested):
        with self._known_lock:
            self._known_costs[(self.scope, key)] = requested

    def expected_cost(self, key):
        with self._known_lock:
            return self._known_costs.get((self.scope, key))

    def book(self, key):
        booked = self.expected_cost(key) or UNKNOWN_COST
        wait = self.ledger.reserve(booked)
        if wait is None:
            # The ledger booked nothing (it has not seen the shop answer yet, or could not
            # be read): nothing is to be given back either.
            return 0.0, 0
        # In debt, the wait ends when the bucket holds exactly these points: a little more
        # covers the time between waking and Shopify counting (a busy worker, the network).
        return (wait + DEBT_MARGIN_SECONDS if wait > 0 else 0.0), booked

    def sending(self, booked):
        pass  # booked in the ledger already

    def settle(self, key, cost, booked):
        cost = cost or {}
        charged = cost.get("actualQueryCost") or 0  # null when Shopify did not run it (THROTTLED)
        self.ledger.settle(cost.get("throttleStatus"), booked, max(0.0, booked - charged))
        super().settle(key, cost, booked)

    def wait_after_throttle(self, requested):
        # The retry books its points again and the ledger adds its wait then; this one's
        # view (at least a second) still holds it back if the ledger cannot be read.
        return super().wait_after_throttle(requested)


class MemoryLedger:
    """The shared ledger of one process (what the PostgreSQL ledger does across
    processes, with the same arithmetic): points available, refilled at the restore
    rate up to the maximum since they were last counted, and the points booked by
    requests in flight. Shopify's figure in an answer predates the requests still in
    flight: it is believed only less their points."""

    def __init__(self, clock):
        self._clock = clock
        self._lock = threading.Lock()
        self._state = None  # (maximum, available, rate, counted_at)
        self._in_flight = 0.0

    def _refilled(self):
        maximum, available, rate, at = self._state
        now = self._clock()
        return maximum, min(maximum, available + rate * (now - at)), rate, now

    def reserve(self, points):
        with self._lock:
            if self._state is not None and self._clock() - self._state[3] > IDLE_SECONDS:
                self._in_flight = 0.0  # an answer that never came: nothing is in flight after this long
            self._in_flight += points
            if self._state is None:
                return 0.0
            maximum, available, rate, now = self._refilled()
            available -= points
            self._state = (maximum, available, rate, now)
            return max(0.0, -available / rate) if rate > 0 else 0.0

    def settle(self, status, booked, refund):
        with self._lock:
            self._in_flight = max(0.0, self._in_flight - booked)
            if self._state is None:
                if status:
                    self._state = (float(status["maximumAvailable"]),
                                   float(status["currentlyAvailable"]) - self._in_flight,
                                   float(status["restoreRate"]), self._clock())
                return
            maximum, available, rate, now = self._refilled()
            available = min(maximum, available + refund)
            if status:
                maximum, rate = float(status["maximumAvailable"]), float(status["restoreRate"])
                available = min(available, float(status["currentlyAvailable"]) - self._in_flight)
            self._state = (maximum, available, rate, now)

    @property
    def available(self):
        with self._lock:
            return None if self._state is None else self._refilled()[1]
