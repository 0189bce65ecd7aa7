"""The token endpoint and the simulator's own control endpoints (``/__simulator__/``)."""
import json
import re
from decimal import Decimal
from urllib.parse import parse_qsl

from .auth import GrantError
from .gateway import Reply
from .lifecycle.api import LifecycleError

_BULK_FILE = re.compile(r"^/__simulator__/bulk/(\d+)\.jsonl$")


def _json(raw):
    return json.loads(raw or b"null")


def access_token(sim, raw, content_type):
    """``POST /admin/oauth/access_token``: the client-credentials grant."""
    try:
        if "json" in (content_type or ""):
            params = _json(raw)
            if not isinstance(params, dict):
                raise ValueError
        else:
            params = dict(parse_qsl(raw.decode(), keep_blank_values=True))
    except (ValueError, UnicodeDecodeError):
        return Reply(400, {"error": "invalid_request", "error_description": "The request body is malformed."})
    try:
        return Reply(200, sim.auth.grant(params))
    except GrantError as refused:
        return Reply(refused.status, refused.body)


def control(sim, method, path, raw):
    """The test hooks: faults, stats, extra orders, webhooks, the clock, bulk result files."""
    try:
        if path == "/__simulator__/faults":
            if method == "POST":
                return Reply(200, {"fault": sim.faults.inject(**_json(raw))})
            if method == "DELETE":
                sim.faults.clear()
                return Reply(200, {"faults": []})
            if method == "GET":
                return Reply(200, {"faults": sim.faults.active()})
        if path == "/__simulator__/stats" and method == "GET":
            return Reply(200, sim.stats)
        if path == "/__simulator__/stats/reset" and method == "POST":
            sim.reset_stats()
            return Reply(200, sim.stats)
        if path == "/__simulator__/orders" and method == "POST":
            orders = _json(raw)
            if not isinstance(orders, list):
                raise ValueError("POST a JSON list of orders")
            return Reply(200, {"upserted": len(sim.upsert_orders(orders))})
        if path == "/__simulator__/orders/new" and method == "POST":
            # One realistic new order, as a checkout makes it (fires orders/create): the demo's
            # one-command order.
            order = sim.new_order((_json(raw) or {}).get("seed"))
            return Reply(200, {"id": order["id"], "name": order["name"]})
        if path == "/__simulator__/orders/refund" and method == "POST":
            # A refund made as a merchant makes it (refundCreate, through the GraphQL schema):
            # {"order": gid, "lines": [[line gid, quantity]], "shipping": "full"|amount, "amount": x};
            # with no lines, shipping or amount, one unit of the first line that has one left.
            body = _json(raw) or {}
            order = sim.store.node(body.get("order"))
            if order is None:
                raise ValueError('POST {"order": "gid://shopify/Order/<n>"}')
            lines = [tuple(item) for item in body.get("lines") or ()]
            if not (lines or body.get("shipping") or body.get("amount")):
                line = next((l for l in order["lineItems"] if l.get("refundableQuantity", l["currentQuantity"])), None)
                if line is None:
                    raise ValueError("nothing left to refund on this order")
                lines = [(line["id"], 1, "RETURN")]
            amount = body.get("amount")
            refund = sim.refund(order["id"], lines=lines, shipping=body.get("shipping"),
                                amount=None if amount is None else Decimal(str(amount)))
            return Reply(200, {"refund": refund})
        if path == "/__simulator__/orders/fulfill" and method == "POST":
            # A shipment made as a merchant makes it (fulfillmentCreate, through the GraphQL schema):
            # {"order": gid, "lines": [[line gid, quantity]]}; with no lines, all that is left to ship.
            body = _json(raw) or {}
            if sim.store.node(body.get("order")) is None:
                raise ValueError('POST {"order": "gid://shopify/Order/<n>"}')
            lines = [tuple(item) for item in body["lines"]] if body.get("lines") else None
            try:
                return Reply(200, {"fulfillment": sim.fulfill(body["order"], lines=lines)["fulfillment"]})
            except LifecycleError as refused:  # Shopify's userErrors, e.g. nothing left to ship
                return Reply(422, {"errors": refused.errors})
        if path == "/__simulator__/webhooks" and method == "GET":
            return Reply(200, {"subscriptions": sim.webhooks.subscriptions.all(),
                               "deliveries": sim.webhooks.deliveries()})
        if path == "/__simulator__/webhooks/wait" and method == "POST":
            return Reply(200, {"idle": sim.webhooks.wait_idle(float((_json(raw) or {}).get("timeout", 10)))})
        if path == "/__simulator__/clock":
            if method == "POST":
                body = _json(raw) or {}
                if "now" in body:
                    sim.clock.set(body["now"])
                elif "advance" in body:
                    sim.clock.advance(float(body["advance"]))
                else:
                    raise ValueError('POST {"now": "<ISO 8601>"} or {"advance": <seconds>}')
            if method in ("POST", "GET"):
                return Reply(200, {"now": sim.clock.iso()})
        match = _BULK_FILE.match(path)
        if match and method == "GET":
            body = sim.bulk.file(int(match.group(1)))
            if body is None:
                return Reply(404, {"errors": "Not Found"})
            return Reply(200, body, {"Content-Type": "application/jsonl"})
    except (ValueError, TypeError) as bad:
        return Reply(400, {"errors": str(bad)})
    return Reply(404, {"errors": "Not Found"})
