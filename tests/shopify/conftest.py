"""Fixtures for the Shopify layer tests: simulators on 127.0.0.1 and clients pointed at them."""
import pytest


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    # pytest-odoo's autouse fixture of the same name wants a database; these tests need none.
    yield
