"""Shopify's query cost, computed statically (requested) and from a result (actual).

Rules (§4 of docs/shopify-admin-api.md, the formula graphql-ruby's
ShopifyComplexity reverse-engineered, checked against three published costs):

- scalars and enums 0; ``MoneyBag``, ``MoneyV2`` and ``PageInfo`` 0;
- an object 1 plus its selection; an interface or union 1 plus the most
  expensive selection among its possible types;
- a connection ``2 + floor(2 ln(max(2, min(first or last, 250)))) * (1 + cost
  of one node's selection)``; ``nodes`` and ``edges { node }`` are that node;
- each root field of a mutation a flat 10;
- a plain list of objects (``transactions``, ``taxLines``...) costs like one
  element. Shopify publishes nothing for these; counting the element once is
  what reproduces the 43 of Business Central's order-lines query.

The actual cost reuses the same rules on what came back: a connection is sized
by the number of nodes it returned, and an object that came back null costs
nothing. It is never above the requested cost.
"""
import math

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    parse,
)
from graphql.language import BooleanValueNode, IntValueNode, NullValueNode, VariableNode

MAX_COST = 1000
MUTATION_COST = 10
MAX_PAGE = 250
_FREE_TYPES = frozenset({"MoneyBag", "MoneyV2", "PageInfo"})


def requested_cost(schema, document, variables=None, operation_name=None):
    """The cost Shopify would require in the bucket before running ``document``."""
    return _run(schema, document, variables, operation_name, result=None)


def actual_cost(schema, document, data, variables=None, operation_name=None):
    """The cost of what ``data`` (the response's ``data``) actually holds."""
    return _run(schema, document, variables, operation_name, result=data or {})


def connection_multiplier(size):
    return math.floor(2 * math.log(max(2, min(size, MAX_PAGE))))


def is_connection(named_type):
    return named_type.name.endswith("Connection") and "pageInfo" in getattr(named_type, "fields", {})


def select_operation(document, operation_name=None):
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [op for op in operations if op.name and op.name.value == operation_name]
    return operations[0] if len(operations) == 1 else None


def _run(schema, document, variables, operation_name, result):
    if isinstance(document, str):
        document = parse(document)
    operation = select_operation(document, operation_name)
    if operation is None:
        return 0
    walker = _Walker(schema, document, operation, variables or {}, result)
    if operation.operation == OperationType.MUTATION:
        fields = walker.collect(operation.selection_set, schema.mutation_type)
        if result is None:
            return MUTATION_COST * len(fields)
        return MUTATION_COST * sum(1 for key in fields if key in result)
    root = schema.query_type if operation.operation == OperationType.QUERY else schema.subscription_type
    return walker.object_cost(operation.selection_set, root, ())


