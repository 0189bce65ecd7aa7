"""Every field the addon's documents select is on every generated object, with a value of the
schema's type (or null where the schema allows it): the selection sets are walked with
graphql-core against the stored dicts, connections being plain lists of nodes."""
from datetime import datetime, timezone

import pytest
from graphql import (FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLEnumType, GraphQLList,
                     GraphQLNonNull, InlineFragmentNode, is_abstract_type, parse)

from shopify_simulator import schema
from shopify_simulator.generator import generate
from synco_shopify.shopify.api import documents

SCHEMA = schema.load(schema.latest())
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
# Fields the simulator serves from elsewhere than the stored object.
SERVED_APART = {"metafield", "pageInfo"}
# Asked of every order beyond what the documents select today.
EXTRA_ORDER_FIELDS = """
fragment Extra on Order {
  closed cancelReason discountCode subtotalLineItemsQuantity
  displayAddress { ...AddressFields }
  shippingLine { id title code originalPriceSet { ...Money } discountedPriceSet { ...Money } }
  totalShippingPriceSet { ...Money } cartDiscountAmountSet { ...Money } currentCartDiscountAmountSet { ...Money }
  originalTotalPriceSet { ...Money } netPaymentSet { ...Money } totalCapturableSet { ...Money }
  lineItems(first: 5) { nodes { discountedTotalSet { ...Money } discountedUnitPriceSet { ...Money }
    discountedUnitPriceAfterAllDiscountsSet { ...Money } unfulfilledQuantity refundableQuantity } }
  refunds { legacyResourceId processedAt refundLineItems(first: 5) { nodes { priceSet { ...Money } restockType
    restocked location { id } } }
    orderAdjustments(first: 5) { nodes { id amountSet { ...Money } taxAmountSet { ...Money } reason } }
    transactions(first: 5) { nodes { id kind status amountSet { ...Money } } } }
  edited totalCashRoundingAdjustment { paymentSet { ...Money } refundSet { ...Money } }
  agreements(first: 10) { nodes { __typename id happenedAt reason sales(first: 50) { nodes {
    __typename id actionType lineType quantity totalAmount { ...Money } totalTaxAmount { ...Money }
    totalDiscountAmountBeforeTaxes { ...Money } totalDiscountAmountAfterTaxes { ...Money }
    taxes { id amount { ...Money } taxLine { title rate } }
    ... on ProductSale { lineItem { id } } ... on ShippingLineSale { shippingLine { id } } } } } }
}
"""
CATALOG = """
fragment CustomerFields on Customer {
  id legacyResourceId firstName lastName displayName defaultEmailAddress { emailAddress }
  defaultPhoneNumber { phoneNumber } createdAt updatedAt numberOfOrders tags note state
}
fragment ProductFields on Product {
  id legacyResourceId title handle vendor productType status createdAt updatedAt tags
  variants(first: 10) { nodes { id legacyResourceId title sku barcode price product { id } } }
}
fragment LocationFields on Location {
  id legacyResourceId name isActive address { address1 address2 city province provinceCode zip country countryCode }
}
"""
_SCALARS = {"ID": str, "String": str, "DateTime": str, "Decimal": str, "Money": str, "UnsignedInt64": str,
            "URL": str, "Int": int, "Float": float, "Boolean": bool}


