"""Counters of what the simulator served, read by tests and benchmarks."""
import copy
import threading
from collections import Counter

COUNTERS = (
    "requests",
    "graphql_requests",
    "throttled",
    "faults_served",
    "cost_requested",
    "cost_actual",
    "orders_served",
    "metafields_set",
    "search_fields_ignored",
)


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._counts = dict.fromkeys(COUNTERS, 0)
            self._by_operation = Counter()
            self._faults_by_kind = Counter()

    def add(self, name, amount=1):
        with self._lock:
            self._counts[name] += amount

    def operation(self, name):
        with self._lock:
            self._by_operation[name] += 1

    def fault(self, kind):
        with self._lock:
            self._counts["faults_served"] += 1
            self._faults_by_kind[kind] += 1

    def snapshot(self):
        with self._lock:
            return {
                **copy.deepcopy(self._counts),
                "by_operation": dict(self._by_operation),
                "faults_by_kind": dict(self._faults_by_kind),
            }
