"""A bulk export in steps, for callers that must not wait in a loop (a queued job polls
once, then asks to run again later): start it, ask once how it is doing, read its result.

``bulk.run_query`` does the same in one call, polling until the end.
"""
from .bulk import FINISHED, HINTS, order_headers_query, poll_operation, stream_results
from .errors import BulkOperationFailed, UserErrors

# CANCELING is on its way to CANCELED: not over yet (Shopify's BulkOperationStatus).
STILL_GOING = {"CREATED", "RUNNING", "CANCELING"}
# Shopify's code when the shop already runs as many bulk queries as the API version allows
# (one before 2026-01, five from it): waiting is the answer, not failing.
IN_PROGRESS_CODE = "OPERATION_IN_PROGRESS"


def start_order_headers(client, search):
    """Start the export of the headers of the orders matching ``search`` (None: every
    order); return the BulkOperation (``id``, ``status``, ``createdAt``).

    Raises ``errors.UserErrors`` when Shopify refuses to start it (``busy`` tells a shop
    that is running another bulk query already)."""
    started = client.execute("BulkRunQuery", {"query": order_headers_query(search)})
    return started["bulkOperationRunQuery"]["bulkOperation"]


def busy(error):
    """Whether a refusal to start (UserErrors) only says another bulk query is running."""
    return isinstance(error, UserErrors) and any(
        e.get("code") == IN_PROGRESS_CODE for e in error.user_errors)


def poll(client, operation_id):
    """The BulkOperation now (one request): status, objectCount, url..."""
    return poll_operation(client, operation_id)


def finished(operation):
    """False while the operation runs; True once it COMPLETED; BulkOperationFailed when
    it ended any other way (FAILED, CANCELED, EXPIRED), with what to do."""
    status = operation["status"]
    if status in STILL_GOING:
        return False
    if status == FINISHED:
        return True
    code = operation.get("errorCode")
    raise BulkOperationFailed(
        f"Bulk operation {operation['id']} ended {status} ({code or 'no error code'})",
        HINTS.get(code, "Start the import again."),
    )


def object_count(operation):
    """Objects written so far (Shopify sends the UnsignedInt64 as a string)."""
    return int(operation.get("objectCount") or 0)


def results(client, operation):
    """The objects of a COMPLETED operation's file, in file order."""
    return stream_results(client, operation.get("url"))
