"""Bulk query operations: validate, run in the background, write JSONL.

Shape rules (§5 of docs/shopify-admin-api.md): at least one connection, at
most five, nested at most two deep, none inside a plain list. In the JSONL each
node of a connection is its own line; a nested node carries ``__parentId`` and
comes after its parent. With ``groupObjects`` children follow their parent
directly; without it they come after all the lines of the level above, which
is still "after the parent" and keeps readers honest.
"""
import json
import threading
import time

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationType,
    get_named_type,
    is_composite_type,
    is_list_type,
    is_non_null_type,
)

from . import engine, gids
from .cost import is_connection, select_operation
from .resolvers import Context

MAX_CONNECTIONS = 5
MAX_DEPTH = 2
ACTIVE = ("CREATED", "RUNNING", "CANCELING")
# How fast an export writes objects. The docs are silent on it (the guide only says that large
# exports take a while and that groupObjects makes them slower), so this is the simulator's
# choice: 10,000 orders with their lines (~57,000 objects) take about a minute, a 200-order
# test shop about a second. Simulator(bulk_objects_per_second=...) changes it.
OBJECTS_PER_SECOND = 1000.0
PROGRESS_STEP = 0.2  # seconds between objectCount updates while RUNNING


def _error(message, code="INVALID"):
    return {"field": ["query"], "message": message, "code": code}


class _Shape:
    """Where the connections of a bulk query are, by response path."""

    def __init__(self, schema, fragments):
        self.schema = schema
        self.fragments = fragments
        self.connections = set()
        self.depth = 0
        self.errors = []

    def walk(self, selection_set, parent_type, path, depth, in_list):
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                self.field(selection, parent_type, path, depth, in_list)
            else:
                if isinstance(selection, InlineFragmentNode):
                    condition, inner = selection.type_condition, selection.selection_set
                else:
                    fragment = self.fragments.get(selection.name.value)
                    condition, inner = fragment.type_condition, fragment.selection_set
                named = self.schema.get_type(condition.name.value) if condition else parent_type
                self.walk(inner, named, path, depth, in_list)

    def field(self, node, parent_type, path, depth, in_list):
        field = getattr(parent_type, "fields", {}).get(node.name.value)
        if field is None:
            return
        key = node.alias.value if node.alias else node.name.value
        named = get_named_type(field.type)
        if is_connection(named):
            self.connections.add(path + (key,))
            self.depth = max(self.depth, depth + 1)
            if in_list:
                self.errors.append(_error(
                    f"Queries that contain a connection field within a list field are not currently supported: {key}."
                ))
            for inner, node_type in self.node_selections(node, named):
                if self.has_nested_connection(inner, node_type) and not self.selects_id(inner):
                    self.errors.append(_error(f"The nodes of connection '{key}' must select 'id' to parent nested connections."))
                self.walk(inner, node_type, path + (key,), depth + 1, False)
        elif is_composite_type(named):
            unwrapped = field.type.of_type if is_non_null_type(field.type) else field.type
            self.walk(node.selection_set, named, path + (key,), depth, in_list or is_list_type(unwrapped))

    def node_selections(self, node, connection_type):
        for sub in node.selection_set.selections if node.selection_set else ():
            if not isinstance(sub, FieldNode):
                continue
            if sub.name.value == "nodes":
                yield sub.selection_set, get_named_type(connection_type.fields["nodes"].type)
            elif sub.name.value == "edges":
                edge_type = get_named_type(connection_type.fields["edges"].type)
                for edge_field in sub.selection_set.selections if sub.selection_set else ():
                    if isinstance(edge_field, FieldNode) and edge_field.name.value == "node":
                        yield edge_field.selection_set, get_named_type(edge_type.fields["node"].type)

    def _fields(self, selection_set):
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in self.fragments:
                yield from self._fields(self.fragments[selection.name.value].selection_set)

    def selects_id(self, selection_set):
        return any(f.name.value == "id" and f.alias is None for f in self._fields(selection_set))

    def has_nested_connection(self, selection_set, node_type):
        probe = _Shape(self.schema, self.fragments)
        probe.walk(selection_set, node_type, (), 0, False)
        return bool(probe.connections)