class Walk:
    """Checks stored dicts against a selection set, collecting every mismatch."""

    def __init__(self, text):
        definitions = parse(text).definitions
        self.fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
        self.problems = []

    def fragment(self, value, name, path):
        node = self.fragments[name]
        self.selection(value, SCHEMA.get_type(node.type_condition.name.value), node.selection_set, path)

    def selection(self, value, parent, selection_set, path):
        if is_abstract_type(parent):
            typename = value.get("__typename")
            if typename is None:
                self.problems.append(f"{path}: a {parent.name} without __typename")
                return
            parent = SCHEMA.get_type(typename)
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                self.field(value, parent, node, path)
            elif isinstance(node, InlineFragmentNode):
                condition = SCHEMA.get_type(node.type_condition.name.value)
                if condition is parent or (is_abstract_type(condition) and SCHEMA.is_sub_type(condition, parent)):
                    self.selection(value, parent, node.selection_set, path)
            elif isinstance(node, FragmentSpreadNode):
                self.fragment(value, node.name.value, path)

    def field(self, value, parent, node, path):
        name = node.name.value
        if name in SERVED_APART or name == "__typename":
            return
        where = f"{path}.{name}"
        if name not in value:
            self.problems.append(f"{where} is missing")
            return
        self.value(value[name], parent.fields[name].type, node, where)

    def value(self, value, kind, node, path):
        if value is None:
            if isinstance(kind, GraphQLNonNull):
                self.problems.append(f"{path} is null, the schema says {kind}")
            return
        if isinstance(kind, GraphQLNonNull):
            kind = kind.of_type
        if isinstance(kind, GraphQLList):
            if not isinstance(value, list):
                self.problems.append(f"{path} is {type(value).__name__}, expected a list")
                return
            for position, item in enumerate(value):
                self.value(item, kind.of_type, node, f"{path}[{position}]")
            return
        if node.selection_set is None:
            self.leaf(value, kind, path)
        elif kind.name.endswith("Connection"):
            self.connection(value, kind, node, path)
        else:
            self.selection(value, kind, node.selection_set, path)

    def connection(self, value, kind, node, path):
        if not isinstance(value, list):
            self.problems.append(f"{path}: a connection is stored as a list of nodes, found {type(value).__name__}")
            return
        node_type = kind.fields["nodes"].type.of_type.of_type.of_type  # [Node!]!
        for part in node.selection_set.selections:
            if isinstance(part, FieldNode) and part.name.value == "nodes":
                for position, item in enumerate(value):
                    self.selection(item, node_type, part.selection_set, f"{path}[{position}]")

    def leaf(self, value, kind, path):
        if isinstance(kind, GraphQLEnumType):
            ok = value in kind.values
        else:
            ok = isinstance(value, _SCALARS.get(kind.name, object)) and not (
                kind.name in ("Int", "Float") and isinstance(value, bool))
        if not ok:
            self.problems.append(f"{path} = {value!r} is not a {kind.name}")


@pytest.fixture(scope="module")
def shops():
    return [generate(8, 1000, now=NOW), generate(9, 200, now=NOW, shop_currency="EUR", taxes_included=True),
            generate(10, 30, now=NOW, scenarios=["many_lines", "refund", "company_customer"])]


@pytest.mark.parametrize("fragment", ["OrderFull", "OrderHeader", "Extra"])
def test_every_order_has_every_field_the_documents_select(shops, fragment):
    walk = Walk(documents.load("OrderFull") + EXTRA_ORDER_FIELDS)
    for data in shops:
        for order in data.orders:
            walk.fragment(order, fragment, order["name"])
    assert walk.problems[:20] == []


@pytest.mark.parametrize("fragment, objects", [
    ("CustomerFields", "customers"), ("ProductFields", "products"), ("LocationFields", "locations")])
def test_customers_products_and_locations_have_their_fields(shops, fragment, objects):
    walk = Walk(CATALOG)
    for data in shops:
        for position, item in enumerate(getattr(data, objects)):
            walk.fragment(item, fragment, f"{objects}[{position}]")
    assert walk.problems[:20] == []


def test_the_shop_has_what_the_shop_query_asks():
    text = documents.load("Shop")
    query = next(d for d in parse(text).definitions if not isinstance(d, FragmentDefinitionNode))
    shop_field = query.selection_set.selections[0]
    walk = Walk(text)
    walk.selection(generate(1, 5, now=NOW).shop, SCHEMA.get_type("Shop"), shop_field.selection_set, "shop")
    assert walk.problems == []


def test_the_walk_reports_a_missing_field_a_forbidden_null_and_a_wrong_type(shops):
    order = dict(shops[0].orders[0])
    del order["confirmationNumber"]
    order["taxesIncluded"] = None
    order["number"] = "1001"
    walk = Walk(documents.load("OrderFull"))
    walk.fragment(order, "OrderFull", "order")
    assert sorted(set(walk.problems)) == ["order.confirmationNumber is missing", "order.number = '1001' is not a Int",
                                     "order.taxesIncluded is null, the schema says Boolean!"]
