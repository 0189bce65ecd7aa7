"""What the order mutations keep beside the orders: fresh ids, open edit sessions and the
idempotency keys already used."""
import itertools
import threading

from ..generator.ids import _BASES  # the generator counts from these; the server from far above

# Well above anything the generator hands out, so ids made while the server runs are newer.
_OFFSET = 900_000_000
_EXTRA = {"OrderAdjustment": 80_000_000_000, "CalculatedOrder": 81_000_000_000, "Job": 82_000_000_000,
          "OrderEditSession": 83_000_000_000, "OrderCancelJobResult": 84_000_000_000}


class LifecycleState:
    def __init__(self):
        self._lock = threading.Lock()
        self._counters = {}
        self.edits = {}        # CalculatedOrder gid -> EditSession (edits.py)
        self.idempotent = {}   # (mutation, key) -> the payload first returned

    def gid(self, kind):
        with self._lock:
            counter = self._counters.get(kind)
            if counter is None:
                counter = self._counters[kind] = itertools.count(_BASES.get(kind, _EXTRA.get(kind, 0)) + _OFFSET + 1)
            return f"gid://shopify/{kind}/{next(counter)}"
