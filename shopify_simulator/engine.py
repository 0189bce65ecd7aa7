"""Parses, validates and runs a GraphQL document against one API version's schema.

Errors are shaped like Shopify's (graphql-ruby) ones: the message wording and
``extensions.code`` of the common validation failures, the rest as graphql-core
words them, always with ``locations``.
"""
import functools
import re
from typing import NamedTuple

from graphql import GraphQLError, GraphQLSyntaxError, execute, parse, validate

from . import schema as schemas
from .resolvers import field_resolver, type_resolver

_SHOPIFY_WORDING = (
    (re.compile(r"^Cannot query field '(?P<field>\w+)' on type '(?P<type>\w+)'\."),
     "Field '{field}' doesn't exist on type '{type}'", "undefinedField"),
    (re.compile(r"^Unknown argument '(?P<arg>\w+)' on field '(?P<type>\w+)\.(?P<field>\w+)'\."),
     "Field '{field}' doesn't accept argument '{arg}'", "argumentNotAccepted"),
    (re.compile(r"^Field '(?P<field>\w+)' argument '(?P<arg>\w+)' of type .* is required"),
     "Field '{field}' is missing required arguments: {arg}", "missingRequiredArguments"),
    (re.compile(r"^Unknown type '(?P<type>\w+)'\."),
     "No such type {type}, so it can't be a fragment condition", "undefinedType"),
    (re.compile(r"^Field '(?P<field>\w+)' must have a selection of subfields"),
     "Field must have selections (field '{field}' has no selections)", "selectionMismatch"),
    (re.compile(r"^Variable '\$(?P<var>\w+)' of type '(?P<type>[^']+)' used in position expecting type '(?P<want>[^']+)'"),
     "Type mismatch on variable ${var} and argument (expected {want}, got {type})", "variableMismatch"),
)


_EXTENSION_NAMES = {"field": "fieldName", "type": "typeName", "arg": "argumentName"}


class Prepared(NamedTuple):
    schema: object
    document: object  # None when the text does not parse
    errors: list  # Shopify-shaped errors; empty when the document is valid


def shape(error, code=None):
    """One error as Shopify prints it."""
    shaped = error.formatted
    message = error.message
    extensions = dict(shaped.get("extensions") or {})
    for pattern, wording, shopify_code in _SHOPIFY_WORDING:
        match = pattern.match(message)
        if match:
            message = wording.format(**match.groupdict())
            extensions.setdefault("code", shopify_code)
            extensions.update({_EXTENSION_NAMES[k]: v for k, v in match.groupdict().items() if k in _EXTENSION_NAMES})
            break
    if code:
        extensions.setdefault("code", code)
    out = {"message": message, "locations": shaped.get("locations") or []}
    if shaped.get("path"):
        out["path"] = shaped["path"]
    if extensions:
        out["extensions"] = extensions
    return out


@functools.lru_cache(maxsize=512)
def prepare(version, query):
    schema = schemas.load(version)
    try:
        document = parse(query)
    except GraphQLSyntaxError as error:
        return Prepared(schema, None, [shape(error, "parseError")])
    return Prepared(schema, document, [shape(e, "validationError") for e in validate(schema, document)])


def _never_awaitable(value):
    return False


class Outcome(NamedTuple):
    data: object
    errors: list  # shaped
    executed: bool  # False when variables or the operation choice stopped it before running


def run(context, prepared, variables=None, operation_name=None):
    """The outcome of a validated document."""
    result = execute(
        prepared.schema,
        prepared.document,
        context_value=context,
        variable_values=variables or {},
        operation_name=operation_name,
        field_resolver=field_resolver,
        type_resolver=type_resolver,
        is_awaitable=_never_awaitable,  # every resolver is synchronous; skips a check per value
    )
    # Errors before execution (variables, operation choice) have no path and come without data.
    executed = result.data is not None or any(e.path for e in result.errors or ())
    errors = [shape(e, None if executed else "INVALID_VARIABLE") for e in result.errors or ()]
    return Outcome(result.data, errors, executed)


def error(message, code, **extensions):
    return shape(GraphQLError(message, extensions={"code": code, **extensions}))
