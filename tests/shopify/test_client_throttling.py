"""On a standard plan (2,000 points, 100/s) a client hammering a costly query waits instead of failing."""
import pytest

from shopify_simulator import Simulator

# Each alias is one object (1 point): 2 + floor(2 ln 100) * (1 + 20) = 191 requested, and as
# much actual since every order has a customer field to resolve. Cheap to run, dear in points.
COSTLY = "query Costly { orders(first: 100) { nodes { id %s } } }" % " ".join(
    f"c{i}: customer {{ id }}" for i in range(20))


@pytest.fixture
def standard_shop(access_token):
    # A bucket of its own, full at the start, so other tests neither drain it nor wait for it.
    with Simulator(orders=100, seed=3, token=access_token, plan="standard") as sim:
        yield sim


def test_hammering_waits_for_the_bucket_instead_of_failing(standard_shop, make_client):
    with make_client(standard_shop) as first, make_client(standard_shop) as second:
        # About ten requests empty the bucket (fewer refill it on a slow machine); stop at the
        # first wait, with a bound in case the bucket never runs dry.
        for _ in range(25):
            assert len(first.execute(COSTLY)["orders"]["nodes"]) == 100
            if first.counters.throttle_waits:
                break
        # A second worker on the same shop has not learnt this query's cost yet: it is
        # throttled once, waits what the bucket says, and gets its answer.
        assert len(second.execute(COSTLY)["orders"]["nodes"]) == 100
    spent = standard_shop.stats["cost_actual"]
    assert spent > 2000  # more than the bucket holds: someone had to wait
    assert first.counters.throttle_waits >= 1 and first.counters.throttle_wait_seconds > 0
    assert first.counters.retries == 0  # waited before sending, never throttled
    assert second.counters.retries == 1 and second.counters.throttle_wait_seconds >= 1
    assert standard_shop.stats["throttled"] == 1
    assert first.counters.actual_cost + second.counters.actual_cost == spent
