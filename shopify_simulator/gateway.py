"""One GraphQL request, from the version in the URL to the JSON answer.

Order of the checks: version (404), injected faults, token (401), body (400),
parse and validation, maximum cost, bucket (THROTTLED), execution, refund of
the requested cost that was not used. Independent of HTTP: the server hands
over the pieces and writes back a ``Reply``.
"""
import json
import time
from http import HTTPStatus
from typing import NamedTuple

from graphql import FieldNode

from . import engine
from . import schema as schemas
from .auth import INVALID_TOKEN
from .cost import MAX_COST, actual_cost, requested_cost, select_operation
from .resolvers import Context

RATE_LIMITS_DOC = "https://shopify.dev/api/usage/rate-limits"
TOO_MANY = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."


class Reply(NamedTuple):
    status: int
    body: object = None  # JSON-able; None with drop
    headers: dict = {}
    drop: bool = False  # close the connection without answering


class BadRequest(Exception):
    pass


def read_body(raw):
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise BadRequest from None
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise BadRequest
    variables = body.get("variables") or {}
    if not isinstance(variables, dict):
        raise BadRequest
    return body["query"], variables, body.get("operationName")


def _phrase(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error"


def operation_label(operation):
    if operation.name:
        return operation.name.value
    first = next((s for s in operation.selection_set.selections if isinstance(s, FieldNode)), None)
    return first.name.value if first else "anonymous"


class Gateway:
    def __init__(self, sim, auth, bucket):
        self.sim = sim
        self.auth = auth
        self.bucket = bucket

    def _cost(self, requested, actual):
        return {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": self.bucket.status()}

    def execute(self, version, query, variables=None, operation_name=None):
        """Parse, validate and run; no faults, cost or token (``Simulator.execute``)."""
        prepared = engine.prepare(version, query)
        if prepared.errors:
            return {"errors": prepared.errors}
        operation = select_operation(prepared.document, operation_name)
        if operation is not None:
            self.sim.counters.operation(operation_label(operation))
        outcome, context = self._run(version, prepared, variables, operation_name)
        return self._body(outcome, context, {})

    def _run(self, version, prepared, variables, operation_name):
        context = Context(self.sim, version)
        return engine.run(context, prepared, variables, operation_name), context

    @staticmethod
    def _body(outcome, context, extensions):
        body = {}
        if outcome.errors:
            body["errors"] = outcome.errors
        if outcome.executed:
            body["data"] = outcome.data
        if context.search:
            extensions = {**extensions, "search": context.search}
        if extensions:
            body["extensions"] = extensions
        return body

    def graphql(self, version, token, raw_body):
        stats = self.sim.counters
        stats.add("graphql_requests")
        if version not in schemas.versions():
            return Reply(404, {"errors": "Not Found"})
        delay, fault = self.sim.faults.draw_request()
        if delay:
            time.sleep(delay)
        if fault is not None and fault.kind == "drop":
            return Reply(0, drop=True)
        if fault is not None and fault.kind == "http_5xx":
            status = fault.params["status"]
            return Reply(status, {"errors": _phrase(status)})
        if fault is not None and fault.kind == "http_429":
            return Reply(429, {"errors": TOO_MANY}, {"Retry-After": str(fault.params["retry_after"])})
        if not self.auth.valid(token):
            return Reply(401, INVALID_TOKEN)
        try:
            query, variables, operation_name = read_body(raw_body)
        except BadRequest:
            return Reply(400, {"errors": {"query": "Required parameter missing or invalid"}})
        headers = {"X-Shopify-API-Version": version}
        prepared = engine.prepare(version, query)
        if prepared.errors:
            return Reply(200, {"errors": prepared.errors, "extensions": {"cost": self._cost(0, 0)}}, headers)
        operation = select_operation(prepared.document, operation_name)
        if operation is None:
            message = (f"No operation named \"{operation_name}\"" if operation_name
                       else "An operation name is required when the document holds several operations")
            body = {"errors": [engine.error(message, "OPERATION_NOT_FOUND")], "extensions": {"cost": self._cost(0, 0)}}
            return Reply(200, body, headers)
        stats.operation(operation_label(operation))
        requested = requested_cost(prepared.schema, prepared.document, variables, operation_name)
        if requested > MAX_COST:
            error = engine.error(
                f"Query cost is {requested}, which exceeds the single query max cost limit ({MAX_COST}).\n\n"
                "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"
                "cost of a query is calculated.\n\n"
                "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"
                "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
                "MAX_COST_EXCEEDED", cost=requested, maxCost=MAX_COST, documentation=RATE_LIMITS_DOC,
            )
            return Reply(200, {"errors": [error], "extensions": {"cost": self._cost(requested, None)}}, headers)
        if (fault is not None and fault.kind == "throttle") or not self.bucket.take(requested):
            stats.add("throttled")
            error = {"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": RATE_LIMITS_DOC}}
            return Reply(200, {"errors": [error], "extensions": {"cost": self._cost(requested, None)}}, headers)
        outcome, context = self._run(version, prepared, variables, operation_name)
        actual = actual_cost(prepared.schema, prepared.document, outcome.data, variables, operation_name)
        self.bucket.give_back(requested - actual)
        stats.add("cost_requested", requested)
        stats.add("cost_actual", actual)
        return Reply(200, self._body(outcome, context, {"cost": self._cost(requested, actual)}), headers)
