"""Bulk exports: start a bulkOperationRunQuery, wait for it, stream its JSONL result.

Bulk queries are not subject to the cost limits, so a history backfill goes
through here. Objects of nested connections come out as separate lines carrying
``__parentId``; ``nested`` puts them back under their parent.
"""
import json
import os

import requests

from . import documents
from .client import checked_url
from .errors import BulkOperationFailed, ShopifyUnavailable

FINISHED = "COMPLETED"
STILL_GOING = {"CREATED", "RUNNING"}
HINTS = {
    "ACCESS_DENIED": "A scope is missing: run the same query without bulk to see which field.",
    "TIMEOUT": "Select fewer fields or export a narrower date window.",
    "INTERNAL_SERVER_ERROR": "Shopify failed internally: start the export again.",
}


def run_query(client, inner_query, *, deadline_seconds=3600.0, poll_seconds=(1.0, 30.0)):
    """Start a bulk query and poll until it completes; return the finished BulkOperation.

    Polls start every ``poll_seconds[0]`` and back off by half each time up to
    ``poll_seconds[1]``; past ``deadline_seconds`` BulkOperationFailed is raised
    (the operation keeps running on Shopify's side).
    """
    started = client.execute("BulkRunQuery", {"query": inner_query})
    operation = started["bulkOperationRunQuery"]["bulkOperation"]
    deadline = client.clock() + deadline_seconds
    interval, longest = poll_seconds
    while operation["status"] in STILL_GOING:
        left = deadline - client.clock()
        if left <= 0:
            raise BulkOperationFailed(
                f"Bulk operation {operation['id']} still {operation['status']} after "
                f"{deadline_seconds:.0f} s",
                "It keeps running on Shopify: poll it later or cancel it.",
            )
        client.sleep(min(interval, left))
        interval = min(longest, interval * 1.5)
        operation = poll_operation(client, operation["id"])
    if operation["status"] != FINISHED:
        code = operation.get("errorCode")
        raise BulkOperationFailed(
            f"Bulk operation {operation['id']} ended {operation['status']} ({code or 'no error code'})",
            HINTS.get(code, ""),
        )
    return operation


def poll_operation(client, operation_id):
    """The BulkOperation now. The schema lets ``node`` be null: Shopify no longer knows the
    operation (it keeps finished ones a week), which no poll will change."""
    operation = client.execute("BulkOperation", {"id": operation_id})["node"]
    if operation is None:
        raise BulkOperationFailed(f"Bulk operation {operation_id} is unknown to Shopify",
                                  "Start the export again.")
    return operation


def stream_results(client, url):
    """Yield the objects of a result file, line by line, without holding the file in memory."""
    if not url:
        return  # Shopify gives no file when the export matched nothing.
    with _open(client, url) as response:
        try:
            for line in response.iter_lines(chunk_size=1 << 16):
                if line:
                    yield json.loads(line)
        except requests.RequestException as exc:
            raise ShopifyUnavailable("the bulk result download", type(exc).__name__) from None


def export(client, inner_query, **polling):
    """Run a bulk query and yield its objects in file order."""
    return stream_results(client, run_query(client, inner_query, **polling).get("url"))


def export_order_headers(client, search, **polling):
    """Yield the header of every order matching ``search`` (e.g. ``created_at:>='2025-01-01'``)."""
    return export(client, order_headers_query(search), **polling)


def order_headers_query(search):
    # Bulk queries take no variables, so the search string is written into the text.
    return documents.load("BulkOrderHeadersExport").replace('"$QUERY"', json.dumps(search))


def download(client, url, path):
    """Save a result file to ``path`` (streamed) for ``nested``; return ``path``."""
    with open(path, "wb") as out:
        if url:
            with _open(client, url) as response:
                try:
                    for chunk in response.iter_content(chunk_size=1 << 16):
                        out.write(chunk)
                except requests.RequestException as exc:
                    raise ShopifyUnavailable("the bulk result download", type(exc).__name__) from None
    return path


def nested(path):
    """Yield each root object with its children under ``obj["__children"][<GID type>]``.

    Children always come after their parent but not necessarily right after it,
    so the file is read from the end: a child is held only until its parent is
    read. Roots therefore come out in reverse file order; children keep file order.
    """
    pending = {}
    with open(path, "rb") as fh:
        for line in _lines_backwards(fh):
            obj = json.loads(line)
            children = pending.pop(obj.get("id"), None)
            if children:
                grouped = obj.setdefault("__children", {})
                for child in reversed(children):
                    grouped.setdefault(gid_type(child.get("id", "")), []).append(child)
            parent = obj.get("__parentId")
            if parent is None:
                yield obj
            else:
                pending.setdefault(parent, []).append(obj)


def gid_type(gid):
    """``gid://shopify/LineItem/7`` -> ``LineItem``."""
    parts = gid.split("/")
    return parts[3] if len(parts) > 4 and gid.startswith("gid://") else "?"


def _open(client, url):
    try:
        # A signed storage URL: the access token is deliberately not sent.
        response = client.session.get(checked_url(url), stream=True, timeout=client.timeout)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise ShopifyUnavailable("the bulk result download", type(exc).__name__) from None
    if response.status_code != 200:
        response.close()
        raise BulkOperationFailed(
            f"The bulk result file could not be read (HTTP {response.status_code})",
            "Result URLs expire after 7 days: run the export again.",
        )
    return response


def _lines_backwards(fh, block=1 << 16):
    fh.seek(0, os.SEEK_END)
    position, tail = fh.tell(), b""
    while position > 0:
        step = min(block, position)
        position -= step
        fh.seek(position)
        lines = (fh.read(step) + tail).split(b"\n")
        tail = lines.pop(0)
        yield from (line for line in reversed(lines) if line.strip())
    if tail.strip():
        yield tail
