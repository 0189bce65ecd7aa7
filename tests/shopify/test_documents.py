"""Every document the addon sends is valid, undeprecated and affordable on every served version."""
import pytest
from graphql import parse, validate
from graphql.validation import NoDeprecatedCustomRule

from shopify_simulator import schema
from synco_shopify.shopify.api import documents, orders_api

VERSIONS = schema.versions()
# Sent as the text of a bulkOperationRunQuery, never as a query: not priced.
BULK_INNER = {"BulkOrderHeadersExport"}

# The variables the code sends; any other page size is priced at Shopify's maximum.
MAX_PAGE = 250
PAGE_SIZES = {
    "OrdersFull": orders_api.ORDERS_PER_REQUEST,
    "OrderLineItemsPage": orders_api.LINE_ITEMS_PER_PAGE,
    "OrderHeaders": orders_api.HEADERS_PER_PAGE,
}
SET_ODOO_IDS = [
    {"ownerId": f"gid://shopify/Order/{n}", **orders_api.ODOO_ID, "value": str(n)}
    for n in range(orders_api.METAFIELDS_PER_CALL)
]


def problems(version, text):
    """Validation errors plus deprecated usages, as a second pass (a rules list replaces the defaults)."""
    api = schema.load(version)
    tree = parse(text)
    found = validate(api, tree)
    if not found:
        found = validate(api, tree, [NoDeprecatedCustomRule])
    return [e.message for e in found]


def variables_for(name):
    return {
        "first": PAGE_SIZES.get(name, MAX_PAGE),
        "id": "gid://shopify/Order/1",
        "query": "id:1",
        "metafields": SET_ODOO_IDS,
        "definition": orders_api.ODOO_ID_DEFINITION,
    }


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", documents.names())
def test_document_is_valid_and_undeprecated(name, version):
    assert problems(version, documents.load(name)) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_check_rejects_a_misspelt_field(version):
    text = documents.load("OrderHeaders").replace("legacyResourceId", "legacyResourceID")
    assert any("legacyResourceID" in p for p in problems(version, text))


@pytest.mark.parametrize("version", VERSIONS)
def test_check_rejects_a_deprecated_field(version):
    text = documents.load("OrderHeaders").replace("legacyResourceId", "legacyResourceId totalPrice")
    assert any("totalPrice" in p and "deprecated" in p for p in problems(version, text))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", sorted(set(documents.names()) - BULK_INNER))
def test_requested_cost_stays_under_shopify_limit(name, version):
    from shopify_simulator.cost import requested_cost

    cost = requested_cost(schema.load(version), documents.load(name), variables_for(name))
    assert 0 < cost < 1000, f"{name} costs {cost} on {version}"
