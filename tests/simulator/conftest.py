"""Simulators for the tests: one shared shop, and a factory for custom ones."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shopify_simulator import Simulator  # noqa: E402
from sim_http import TOKEN  # noqa: E402


@pytest.fixture(scope="session")
def simulator():
    """A started shop of 300 generated orders (plus plan); tests must not change its data."""
    with Simulator(orders=300, seed=7, token=TOKEN, plan="plus") as sim:
        yield sim


@pytest.fixture
def make_simulator():
    """``make_simulator(**Simulator kwargs)`` -> a started simulator, stopped after the test."""
    started = []

    def make(**kwargs):
        kwargs.setdefault("token", TOKEN)
        sim = Simulator(**kwargs).start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


@pytest.fixture
def make_receiver():
    """``make_receiver(answers=(), delay=0)`` -> a webhook receiver on 127.0.0.1 (sim_webhooks),
    closed after the test."""
    from sim_webhooks import Receiver

    made = []

    def make(**kwargs):
        made.append(Receiver(**kwargs))
        return made[-1]

    yield make
    for one in made:
        one.close()


@pytest.fixture
def receiver(make_receiver):
    return make_receiver()
