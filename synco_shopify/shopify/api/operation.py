"""What the client needs to know about a GraphQL document before sending it."""
import functools
import re
from typing import NamedTuple

from graphql import GraphQLSyntaxError, OperationType, parse
from graphql.language import FieldNode, OperationDefinitionNode

from . import documents
from .errors import InvalidDocument

_NAME = re.compile(r"[A-Za-z_]\w*")

# Mutations that may be sent again after an unknown outcome (timeout, dropped
# connection, 5xx). metafieldsSet is an upsert keyed by (owner, namespace, key):
# applying it twice leaves the same state, so a blind retry cannot duplicate
# anything. Any other mutation is only retried when Shopify surely did not run it
# (throttled, 429, connection refused).
IDEMPOTENT_MUTATIONS = frozenset({"metafieldsSet"})


class Operation(NamedTuple):
    text: str
    name: str
    is_mutation: bool
    root_fields: tuple

    @property
    def retry_blindly(self):
        return not self.is_mutation or set(self.root_fields) <= IDEMPOTENT_MUTATIONS


def resolve(document, operation_name=None):
    """``document`` is a name under documents/ (fragments appended) or GraphQL text."""
    text = documents.load(document) if _NAME.fullmatch(document) else document
    return _analyse(text, operation_name)


@functools.lru_cache(maxsize=256)
def _analyse(text, operation_name):
    try:
        tree = parse(text, no_location=True)
    except GraphQLSyntaxError as exc:
        raise InvalidDocument(operation_name or "(unnamed)", [exc.message]) from None
    operations = [d for d in tree.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        raise InvalidDocument(
            operation_name or "(unnamed)",
            ["the document must hold exactly one operation, or operation_name must pick one"],
        )
    op = operations[0]
    roots = tuple(s.name.value for s in op.selection_set.selections if isinstance(s, FieldNode))
    return Operation(
        text=text,
        name=op.name.value if op.name else "(anonymous)",
        is_mutation=op.operation is OperationType.MUTATION,
        root_fields=roots,
    )
