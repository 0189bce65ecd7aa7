"""Shopify's leaky bucket of query cost, one per app and shop."""
import threading
import time

RESTORE_RATES = {"standard": 100.0, "advanced": 200.0, "plus": 1000.0}
# What `shop { plan }` says on a shop of each rate-limit plan. Shopify's rate-limit page
# groups Basic, Grow (formerly "Shopify") and development stores under Standard; the
# simulator names the Standard shop "Grow". ShopPlan.publicDisplayName is non-null.
SHOP_PLANS = {
    "standard": {"publicDisplayName": "Grow", "shopifyPlus": False, "partnerDevelopment": False},
    "advanced": {"publicDisplayName": "Advanced", "shopifyPlus": False, "partnerDevelopment": False},
    "plus": {"publicDisplayName": "Plus", "shopifyPlus": True, "partnerDevelopment": False},
}
BUCKET_SECONDS = 20  # maximumAvailable is 20 x the restore rate (2,000 at 100/s)


class LeakyBucket:
    def __init__(self, plan, clock=time.monotonic):
        if plan not in RESTORE_RATES:
            raise ValueError(f"plan must be one of {', '.join(RESTORE_RATES)}, not {plan!r}")
        self.restore_rate = RESTORE_RATES[plan]
        self.maximum = self.restore_rate * BUCKET_SECONDS
        self._clock = clock
        self._lock = threading.Lock()
        self._available = self.maximum
        self._at = clock()

    def _refill(self):
        now = self._clock()
        self._available = min(self.maximum, self._available + (now - self._at) * self.restore_rate)
        self._at = now

    def take(self, cost):
        """Withdraw ``cost`` if the bucket holds it; False (nothing taken) otherwise."""
        with self._lock:
            self._refill()
            if self._available < cost:
                return False
            self._available -= cost
            return True

    def give_back(self, amount):
        with self._lock:
            self._refill()
            self._available = min(self.maximum, self._available + amount)

    def status(self):
        """Shopify's ``throttleStatus``."""
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": self.maximum,
                "currentlyAvailable": int(self._available),
                "restoreRate": self.restore_rate,
            }