def check_shape(schema, document):
    """(connection paths, userErrors) of a bulk query."""
    operation = select_operation(document)
    if operation is None or operation.operation != OperationType.QUERY:
        return set(), [_error("A bulk query must hold exactly one query operation.")]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    shape = _Shape(schema, fragments)
    shape.walk(operation.selection_set, schema.query_type, (), 0, False)
    errors = list(shape.errors)
    if not shape.connections:
        errors.append(_error("Bulk queries must contain at least one connection."))
    if len(shape.connections) > MAX_CONNECTIONS:
        errors.append(_error(f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."))
    if shape.depth > MAX_DEPTH:
        errors.append(_error(f"Bulk queries cannot contain connections with a nesting depth greater than {MAX_DEPTH}."))
    return shape.connections, errors


def flatten(data, connections, group_objects):
    """The JSONL lines (dicts) of a bulk query's result."""
    grouped, by_depth = [], []

    def emit(node, path, parent_id, depth):
        line = visit(node, path, node.get("id"), depth)
        if parent_id is not None:
            line["__parentId"] = parent_id
        return line

    def visit(value, path, owner_id, depth):
        if isinstance(value, list):
            return [visit(item, path, owner_id, depth) for item in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            sub = path + (key,)
            if sub not in connections:
                out[key] = visit(item, sub, owner_id, depth)
                continue
            if item is None:
                continue
            nodes = item["nodes"] if "nodes" in item else [edge["node"] for edge in item.get("edges", ())]
            for node in nodes:
                if group_objects:
                    slot = len(grouped)
                    grouped.append(None)
                    grouped[slot] = emit(node, sub, owner_id, depth + 1)
                else:
                    while len(by_depth) <= depth:
                        by_depth.append([])
                    line = emit(node, sub, owner_id, depth + 1)
                    by_depth[depth].append(line)
        return out

    visit(data or {}, (), None, 0)
    return grouped if group_objects else [line for level in by_depth for line in level]


class BulkOperations:
    def __init__(self, sim, clock, base_url, objects_per_second=OBJECTS_PER_SECOND):
        self._sim = sim
        self._rate = objects_per_second  # None or 0: an export completes as soon as it is computed
        self._clock = clock
        self._base_url = base_url  # callable: the server's URL once started
        self._lock = threading.Lock()
        self._ops = {}
        self._files = {}
        self._cancels = {}  # gid -> Event set by bulkOperationCancel

    def all(self):
        return list(self._ops.values())

    def get(self, gid):
        return self._ops.get(gid)

    def file(self, number):
        return self._files.get(number)

    def _update(self, gid, **changes):
        with self._lock:
            self._ops[gid] = {**self._ops[gid], **changes}

    def run_query(self, version, query, group_objects):
        prepared = engine.prepare(version, query)
        if prepared.errors:
            return None, [_error(e["message"]) for e in prepared.errors]
        connections, errors = check_shape(prepared.schema, prepared.document)
        if errors:
            return None, errors
        # Bulk guide: from 2026-01 up to five bulk queries at a time per shop and app; before, one
        # (plus one bulk mutation, which the simulator does not run).
        limit = 5 if version >= "2026-01" else 1
        with self._lock:
            running = [op for op in self._ops.values() if op["status"] in ACTIVE]
            if len(running) >= limit:
                return None, [_error(
                    f"A bulk query operation for this app and shop is already in progress: {running[0]['id']}.",
                    "OPERATION_IN_PROGRESS",
                )]
            number = len(self._ops) + 1
            gid = gids.make("BulkOperation", number)
            self._ops[gid] = {
                "id": gid, "status": "CREATED", "type": "QUERY", "query": query, "errorCode": None,
                "createdAt": self._clock.iso(), "completedAt": None, "objectCount": "0",
                "rootObjectCount": "0", "fileSize": None, "url": None, "partialDataUrl": None,
            }
            operation = self._ops[gid]
            self._cancels[gid] = threading.Event()
        slow = self._sim.faults.draw("bulk_slow")
        delay = slow.params["delay"] if slow else 0.0
        worker = threading.Thread(
            target=self._run, args=(gid, number, version, prepared, connections, bool(group_objects), delay),
            name=f"bulk-{number}", daemon=True,
        )
        worker.start()
        return operation, []

    def _run(self, gid, number, version, prepared, connections, group_objects, delay):
        cancelled = self._cancels[gid]
        self._update(gid, status="RUNNING")
        if cancelled.wait(delay):
            self._update(gid, status="CANCELED", completedAt=self._clock.iso())
            return
        try:
            data, errors, _ = engine.run(Context(self._sim, version, bulk=True), prepared)
            if errors:
                self._update(gid, status="FAILED", errorCode="INTERNAL_SERVER_ERROR",
                             completedAt=self._clock.iso(), _errors=errors)
                return
            if cancelled.is_set():
                self._update(gid, status="CANCELED", completedAt=self._clock.iso())
                return
            lines = flatten(data, connections, group_objects)
            if not self._write_slowly(gid, len(lines), cancelled):
                self._update(gid, status="CANCELED", completedAt=self._clock.iso())
                return
            body = "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines).encode()
            self._files[number] = body
            self._update(
                gid, status="COMPLETED", completedAt=self._clock.iso(),
                objectCount=str(len(lines)),
                rootObjectCount=str(sum(1 for line in lines if "__parentId" not in line)),
                fileSize=str(len(body)),
                url=f"{self._base_url()}/__simulator__/bulk/{number}.jsonl" if lines else None,
            )
        except Exception as crash:  # a crash must end the operation, never leave it RUNNING
            self._update(gid, status="FAILED", errorCode="INTERNAL_SERVER_ERROR",
                         completedAt=self._clock.iso(), _errors=[repr(crash)])

    def _write_slowly(self, gid, total, cancelled):
        """Stay RUNNING for the time writing ``total`` objects takes, objectCount growing as
        Shopify's does while it writes; False when canceled meanwhile."""
        if not self._rate:
            return True
        duration = total / self._rate
        started = time.monotonic()  # not the shop clock, which a test may set back
        while True:
            elapsed = time.monotonic() - started
            if elapsed >= duration:
                return True
            self._update(gid, objectCount=str(int(total * elapsed / duration)))
            if cancelled.wait(min(PROGRESS_STEP, duration - elapsed)):
                return False

    def cancel(self, gid):
        with self._lock:
            operation = self._ops.get(gid)
            if operation is None:
                return None, [{"field": ["id"], "message": "Bulk operation does not exist", "code": None}]
            if operation["status"] not in ACTIVE:
                return operation, [{"field": ["id"], "message": (
                    f"A bulk operation cannot be canceled when it is {operation['status'].lower()}"), "code": None}]
            operation = self._ops[gid] = {**operation, "status": "CANCELING"}
        self._cancels[gid].set()
        return operation, []
