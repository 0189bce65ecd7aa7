"""The simulated shop's clock.

A fixed ``now`` keeps generated data reproducible, yet writes made while the
server runs must still look newer than everything generated: the clock starts at
``now`` and advances with real (monotonic) time.
"""
import time
from datetime import datetime, timedelta, timezone


class Clock:
    def __init__(self, now=None):
        self.set(now or datetime.now(timezone.utc))

    def set(self, moment):
        """Makes ``moment`` now (naive means UTC); the clock goes on advancing from there, so a
        test can make a refund at 23:30 one day and another the next day."""
        if isinstance(moment, str):
            moment = parse_time(moment)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        self._start = moment.astimezone(timezone.utc)
        self._started = time.monotonic()
        return self._start

    def advance(self, seconds):
        return self.set(self.now() + timedelta(seconds=seconds))

    def now(self):
        elapsed = time.monotonic() - self._started
        return self._start + timedelta(seconds=elapsed)

    def iso(self):
        """Now as Shopify prints a DateTime (whole seconds, Z)."""
        return format_time(self.now())


def format_time(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    """A DateTime value as stored (ISO 8601, ``Z`` or an offset) -> aware datetime."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