class _Walker:
    def __init__(self, schema, document, operation, variables, result):
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variables = dict(variables)
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            if name not in self.variables and definition.default_value is not None:
                self.variables[name] = self.value(definition.default_value)
        self.actual = result is not None
        self.sizes, self.present = {}, set()
        if self.actual:
            _scan(result, (), self.sizes, self.present)

    def value(self, node):
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, BooleanValueNode):
            return node.value
        if isinstance(node, NullValueNode):
            return None
        return getattr(node, "value", None)

    def included(self, node):
        for directive in node.directives or ():
            name = directive.name.value
            if name in ("skip", "include"):
                condition = next((self.value(a.value) for a in directive.arguments if a.name.value == "if"), None)
                if bool(condition) == (name == "skip"):
                    return False
        return True

    def applies(self, condition, object_type):
        if condition is None or condition.name.value == object_type.name:
            return True
        named = self.schema.get_type(condition.name.value)
        return named is not None and is_abstract_type(named) and self.schema.is_sub_type(named, object_type)

    def collect(self, selection_set, object_type, into=None):
        """Field nodes by response key, for one concrete type (fragments expanded)."""
        fields = {} if into is None else into
        for selection in selection_set.selections if selection_set else ():
            if not self.included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self.applies(selection.type_condition, object_type):
                    self.collect(selection.selection_set, object_type, fields)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment and self.applies(fragment.type_condition, object_type):
                    self.collect(fragment.selection_set, object_type, fields)
        return fields

    def conditions(self, selection_set, seen=None):
        """Type names named by the fragments of one selection level."""
        names = set() if seen is None else seen
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, InlineFragmentNode):
                if selection.type_condition:
                    names.add(selection.type_condition.name.value)
                self.conditions(selection.selection_set, names)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment:
                    names.add(fragment.type_condition.name.value)
                    self.conditions(fragment.selection_set, names)
        return names

    def selection_cost(self, selection_set, named_type, path):
        if not is_abstract_type(named_type):
            return self.object_cost(selection_set, named_type, path)
        possible = self.schema.get_possible_types(named_type)
        named = self.conditions(selection_set)
        candidates = [t for t in possible if t.name in named]
        others = next((t for t in possible if t.name not in named), None)
        if others is not None:
            candidates.append(others)
        return max((self.object_cost(selection_set, t, path) for t in candidates), default=0)

    def object_cost(self, selection_set, object_type, path):
        total = 0
        for key, nodes in self.collect(selection_set, object_type).items():
            field = object_type.fields.get(nodes[0].name.value)
            if field is not None:
                total += self.field_cost(field, nodes, path + (key,))
        return total

    def field_cost(self, field, nodes, path):
        named = get_named_type(field.type)
        if is_leaf_type(named) or named.name in _FREE_TYPES:
            return 0
        if self.actual and path not in self.present:
            return 0
        selection = _merge(nodes)
        if not is_connection(named):
            return 1 + self.selection_cost(selection, named, path)
        node_cost = self.node_cost(selection, named, path)
        if self.actual:
            returned = self.sizes.get(path, 0)
            return 2 + (connection_multiplier(returned) * (1 + node_cost) if returned else 0)
        return 2 + connection_multiplier(self.page_size(nodes)) * (1 + node_cost)

    def page_size(self, nodes):
        size = 0
        for node in nodes:
            for argument in node.arguments or ():
                if argument.name.value in ("first", "last"):
                    value = self.value(argument.value)
                    if isinstance(value, int):
                        size = max(size, value)
        return size

    def node_cost(self, selection, connection_type, path):
        cost = 0
        for key, nodes in self.collect(selection, connection_type).items():
            name = nodes[0].name.value
            if name == "nodes":
                node_type = get_named_type(connection_type.fields["nodes"].type)
                cost += self.selection_cost(_merge(nodes), node_type, path + (key,))
            elif name == "edges":
                edge_type = get_named_type(connection_type.fields["edges"].type)
                for edge_key, edge_nodes in self.collect(_merge(nodes), edge_type).items():
                    if edge_nodes[0].name.value == "node":
                        node_type = get_named_type(edge_type.fields["node"].type)
                        cost += self.selection_cost(_merge(edge_nodes), node_type, path + (key, edge_key))
        return cost


class _Merged:
    """The selections of several field nodes with one response key, as one set."""

    def __init__(self, selections):
        self.selections = selections


def _merge(nodes):
    if len(nodes) == 1:
        return nodes[0].selection_set
    return _Merged([s for node in nodes if node.selection_set for s in node.selection_set.selections])


def _scan(value, path, sizes, present):
    """Record which response paths hold objects and how many nodes each connection returned."""
    if isinstance(value, dict):
        present.add(path)
        for key, item in value.items():
            if key in ("nodes", "edges") and isinstance(item, list):
                sizes[path] = max(sizes.get(path, 0), len(item))
            _scan(item, path + (key,), sizes, present)
    elif isinstance(value, list):
        for item in value:
            _scan(item, path, sizes, present)
