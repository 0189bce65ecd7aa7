"""Relay connections over sorted lists: cursors, first/after/last/before, reverse.

Entries are ``(key, node)`` pairs sorted ascending by ``key = (sort value, id
number)``. A cursor is base64 of ``[sort key name, sort value, id number]``: it
points between entries, so a page boundary stays put while data changes, and
paging with ``after`` visits every entry exactly once.
"""
import base64
import binascii
import bisect
import json
from decimal import Decimal
from typing import Callable, NamedTuple

from .clock import parse_time

MAX_PAGE = 250


class PagingError(Exception):
    pass


class SortKey(NamedTuple):
    name: str
    extract: Callable  # node -> comparable sort value (never None)
    kind: str  # "time" | "int" | "decimal" | "text"


_ENCODE = {"time": lambda v: v.isoformat(), "decimal": str, "int": int, "text": str}
_DECODE = {"time": parse_time, "decimal": Decimal, "int": int, "text": str}
POSITION = SortKey("POSITION", None, "int")


def encode_cursor(sort_key, key):
    raw = json.dumps([sort_key.name, _ENCODE[sort_key.kind](key[0]), key[1]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(sort_key, cursor):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, number = json.loads(base64.urlsafe_b64decode(padded))
        if name != sort_key.name:
            raise PagingError(f"Cursor {cursor!r} belongs to sort key {name}, not {sort_key.name}.")
        return _DECODE[sort_key.kind](value), int(number)
    except (ValueError, TypeError, binascii.Error):
        raise PagingError(f"Invalid cursor {cursor!r}.") from None


def sort_entries(nodes, sort_key, number_of):
    entries = [((sort_key.extract(node), number_of(node)), node) for node in nodes]
    entries.sort(key=lambda entry: entry[0])
    return entries


def position_entries(nodes):
    """Entries of a stored list kept in its own order (line items, shipping lines...)."""
    return [((index, index), node) for index, node in enumerate(nodes)]


def page_size(first, last, *, required=True):
    for name, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise PagingError(f"Argument '{name}' on a connection must be a non-negative integer.")
        if value is not None and value > MAX_PAGE:
            raise PagingError(f"Argument '{name}' on a connection is limited to {MAX_PAGE}.")
    if required and first is None and last is None:
        raise PagingError("You must provide one of first or last.")


def paginate(entries, sort_key, *, keys=None, first=None, after=None, last=None, before=None, reverse=False):
    """The connection value (edges, nodes, pageInfo) for one page of ``entries``."""
    if keys is None:
        keys = [key for key, _ in entries]
    start, end = 0, len(entries)
    # In reverse the sequence runs from the highest key down: "after" means lower keys.
    for cursor, later in ((after, True), (before, False)):
        if cursor is None:
            continue
        key = decode_cursor(sort_key, cursor)
        if later != reverse:
            start = max(start, bisect.bisect_right(keys, key))
        else:
            end = min(end, bisect.bisect_left(keys, key))
    end = max(start, end)
    # Take `first` from the front of the sequence, then `last` from the back.
    for count, front in ((first, True), (last, False)):
        if count is None:
            continue
        if front != reverse:
            end = min(end, start + count)
        else:
            start = max(start, end - count)
    chosen = entries[start:end]
    if reverse:
        chosen = chosen[::-1]
    before_exists, after_exists = start > 0, end < len(entries)
    edges = [{"cursor": encode_cursor(sort_key, key), "node": node} for key, node in chosen]
    return {
        "edges": edges,
        "nodes": [node for _, node in chosen],
        "pageInfo": {
            "hasNextPage": before_exists if reverse else after_exists,
            "hasPreviousPage": after_exists if reverse else before_exists,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }
